import assert from "node:assert/strict";
import {
  backendConfigArgs,
  type ComponentConfig,
  componentEnvironment,
  planTerraform,
  terraformVarsEnv,
} from "../../lib/stack/mod.ts";

function component(overrides: Partial<ComponentConfig> = {}): ComponentConfig {
  return {
    component: "vpc",
    atmos_component: "vpc",
    atmos_stack: "dev",
    stack: "dev",
    vars: { name: "x" },
    settings: {},
    env: {},
    backend: { bucket: "b", encrypt: true },
    backend_type: "s3",
    workspace: "dev-vpc",
    metadata: {},
    auth: {},
    imports: [],
    atmos_stack_file: "dev",
    atmos_manifest: "dev",
    component_type: "terraform",
    component_info: {
      component_type: "terraform",
      component_path: "/p/components/terraform/vpc",
      terraform_config: null,
    },
    command: "tofu",
    inheritance: [],
    overrides: {},
    hooks: {},
    deps: [],
    deps_all: [],
    sources: {},
    atmos_cli_config: {},
    ...overrides,
  };
}

Deno.test("terraformVarsEnv() passes scalars as they are and lists/maps as HCL-safe JSON", () => {
  assert.deepEqual(
    terraformVarsEnv({
      name: "vpc",
      count: 3,
      ratio: 0.5,
      enabled: false,
      zones: ["a", "b"],
      tags: { Team: "x", Template: "${not-interpolated}" },
      unset: null,
    }),
    {
      TF_VAR_name: "vpc",
      TF_VAR_count: "3",
      TF_VAR_ratio: "0.5",
      TF_VAR_enabled: "false",
      TF_VAR_zones: '["a","b"]',
      TF_VAR_tags: '{"Team":"x","Template":"$${not-interpolated}"}',
    },
  );
});

Deno.test("backendConfigArgs() gives one sorted -backend-config flag per setting", () => {
  assert.deepEqual(
    backendConfigArgs({
      region: "us-east-2",
      bucket: "b",
      encrypt: true,
      assume_role: { role_arn: "r" },
      none: null,
    }),
    [
      '-backend-config=assume_role={"role_arn":"r"}',
      "-backend-config=bucket=b",
      "-backend-config=encrypt=true",
      "-backend-config=region=us-east-2",
    ],
  );
});

Deno.test("componentEnvironment() turns null entries into variables to unset", () => {
  assert.deepEqual(componentEnvironment({ A: "1", B: null, C: 2, D: [1] }), {
    set: { A: "1", C: "2", D: "[1]" },
    unset: ["B"],
  });
});

Deno.test("planTerraform() runs init with backend flags, selects the workspace, then the subcommand", () => {
  const plan = planTerraform(component(), { subcommand: "plan", args: ["-lock=false"] });
  assert.equal(plan.command, "tofu");
  assert.equal(plan.cwd, "/p/components/terraform/vpc");
  assert.deepEqual(plan.steps.map((s) => [s.kind, ...s.args]), [
    ["init", "init", "-backend-config=bucket=b", "-backend-config=encrypt=true"],
    ["workspace-select", "workspace", "select", "dev-vpc"],
    ["workspace-new", "workspace", "new", "dev-vpc"],
    ["main", "plan", "-lock=false"],
  ]);
  assert.deepEqual(plan.varsEnv, { TF_VAR_name: "x" });
});

Deno.test("planTerraform() maps deploy to apply -auto-approve and honours apply_auto_approve", () => {
  const deploy = planTerraform(component(), { subcommand: "deploy", args: [] });
  assert.deepEqual(deploy.steps.at(-1)?.args, ["apply", "-auto-approve"]);
  const apply = planTerraform(component(), {
    subcommand: "apply",
    args: [],
    applyAutoApprove: true,
  });
  assert.deepEqual(apply.steps.at(-1)?.args, ["apply", "-auto-approve"]);
  const plain = planTerraform(component(), { subcommand: "apply", args: [] });
  assert.deepEqual(plain.steps.at(-1)?.args, ["apply"]);
});

Deno.test("planTerraform() runs init alone for init, and skips steps when asked", () => {
  const init = planTerraform(component(), {
    subcommand: "init",
    args: ["-upgrade"],
    initReconfigure: true,
  });
  assert.deepEqual(init.steps.map((s) => s.args), [[
    "init",
    "-backend-config=bucket=b",
    "-backend-config=encrypt=true",
    "-reconfigure",
    "-upgrade",
  ]]);
  const skipped = planTerraform(component(), {
    subcommand: "plan",
    args: [],
    skipInit: true,
    workspaceFromEnv: true,
  });
  assert.deepEqual(skipped.steps.map((s) => s.kind), ["main"]);
  const http = planTerraform(component({ backend_type: "http" }), { subcommand: "plan", args: [] });
  assert.deepEqual(http.steps.map((s) => s.kind), ["init", "main"]);
  const bare = planTerraform(component(), { subcommand: "workspace", args: [] });
  assert.deepEqual(bare.steps.map((s) => s.kind), ["init", "workspace-select", "workspace-new"]);
  assert.deepEqual(bare.steps[0].args.at(-1), "-reconfigure");
});
