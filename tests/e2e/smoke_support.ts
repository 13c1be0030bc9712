/**
 * The e2e smoke suite: a handful of real flows run through any way of starting atmos (`deno run
 * main.ts`, the bundle from a file or an http URL, a compiled binary). Each flow is a `t.step`,
 * so the output names what was proven for which entry.
 *
 * @module
 */
import assert from "node:assert/strict";
import { startEmulator } from "../emulator/mod.ts";
import { assertNoSecrets, createSandbox, type RunResult } from "./harness.ts";
import { awsUserFiles } from "./auth_support.ts";

const CHAIN_YAML = `
workflows:
  base_path: workflows
auth:
  identities:
    base:
      kind: aws/user
      credentials:
        access_key_id: !env BASE_AK
        secret_access_key: !env BASE_SK
        region: us-west-2
    prod-admin:
      kind: aws/assume-role
      default: true
      via: { identity: base }
      principal:
        assume_role: arn:aws:iam::111122223333:role/ProductionAdmin
        session_name: atmos-smoke
`;

/** Deno prints `Download <url>` on stderr the first time it fetches a remote main module. */
function withoutDownloadLines(result: RunResult): RunResult {
  const stderr = result.stderr.split("\n").filter((line) => !/^Download \S+$/.test(line));
  return { ...result, stderr: stderr.join("\n") };
}

const WORKFLOW_YAML = `
workflows:
  smoke:
    description: a nested atmos step and a shell step with an identity
    steps:
      - name: nested
        command: version
      - name: shell
        type: shell
        identity: prod-admin
        command: /usr/bin/aws sts get-caller-identity --endpoint-url "$EMU_URL" --query Arn --output text
`;

/**
 * Runs the smoke flows with `command` (the argv prefix that starts atmos): version; auth
 * validate on a good and a bad configuration; auth login (the writer worker) then auth exec
 * running `/usr/bin/aws --endpoint-url` against the local emulator; auth env; a workflow whose
 * atmos step starts this same atmos again (bundle, URL or binary) and whose shell step runs
 * the AWS CLI as an identity.
 *
 * @param env extra environment for every run (e.g. an empty `DENO_DIR`).
 */
export async function runSmokeSuite(
  t: Deno.TestContext,
  command: string[],
  env: Record<string, string> = {},
): Promise<void> {
  const emu = await startEmulator();
  const keys = emu.createUser({ name: "smoke" });
  const sb = await createSandbox(CHAIN_YAML, {
    endpoint: emu.url,
    env: { BASE_AK: keys.accessKeyId, BASE_SK: keys.secretAccessKey, EMU_URL: emu.url, ...env },
    command,
  });
  const run = async (args: string[]) => withoutDownloadLines(await sb.run(args));
  try {
    await t.step("version prints the version", async () => {
      const result = await run(["version"]);
      assert.equal(result.code, 0, result.stderr);
      assert.match(result.stdout, /^atmos \d+\.\d+\.\d+ \(deno \d+\.\d+\.\d+\)\n$/);
    });

    await t.step("auth validate accepts the chain and locates a bad key", async () => {
      const good = await run(["auth", "validate"]);
      assert.equal(good.code, 0, good.stderr);
      await Deno.writeTextFile(
        `${sb.project}/bad.yaml`,
        CHAIN_YAML.replace("      default: true\n", "      defualt: true\n"),
      );
      const bad = await run(["auth", "validate", "--config", "bad.yaml"]);
      assert.equal(bad.code, 2, bad.stderr);
      assert.match(
        bad.stderr,
        /^error: bad\.yaml:\d+:\d+: auth\.identities\.prod-admin\.defualt: unknown identity field "defualt"; did you mean "default"\?/,
      );
    });

    await t.step("auth login writes the files; auth exec runs the AWS CLI with them", async () => {
      const login = await run(["auth", "login", "prod-admin"]);
      assert.equal(login.code, 0, login.stderr);
      assert.equal(emu.calls("AssumeRole"), 1);
      const files = awsUserFiles(sb);
      assert.equal(((await Deno.stat(files.credentials)).mode ?? 0) & 0o777, 0o600);
      const aws = await run([
        "auth",
        "exec",
        "--",
        "/usr/bin/aws",
        "sts",
        "get-caller-identity",
        "--endpoint-url",
        emu.url,
        "--output",
        "json",
      ]);
      assert.equal(aws.code, 0, aws.stderr);
      assert.equal(
        JSON.parse(aws.stdout).Arn,
        "arn:aws:sts::111122223333:assumed-role/ProductionAdmin/atmos-smoke",
      );
      assert.equal(emu.calls("AssumeRole"), 1, "the warm exec re-authenticated");
      assertNoSecrets(emu.secrets(), { login: login.stdout + login.stderr, exec: aws.stderr });
    });

    await t.step("auth env prints the file pointers, no keys", async () => {
      const env = await run(["auth", "env", "--format", "json"]);
      assert.equal(env.code, 0, env.stderr);
      const vars = JSON.parse(env.stdout);
      assert.equal(vars.AWS_PROFILE, "prod-admin");
      assert.equal(vars.AWS_SHARED_CREDENTIALS_FILE, awsUserFiles(sb).credentials);
      assert.equal(vars.AWS_SECRET_ACCESS_KEY, undefined);
      assertNoSecrets(emu.secrets(), { env: env.stdout + env.stderr });
    });

    await t.step(
      "a workflow runs a nested atmos step and a shell step as an identity",
      async () => {
        await Deno.mkdir(`${sb.project}/workflows`);
        await Deno.writeTextFile(`${sb.project}/workflows/smoke.yaml`, WORKFLOW_YAML);
        const result = await run(["workflow", "smoke", "-f", "smoke"]);
        assert.equal(result.code, 0, result.stderr);
        assert.match(result.stdout, /^atmos \d+\.\d+\.\d+ \(deno [\d.]+\)$/m);
        assert.match(
          result.stdout,
          /^arn:aws:sts::111122223333:assumed-role\/ProductionAdmin\/atmos-smoke$/m,
        );
        assertNoSecrets(emu.secrets(), { workflow: result.stdout + result.stderr });
      },
    );
  } finally {
    await sb.cleanup();
    await emu.stop();
  }
}
