/**
 * STS and IAM Identity Center faults end to end: throttling, server errors and dropped
 * connections are retried like the AWS SDKs' standard mode (3 attempts) and a login survives
 * them (checked with boto3 reading the files); refusals are not retried; a fault that persists is
 * one line with exit 1 that keeps AWS's code and message; an SSO refresh that meets server errors
 * fails without starting a device flow.
 */
import assert from "node:assert/strict";
import { startEmulator } from "../emulator/mod.ts";
import type { Emulator } from "../emulator/mod.ts";
import { assertNoSecrets, createSandbox, type Sandbox } from "./harness.ts";
import { assertOneLineError, boto3CallerArn } from "./auth_support.ts";
import { expireToken, runApproved, setUpSso, ssoCacheFile } from "./sso_support.ts";

const YAML = `auth:
  identities:
    base:
      kind: aws/user
      credentials:
        access_key_id: !env BASE_AK
        secret_access_key: !env BASE_SK
    admin:
      kind: aws/assume-role
      default: true
      via: { identity: base }
      principal:
        assume_role: arn:aws:iam::111122223333:role/Admin
        session_name: faults
`;

const ADMIN_ARN = "arn:aws:sts::111122223333:assumed-role/Admin/faults";

async function withChain(
  body: (sb: Sandbox, emu: Emulator) => Promise<void>,
  endpoint: (emu: Emulator) => string = (emu) => emu.url,
): Promise<void> {
  const emu = await startEmulator();
  const keys = emu.createUser({ name: "alice" });
  const sb = await createSandbox(YAML, {
    endpoint: endpoint(emu),
    env: { BASE_AK: keys.accessKeyId, BASE_SK: keys.secretAccessKey },
  });
  try {
    await body(sb, emu);
    assertNoSecrets(emu.secrets(), {});
  } finally {
    await sb.cleanup();
    await emu.stop();
  }
}

Deno.test("one InternalFailure and two Throttling answers do not fail auth login: each is retried and logged at debug", async () => {
  await withChain(async (sb, emu) => {
    emu.fail({ call: "GetSessionToken", status: 500 });
    emu.fail({ call: "AssumeRole", status: 400, code: "Throttling", times: 2 });
    const login = await sb.run(["auth", "login"], { env: { ATMOS_LOGS_LEVEL: "Debug" } });
    assert.equal(login.code, 0, login.stderr);
    assert.equal(emu.calls("GetSessionToken"), 2);
    assert.equal(emu.calls("AssumeRole"), 3);
    const retries = login.stderr.split("\n").filter((line) => / retrying in \d+ ms$/.test(line));
    assert.deepEqual(retries.map((line) => line.replace(/\d+ ms$/, "N ms")), [
      "DEBU STS GetSessionToken: attempt 1 of 3 failed (HTTP 500 InternalFailure); retrying in N ms",
      "DEBU STS AssumeRole: attempt 1 of 3 failed (HTTP 400 Throttling); retrying in N ms",
      "DEBU STS AssumeRole: attempt 2 of 3 failed (HTTP 400 Throttling); retrying in N ms",
    ]);
    const exec = await sb.run(["auth", "exec", "--", ...boto3CallerArn(emu.url)]);
    assert.equal(exec.code, 0, exec.stderr);
    assert.equal(exec.stdout.trim(), ADMIN_ARN);
    assertNoSecrets(emu.secrets(), { stderr: login.stderr + exec.stderr, stdout: exec.stdout });
  });
});

Deno.test("an STS 5xx on every attempt is one line with exit 1 that keeps the AWS code and message", async () => {
  await withChain(async (sb, emu) => {
    emu.fail({
      call: "AssumeRole",
      status: 500,
      code: "InternalFailure",
      message: "An internal error occurred in the test",
      times: 3,
    });
    const login = await sb.run(["auth", "login"]);
    assertOneLineError(
      login,
      1,
      /AssumeRole failed: InternalFailure: An internal error occurred in the test/,
    );
    assert.equal(emu.calls("AssumeRole"), 3);
    assertNoSecrets(emu.secrets(), { stderr: login.stderr });
  });
});

Deno.test("a refusal is not retried: one STS call, exit 1", async () => {
  await withChain(async (sb, emu) => {
    emu.fail({ call: "AssumeRole", status: 403, code: "AccessDenied", message: "not allowed" });
    const login = await sb.run(["auth", "login"]);
    assertOneLineError(login, 1, /AssumeRole failed: AccessDenied: not allowed/);
    assert.equal(emu.calls("AssumeRole"), 1);
  });
});

Deno.test("dropped connections to STS are retried, and the role works in boto3", async () => {
  await withChain(async (sb, emu) => {
    emu.dropConnections(2);
    const exec = await sb.run(["auth", "exec", "--", ...boto3CallerArn(emu.url)]);
    assert.equal(exec.code, 0, exec.stderr);
    assert.equal(exec.stdout.trim(), ADMIN_ARN);
    assert.equal(emu.calls("GetSessionToken") + emu.calls("AssumeRole"), 2);
    emu.dropConnections(3);
    const down = await sb.run(["auth", "login", "--force"]);
    assertOneLineError(
      down,
      1,
      /Cannot reach STS at http:\/\/127\.0\.0\.1:\d+ for GetSessionToken: connection closed before message completed \(3 attempts\)/,
    );
  }, (emu) => emu.flakyUrl);
});

Deno.test("an SSO refresh answered with 5xx is exit 1 and starts no device flow; one 5xx is retried", async () => {
  // A short device code lifetime: were a device flow started, it would end (and fail) quickly.
  const setup = await setUpSso({ deviceCodeLifetime: 5 });
  const { emu, sb } = setup;
  try {
    assert.equal((await runApproved(setup, ["auth", "login"])).code, 0);
    const refreshToken = await expireToken(setup);
    const cacheBefore = await Deno.readTextFile(await ssoCacheFile(sb));
    emu.fail({ call: "sso-oidc.CreateToken.refresh_token", status: 503, times: 3 });
    // On a "terminal" a refused refresh would start a device flow; a server error must not.
    const failed = await sb.run(["auth", "exec", "--", "true"], {
      env: { ATMOS_FORCE_TTY: "true" },
    });
    assertOneLineError(failed, 1, /CreateToken failed: ServiceUnavailable/);
    assert.equal(emu.calls("sso-oidc.CreateToken.refresh_token"), 3);
    assert.equal(emu.calls("sso-oidc.StartDeviceAuthorization"), 0);
    assert.deepEqual(emu.ssoPending(), []);
    assert.equal(await Deno.readTextFile(await ssoCacheFile(sb)), cacheBefore, "cache untouched");
    assert.equal(emu.ssoRefreshTokenValid(refreshToken), true);

    emu.resetCalls();
    emu.fail({ call: "sso-oidc.CreateToken.refresh_token", status: 500 });
    const retried = await sb.run(["auth", "exec", "--", "true"]);
    assert.equal(retried.code, 0, retried.stderr);
    assert.equal(emu.calls("sso-oidc.CreateToken.refresh_token"), 2);
    assert.equal(emu.calls("sso-oidc.StartDeviceAuthorization"), 0);
    assertNoSecrets(emu.secrets(), { stderr: failed.stderr + retried.stderr });
  } finally {
    await setup.cleanup();
  }
});
