import assert from "node:assert/strict";
import { describeComponent } from "../../lib/stack/mod.ts";
import { describeIn, openProject, rejection, removeTree, tempProject, where } from "./helpers.ts";

Deno.test("globals, the component type, bases, the component and overrides merge in that order", async () => {
  const config = await describeIn({
    "stacks/dev.yaml": [
      "vars: { v: global, g: 1 }",
      "terraform:",
      "  vars: { v: type, t: 1 }",
      "  command: tofu",
      "overrides:",
      "  vars: { o: overridden }",
      "components:",
      "  terraform:",
      "    base: { vars: { v: base, b: 1, o: base }, command: /opt/tf, metadata: { type: abstract, note: from-base } }",
      "    c:",
      "      metadata: { inherits: [base] }",
      "      vars: { v: component, o: component }",
    ].join("\n"),
  });
  assert.deepEqual(config.vars, { v: "component", g: 1, t: 1, b: 1, o: "overridden" });
  assert.equal(config.command, "/opt/tf");
  // metadata is inherited without inherits/type.
  assert.deepEqual(config.metadata, { inherits: ["base"], note: "from-base" });
  assert.deepEqual(config.inheritance, ["base"]);
  assert.equal(config.component, "c");
});

Deno.test("a component inheriting from an undefined component is an error at the inherits entry", async () => {
  const dir = await tempProject({
    "stacks/dev.yaml":
      "components:\n  terraform:\n    c:\n      metadata:\n        inherits:\n          - nope\n",
  });
  try {
    const project = await openProject(dir);
    const error = await rejection(() =>
      describeComponent(project.loaded, {
        component: "c",
        stack: "dev",
        cwd: dir,
        env: project.env,
      })
    );
    assert.match(
      error.message,
      /inherits from "nope", which is not defined in stack manifest "dev"/,
    );
    assert.equal(where(error), "dev.yaml:6:13");
  } finally {
    await removeTree(dir);
  }
});

Deno.test("circular inheritance is an error", async () => {
  const error = await rejection(() =>
    describeIn({
      "stacks/dev.yaml":
        "components:\n  terraform:\n    c: { component: a }\n    a: { component: b }\n    b: { component: a }\n",
    })
  );
  assert.match(error.message, /circular component inheritance/);
});

Deno.test("a backend_type without its backend entry is an error naming what is configured", async () => {
  const error = await rejection(() =>
    describeIn({
      "stacks/dev.yaml":
        "terraform:\n  backend_type: gcs\n  backend:\n    s3: { bucket: b }\ncomponents:\n  terraform:\n    c: {}\n",
    })
  );
  assert.match(error.message, /backend_type is "gcs" but backend only configures s3/);
});

Deno.test("backend key defaults follow metadata.name, then the component directory", async () => {
  const config = await describeIn({
    "stacks/dev.yaml": [
      "terraform:",
      "  backend_type: gcs",
      "  backend: { gcs: { bucket: b } }",
      "components:",
      "  terraform:",
      "    c: { metadata: { component: infra/vpc } }",
      "    d: { metadata: { component: infra/vpc, name: custom/name } }",
    ].join("\n"),
  });
  assert.deepEqual(config.backend, { bucket: "b", prefix: "infra-vpc" });
  assert.equal(config.workspace, "dev-c");
});

Deno.test("a section that is not a map is an error at its position", async () => {
  const dir = await tempProject({
    "stacks/dev.yaml": "components:\n  terraform:\n    c:\n      vars: [1, 2]\n",
  });
  try {
    const project = await openProject(dir);
    const error = await rejection(() =>
      describeComponent(project.loaded, {
        component: "c",
        stack: "dev",
        cwd: dir,
        env: project.env,
      })
    );
    assert.match(error.message, /"vars" must be a map/);
    assert.equal(where(error), "dev.yaml:4:7");
    assert.equal(error.location?.path, "components.terraform.c.vars");
  } finally {
    await removeTree(dir);
  }
});

Deno.test("workspace honours terraform_workspace_pattern and workspaces being disabled", async () => {
  const config = await describeIn({
    "stacks/dev.yaml":
      "vars: { tenant: t1, stage: dev }\ncomponents:\n  terraform:\n    c:\n      metadata: { component: infra/x, terraform_workspace_pattern: '{tenant}-{stage}-{component}' }\n",
  });
  assert.equal(config.workspace, "t1-dev-c");
  const dir = await tempProject(
    { "stacks/dev.yaml": "components: { terraform: { c: {} } }\n" },
    'components:\n  terraform:\n    workspaces_enabled: false\nstacks:\n  base_path: stacks\n  included_paths: ["*"]\n',
  );
  try {
    const project = await openProject(dir);
    const off = await describeComponent(project.loaded, {
      component: "c",
      stack: "dev",
      cwd: dir,
      env: project.env,
    });
    assert.equal(off.workspace, "default");
  } finally {
    await removeTree(dir);
  }
});
