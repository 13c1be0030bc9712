import assert from "node:assert/strict";
import {
  describeComponent,
  describeStacks,
  listComponents,
  listStacks,
} from "../../lib/stack/mod.ts";
import {
  fixture,
  openProject,
  type Project,
  rejection,
  removeTree,
  tempProject,
} from "./helpers.ts";

function describe(project: Project, component: string, stack: string) {
  return describeComponent(project.loaded, {
    component,
    stack,
    cwd: project.cwd,
    env: project.env,
  });
}

Deno.test("describeComponent() names a stack by its manifest name: field (stack-manifest-name)", async () => {
  const project = await openProject(fixture("stack-manifest-name"));
  const config = await describe(project, "vpc", "my-legacy-prod-stack");
  assert.equal(config.atmos_stack, "my-legacy-prod-stack");
  assert.equal(config.stack, "my-legacy-prod-stack");
  assert.equal(config.atmos_stack_file, "legacy-prod");
  assert.equal(config.atmos_manifest, "legacy-prod");
  assert.equal(config.workspace, "my-legacy-prod-stack");
  assert.deepEqual(config.vars, {
    cidr: "10.0.0.0/16",
    enabled: true,
    environment: "prod",
    region: "us-east-1",
    stage: "legacy",
  });
  assert.deepEqual(config.imports, ["catalog/base"]);
  assert.deepEqual(config.deps, ["catalog/base", "legacy-prod"]);
  assert.deepEqual(config.deps_all, ["catalog/base", "legacy-prod"]);
  // A top-level `component:` naming no YAML component leaves the component its own directory.
  assert.equal(config.component, "vpc");
  assert.match(config.component_info.component_path, /\/components\/terraform\/vpc$/);
});

Deno.test("describeComponent() uses the file name when no name, template or pattern is set", async () => {
  const project = await openProject(fixture("stack-manifest-name"));
  const config = await describe(project, "vpc", "no-name-prod");
  assert.equal(config.vars.cidr, "10.1.0.0/16");
  assert.equal(config.workspace, "no-name-prod");
});

Deno.test("describeComponent() refuses a file name when the manifest names its stack differently", async () => {
  const project = await openProject(fixture("stack-manifest-name"));
  const error = await rejection(() => describe(project, "vpc", "legacy-prod"));
  assert.equal(error.exitCode, 2);
  assert.match(
    error.message,
    /stack "legacy-prod" not found; did you mean "my-legacy-prod-stack"\?/,
  );
  assert.match(error.hint ?? "", /atmos list stacks/);
});

Deno.test("describeComponent() suggests near names for an unknown stack or component", async () => {
  const project = await openProject(fixture("stack-manifest-name"));
  const stack = await rejection(() => describe(project, "vpc", "no-nme-prod"));
  assert.match(stack.message, /stack "no-nme-prod" not found; did you mean "no-name-prod"\?/);
  const component = await rejection(() => describe(project, "vcp", "no-name-prod"));
  assert.match(
    component.message,
    /component "vcp" not found in stack "no-name-prod"; did you mean "vpc"\?/,
  );
});

Deno.test("listStacks() and listComponents() are sorted (stack-manifest-name)", async () => {
  const project = await openProject(fixture("stack-manifest-name"));
  const options = { cwd: project.cwd, env: project.env };
  assert.deepEqual(await listStacks(project.loaded, options), [
    "my-legacy-prod-stack",
    "no-name-prod",
  ]);
  assert.deepEqual(await listComponents(project.loaded, options), ["vpc"]);
});

Deno.test("describeComponent() resolves an abstract base, metadata.component and backend (abstract-component-backend)", async () => {
  const project = await openProject(fixture("abstract-component-backend"));
  const config = await describe(project, "eks/service/app1", "tenant1-ue2-dev");
  assert.equal(config.backend_type, "s3");
  assert.equal(config.backend.workspace_key_prefix, "eks-service");
  assert.equal(config.component, "eks-service");
  assert.deepEqual(config.inheritance, ["eks/service/defaults"]);
  assert.deepEqual(config.vars, {
    enabled: true,
    environment: "ue2",
    name: "app1",
    namespace: "acme",
    stage: "dev",
    tenant: "tenant1",
  });
  assert.deepEqual(config.metadata, {
    component: "eks-service",
    inherits: ["eks/service/defaults"],
  });
  assert.match(config.component_info.component_path, /\/components\/terraform\/eks-service$/);
  assert.equal(config.workspace, "tenant1-ue2-dev-eks-service-app1");
});

Deno.test("listComponents() leaves abstract components out", async () => {
  const project = await openProject(fixture("abstract-component-backend"));
  const names = await listComponents(project.loaded, { cwd: project.cwd, env: project.env });
  assert.deepEqual(names, ["eks/service/app1"]);
});

Deno.test("describeComponent() follows multiple inheritance in order (complete)", async () => {
  const project = await openProject(fixture("complete"));
  const config = await describe(project, "test/test-component-override-3", "tenant1-ue2-dev");
  assert.equal(config.component, "test/test-component");
  assert.equal(config.workspace, "test-component-override-3-workspace");
  assert.equal(config.backend.bucket, "cp-ue2-root-tfstate");
  assert.equal(config.backend.workspace_key_prefix, "test-test-component");
  // The last base (mixin/test-2) wins over the earlier ones; the component wins over all.
  assert.equal(config.vars.service_1_name, "mixin-2");
  assert.equal(config.vars.service_2_name, "override-2");
  assert.equal(config.command, "/usr/local/bin/terraform");
  assert.deepEqual(config.env, {
    GLOBAL_ENV: "from-org-defaults",
    TEST_ENV_VAR1: "val1-override-3",
    TEST_ENV_VAR2: "val2-override-3",
    TEST_ENV_VAR3: "val3-override-3",
    TEST_ENV_VAR4: null,
  });
  assert.deepEqual(config.inheritance, [
    "mixin/test-2",
    "mixin/test-1",
    "test/test-component-override-2",
    "test/test-component",
    "test/test-component-override",
  ]);
  assert.deepEqual(config.settings, { spacelift: { workspace_enabled: false }, team: "platform" });
  assert.equal(config.metadata.type, "real");
});

Deno.test("file-scoped overrides reach the file's imports but not other stacks (complete)", async () => {
  const project = await openProject(fixture("complete"));
  const prod = await describe(project, "vpc", "tenant1-ue2-prod");
  const dev = await describe(project, "vpc", "tenant1-ue2-dev");
  assert.equal(prod.vars.nat_gateway_enabled, false);
  assert.equal(prod.env.PROD_OVERRIDE, "yes");
  assert.deepEqual(prod.overrides, {
    env: { PROD_OVERRIDE: "yes" },
    vars: { nat_gateway_enabled: false },
  });
  assert.deepEqual(prod.vars.availability_zones, ["a", "b"]);
  assert.equal(dev.vars.nat_gateway_enabled, true);
  assert.equal(dev.env.PROD_OVERRIDE, undefined);
  assert.deepEqual(dev.vars.availability_zones, ["a", "b", "c"]);
});

Deno.test("describeComponent() gives provenance: the first dependency holds the final value", async () => {
  const project = await openProject(fixture("complete"));
  const config = await describe(project, "vpc", "tenant1-ue2-prod");
  const vars = config.sources.vars as Record<
    string,
    {
      stack_dependencies: {
        stack_file: string;
        stack_file_section: string;
        dependency_type: string;
      }[];
    }
  >;
  const nat = vars.nat_gateway_enabled.stack_dependencies;
  assert.deepEqual(nat.map((d) => [d.stack_file, d.stack_file_section]), [
    ["orgs/cp/tenant1/prod/us-east-2", "terraform.overrides.vars"],
    ["catalog/terraform/vpc", "components.terraform.vars"],
  ]);
  assert.equal(vars.ipv4_primary_cidr_block.stack_dependencies[0].dependency_type, "inline");
  assert.ok(config.deps.includes("catalog/terraform/vpc"));
  assert.ok(config.deps_all.includes("orgs/cp/tenant1/prod/us-east-2"));
});

Deno.test("describeStacks() lists every stack's components and filters by stack and component", async () => {
  const project = await openProject(fixture("complete"));
  const all = await describeStacks(project.loaded, { cwd: project.cwd, env: project.env });
  assert.deepEqual(Object.keys(all).sort(), ["tenant1-ue2-dev", "tenant1-ue2-prod"]);
  const filtered = await describeStacks(project.loaded, {
    cwd: project.cwd,
    env: project.env,
    stacks: ["tenant1-ue2-prod"],
    components: ["vpc"],
  }) as Record<
    string,
    { components: { terraform: Record<string, { vars: Record<string, unknown> }> } }
  >;
  assert.deepEqual(Object.keys(filtered), ["tenant1-ue2-prod"]);
  assert.deepEqual(Object.keys(filtered["tenant1-ue2-prod"].components.terraform), ["vpc"]);
  assert.equal(filtered["tenant1-ue2-prod"].components.terraform.vpc.vars.stage, "prod");
  const error = await rejection(() =>
    describeStacks(project.loaded, {
      cwd: project.cwd,
      env: project.env,
      stacks: ["tenant1-ue2-prd"],
    })
  );
  assert.match(error.message, /did you mean "tenant1-ue2-prod"/);
});

Deno.test("a stack may be given as a manifest path containing '/'", async () => {
  const project = await openProject(fixture("complete"));
  const config = await describe(project, "vpc", "orgs/cp/tenant1/prod/us-east-2");
  assert.equal(config.vars.stage, "prod");
});

Deno.test("name_pattern names stacks from vars and reports a missing token", async () => {
  const pattern =
    'stacks:\n  base_path: stacks\n  included_paths: ["*.yaml"]\n  name_pattern: "{tenant}-{stage}"\n';
  const dir = await tempProject({
    "stacks/a.yaml":
      "vars: { tenant: t1, stage: dev }\ncomponents: { terraform: { c: { vars: { x: 1 } } } }\n",
    "stacks/b.yaml": "vars: { tenant: t1 }\ncomponents: { terraform: { c: {} } }\n",
  }, pattern);
  try {
    const project = await openProject(dir);
    assert.equal((await describe(project, "c", "t1-dev")).vars.x, 1);
    const error = await rejection(() => listStacks(project.loaded, { cwd: dir, env: project.env }));
    assert.match(error.message, /manifest "b".*needs vars\.stage/);
  } finally {
    await removeTree(dir);
  }
});

Deno.test("the same component configured differently for one stack is an error", async () => {
  const dir = await tempProject({
    "stacks/a.yaml": "name: same\ncomponents: { terraform: { c: { vars: { x: 1 } } } }\n",
    "stacks/b.yaml": "name: same\ncomponents: { terraform: { c: { vars: { x: 2 } } } }\n",
    "stacks/c.yaml": "name: other\ncomponents: { terraform: { d: {} } }\n",
  });
  try {
    const project = await openProject(dir);
    const error = await rejection(() => describe(project, "c", "same"));
    assert.match(error.message, /defined differently for stack "same" in manifests "a" and "b"/);
  } finally {
    await removeTree(dir);
  }
});

Deno.test("ATMOS_STACKS_* variables override atmos.yaml", async () => {
  const project = await openProject(fixture("stack-manifest-name"), {
    ATMOS_STACKS_EXCLUDED_PATHS: "**/catalog/**,no-name-prod.yaml",
  });
  const stacks = await listStacks(project.loaded, { cwd: project.cwd, env: project.env });
  assert.deepEqual(stacks, ["my-legacy-prod-stack"]);
});

Deno.test("a missing stacks section is a configuration error", async () => {
  const dir = await tempProject({}, "");
  try {
    const project = await openProject(dir);
    const error = await rejection(() => listStacks(project.loaded, { cwd: dir, env: project.env }));
    assert.equal(error.exitCode, 2);
    assert.match(error.message, /no stacks directory is configured/);
  } finally {
    await removeTree(dir);
  }
});
