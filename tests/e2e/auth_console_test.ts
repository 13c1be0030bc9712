/**
 * End-to-end tests of `atmos auth console` for non-SSO identities: an assumed role signs in
 * (through a sign-in endpoint set in the configuration), an IAM user's session is refused, and
 * bad flags are one-line usage errors. The SSO cases are in auth_sso_test.ts.
 */
import assert from "node:assert/strict";
import { startEmulator } from "../emulator/mod.ts";
import { assertNoSecrets, createSandbox } from "./harness.ts";
import { assertOneLineError } from "./auth_support.ts";

const YAML = `
auth:
  identities:
    base:
      kind: aws/user
      credentials:
        access_key_id: !env BASE_AK
        secret_access_key: !env BASE_SK
    admin:
      kind: aws/assume-role
      via: { identity: base }
      spec:
        signin_endpoint_url: !env SIGNIN_URL
      principal:
        assume_role: arn:aws:iam::123456789012:role/Admin
        session_name: carol
    local: { kind: ambient }
`;

Deno.test("auth console works for any AWS role identity, with the sign-in endpoint from spec.signin_endpoint_url", async () => {
  const emu = await startEmulator();
  const keys = emu.createUser({ name: "carol" });
  const sb = await createSandbox(YAML, {
    endpoint: emu.url,
    env: {
      BASE_AK: keys.accessKeyId,
      BASE_SK: keys.secretAccessKey,
      SIGNIN_URL: emu.url,
      // The configured endpoint wins over the variable.
      AWS_ENDPOINT_URL_SIGNIN: "https://signin.invalid",
    },
  });
  try {
    const run = await sb.run(["auth", "console", "-i", "admin", "--print-only"]);
    assert.equal(run.code, 0, run.stderr);
    const url = new URL(run.stdout.trim());
    assert.equal(url.origin, emu.url);
    assert.equal(url.searchParams.get("Destination"), "https://console.aws.amazon.com/");
    const session = emu.signinSession(url.searchParams.get("SigninToken")!);
    assert.equal(session?.arn, "arn:aws:sts::123456789012:assumed-role/Admin/carol");
    assert.equal(session?.sessionDuration, undefined, "no SessionDuration unless asked for");
    assertNoSecrets(emu.secrets(), { stderr: run.stderr });

    const user = await sb.run(["auth", "console", "-i", "base", "--print-only"], {
      env: { AWS_ENDPOINT_URL_SIGNIN: emu.url },
    });
    assertOneLineError(user, 1, /AWS sign-in refused the session credentials \(HTTP 400\)/);
    assertOneLineError(
      await sb.run(["auth", "console", "-i", "local"]),
      2,
      /identity "local" \(ambient\) has no AWS session/,
    );
    assertOneLineError(
      await sb.run(["auth", "console", "-i", "admin", "--destination", "s4"]),
      2,
      /invalid --destination "s4"/,
    );
    assertOneLineError(
      await sb.run(["auth", "console", "-i", "admin", "--duration", "13h"]),
      2,
      /invalid console duration "13h"/,
    );
  } finally {
    await sb.cleanup();
    await emu.stop();
  }
});
