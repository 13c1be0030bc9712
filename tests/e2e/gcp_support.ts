/**
 * Helpers of the Google e2e tests: real clients run by `atmos auth exec` (google-auth-library
 * under Node, gcloud), a child that reports its environment, the files atmos writes per
 * identity, and the user's own ADC file in a scratch HOME.
 *
 * @module
 */
import { join } from "node:path";
import assert from "node:assert/strict";
import { CLIENTS_DIR } from "../emulator/client_runner.ts";
import { writePrivate } from "../emulator/client_files.ts";
import type { Emulator, GcpAuthorizedUser } from "../emulator/mod.ts";
import { DUMP_CHILD, type RunResult, type Sandbox } from "./harness.ts";
import { snapshotTree } from "./auth_support.ts";

/** `auth exec` argv of the Node probe: ADC from the environment, one token, one JSON line. */
export const NODE_PROBE = ["/usr/bin/node", join(CLIENTS_DIR, "gauth_token.cjs")];

/** `auth exec` argv printing gcloud's access token. */
export const GCLOUD_TOKEN = ["/usr/bin/gcloud", "auth", "print-access-token"];

/** `auth exec` argv printing gcloud's project. */
export const GCLOUD_PROJECT = ["/usr/bin/gcloud", "config", "get-value", "project"];

/** The environment every Google e2e test gives atmos: the emulator's endpoints and its trap. */
export function googleEnv(emu: Emulator): Record<string, string> {
  return {
    ...emu.trap.env(),
    ...emu.gcp.env(),
    // google-auth-library reaches Google's own hosts through the trap's forwarding.
    NODE_EXTRA_CA_CERTS: emu.caFile,
    // The deno running atmos would check dl.deno.land for a new version (through the trap).
    DENO_NO_UPDATE_CHECK: "1",
  };
}

/** `<config>/atmos/gcp/<root>/{adc,config}/<identity>`. */
export function gcpFiles(sb: Sandbox, root: string, identity: string) {
  const dir = join(sb.configDir, "gcp", root);
  const adcDir = join(dir, "adc", identity);
  return {
    adcDir,
    adc: join(adcDir, "application_default_credentials.json"),
    configDir: join(dir, "config", identity),
    configuration: join(dir, "config", identity, "configurations", "config_atmos"),
  };
}

/** Writes a user's ADC file where `gcloud auth application-default login` puts it. */
export async function writeUserAdc(sb: Sandbox, user: GcpAuthorizedUser): Promise<string> {
  const path = join(sb.home, ".config", "gcloud", "application_default_credentials.json");
  await writePrivate(path, JSON.stringify(user));
  return path;
}

/** The environment `auth exec` gives a child, as the child saw it. */
export async function childEnv(
  sb: Sandbox,
  identity: string,
  env: Record<string, string> = {},
): Promise<{ env: Record<string, string>; run: RunResult }> {
  const run = await sb.run(["auth", "exec", "-i", identity, "--", ...DUMP_CHILD], { env });
  assert.equal(run.code, 0, run.stderr);
  return { env: JSON.parse(run.stdout).env, run };
}

/**
 * Every path under the sandbox's HOME outside `<config>/atmos`, with size and time (the
 * `.config` directory itself changes when atmos creates its own dir in it, so it is left out).
 */
export async function homeOutsideAtmos(sb: Sandbox): Promise<string[]> {
  const entries = await snapshotTree(sb.home, [join(sb.home, ".config", "atmos")]);
  return entries.filter((entry) => !entry.startsWith("/.config "));
}

/** Parses the Node probe's one JSON line. */
export function probeToken(run: RunResult): string {
  assert.equal(run.code, 0, `node probe: ${run.stderr}`);
  const out = JSON.parse(run.stdout.trim().split("\n").at(-1) ?? "{}");
  assert.equal(typeof out.token, "string", run.stdout);
  return out.token;
}

/** The Google access tokens the emulator issued (values of `secrets()` it can tell about). */
export function issuedAccessTokens(emu: Emulator): string[] {
  return emu.secrets().filter((s) => emu.gcp.tokenInfo(s) !== undefined);
}
