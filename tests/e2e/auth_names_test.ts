/**
 * Names the way a user writes them, through the real CLI: an identity whose name has a dot,
 * and references that differ from the configured names by case. Regressions of logic that
 * once lived in more than one place (a dotted config path parsed back with a regex; a
 * case-insensitive validator beside an exact chain builder).
 */
import assert from "node:assert/strict";
import { startEmulator } from "../emulator/mod.ts";
import { assertNoSecrets, createSandbox } from "./harness.ts";
import { assertOneLineError, awsCliCallerIdentity } from "./auth_support.ts";

Deno.test("an identity named prod.admin with a broken principal stops every command before any network call", async () => {
  const emu = await startEmulator();
  const keys = emu.createUser({ name: "alice" });
  const sb = await createSandbox(
    `
auth:
  identities:
    base:
      kind: aws/user
      credentials:
        access_key_id: !env BASE_AK
        secret_access_key: !env BASE_SK
    prod.admin:
      kind: aws/assume-role
      via: { identity: base }
      principal:
        session_name: admin
`,
    { endpoint: emu.url, env: { BASE_AK: keys.accessKeyId, BASE_SK: keys.secretAccessKey } },
  );
  try {
    const where = /atmos\.yaml:\d+:\d+: auth\.identities\.prod\.admin\.principal/;
    const validate = await sb.run(["auth", "validate"]);
    assert.equal(validate.code, 2, validate.stderr);
    assert.match(validate.stderr, where);
    for (
      const args of [
        ["auth", "env", "-i", "prod.admin"],
        ["auth", "login", "prod.admin"],
        ["auth", "exec", "-i", "prod.admin", "--", "true"],
        ["auth", "whoami", "-i", "prod.admin"],
        // Any identity: the file has a problem.
        ["auth", "login", "base"],
      ]
    ) {
      assertOneLineError(await sb.run(args), 2, /principal\.assume_role is required/);
    }
    assert.equal(emu.calls(), 0, "no STS call for a configuration auth validate rejects");
  } finally {
    await sb.cleanup();
    await emu.stop();
  }
});

Deno.test("references written in another case than the names they point to work in every command", async () => {
  const emu = await startEmulator();
  const sb = await createSandbox(
    `
auth:
  providers:
    GitHub-CI:
      kind: github/oidc
  identities:
    Base:
      kind: aws/assume-role
      via: { provider: github-ci }
      principal:
        assume_role: arn:aws:iam::111122223333:role/Base
        session_name: base
    deploy:
      kind: aws/assume-role
      via: { identity: base }
      principal:
        assume_role: arn:aws:iam::444455556666:role/Deploy
        session_name: deploy
`,
    { endpoint: emu.url },
  );
  try {
    const gha = emu.githubActionsEnv();
    const validate = await sb.run(["auth", "validate"]);
    assert.equal(validate.code, 0, validate.stderr);
    const login = await sb.run(["auth", "login", "DEPLOY"], { env: gha });
    assert.equal(login.code, 0, login.stderr);
    assert.equal(emu.calls("AssumeRoleWithWebIdentity"), 1);
    assert.equal(emu.calls("AssumeRole"), 1);
    const exec = await sb.run(
      ["auth", "exec", "-i", "deploy", "--", ...awsCliCallerIdentity(emu.url)],
      { env: gha },
    );
    assert.equal(exec.code, 0, exec.stderr);
    assert.equal(
      JSON.parse(exec.stdout).Arn,
      "arn:aws:sts::444455556666:assumed-role/Deploy/deploy",
    );
    const logout = await sb.run(["auth", "logout", "--provider", "github-ci"]);
    assert.equal(logout.code, 0, logout.stderr);
    assert.match(logout.stderr, /Removed .*aws\/GitHub-CI/);
    assertNoSecrets(emu.secrets(), {
      login: login.stdout + login.stderr,
      exec: exec.stdout + exec.stderr,
    });
  } finally {
    await sb.cleanup();
    await emu.stop();
  }
});

Deno.test("names that cannot be written safely stop login before any call, in one escaped line at the name", async () => {
  const emu = await startEmulator();
  const keys = emu.createUser({ name: "alice" });
  const cases = [
    { name: '"x]"', where: /atmos\.yaml:7:5: auth\.identities\.x\]: identity name "x\]" holds/ },
    { name: '"a\\nb"', where: /atmos\.yaml:7:5: auth\.identities\.a b: identity name/ },
    { name: '"e\\e[2J"', where: /atmos\.yaml:7:5: auth\.identities\.e\\x1b\[2J: identity name/ },
  ];
  try {
    for (const { name, where } of cases) {
      const sb = await createSandbox(
        `
auth:
  identities:
    base:
      kind: aws/user
      credentials: { access_key_id: !env AK, secret_access_key: !env SK }
    ${name}:
      kind: aws/assume-role
      via: { identity: base }
      principal: { assume_role: "arn:aws:iam::111122223333:role/R" }
`,
        { endpoint: emu.url, env: { AK: keys.accessKeyId, SK: keys.secretAccessKey } },
      );
      try {
        // The bad name is on line 7 once the base identity's lines are counted.
        for (const args of [["auth", "validate"], ["auth", "login", "base"]]) {
          const result = await sb.run(args);
          assert.equal(result.code, 2, result.stderr);
          assert.match(result.stderr, where);
          assert.ok(!result.stderr.includes("\x1b"), "no raw escape character on the terminal");
        }
        assert.equal(emu.calls(), 0, `${name}: no STS call`);
      } finally {
        await sb.cleanup();
      }
    }
    const provider = await createSandbox(
      `
auth:
  providers:
    "../../etc": { kind: github/oidc }
  identities:
    ci:
      kind: aws/assume-role
      via: { provider: "../../etc" }
      principal: { assume_role: "arn:aws:iam::111122223333:role/R" }
`,
      { endpoint: emu.url, env: emu.githubActionsEnv() },
    );
    try {
      assertOneLineError(
        await provider.run(["auth", "login", "ci"]),
        2,
        /atmos\.yaml:4:5: auth\.providers\.\.\.\/\.\.\/etc: provider name "\.\.\/\.\.\/etc" holds "\/"/,
      );
      assert.equal(emu.calls(), 0, "no OIDC or STS call");
    } finally {
      await provider.cleanup();
    }
  } finally {
    await emu.stop();
  }
});
