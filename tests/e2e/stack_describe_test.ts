import assert from "node:assert/strict";
import { join } from "node:path";
import { createSandbox, type Sandbox } from "./harness.ts";
import { assertOneLineError } from "./auth_support.ts";
import { assertGolden, useFixture } from "./stack_support.ts";

async function withFixture(name: string, fn: (sb: Sandbox) => Promise<void>): Promise<void> {
  const sb = await createSandbox("", { env: { ATMOS_GIT_ROOT_BASEPATH: "false" } });
  try {
    await useFixture(sb, name);
    await fn(sb);
  } finally {
    await sb.cleanup();
  }
}

const OVERRIDE_3 = [
  "describe",
  "component",
  "test/test-component-override-3",
  "-s",
  "tenant1-ue2-dev",
];

Deno.test("describe component prints the golden JSON and YAML (complete fixture)", async () => {
  await withFixture("complete", async (sb) => {
    const json = await sb.run([...OVERRIDE_3, "--format", "json"]);
    assert.equal(json.code, 0, json.stderr);
    assert.equal(json.stderr, "");
    await assertGolden("describe_component_override_3.json.out", json.stdout, sb);
    const yaml = await sb.run(OVERRIDE_3);
    assert.equal(yaml.code, 0, yaml.stderr);
    await assertGolden("describe_component_override_3.yaml.out", yaml.stdout, sb);
    // Both formats describe the same data.
    const fromJson = JSON.parse(json.stdout);
    assert.equal(fromJson.workspace, "test-component-override-3-workspace");
    assert.equal(fromJson.backend.bucket, "cp-ue2-root-tfstate");
    assert.equal(fromJson.component, "test/test-component");
  });
});

Deno.test("describe component --query prints one value in the chosen format", async () => {
  await withFixture("complete", async (sb) => {
    const yaml = await sb.run([...OVERRIDE_3, "--query", ".vars.service_1_name"]);
    assert.equal(yaml.stdout, "mixin-2\n");
    const json = await sb.run([...OVERRIDE_3, "-q", ".env", "-f", "json"]);
    assert.deepEqual(JSON.parse(json.stdout), {
      GLOBAL_ENV: "from-org-defaults",
      TEST_ENV_VAR1: "val1-override-3",
      TEST_ENV_VAR2: "val2-override-3",
      TEST_ENV_VAR3: "val3-override-3",
      TEST_ENV_VAR4: null,
    });
    const missing = await sb.run([...OVERRIDE_3, "-q", ".vars.nope"]);
    assert.equal(missing.stdout, "null\n");
  });
});

Deno.test("list stacks, list components and describe stacks are sorted and filtered", async () => {
  await withFixture("complete", async (sb) => {
    const stacks = await sb.run(["list", "stacks"]);
    assert.equal(stacks.stdout, "tenant1-ue2-dev\ntenant1-ue2-prod\n");
    const components = await sb.run(["list", "components", "-s", "tenant1-ue2-prod"]);
    assert.equal(components.stdout, "vpc\n");
    const all = await sb.run(["list", "components"]);
    assert.equal(
      all.stdout,
      "test/test-component\ntest/test-component-override\ntest/test-component-override-2\ntest/test-component-override-3\nvpc\n",
    );
    const described = await sb.run([
      "describe",
      "stacks",
      "--components",
      "vpc",
      "-f",
      "json",
    ]);
    assert.equal(described.code, 0, described.stderr);
    const result = JSON.parse(described.stdout);
    assert.deepEqual(Object.keys(result), ["tenant1-ue2-dev", "tenant1-ue2-prod"]);
    assert.deepEqual(Object.keys(result["tenant1-ue2-dev"].components.terraform), ["vpc"]);
    assert.equal(
      result["tenant1-ue2-prod"].components.terraform.vpc.vars.nat_gateway_enabled,
      false,
    );
  });
});

Deno.test("describe never prints inline credentials read from the environment", async () => {
  await withFixture("auth-stacks", async (sb) => {
    const env = { BASE_AK: "AKIAEXAMPLESECRET123", BASE_SK: "example-secret-access-key-value" };
    const component = await sb.run([
      "describe",
      "component",
      "eks",
      "-s",
      "plat-prod",
      "-f",
      "json",
    ], { env });
    assert.equal(component.code, 0, component.stderr);
    const stacks = await sb.run(["describe", "stacks"], { env });
    assert.equal(stacks.code, 0, stacks.stderr);
    for (const text of [component.stdout, stacks.stdout]) {
      assert.ok(!text.includes(env.BASE_AK) && !text.includes(env.BASE_SK), "a key was printed");
    }
    const base = JSON.parse(component.stdout).auth.identities.base.credentials;
    assert.equal(base.access_key_id, "[redacted]");
    assert.equal(JSON.parse(component.stdout).auth.identities["plat-default"].default, true);
  });
});

Deno.test("bad stack and component names are one-line errors with suggestions (exit 2)", async () => {
  await withFixture("stack-manifest-name", async (sb) => {
    assertOneLineError(
      await sb.run(["describe", "component", "vpc", "-s", "legacy-prod"]),
      2,
      /stack "legacy-prod" not found; did you mean "my-legacy-prod-stack"\?.*atmos list stacks/,
    );
    assertOneLineError(
      await sb.run(["describe", "component", "vcp", "-s", "no-name-prod"]),
      2,
      /component "vcp" not found in stack "no-name-prod"; did you mean "vpc"\?/,
    );
    assertOneLineError(
      await sb.run(["list", "components", "-s", "no-nam-prod"]),
      2,
      /stack "no-nam-prod" not found; did you mean "no-name-prod"\?/,
    );
    assertOneLineError(
      await sb.run(["describe", "component", "vpc"]),
      2,
      /missing --stack \(-s\)/,
    );
    assertOneLineError(
      await sb.run(["describe", "component", "vpc", "-s", "no-name-prod", "-q", "vars"]),
      2,
      /invalid --query "vars"/,
    );
  });
});

Deno.test("broken manifests are one-line errors with file:line:col (exit 2)", async () => {
  await withFixture("stack-manifest-name", async (sb) => {
    const stacks = join(sb.project, "stacks");
    await Deno.writeTextFile(
      join(stacks, "broken.yaml"),
      "import:\n  - catalog/base\n  - catalog/nope\n",
    );
    assertOneLineError(
      await sb.run(["list", "stacks"]),
      2,
      /^error: stacks\/broken\.yaml:3:5: import\.1: import "catalog\/nope" not found/,
    );
    await Deno.writeTextFile(join(stacks, "broken.yaml"), "import: [catalog/a]\n");
    await Deno.writeTextFile(join(stacks, "catalog", "a.yaml"), "import: [catalog/b]\n");
    await Deno.writeTextFile(join(stacks, "catalog", "b.yaml"), "import:\n  - catalog/a\n");
    assertOneLineError(
      await sb.run(["list", "stacks"]),
      2,
      /stacks\/catalog\/b\.yaml:2:5: .*import cycle: catalog\/a → catalog\/b → catalog\/a/,
    );
    await Deno.writeTextFile(join(stacks, "broken.yaml"), "vars:\n  x: !unknown 1\n");
    assertOneLineError(
      await sb.run(["list", "stacks"]),
      2,
      /stacks\/broken\.yaml:2:6: unsupported YAML tag !unknown/,
    );
  });
});
