/**
 * End-to-end tests of the encrypted file credential store: `auth user configure` from stdin,
 * login through the stored keys, the files on disk, a wrong password, and missing keys.
 */
import { join } from "node:path";
import assert from "node:assert/strict";
import { startEmulator } from "../emulator/mod.ts";
import { assertNoSecrets, createSandbox } from "./harness.ts";
import { assertOneLineError, awsUserFiles, boto3CallerArn, modeOf } from "./auth_support.ts";

const PASSWORD = "correct horse battery staple";

/** base (aws/user, keys only in the store) → prod-admin. */
const YAML = `
auth:
  identities:
    base:
      kind: aws/user
      credentials:
        region: us-west-2
    prod-admin:
      kind: aws/assume-role
      default: true
      via: { identity: base }
      principal:
        assume_role: arn:aws:iam::111122223333:role/ProductionAdmin
        session_name: atmos-prod
`;

Deno.test("keys stored with auth user configure in the encrypted file store sign the chain", async () => {
  const emu = await startEmulator();
  const keys = emu.createUser({ name: "alice" });
  const sb = await createSandbox(YAML, {
    endpoint: emu.url,
    env: { ATMOS_KEYRING_TYPE: "file", ATMOS_KEYRING_PASSWORD: PASSWORD },
  });
  try {
    const configure = await sb.run(["auth", "user", "configure", "base"], {
      stdin: `${keys.accessKeyId}\n${keys.secretAccessKey}\n`,
    });
    assert.equal(configure.code, 0, configure.stderr);
    assert.match(configure.stderr, /file credential store/);
    assert.equal(emu.calls(), 0);

    const keyring = join(sb.configDir, "keyring");
    assert.equal(await modeOf(keyring), 0o700);
    const entries = [...Deno.readDirSync(keyring)].map((e) => join(keyring, e.name));
    assert.equal(entries.length, 1, entries.join(", "));
    for (const entry of entries) {
      assert.equal(await modeOf(entry), 0o600);
      const text = await Deno.readTextFile(entry);
      for (const clear of [keys.secretAccessKey, keys.accessKeyId]) {
        assert.ok(!text.includes(clear), "a key is stored in clear");
        assert.ok(!text.includes(btoa(clear)), "a key is stored base64-encoded");
      }
    }

    const exec = await sb.run(["auth", "exec", "--", ...boto3CallerArn(emu.url)]);
    assert.equal(exec.code, 0, exec.stderr);
    assert.equal(
      exec.stdout.trim(),
      "arn:aws:sts::111122223333:assumed-role/ProductionAdmin/atmos-prod",
    );
    assert.equal(emu.calls("GetSessionToken"), 1);
    assert.equal(emu.calls("AssumeRole"), 1);
    assert.ok(
      !(await Deno.readTextFile(awsUserFiles(sb).credentials)).includes(keys.secretAccessKey),
    );

    // A wrong password: one line, exit 1, no call, no secret. A valid cache needs no password.
    const [wrong, cached] = await Promise.all([
      sb.run(["auth", "login", "prod-admin", "--force"], {
        env: { ATMOS_KEYRING_PASSWORD: "not the right password" },
      }),
      sb.run(["auth", "login", "prod-admin"], {
        env: { ATMOS_KEYRING_PASSWORD: "not the right password" },
      }),
    ]);
    assertOneLineError(wrong, 1, /decrypt.*wrong password/);
    assert.equal(cached.code, 0, cached.stderr);
    assert.equal(emu.calls("GetSessionToken"), 1);

    assertNoSecrets([...emu.secrets(), PASSWORD], {
      stdout: [configure, wrong, cached].map((r) => r.stdout).join("") + exec.stdout,
      stderr: [configure, exec, wrong, cached].map((r) => r.stderr).join(""),
    });
  } finally {
    await sb.cleanup();
    await emu.stop();
  }
});

Deno.test("an aws/user with neither inline nor stored keys is a usage error naming auth user configure", async () => {
  const emu = await startEmulator();
  const sb = await createSandbox(YAML, { endpoint: emu.url });
  try {
    const [plain, fileStore, badStdin] = await Promise.all([
      sb.run(["auth", "login", "prod-admin"]),
      sb.run(["auth", "login", "prod-admin"], {
        env: { ATMOS_KEYRING_TYPE: "file", ATMOS_KEYRING_PASSWORD: PASSWORD },
      }),
      sb.run(["auth", "user", "configure", "base"], {
        env: { ATMOS_KEYRING_TYPE: "file", ATMOS_KEYRING_PASSWORD: PASSWORD },
        stdin: "not-a-key\n",
      }),
    ]);
    assertOneLineError(
      plain,
      2,
      /No long-lived access keys.*"base".*atmos auth user configure base/,
    );
    assertOneLineError(fileStore, 2, /No long-lived access keys.*atmos auth user configure base/);
    assertOneLineError(badStdin, 2, /access key id/);
    assert.equal(emu.calls(), 0);
    assert.equal(await Deno.stat(join(sb.configDir, "keyring")).catch(() => undefined), undefined);
  } finally {
    await sb.cleanup();
    await emu.stop();
  }
});
