import assert from "node:assert/strict";
import { join } from "node:path";
import { startEmulator } from "../emulator/mod.ts";
import { assertNoSecrets, createSandbox, DUMP_CHILD } from "./harness.ts";
import { awsUserFiles, modeOf } from "./auth_support.ts";

const YAML = `
auth:
  identities:
    base:
      kind: aws/user
    prod-admin:
      kind: aws/assume-role
      default: true
      via: { identity: base }
      principal:
        assume_role: arn:aws:iam::111122223333:role/ProductionAdmin
        session_name: hardening
`;

Deno.test("auth exec keeps the credential-store password from the child and tightens open dirs", async () => {
  const emu = await startEmulator();
  const keys = emu.createUser({ name: "alice" });
  const password = "correct-horse-battery-staple";
  const sb = await createSandbox(YAML, {
    endpoint: emu.url,
    env: { ATMOS_KEYRING_TYPE: "file", ATMOS_KEYRING_PASSWORD: password, UNRELATED_COPY: password },
  });
  try {
    // A user-created config dir that others can read is made private before anything goes in.
    await Deno.mkdir(join(sb.configDir, "aws"), { recursive: true, mode: 0o755 });
    await Deno.chmod(sb.configDir, 0o755);
    await Deno.chmod(join(sb.configDir, "aws"), 0o755);
    const configure = await sb.run(["auth", "user", "configure", "base"], {
      stdin: `${keys.accessKeyId}\n${keys.secretAccessKey}\n`,
    });
    assert.equal(configure.code, 0, configure.stderr);
    const dump = await sb.run(["auth", "exec", "--", ...DUMP_CHILD]);
    assert.equal(dump.code, 0, dump.stderr);
    const child = JSON.parse(dump.stdout);
    assert.equal(child.env.ATMOS_KEYRING_PASSWORD, undefined);
    assert.equal(child.env.UNRELATED_COPY, undefined, "a copy of the password under another name");
    assert.equal(child.env.AWS_PROFILE, "prod-admin");
    assert.equal(await modeOf(sb.configDir), 0o700);
    assert.equal(await modeOf(join(sb.configDir, "aws")), 0o700);
    assertNoSecrets([...emu.secrets(), password], {
      "child env": JSON.stringify(child.env),
      stdout: configure.stdout,
      stderr: configure.stderr + dump.stderr,
    });
    // With authentication disabled the parent environment is passed through untouched.
    const off = await sb.run(["auth", "exec", "--identity=off", "--", ...DUMP_CHILD]);
    assert.equal(JSON.parse(off.stdout).env.ATMOS_KEYRING_PASSWORD, password);
  } finally {
    await sb.cleanup();
    await emu.stop();
  }
});

Deno.test("a cached section without an atmos expiration comment is not trusted", async () => {
  const emu = await startEmulator();
  const keys = emu.createUser({ name: "bob" });
  const sb = await createSandbox(
    YAML.replace(
      "kind: aws/user\n",
      "kind: aws/user\n      credentials: { access_key_id: !env AK, secret_access_key: !env SK }\n",
    ),
    { endpoint: emu.url, env: { AK: keys.accessKeyId, SK: keys.secretAccessKey } },
  );
  try {
    const login = await sb.run(["auth", "login"]);
    assert.equal(login.code, 0, login.stderr);
    const files = awsUserFiles(sb);
    const text = await Deno.readTextFile(files.credentials);
    await Deno.writeTextFile(files.credentials, text.replace(/^; atmos: expiration=.*\n/gm, ""));
    emu.resetCalls();
    const again = await sb.run(["auth", "exec", "--", "true"]);
    assert.equal(again.code, 0, again.stderr);
    assert.equal(emu.calls("GetSessionToken"), 1);
    assert.equal(emu.calls("AssumeRole"), 1);
  } finally {
    await sb.cleanup();
    await emu.stop();
  }
});
