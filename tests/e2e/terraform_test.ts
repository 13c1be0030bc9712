import assert from "node:assert/strict";
import { join } from "node:path";
import { startEmulator } from "../emulator/mod.ts";
import { assertNoSecrets, createSandbox, type Sandbox } from "./harness.ts";
import { assertOneLineError, snapshotTree } from "./auth_support.ts";
import { installStandIn, takeCalls, type TerraformCall, useFixture } from "./stack_support.ts";

const RAW_PARENT_KEYS = {
  AWS_ACCESS_KEY_ID: "AKIASHOULDBEREMOVED1",
  AWS_SECRET_ACCESS_KEY: "parent-secret-that-must-not-reach-terraform",
  AWS_SESSION_TOKEN: "parent-session-token-that-must-not-reach-terraform",
};

async function sandboxWith(
  fixture: string,
  options: { endpoint?: string; env?: Record<string, string> } = {},
): Promise<Sandbox> {
  const sb = await createSandbox("", {
    endpoint: options.endpoint,
    env: { ATMOS_GIT_ROOT_BASEPATH: "false", ...options.env },
  });
  await useFixture(sb, fixture);
  Object.assign(sb.env, await installStandIn(sb));
  return sb;
}

function argvOf(calls: TerraformCall[]): string[][] {
  return calls.map((call) => call.argv);
}

function callerArn(call: TerraformCall): string {
  assert.ok(call.aws, "the stand-in did not run the AWS CLI");
  assert.equal(call.aws.code, 0, `aws sts get-caller-identity: ${call.aws.stderr}`);
  return JSON.parse(call.aws.stdout).Arn;
}

Deno.test("atmos terraform runs with the component-level identity: files only, vars as TF_VAR_*, nothing written to the repo", async () => {
  const emu = await startEmulator();
  const keys = emu.createUser({ name: "alice" });
  const sb = await sandboxWith("auth-stacks", {
    endpoint: emu.url,
    env: { BASE_AK: keys.accessKeyId, BASE_SK: keys.secretAccessKey, ...RAW_PARENT_KEYS },
  });
  try {
    const before = await snapshotTree(sb.project);
    const run = await sb.run(
      ["terraform", "plan", "eks", "-s", "plat-prod", "-var=extra=1", "--", "-lock=false"],
      { env: { STANDIN_ENDPOINT: emu.url } },
    );
    assert.equal(run.code, 0, run.stderr);
    assert.match(run.stdout, /stand-in terraform plan: no changes/);
    const calls = await takeCalls(sb);
    assert.deepEqual(argvOf(calls), [
      ["init"],
      ["workspace", "select", "plat-prod"],
      ["workspace", "new", "plat-prod"],
      ["plan", "-var=extra=1", "-lock=false"],
    ]);
    const componentDir = join(sb.project, "components", "terraform", "eks");
    const credentials = join(sb.configDir, "aws", "aws-user", "credentials");
    for (const call of calls) {
      assert.equal(call.cwd, componentDir);
      assert.equal(call.env.AWS_PROFILE, "plat-default");
      assert.equal(call.env.AWS_SHARED_CREDENTIALS_FILE, credentials);
      assert.equal(call.env.AWS_CONFIG_FILE, join(sb.configDir, "aws", "aws-user", "config"));
      assert.equal(call.env.ATMOS_IDENTITY, "plat-default");
      assert.equal(call.env.ATMOS_SHLVL, "1");
      for (const name of Object.keys(RAW_PARENT_KEYS)) assert.equal(call.env[name], undefined);
      assert.equal(call.env.TF_VAR_node_count, "6");
      assert.equal(call.env.TF_VAR_cluster_version, "1.30");
      assert.equal(call.env.TF_VAR_tenant, "plat");
      assert.equal(call.env.TF_VAR_stage, "prod");
    }
    // The AWS CLI inside terraform's environment is the component's identity.
    assert.equal(
      callerArn(calls[3]),
      "arn:aws:sts::222222222222:assumed-role/PlatAdmin/atmos-plat",
    );
    assertNoSecrets([...emu.secrets(), keys.secretAccessKey, ...Object.values(RAW_PARENT_KEYS)], {
      "terraform's environment and argv": JSON.stringify(calls),
      "atmos stdout": run.stdout,
      "atmos stderr": run.stderr,
    });
    assert.deepEqual(await snapshotTree(sb.project), before, "atmos wrote into the repository");

    // Second run: the workspace exists now and the role session is reused from the cache.
    const assumed = emu.calls("AssumeRole");
    const again = await sb.run(["terraform", "plan", "eks", "-s", "plat-prod"]);
    assert.equal(again.code, 0, again.stderr);
    assert.deepEqual(argvOf(await takeCalls(sb)), [
      ["init"],
      ["workspace", "select", "plat-prod"],
      ["plan"],
    ]);
    assert.equal(emu.calls("AssumeRole"), assumed);
  } finally {
    await sb.cleanup();
    await emu.stop();
  }
});

Deno.test("atmos terraform uses a stack's default identity or one a component defines; -i and ATMOS_IDENTITY choose", async () => {
  const emu = await startEmulator();
  const keys = emu.createUser({ name: "bob" });
  const sb = await sandboxWith("auth-stacks", {
    endpoint: emu.url,
    env: { BASE_AK: keys.accessKeyId, BASE_SK: keys.secretAccessKey },
  });
  try {
    const stackDefault = await sb.run(["terraform", "apply", "monitoring", "-s", "data-staging"], {
      env: { STANDIN_ENDPOINT: emu.url },
    });
    assert.equal(stackDefault.code, 0, stackDefault.stderr);
    const calls = await takeCalls(sb);
    const apply = calls.at(-1)!;
    assert.deepEqual(apply.argv, ["apply"]);
    assert.equal(apply.env.AWS_PROFILE, "data-default");
    assert.equal(apply.env.TF_VAR_team, "data");
    assert.equal(apply.env.TF_VAR_retention_days, "30");
    assert.equal(callerArn(apply), "arn:aws:sts::111111111111:assumed-role/DataAdmin/atmos-data");

    // An identity defined only in a component's auth (not in atmos.yaml).
    const own = await sb.run(
      ["terraform", "plan", "iam", "-s", "plat-prod", "-i", "iam-deployer"],
      {
        env: { STANDIN_ENDPOINT: emu.url },
      },
    );
    assert.equal(own.code, 0, own.stderr);
    const ownPlan = (await takeCalls(sb)).at(-1)!;
    assert.equal(ownPlan.env.AWS_PROFILE, "iam-deployer");
    assert.equal(ownPlan.env.TF_VAR_roles, '["a","b"]');
    assert.match(callerArn(ownPlan), /^arn:aws:sts::222222222222:assumed-role\/IamDeployer\//);
    // ...which other components of the stack do not know.
    assertOneLineError(
      await sb.run(["terraform", "plan", "eks", "-s", "plat-prod", "-i", "iam-deployer"]),
      2,
      /unknown identity "iam-deployer"/,
    );

    const flag = await sb.run([
      "terraform",
      "plan",
      "monitoring",
      "-s",
      "data-staging",
      "-i",
      "plat-readonly",
    ]);
    assert.equal(flag.code, 0, flag.stderr);
    assert.equal((await takeCalls(sb)).at(-1)!.env.AWS_PROFILE, "plat-readonly");

    const fromEnv = await sb.run(["terraform", "plan", "monitoring", "-s", "data-staging"], {
      env: { ATMOS_IDENTITY: "plat-default" },
    });
    assert.equal(fromEnv.code, 0, fromEnv.stderr);
    assert.equal((await takeCalls(sb)).at(-1)!.env.AWS_PROFILE, "plat-default");

    // No default in this stack and nothing chosen: an error, not a silent fallback.
    assertOneLineError(
      await sb.run(["terraform", "plan", "eks", "-s", "plat-staging"]),
      2,
      /no default identity configured/,
    );
    const off = await sb.run(["terraform", "plan", "eks", "-s", "plat-staging", "--identity=off"], {
      env: { AWS_PROFILE: "my-own" },
    });
    assert.equal(off.code, 0, off.stderr);
    assert.equal((await takeCalls(sb)).at(-1)!.env.AWS_PROFILE, "my-own");
    assertNoSecrets([...emu.secrets(), keys.secretAccessKey], {
      stdout: stackDefault.stdout + own.stdout + flag.stdout + fromEnv.stdout,
      stderr: stackDefault.stderr + own.stderr + flag.stderr + fromEnv.stderr,
    });
  } finally {
    await sb.cleanup();
    await emu.stop();
  }
});

Deno.test("atmos terraform without auth: backend flags on init, component env applied, parent env kept", async () => {
  const sb = await sandboxWith("complete", {
    env: { UNSET_ME: "parent-value", AWS_PROFILE: "developer-profile" },
  });
  try {
    const before = await snapshotTree(sb.project);
    const run = await sb.run(["terraform", "deploy", "vpc", "-s", "tenant1-ue2-prod"]);
    assert.equal(run.code, 0, run.stderr);
    const calls = await takeCalls(sb);
    assert.deepEqual(argvOf(calls), [
      [
        "init",
        "-backend-config=bucket=cp-ue2-root-tfstate",
        "-backend-config=dynamodb_table=cp-ue2-root-tfstate-lock",
        "-backend-config=encrypt=true",
        "-backend-config=region=us-east-2",
        "-backend-config=workspace_key_prefix=vpc",
      ],
      ["workspace", "select", "tenant1-ue2-prod"],
      ["workspace", "new", "tenant1-ue2-prod"],
      ["apply", "-auto-approve"],
    ]);
    const env = calls[3].env;
    assert.equal(calls[3].cwd, join(sb.project, "components", "terraform", "vpc"));
    assert.equal(env.AWS_PROFILE, "developer-profile");
    assert.equal(env.ATMOS_IDENTITY, undefined);
    assert.equal(env.UNSET_ME, undefined);
    assert.equal(env.GLOBAL_ENV, "from-org-defaults");
    assert.equal(env.PROD_OVERRIDE, "yes");
    assert.equal(env.TF_VAR_availability_zones, '["a","b"]');
    assert.equal(env.TF_VAR_label_order, '["namespace","tenant","environment","stage"]');
    assert.equal(env.TF_VAR_nat_gateway_enabled, "false");
    assert.equal(env.TF_VAR_max_subnet_count, "3");
    assert.equal(env.TF_IN_AUTOMATION, "true");
    assert.equal(env.ATMOS_BASE_PATH, sb.project);
    assert.deepEqual(await snapshotTree(sb.project), before, "atmos wrote into the repository");

    // `terraform version` needs no component, stack or identity.
    const version = await sb.run(["terraform", "version"]);
    assert.equal(version.code, 0, version.stderr);
    const versionCalls = await takeCalls(sb);
    assert.deepEqual(argvOf(versionCalls), [["version"]]);
    assert.equal(versionCalls[0].cwd, sb.project);

    // terraform's exit code is atmos's.
    const failing = await sb.run(["terraform", "plan", "vpc", "-s", "tenant1-ue2-prod"], {
      env: { STANDIN_EXIT: "3" },
    });
    assert.equal(failing.code, 3);
    await takeCalls(sb);
  } finally {
    await sb.cleanup();
  }
});

Deno.test("atmos terraform --dry-run prints the invocations and runs nothing", async () => {
  const sb = await sandboxWith("complete");
  try {
    const run = await sb.run([
      "terraform",
      "plan",
      "vpc",
      "-s",
      "tenant1-ue2-dev",
      "--dry-run",
      "--",
      "-out=x",
    ]);
    assert.equal(run.code, 0, run.stderr);
    assert.equal(
      run.stdout,
      [
        `# in ${join(sb.project, "components", "terraform", "vpc")}`,
        "terraform init -backend-config=bucket=cp-ue2-root-tfstate -backend-config=dynamodb_table=cp-ue2-root-tfstate-lock -backend-config=encrypt=true -backend-config=region=us-east-2 -backend-config=workspace_key_prefix=vpc",
        "terraform workspace select tenant1-ue2-dev",
        "terraform workspace new tenant1-ue2-dev   # only if select fails",
        "terraform plan -out=x",
        "# with TF_VAR_availability_zones, TF_VAR_enabled, TF_VAR_environment, TF_VAR_ipv4_primary_cidr_block, TF_VAR_label_order, TF_VAR_max_subnet_count, TF_VAR_name, TF_VAR_namespace, TF_VAR_nat_gateway_enabled, TF_VAR_region, TF_VAR_stage, TF_VAR_tenant",
        "# identity: none (your environment as it is)",
        "",
      ].join("\n"),
    );
    assert.deepEqual(await takeCalls(sb), []);
  } finally {
    await sb.cleanup();
  }
});

Deno.test("atmos terraform bad input: abstract component, missing stack or component, unknown identity", async () => {
  const sb = await sandboxWith("complete");
  try {
    assertOneLineError(
      await sb.run(["terraform", "plan", "vpc/defaults", "-s", "tenant1-ue2-dev"]),
      2,
      /component "vpc\/defaults" in stack "tenant1-ue2-dev" is abstract/,
    );
    assertOneLineError(await sb.run(["terraform", "plan", "vpc"]), 2, /missing --stack \(-s\)/);
    assertOneLineError(
      await sb.run(["terraform", "plan", "-s", "tenant1-ue2-dev"]),
      2,
      /missing component for "atmos terraform plan"/,
    );
    assertOneLineError(
      await sb.run(["terraform", "plan", "vcp", "-s", "tenant1-ue2-dev"]),
      2,
      /component "vcp" not found in stack "tenant1-ue2-dev"; did you mean "vpc"\?/,
    );
    assertOneLineError(
      await sb.run(["terraform", "plan", "vpc", "-s", "tenant1-ue2-dev", "-i", "ghost"]),
      2,
      /unknown identity "ghost"/,
    );
    assert.deepEqual(await takeCalls(sb), []);
  } finally {
    await sb.cleanup();
  }
});
