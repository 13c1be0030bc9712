/**
 * End-to-end tests of the interactive paths on a real pseudo-terminal (util-linux `script`):
 * the identity picker and the MFA code prompt. Keys are typed into the terminal after the
 * prompt has had time to appear.
 */
import assert from "node:assert/strict";
import { startEmulator, totp } from "../emulator/mod.ts";
import { assertNoSecrets, createSandbox, MAIN, productionFlags, type Sandbox } from "./harness.ts";

const SCRIPT = "/usr/bin/script";

/** Runs atmos on a pseudo-terminal, typing `keys` (each after a pause), and returns the screen. */
async function runOnTty(
  sb: Sandbox,
  args: string[],
  keys: string[],
  env: Record<string, string> = {},
): Promise<{ code: number; screen: string }> {
  const command = [Deno.execPath(), "run", ...productionFlags(), MAIN, ...args]
    .map((word) => `'${word.replaceAll("'", "'\\''")}'`).join(" ");
  const child = new Deno.Command(SCRIPT, {
    args: ["-qec", command, "/dev/null"],
    cwd: sb.project,
    env: { ...sb.env, TERM: "xterm", ...env },
    clearEnv: true,
    stdin: "piped",
    stdout: "piped",
    stderr: "piped",
  }).spawn();
  const writer = child.stdin.getWriter();
  for (const key of keys) {
    await new Promise((resolve) => setTimeout(resolve, 1500));
    await writer.write(new TextEncoder().encode(key));
  }
  const output = child.output();
  await new Promise((resolve) => setTimeout(resolve, 500));
  await writer.close().catch(() => {});
  const out = await output;
  return { code: out.code, screen: new TextDecoder().decode(out.stdout) };
}

Deno.test("bare --identity on a terminal shows a picker and uses the chosen identity", async () => {
  const sb = await createSandbox(`
auth:
  identities:
    alpha: { kind: ambient }
    beta: { kind: ambient }
`);
  try {
    const { code, screen } = await runOnTty(sb, ["auth", "env", "--identity", "--format", "json"], [
      "\x1b[B", // arrow down: beta
      "\r",
    ]);
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
    const run = await runOnTty(sb, ["auth", "login"], [`${code}\r`]);
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
