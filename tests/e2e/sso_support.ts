/**
 * Helpers for the IAM Identity Center e2e tests: an emulator with assigned accounts, a sandbox
 * pointed at it, a stand-in browser that records what it was asked to open, approving the
 * device flow from the test, and atmos on a real pseudo-terminal (util-linux `script`).
 *
 * @module
 */
import { join } from "node:path";
import { startEmulator } from "../emulator/mod.ts";
import type { Emulator, SsoOptions } from "../emulator/mod.ts";
import { createSandbox, type RunResult, type Sandbox } from "./harness.ts";

/** Accounts assigned to the emulator's SSO user. */
export const ACCOUNTS = [
  {
    accountId: "111111111111",
    accountName: "Production",
    roles: ["AdministratorAccess", "ReadOnly"],
  },
  { accountId: "222222222222", accountName: "Development", roles: ["AdministratorAccess"] },
  { accountId: "333333333333", accountName: "Staging", roles: ["ReadOnly"] },
];

/** The portal every test signs in to. */
export const START_URL = "https://acme.awsapps.com/start";

/** A provider `sso` and a permission-set identity `dev` (account given by name). */
export const SSO_YAML = `
auth:
  providers:
    sso:
      kind: aws/iam-identity-center
      start_url: ${START_URL}
      region: eu-west-1
  identities:
    dev:
      kind: aws/permission-set
      default: true
      via: { provider: sso }
      principal:
        name: AdministratorAccess
        account: { name: Development }
`;

/** An emulator and a sandbox that talks only to it. */
export interface SsoSetup {
  emu: Emulator;
  sb: Sandbox;
  /** Lines `<url> <redirect location>` the stand-in browser was asked to open. */
  browserLog(): Promise<string[]>;
  cleanup(): Promise<void>;
}

/**
 * Starts an emulator (page size 1 unless given, so name lookups paginate) and a sandbox with
 * `AWS_ENDPOINT_URL_SSO`, `_SSO_OIDC`, `_SIGNIN` and `_STS` pointing at it and a stand-in
 * `xdg-open` first on PATH.
 */
export async function setUpSso(
  options: SsoOptions = {},
  yaml = SSO_YAML,
): Promise<SsoSetup> {
  const emu = await startEmulator({ sso: { accounts: ACCOUNTS, pageSize: 1, ...options } });
  const sb = await createSandbox(yaml, { endpoint: emu.url, env: emu.ssoEnv() });
  const bin = join(sb.home, "bin");
  await Deno.mkdir(bin);
  const log = join(sb.home, "browser.log");
  await Deno.writeTextFile(join(bin, "xdg-open"), fakeBrowser(log), { mode: 0o755 });
  sb.env.PATH = `${bin}:${sb.env.PATH}`;
  return {
    emu,
    sb,
    browserLog: async () =>
      (await Deno.readTextFile(log).catch(() => "")).split("\n").filter((l) => l !== ""),
    cleanup: async () => {
      await sb.cleanup();
      await emu.stop();
    },
  };
}

/** A stand-in browser: fetches the URL without following redirects and logs it. */
function fakeBrowser(log: string): string {
  return `#!/usr/bin/python3
import sys, urllib.request, urllib.error
class Keep(urllib.request.HTTPRedirectHandler):
    def redirect_request(self, *args, **kwargs):
        return None
location = ""
try:
    urllib.request.build_opener(Keep).open(sys.argv[1], timeout=5)
except urllib.error.HTTPError as error:
    location = error.headers.get("location") or ""
except Exception:
    pass
with open(${JSON.stringify(log)}, "a") as out:
    out.write(sys.argv[1] + " " + location + "\\n")
`;
}

/** Polls `probe` every 50 ms until it returns a value (fails after `timeoutMs`). */
export async function waitFor<T>(
  probe: () => T | undefined,
  what: string,
  timeoutMs = 60_000,
  refresh?: () => Promise<void>,
): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    await refresh?.();
    const value = probe();
    if (value !== undefined) return value;
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
  throw new Error(`timed out waiting for ${what}`);
}

/**
 * Runs atmos (without a terminal, `ATMOS_FORCE_TTY=true` unless overridden), waits for its
 * device authorization, approves it in the emulator and returns the run with the user code.
 */
export async function runApproved(
  setup: SsoSetup,
  args: string[],
  env: Record<string, string> = { ATMOS_FORCE_TTY: "true" },
): Promise<RunResult & { userCode: string }> {
  const running = setup.sb.run(args, { env });
  const userCode = await waitFor(() => setup.emu.ssoPending()[0], "a device authorization");
  setup.emu.ssoApprove(userCode);
  return { ...await running, userCode };
}

/** The token cache file of the test portal. */
export async function ssoCacheFile(sb: Sandbox, region = "eu-west-1"): Promise<string> {
  const digest = await crypto.subtle.digest(
    "SHA-1",
    new TextEncoder().encode(`${START_URL}|${region}`),
  );
  const hex = Array.from(new Uint8Array(digest), (b) => b.toString(16).padStart(2, "0")).join("");
  return join(sb.configDir, "aws-sso", "sessions", `${hex}.json`);
}

/**
 * Marks the cached access token expired (file and emulator) and removes the role session of
 * `identity`, so the next run must get a new token.
 */
export async function expireToken(setup: SsoSetup, identity = "dev"): Promise<string> {
  const path = await ssoCacheFile(setup.sb);
  const cache = JSON.parse(await Deno.readTextFile(path));
  cache.expiresAt = new Date(Date.now() - 60_000).toISOString().replace(/\.\d+Z$/, "Z");
  await Deno.writeTextFile(path, JSON.stringify(cache));
  setup.emu.ssoExpireAccessTokens();
  const logout = await setup.sb.run(["auth", "logout", identity]);
  if (logout.code !== 0) throw new Error(`logout failed: ${logout.stderr}`);
  setup.emu.resetCalls();
  return cache.refreshToken;
}
