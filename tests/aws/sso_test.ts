import assert from "node:assert/strict";
import { startEmulator } from "../emulator/mod.ts";
import type { Emulator, SsoOptions } from "../emulator/mod.ts";
import {
  allPages,
  createTokenWithDeviceCode,
  createTokenWithRefreshToken,
  getRoleCredentials,
  listAccountRoles,
  listAccounts,
  logout,
  registerClient,
  SsoError,
  type SsoTarget,
  startDeviceAuthorization,
} from "../../lib/aws/sso.ts";

const ACCOUNTS = [
  { accountId: "111111111111", accountName: "Production", roles: ["Admin", "ReadOnly", "Billing"] },
  { accountId: "222222222222", accountName: "Development", roles: ["Admin"] },
];

/** The emulator's clock, which a test moves forward instead of waiting. */
const clock = { offsetMs: 0, now: () => Date.now() + clock.offsetMs };

async function withEmulator(
  options: SsoOptions,
  fn: (emu: Emulator, target: SsoTarget) => Promise<void>,
): Promise<void> {
  const emu = await startEmulator({ sso: { accounts: ACCOUNTS, ...options }, now: clock.now });
  try {
    await fn(emu, { endpoint: emu.url, sleep: () => Promise.resolve() });
  } finally {
    await emu.stop();
  }
}

/** Registers, starts and approves a device flow, and returns its token. */
async function signIn(emu: Emulator, target: SsoTarget) {
  const client = await registerClient(target, "atmos-auth");
  const auth = await startDeviceAuthorization(target, client, "https://acme.awsapps.com/start");
  emu.ssoApprove(auth.userCode);
  return { client, token: await createTokenWithDeviceCode(target, client, auth.deviceCode) };
}

Deno.test("the SSO OIDC client runs a device flow and reports a pending authorization by its AWS name", async () => {
  await withEmulator({}, async (emu, target) => {
    const client = await registerClient(target, "atmos-auth");
    assert.ok(client.expiresAt.getTime() > Date.now() + 80 * 86400_000);
    const auth = await startDeviceAuthorization(target, client, "https://acme.awsapps.com/start");
    assert.equal(auth.interval, 1);
    assert.equal(auth.verificationUriComplete, `${emu.url}/device?user_code=${auth.userCode}`);
    await assert.rejects(
      createTokenWithDeviceCode(target, client, auth.deviceCode),
      (error: SsoError) => error.code === "AuthorizationPendingException" && error.status === 400,
    );
    emu.ssoApprove(auth.userCode);
    clock.offsetMs += auth.interval * 1000; // the next poll is one interval later
    const token = await createTokenWithDeviceCode(target, client, auth.deviceCode);
    assert.equal(token.expiresIn, 8 * 3600);
    assert.ok(token.refreshToken);
  });
});

Deno.test("SSO client results redact their secrets when printed or serialised", async () => {
  await withEmulator({}, async (emu, target) => {
    const { client, token } = await signIn(emu, target);
    const creds = await getRoleCredentials(target, token.accessToken, "222222222222", "Admin");
    const shown = JSON.stringify([client, token, creds]) + Deno.inspect([client, token, creds]);
    for (const secret of emu.secrets()) assert.ok(!shown.includes(secret), "a secret is shown");
    assert.match(shown, /\[redacted\]/);
    assert.match(shown, new RegExp(client.clientId));
  });
});

Deno.test("a refresh returns a new access token and rotates the refresh token", async () => {
  await withEmulator({}, async (emu, target) => {
    const { client, token } = await signIn(emu, target);
    const next = await createTokenWithRefreshToken(target, client, token.refreshToken!);
    assert.notEqual(next.accessToken, token.accessToken);
    assert.notEqual(next.refreshToken, token.refreshToken);
    await assert.rejects(
      createTokenWithRefreshToken(target, client, token.refreshToken!),
      (error: SsoError) => error.code === "InvalidGrantException",
    );
    assert.equal(emu.calls("sso-oidc.CreateToken.refresh_token"), 2);
  });
});

Deno.test("portal lists are read page by page and throttled calls are retried after a backoff", async () => {
  const waits: number[] = [];
  await withEmulator({ pageSize: 1, throttle: { ListAccountRoles: 2 } }, async (emu, target) => {
    const { token } = await signIn(emu, target);
    const accounts = await allPages((next) => listAccounts(target, token.accessToken, next));
    assert.deepEqual(accounts.map((a) => a.accountName), ["Production", "Development"]);
    const roles = await allPages((next) =>
      listAccountRoles(
        { ...target, sleep: (ms) => (waits.push(ms), Promise.resolve()) },
        token.accessToken,
        "111111111111",
        next,
      )
    );
    assert.deepEqual(roles, ["Admin", "ReadOnly", "Billing"]);
    assert.equal(waits.length, 2);
    assert.ok(waits.every((ms) => ms >= 0 && ms <= 2_000), `${waits}`);
    assert.equal(emu.calls("sso.ListAccountRoles"), 2 + 3);
  });
});

Deno.test("a throttled call that keeps failing ends with TooManyRequestsException", async () => {
  await withEmulator({ throttle: { ListAccounts: 10 } }, async (emu, target) => {
    const { token } = await signIn(emu, target);
    await assert.rejects(
      listAccounts({ ...target, retries: 2 }, token.accessToken),
      (error: SsoError) => error.code === "TooManyRequestsException" && error.status === 429,
    );
    assert.equal(emu.calls("sso.ListAccounts"), 3);
  });
});

Deno.test("GetRoleCredentials returns session keys with their expiry; Logout ends the token", async () => {
  await withEmulator({ roleCredentialLifetime: 900 }, async (emu, target) => {
    const { token } = await signIn(emu, target);
    const creds = await getRoleCredentials(target, token.accessToken, "111111111111", "ReadOnly");
    assert.match(creds.accessKeyId, /^ASIA/);
    assert.ok(creds.sessionToken);
    const left = creds.expiration!.getTime() - Date.now();
    assert.ok(left > 800_000 && left <= 900_000, `${left}`);
    await assert.rejects(
      getRoleCredentials(target, token.accessToken, "222222222222", "ReadOnly"),
      (error: SsoError) => error.code === "ForbiddenException" && error.status === 403,
    );
    await logout(target, token.accessToken);
    await assert.rejects(
      listAccounts(target, token.accessToken),
      (error: SsoError) => error.code === "UnauthorizedException" && error.status === 401,
    );
  });
});

Deno.test("an unreachable endpoint is one clear error naming the origin", async () => {
  await assert.rejects(
    listAccounts({ endpoint: "http://127.0.0.1:9", timeoutMs: 2000 }, "token"),
    /Cannot reach IAM Identity Center at http:\/\/127\.0\.0\.1:9 for ListAccounts/,
  );
});
