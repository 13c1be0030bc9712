/**
 * End-to-end tests of the github/oidc provider feeding aws/assume-role
 * (AssumeRoleWithWebIdentity): the audience, the AWS CLI inside `auth exec`, no reuse of an
 * ambient chain, and refused token URLs.
 */
import { join } from "node:path";
import assert from "node:assert/strict";
import { startEmulator } from "../emulator/mod.ts";
import { assertNoSecrets, createSandbox } from "./harness.ts";
import { assertOneLineError, awsCliCallerIdentity, modeOf } from "./auth_support.ts";

const AUDIENCE = "sts.example.test";
const ROLE_ARN = "arn:aws:sts::777788889999:assumed-role/GitHubDeploy/gh-deploy";

const YAML = `
auth:
  providers:
    gha:
      kind: github/oidc
      region: us-east-2
      spec:
        audience: ${AUDIENCE}
  identities:
    deploy:
      kind: aws/assume-role
      default: true
      via: { provider: gha }
      principal:
        assume_role: arn:aws:iam::777788889999:role/GitHubDeploy
        session_name: gh-deploy
`;

/** The `aud` claims of the JWTs among the emulator's secrets. */
function issuedAudiences(secrets: string[]): unknown[] {
  return secrets.filter((s) => /^[\w-]+\.[\w-]+\.[\w-]+$/.test(s)).map((jwt) => {
    const payload = jwt.split(".")[1].replace(/-/g, "+").replace(/_/g, "/");
    return JSON.parse(atob(payload.padEnd(Math.ceil(payload.length / 4) * 4, "="))).aud;
  });
}

/** A non-loopback IPv4 address of this machine, if it has one. */
function externalAddress(): string | undefined {
  return Deno.networkInterfaces().find((i) => i.family === "IPv4" && !i.address.startsWith("127."))
    ?.address;
}

Deno.test("github/oidc → aws/assume-role gives the AWS CLI in auth exec the role, with the configured audience", async () => {
  const emu = await startEmulator();
  const sb = await createSandbox(YAML, { endpoint: emu.url });
  try {
    const gha = emu.githubActionsEnv();
    const exec = await sb.run(["auth", "exec", "--", ...awsCliCallerIdentity(emu.url)], {
      env: gha,
    });
    assert.equal(exec.code, 0, exec.stderr);
    assert.equal(JSON.parse(exec.stdout).Arn, ROLE_ARN);
    assert.equal(emu.calls("oidc.token"), 1);
    assert.equal(emu.calls("AssumeRoleWithWebIdentity"), 1);
    assert.deepEqual(issuedAudiences(emu.secrets()), [AUDIENCE]);

    const files = join(sb.configDir, "aws", "gha");
    assert.equal(await modeOf(join(files, "credentials")), 0o600);
    assert.match(
      await Deno.readTextFile(join(files, "config")),
      /\[profile deploy\]\nregion = us-east-2/,
    );

    // An ambient chain is never resumed from files: another job may share the runner.
    const again = await sb.run(["auth", "login"], { env: gha });
    assert.equal(again.code, 0, again.stderr);
    assert.equal(emu.calls("oidc.token"), 2);
    assert.equal(emu.calls("AssumeRoleWithWebIdentity"), 2);

    assertNoSecrets(emu.secrets(), {
      "exec stdout": exec.stdout + again.stdout,
      "exec stderr": exec.stderr + again.stderr,
    });
  } finally {
    await sb.cleanup();
    await emu.stop();
  }
});

Deno.test("github/oidc refuses a non-loopback http token URL without calling it, and needs the ACTIONS_* variables", async () => {
  const emu = await startEmulator();
  const sb = await createSandbox(YAML, { endpoint: emu.url });
  let hits = 0;
  const listener = Deno.serve({ hostname: "0.0.0.0", port: 0, onListen() {} }, () => {
    hits++;
    return Response.json({ value: "a.b.c" });
  });
  try {
    const gha = emu.githubActionsEnv();
    const address = externalAddress();
    const urls = ["http://example.invalid/token?api-version=2.0"];
    if (address) urls.push(`http://${address}:${listener.addr.port}/token`);
    const refused = await Promise.all(urls.map((url) =>
      sb.run(["auth", "login", "deploy"], {
        env: { ...gha, ACTIONS_ID_TOKEN_REQUEST_URL: url },
      })
    ));
    for (const run of refused) assertOneLineError(run, 2, /ACTIONS_ID_TOKEN_REQUEST_URL.*https/);
    assert.equal(hits, 0, "the refused URL was called");

    const [noUrl, noToken] = await Promise.all([
      sb.run(["auth", "login", "deploy"], {
        env: { ACTIONS_ID_TOKEN_REQUEST_TOKEN: gha.ACTIONS_ID_TOKEN_REQUEST_TOKEN },
      }),
      sb.run(["auth", "login", "deploy"], {
        env: { ACTIONS_ID_TOKEN_REQUEST_URL: gha.ACTIONS_ID_TOKEN_REQUEST_URL },
      }),
    ]);
    assertOneLineError(noUrl, 2, /ACTIONS_ID_TOKEN_REQUEST_URL and ACTIONS_ID_TOKEN_REQUEST_TOKEN/);
    assertOneLineError(
      noToken,
      2,
      /ACTIONS_ID_TOKEN_REQUEST_URL and ACTIONS_ID_TOKEN_REQUEST_TOKEN/,
    );
    assert.equal(emu.calls(), 0);
    assertNoSecrets(emu.secrets(), {
      stderr: [...refused, noUrl, noToken].map((r) => r.stderr).join(""),
    });
  } finally {
    await listener.shutdown();
    await sb.cleanup();
    await emu.stop();
  }
});
