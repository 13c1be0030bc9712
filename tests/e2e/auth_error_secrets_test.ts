/**
 * No secret in the error text of any STS call: AssumeRoleWithWebIdentity (whose request body
 * holds the GitHub OIDC JWT), AssumeRole (signed with session keys) and GetSessionToken with an
 * MFA code are made to fail — refused by the emulator, by an injected fault, and after retries —
 * and stderr is scanned at the default log level and at `ATMOS_LOGS_LEVEL=Debug` for every
 * secret the emulator issued, the long-lived keys, the MFA code and the request bodies.
 */
import assert from "node:assert/strict";
import { startEmulator, totp } from "../emulator/mod.ts";
import type { Emulator } from "../emulator/mod.ts";
import { assertNoSecrets, createSandbox, type RunResult, type Sandbox } from "./harness.ts";

const LEVELS = ["Info", "Debug"];

/** Fails when stderr holds a secret, a request body parameter, or `also` (e.g. an MFA code). */
function assertClean(emu: Emulator, runs: RunResult[], also: string[] = []): void {
  const stderr = runs.map((r) => r.stderr).join("\n");
  assertNoSecrets(emu.secrets(), { stderr, stdout: runs.map((r) => r.stdout).join("") });
  for (const value of also) {
    assert.doesNotMatch(stderr, new RegExp(`(^|\\D)${value}(\\D|$)`), "a secret value in stderr");
  }
  assert.doesNotMatch(stderr, /WebIdentityToken=|TokenCode=|SecretAccessKey|X-Amz-Security-Token/i);
  assert.doesNotMatch(stderr, /eyJ[\w-]+\.[\w-]+/, "something shaped like a JWT");
}

/** Runs `args` at each log level; every run must fail with exit 1 and one `error:` line. */
async function failing(sb: Sandbox, args: string[], env: Record<string, string> = {}) {
  const runs: RunResult[] = [];
  for (const level of LEVELS) {
    const run = await sb.run(args, { env: { ...env, ATMOS_LOGS_LEVEL: level } });
    assert.equal(run.code, 1, run.stderr);
    assert.equal(run.stderr.split("\n").filter((l) => l.startsWith("error: ")).length, 1);
    runs.push(run);
  }
  assert.match(runs[1].stderr, /^DEBU /m, "the debug run logged");
  return runs;
}

Deno.test("a failed AssumeRoleWithWebIdentity never shows the OIDC JWT, at any log level", async () => {
  const emu = await startEmulator();
  const sb = await createSandbox(
    `auth:
  providers:
    gha: { kind: github/oidc }
  identities:
    deploy:
      kind: aws/assume-role
      default: true
      via: { provider: gha }
      principal: { assume_role: arn:aws:iam::777788889999:role/Deploy }
`,
    { endpoint: emu.url, env: emu.githubActionsEnv() },
  );
  try {
    emu.fail({
      call: "AssumeRoleWithWebIdentity",
      status: 400,
      code: "ExpiredTokenException",
      message: "Token is expired",
      times: LEVELS.length,
    });
    const expired = await failing(sb, ["auth", "login"]);
    assert.match(expired[0].stderr, /ExpiredTokenException: Token is expired/);
    emu.fail({
      call: "AssumeRoleWithWebIdentity",
      status: 403,
      code: "AccessDenied",
      message: "Not authorized to perform sts:AssumeRoleWithWebIdentity",
      times: LEVELS.length,
    });
    const badRole = await failing(sb, ["auth", "login"]);
    assert.match(badRole[0].stderr, /AccessDenied: Not authorized/);
    emu.fail({ call: "AssumeRoleWithWebIdentity", status: 500, times: 3 * LEVELS.length });
    const retried = await failing(sb, ["auth", "login"]);
    assert.match(retried[1].stderr, /DEBU STS AssumeRoleWithWebIdentity: attempt 2 of 3 failed/);
    assert.ok(emu.calls("oidc.token") >= 6, "JWTs were issued and sent");
    assertClean(emu, [...expired, ...badRole, ...retried]);
  } finally {
    await sb.cleanup();
    await emu.stop();
  }
});

Deno.test("a failed AssumeRole and a wrong MFA code never show keys, session tokens or the code", async () => {
  const emu = await startEmulator();
  const secret = "JBSWY3DPEHPK3PXPJBSWY3DPEHPK3PXP";
  const keys = emu.createUser({ name: "bob", mfaSecret: secret });
  const sb = await createSandbox(
    `auth:
  identities:
    bob:
      kind: aws/user
      credentials:
        access_key_id: !env BOB_AK
        secret_access_key: !env BOB_SK
        mfa_arn: arn:aws:iam::123456789012:mfa/bob
    admin:
      kind: aws/assume-role
      default: true
      via: { identity: bob }
      principal: { assume_role: arn:aws:iam::111122223333:role/Admin }
`,
    { endpoint: emu.url, env: { BOB_AK: keys.accessKeyId, BOB_SK: keys.secretAccessKey } },
  );
  try {
    // A wrong code: refused by the emulator's TOTP check.
    const now = Date.now();
    const valid = await Promise.all([-30_000, 0, 30_000].map((d) => totp(secret, now + d)));
    let wrong = "";
    for (let minutes = 10; wrong === "" || valid.includes(wrong); minutes++) {
      wrong = await totp(secret, now + minutes * 60_000);
    }
    const mfa = await failing(sb, ["auth", "login", "bob", "--mfa-token", wrong]);
    assert.match(mfa[0].stderr, /MultiFactorAuthentication failed/);
    const fromEnv = await failing(sb, ["auth", "login", "bob"], { ATMOS_MFA_TOKEN: wrong });

    // AssumeRole after a good code: refused by an injected fault, then by server errors.
    const good = await sb.run(["auth", "login", "bob", "--mfa-token", await totp(secret)]);
    assert.equal(good.code, 0, good.stderr);
    emu.fail({
      call: "AssumeRole",
      status: 403,
      code: "AccessDenied",
      message: "not authorized to perform sts:AssumeRole",
      times: LEVELS.length,
    });
    const denied = await failing(sb, ["auth", "login", "admin"]);
    emu.fail({ call: "AssumeRole", status: 503, times: 3 * LEVELS.length });
    const unavailable = await failing(sb, ["auth", "login", "admin"]);
    assert.match(unavailable[1].stderr, /DEBU STS AssumeRole: attempt 1 of 3 failed/);
    assertClean(emu, [...mfa, ...fromEnv, good, ...denied, ...unavailable], [wrong]);
    assertNoSecrets([keys.secretAccessKey, secret], {
      stderr: [...mfa, ...denied, ...unavailable].map((r) => r.stderr).join(""),
    });
  } finally {
    await sb.cleanup();
    await emu.stop();
  }
});
