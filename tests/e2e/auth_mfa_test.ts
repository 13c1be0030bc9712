/**
 * End-to-end tests of aws/user with an MFA device: the code from --mfa-token or
 * ATMOS_MFA_TOKEN, the error without a terminal, and a wrong code.
 */
import assert from "node:assert/strict";
import { startEmulator, totp } from "../emulator/mod.ts";
import { assertNoSecrets, createSandbox } from "./harness.ts";
import { assertOneLineError, boto3CallerArn } from "./auth_support.ts";

const MFA_SECRET = "JBSWY3DPEHPK3PXPJBSWY3DPEHPK3PXP";
const MFA_ARN = "arn:aws:iam::123456789012:mfa/bob";

const YAML = `
auth:
  identities:
    bob:
      kind: aws/user
      credentials:
        access_key_id: !env BOB_AK
        secret_access_key: !env BOB_SK
        mfa_arn: ${MFA_ARN}
    admin:
      kind: aws/assume-role
      via: { identity: bob }
      principal:
        assume_role: arn:aws:iam::111122223333:role/Admin
        session_name: atmos-admin
`;

/** A 6-digit code the emulator rejects: none of the codes valid around now. */
async function wrongCode(): Promise<string> {
  const now = Date.now();
  const valid = await Promise.all([-30_000, 0, 30_000].map((d) => totp(MFA_SECRET, now + d)));
  for (let minutes = 10;; minutes++) {
    const code = await totp(MFA_SECRET, now + minutes * 60_000);
    if (!valid.includes(code)) return code;
  }
}

Deno.test("aws/user with mfa_arn logs in with --mfa-token or ATMOS_MFA_TOKEN and refuses to guess", async () => {
  const emu = await startEmulator();
  const keys = emu.createUser({ name: "bob", mfaSecret: MFA_SECRET });
  const sb = await createSandbox(YAML, {
    endpoint: emu.url,
    env: { BOB_AK: keys.accessKeyId, BOB_SK: keys.secretAccessKey },
  });
  try {
    // No code and no terminal: a usage error before any network call.
    const missing = await sb.run(["auth", "login", "admin"]);
    assertOneLineError(missing, 2, /MFA code.*--mfa-token/);
    assert.equal(emu.calls(), 0);

    const bad = await wrongCode();
    const wrong = await sb.run(["auth", "login", "admin", "--mfa-token", bad]);
    assertOneLineError(wrong, 1, /bob.*MultiFactorAuthentication failed/);
    assert.equal(emu.calls("AssumeRole"), 0);

    const malformed = await sb.run(["auth", "login", "admin", "--mfa-token", "12ab56"]);
    assertOneLineError(malformed, 2, /6 digits/);

    const flag = await sb.run(["auth", "login", "admin", "--mfa-token", await totp(MFA_SECRET)]);
    assert.equal(flag.code, 0, flag.stderr);
    assert.equal(emu.calls("AssumeRole"), 1);

    // The cached session needs no code.
    emu.resetCalls();
    const warm = await sb.run(["auth", "exec", "-i", "admin", "--", ...boto3CallerArn(emu.url)]);
    assert.equal(warm.code, 0, warm.stderr);
    assert.equal(warm.stdout.trim(), "arn:aws:sts::111122223333:assumed-role/Admin/atmos-admin");
    assert.equal(emu.calls("GetSessionToken") + emu.calls("AssumeRole"), 0);

    const fromEnv = await sb.run(["auth", "login", "bob", "--force"], {
      env: { ATMOS_MFA_TOKEN: await totp(MFA_SECRET) },
    });
    assert.equal(fromEnv.code, 0, fromEnv.stderr);
    assert.equal(emu.calls("GetSessionToken"), 1);

    assertNoSecrets([...emu.secrets(), MFA_SECRET], {
      stdout: [missing, wrong, malformed, flag, fromEnv].map((r) => r.stdout).join(""),
      stderr: [missing, wrong, malformed, flag, warm, fromEnv].map((r) => r.stderr).join(""),
    });
  } finally {
    await sb.cleanup();
    await emu.stop();
  }
});
