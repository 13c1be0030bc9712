/**
 * What an authenticated child inherits: no variable that carries credentials or chooses where a
 * client gets them, so a leftover in the parent cannot make the child another identity.
 */
import assert from "node:assert/strict";
import { startEmulator } from "../emulator/mod.ts";
import { assertNoSecrets, createSandbox, DUMP_CHILD } from "./harness.ts";
import { boto3CallerArn } from "./auth_support.ts";
import { CREDENTIAL_VARIABLES } from "../../lib/aws/variables.ts";

const YAML = `
auth:
  identities:
    base:
      kind: aws/user
      credentials:
        access_key_id: !env BASE_AK
        secret_access_key: !env BASE_SK
    dev:
      kind: aws/assume-role
      via: { identity: base }
      principal:
        assume_role: arn:aws:iam::444455556666:role/Developer
        session_name: dev
    audit:
      kind: aws/assume-role
      via: { identity: base }
      principal:
        assume_role: arn:aws:iam::111122223333:role/Audit
        session_name: audit
`;

Deno.test("a profile or credential source left in the parent never reaches an authenticated child", async () => {
  const emu = await startEmulator();
  const keys = emu.createUser({ name: "alice" });
  const sb = await createSandbox(YAML, {
    endpoint: emu.url,
    env: { BASE_AK: keys.accessKeyId, BASE_SK: keys.secretAccessKey },
  });
  try {
    for (const name of ["dev", "audit"]) {
      const login = await sb.run(["auth", "login", name]);
      assert.equal(login.code, 0, login.stderr);
    }
    // Each of these would make an SDK pick other credentials: botocore 1.29 (Debian's) reads
    // AWS_DEFAULT_PROFILE before AWS_PROFILE; the container variables point at a credential
    // endpoint that would win over the profile in other SDKs.
    const leftovers: Record<string, string> = {
      AWS_DEFAULT_PROFILE: "dev",
      AWS_CONTAINER_CREDENTIALS_FULL_URI: "http://127.0.0.1:9/creds",
      AWS_CONTAINER_CREDENTIALS_RELATIVE_URI: "/v2/credentials/x",
      AWS_CONTAINER_AUTHORIZATION_TOKEN: "container-token-value",
      AWS_CONTAINER_AUTHORIZATION_TOKEN_FILE: "/nonexistent/token",
      AWS_CREDENTIAL_EXPIRATION: "2099-01-01T00:00:00Z",
      AWS_ACCESS_KEY: "AKIALEFTOVER0000001",
      AWS_SECRET_KEY: "leftover-secret-key-value",
      AWS_WEB_IDENTITY_TOKEN_FILE: "/nonexistent/jwt",
      AWS_ROLE_ARN: "arn:aws:iam::444455556666:role/Developer",
    };
    const exec = await sb.run(["auth", "exec", "-i", "audit", "--", ...boto3CallerArn(emu.url)], {
      env: leftovers,
    });
    assert.equal(exec.code, 0, exec.stderr);
    assert.equal(exec.stdout.trim(), "arn:aws:sts::111122223333:assumed-role/Audit/audit");

    const dump = await sb.run(["auth", "exec", "-i", "audit", "--", ...DUMP_CHILD], {
      env: leftovers,
    });
    assert.equal(dump.code, 0, dump.stderr);
    const env: Record<string, string> = JSON.parse(dump.stdout).env;
    for (const name of CREDENTIAL_VARIABLES) {
      const own = ["AWS_PROFILE", "AWS_SHARED_CREDENTIALS_FILE", "AWS_CONFIG_FILE"];
      if (own.includes(name)) continue;
      assert.equal(env[name], undefined, `${name} reached the child`);
    }
    assert.equal(env.AWS_PROFILE, "audit");
    assertNoSecrets([...emu.secrets(), "container-token-value"], {
      stdout: exec.stdout + dump.stdout,
      stderr: exec.stderr + dump.stderr,
    });
  } finally {
    await sb.cleanup();
    await emu.stop();
  }
});
