/**
 * End-to-end tests of the interactive paths on a real pseudo-terminal (util-linux `script`):
 * the identity picker and the MFA code prompt. Keys are typed into the terminal once the prompt
 * is on the screen.
 */
import assert from "node:assert/strict";
import { startEmulator, totp } from "../emulator/mod.ts";
import { assertNoSecrets, createSandbox } from "./harness.ts";
import { runOnTty } from "./tty.ts";

Deno.test("bare --identity on a terminal shows a picker and uses the chosen identity", async () => {
  const sb = await createSandbox(`
auth:
  identities:
    alpha: { kind: ambient }
    beta: { kind: ambient }
`);
  try {
    const run = runOnTty(sb, ["auth", "env", "--identity", "--format", "json"]);
    await run.waitForScreen(/Choose an identity/);
    await run.type("\x1b[B"); // arrow down: beta
    await run.type("\r");
    const { code, screen } = await run.done();
    assert.equal(code, 0, screen);
    assert.match(screen, /Choose an identity/);
    assert.match(screen, /"ATMOS_IDENTITY": "beta"/);
  } finally {
    await sb.cleanup();
  }
});

Deno.test("aws/user with mfa_arn asks for the code on a terminal and logs in", async () => {
  const secret = "JBSWY3DPEHPK3PXPJBSWY3DPEHPK3PXP";
  const emu = await startEmulator();
  const keys = emu.createUser({ name: "carol", mfaSecret: secret });
  const sb = await createSandbox(
    `
auth:
  identities:
    carol:
      kind: aws/user
      default: true
      credentials:
        access_key_id: !env AK
        secret_access_key: !env SK
        mfa_arn: arn:aws:iam::123456789012:mfa/carol
`,
    { endpoint: emu.url, env: { AK: keys.accessKeyId, SK: keys.secretAccessKey } },
  );
  try {
    const code = await totp(secret);
    const tty = runOnTty(sb, ["auth", "login"]);
    await tty.waitForScreen(/MFA code/);
    await tty.type(`${code}\r`);
    const run = await tty.done();
    assert.equal(run.code, 0, run.screen);
    assert.match(run.screen, /MFA code for arn:aws:iam::123456789012:mfa\/carol/);
    assert.match(run.screen, /Authentication successful/);
    assert.equal(emu.calls("GetSessionToken"), 1);
    assertNoSecrets(emu.secrets(), { screen: run.screen });
  } finally {
    await sb.cleanup();
    await emu.stop();
  }
});
