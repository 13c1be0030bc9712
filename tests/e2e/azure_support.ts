/**
 * Helpers for the Azure e2e tests: an emulator (Entra ID over https with its test CA), a sandbox
 * whose atmos trusts the CA (`DENO_CERT`) and signs in at the emulator (`AZURE_AUTHORITY_HOST`),
 * whose children trust it too (`REQUESTS_CA_BUNDLE` for `az`, `NODE_EXTRA_CA_CERTS` for Node)
 * and whose every process is behind the emulator's proxy trap; the user's own Azure CLI dir
 * (read-only for atmos: it only holds `versionCheck.json`, so `az` skips its first-run check);
 * a stand-in browser; and checks that nothing was written outside `<config>/atmos`.
 *
 * @module
 */
import assert from "node:assert/strict";
import { join } from "node:path";
import { startEmulator } from "../emulator/mod.ts";
import type { Emulator, EmulatorOptions } from "../emulator/mod.ts";
import { installedAzVersion } from "../emulator/client_files.ts";
import { CLIENTS_DIR } from "../emulator/client_runner.ts";
import { createSandbox, type RunResult, type Sandbox } from "./harness.ts";

/** The tenant of every test (the emulator's default). */
export const TENANT = "33333333-3333-3333-3333-333333333333";
/** The subscription of `azure-dev`. */
export const SUBSCRIPTION = "55555555-5555-5555-5555-555555555555";
/** Another subscription. */
export const OTHER_SUBSCRIPTION = "66666666-6666-6666-6666-666666666666";
/** The application federated with the emulator's GitHub-style issuer. */
export const APP = "22222222-2222-2222-2222-222222222222";
/** The resource `az` asks for by default (the cloud's `active_directory_resource_id`). */
export const ARM_LEGACY = "https://management.core.windows.net/";

/** A laptop configuration: device code, browser and `az login` providers, three identities. */
export const AZURE_YAML = `
auth:
  providers:
    entra:
      kind: azure/device-code
      spec:
        tenant_id: ${TENANT}
        location: westeurope
    entra-web:
      kind: azure/interactive
      spec:
        tenant_id: ${TENANT}
    my-az:
      kind: azure/cli
      spec:
        tenant_id: ${TENANT}
  identities:
    azure-dev:
      kind: azure/subscription
      default: true
      via: { provider: entra }
      principal:
        subscription_id: ${SUBSCRIPTION}
        resource_group: rg-dev
    azure-prod:
      kind: azure/subscription
      via: { provider: entra }
      principal:
        subscription_id: ${OTHER_SUBSCRIPTION}
        location: northeurope
    azure-web:
      kind: azure/subscription
      via: { provider: entra-web }
      principal:
        subscription_id: ${SUBSCRIPTION}
    azure-cli:
      kind: azure/subscription
      via: { provider: my-az }
      principal:
        subscription_id: ${SUBSCRIPTION}
`;

/** A CI configuration: workload identity federation from the job's OIDC token. */
export const AZURE_CI_YAML = `
auth:
  providers:
    github-azure:
      kind: azure/oidc
      spec:
        tenant_id: ${TENANT}
        client_id: ${APP}
  identities:
    azure-ci:
      kind: azure/subscription
      default: true
      via: { provider: github-azure }
      principal:
        subscription_id: ${SUBSCRIPTION}
        location: eastus
`;

/** An emulator and a sandbox that talks only to it. */
export interface AzureSetup {
  emu: Emulator;
  sb: Sandbox;
  /** The user's own Azure CLI dir (`AZURE_CONFIG_DIR` of the sandbox; atmos never writes it). */
  userAzureDir: string;
  /** URLs the stand-in browser was asked to open. */
  browserLog(): Promise<string[]>;
  cleanup(): Promise<void>;
}

/**
 * Starts an emulator and a sandbox pointed at it. The stand-in `xdg-open` first on PATH follows
 * the URL with curl (trusting the test CA), i.e. a browser whose user is already signed in; the
 * emulator holds the authorization until the test approves it.
 */
export async function setUpAzure(
  yaml = AZURE_YAML,
  options: EmulatorOptions = {},
  env: Record<string, string> = {},
): Promise<AzureSetup> {
  const emu = await startEmulator({ azure: { apps: [{ clientId: APP }] }, ...options });
  const userAzureDir = await Deno.makeTempDir({ prefix: "atmos-user-azure-" });
  await Deno.writeTextFile(
    join(userAzureDir, "versionCheck.json"),
    JSON.stringify({
      versions: {
        "azure-cli": { local: installedAzVersion() },
        core: { local: installedAzVersion() },
      },
      update_time: "2000-01-01 00:00:00.000000",
    }),
  );
  const sb = await createSandbox(yaml, {
    env: {
      ...emu.trap.env(),
      AZURE_AUTHORITY_HOST: emu.azure.authorityHost,
      AZURE_CONFIG_DIR: userAzureDir,
      DENO_CERT: emu.caFile,
      REQUESTS_CA_BUNDLE: emu.caFile,
      NODE_EXTRA_CA_CERTS: emu.caFile,
      // The Deno runtime itself (not atmos) would look for a new Deno release through the trap.
      DENO_NO_UPDATE_CHECK: "1",
      ...env,
    },
  });
  const bin = join(sb.home, "bin");
  await Deno.mkdir(bin);
  const log = join(sb.home, "browser.log");
  await Deno.writeTextFile(
    join(bin, "xdg-open"),
    `#!/bin/sh\necho "$1" >> '${log}'\n` +
      `exec /usr/bin/curl -sS --noproxy '*' --cacert '${emu.caFile}' -L -o /dev/null "$1"\n`,
    { mode: 0o755 },
  );
  sb.env.PATH = `${bin}:${sb.env.PATH}`;
  return {
    emu,
    sb,
    userAzureDir,
    browserLog: async () =>
      (await Deno.readTextFile(log).catch(() => "")).split("\n").filter((l) => l !== ""),
    cleanup: async () => {
      await sb.cleanup();
      await Deno.remove(userAzureDir, { recursive: true });
      await emu.stop();
    },
  };
}

/** `<config>/atmos/azure/<root>/<identity>`: an identity's Azure CLI dir. */
export function identityDir(sb: Sandbox, root: string, identity: string): string {
  return join(sb.configDir, "azure", root, identity);
}

/**
 * Runs atmos (`ATMOS_FORCE_TTY=true` unless overridden), waits for its device code, approves it
 * in the emulator and returns the run with the user code.
 */
export async function runDeviceApproved(
  setup: AzureSetup,
  args: string[],
  env: Record<string, string> = { ATMOS_FORCE_TTY: "true" },
): Promise<RunResult & { userCode: string }> {
  const running = setup.sb.run(args, { env });
  const userCode = await setup.emu.azure.nextDeviceCode();
  assert.equal(setup.emu.azure.approveDevice(userCode), 1);
  return { ...await running, userCode };
}

/** The Node probe of `@azure/identity` (`tests/clients/azure_token.cjs`). */
export function azureProbe(kind: "cli" | "default" | "workload"): string[] {
  return ["/usr/bin/node", join(CLIENTS_DIR, "azure_token.cjs"), kind];
}

/** Parses the JSON a run printed (all of stdout, or its last line), failing otherwise. */
export function lastJson(result: RunResult, what: string): Record<string, unknown> {
  assert.equal(result.code, 0, `${what} exited ${result.code}: ${result.stderr}`);
  try {
    return JSON.parse(result.stdout);
  } catch {
    // a probe prints one JSON line after other output
  }
  try {
    return JSON.parse(result.stdout.trim().split("\n").at(-1) ?? "");
  } catch {
    throw new Error(`${what} printed no JSON\nstdout: ${result.stdout}\nstderr: ${result.stderr}`);
  }
}

/** Every file below `dir` with its mode and content (symlinks refused), relative paths sorted. */
export async function tree(dir: string): Promise<Record<string, string>> {
  const out: Record<string, string> = {};
  async function walk(current: string, prefix: string): Promise<void> {
    for await (const entry of Deno.readDir(current)) {
      const path = join(current, entry.name);
      const rel = prefix ? `${prefix}/${entry.name}` : entry.name;
      assert.ok(!entry.isSymlink, `${rel} is a symlink`);
      if (entry.isDirectory) {
        out[`${rel}/`] = ((await Deno.stat(path)).mode! & 0o777).toString(8);
        await walk(path, rel);
      } else {
        const info = await Deno.stat(path);
        out[rel] = `${(info.mode! & 0o777).toString(8)} ${await Deno.readTextFile(path)}`;
      }
    }
  }
  await walk(dir, "");
  return Object.fromEntries(Object.entries(out).sort(([a], [b]) => a.localeCompare(b)));
}

/**
 * Fails when anything was written in the sandbox's HOME outside `<config>/atmos` (and the test's
 * own stand-in browser and project), e.g. `~/.azure`.
 */
export async function assertOnlyConfigWritten(setup: AzureSetup): Promise<void> {
  const allowed = new Set(["project", "bin", "browser.log", ".config"]);
  const top: string[] = [];
  for await (const entry of Deno.readDir(setup.sb.home)) top.push(entry.name);
  assert.deepEqual(top.filter((name) => !allowed.has(name)), [], "written outside <config>/atmos");
  const config: string[] = [];
  for await (const entry of Deno.readDir(join(setup.sb.home, ".config"))) config.push(entry.name);
  assert.deepEqual(config, ["atmos"], "written into ~/.config outside atmos");
  const user: string[] = [];
  for await (const entry of Deno.readDir(setup.userAzureDir)) user.push(entry.name);
  assert.deepEqual(user, ["versionCheck.json"], "the user's own Azure CLI dir was written");
}

/** Every value of every Azure file atmos wrote, for mode checks: path → octal mode. */
export async function modes(dir: string): Promise<Record<string, string>> {
  const all = await tree(dir);
  return Object.fromEntries(
    Object.entries(all).map(([path, value]) => [path, value.split(" ")[0]]),
  );
}
