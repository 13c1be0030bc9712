import assert from "node:assert/strict";
import { describeComponent, listStacks } from "../../lib/stack/mod.ts";
import { openProject, rejection, removeTree, tempProject, where } from "./helpers.ts";

async function withProject(
  files: Record<string, string>,
  fn: (
    describe: (c: string, s: string) => ReturnType<typeof describeComponent>,
    list: () => Promise<string[]>,
  ) => Promise<void>,
): Promise<void> {
  const dir = await tempProject(files);
  try {
    const project = await openProject(dir);
    const options = { cwd: dir, env: project.env };
    await fn(
      (component, stack) => describeComponent(project.loaded, { component, stack, ...options }),
      () => listStacks(project.loaded, options),
    );
  } finally {
    await removeTree(dir);
  }
}

Deno.test("an import that does not exist names the importing file and line", async () => {
  await withProject({
    "stacks/dev.yaml":
      "import:\n  - catalog/base\n  - catalog/missing\ncomponents: { terraform: { c: {} } }\n",
    "stacks/catalog/base.yaml": "vars: { a: 1 }\n",
  }, async (_describe, list) => {
    const error = await rejection(list);
    assert.equal(error.exitCode, 2);
    assert.match(error.message, /import "catalog\/missing" not found/);
    assert.equal(where(error), "dev.yaml:3:5");
    assert.match(error.hint ?? "", /catalog\/missing\.yaml/);
  });
});

Deno.test("an import cycle is shown as the cycle", async () => {
  await withProject({
    "stacks/dev.yaml": "import: [catalog/a]\ncomponents: { terraform: { c: {} } }\n",
    "stacks/catalog/a.yaml": "import: [catalog/b]\n",
    "stacks/catalog/b.yaml": "vars: { x: 1 }\nimport:\n  - catalog/a\n",
  }, async (_describe, list) => {
    const error = await rejection(list);
    assert.match(error.message, /^import cycle: catalog\/a → catalog\/b → catalog\/a$/);
    assert.equal(where(error), "b.yaml:3:5");
  });
});

Deno.test("a manifest importing itself is an error", async () => {
  await withProject({
    "stacks/dev.yaml": "import: [dev]\ncomponents: { terraform: { c: {} } }\n",
  }, async (_describe, list) => {
    const error = await rejection(list);
    assert.match(error.message, /"dev" imports itself/);
  });
});

Deno.test("imports resolve globs, ./ paths, .yml and a .tmpl twin, depth-first with the importer last", async () => {
  await withProject({
    "stacks/dev.yaml": [
      "import:",
      "  - mixins/*",
      "  - ./local/extra",
      "  - catalog/templated.yaml",
      "vars: { order: dev }",
      "components: { terraform: { c: { vars: { own: true } } } }",
    ].join("\n"),
    "stacks/mixins/a.yaml": "vars: { order: a, a: 1 }\n",
    "stacks/mixins/b.yaml": "import: [catalog/deep]\nvars: { order: b, b: 1 }\n",
    "stacks/catalog/deep.yml": "vars: { deep: 1, order: deep }\n",
    "stacks/local/extra.yaml": "vars: { extra: 1 }\n",
    "stacks/catalog/templated.yaml": "vars: { templated: plain }\n",
    "stacks/catalog/templated.yaml.tmpl": "vars: { templated: from-tmpl }\n",
  }, async (describe) => {
    const config = await describe("c", "dev");
    assert.deepEqual(config.vars, {
      a: 1,
      b: 1,
      deep: 1,
      extra: 1,
      order: "dev",
      own: true,
      templated: "from-tmpl",
    });
    assert.deepEqual(config.imports, [
      "catalog/deep",
      "catalog/templated",
      "local/extra",
      "mixins/a",
      "mixins/b",
    ]);
  });
});

Deno.test("an import context renders the imported file; parent contexts win", async () => {
  await withProject({
    "stacks/dev.yaml": [
      "import:",
      "  - path: catalog/service",
      "    context: { name: api, region: us-east-1 }",
      "  - path: catalog/missing-optional",
      "    skip_if_missing: true",
    ].join("\n"),
    "stacks/catalog/service.yaml": [
      "import:",
      "  - path: catalog/inner",
      "    context: { region: never-used }",
      "components:",
      "  terraform:",
      "    '{{ .name }}':",
      "      vars: { region: '{{ .region }}' }",
    ].join("\n"),
    "stacks/catalog/inner.yaml": "vars: { inner_region: '{{ .region }}' }\n",
  }, async (describe) => {
    const config = await describe("api", "dev");
    assert.equal(config.vars.region, "us-east-1");
    assert.equal(config.vars.inner_region, "us-east-1");
  });
});

Deno.test("a template value missing from an import context is an error naming the file", async () => {
  await withProject({
    "stacks/dev.yaml": "import:\n  - path: catalog/t\n    context: { a: 1 }\n",
    "stacks/catalog/t.yaml": "vars:\n  x: '{{ .b }}'\n",
  }, async (_describe, list) => {
    const error = await rejection(list);
    assert.match(
      error.message,
      /^template: .*t\.yaml:2:9: executing .*map has no entry for key "b"/,
    );
    assert.match(error.location?.file ?? "", /catalog\/t\.yaml$/);
  });
});

Deno.test("ignore_missing_template_values renders missing values as <no value>", async () => {
  await withProject({
    "stacks/dev.yaml":
      "import:\n  - path: catalog/t\n    context: { a: 1 }\n    ignore_missing_template_values: true\ncomponents: { terraform: { c: {} } }\n",
    "stacks/catalog/t.yaml": "vars:\n  x: '{{ .b }}'\n  y: '{{ .a }}'\n",
  }, async (describe) => {
    const config = await describe("c", "dev");
    assert.equal(config.vars.x, "<no value>");
    assert.equal(config.vars.y, "1");
  });
});

Deno.test("a bad import entry is located", async () => {
  await withProject({
    "stacks/dev.yaml": "import:\n  - 42\n",
  }, async (_describe, list) => {
    const error = await rejection(list);
    assert.match(error.message, /import entries must be strings or maps with a path/);
    assert.equal(where(error), "dev.yaml:2:5");
  });
});

Deno.test("remote imports are refused", async () => {
  await withProject({
    "stacks/dev.yaml": "import:\n  - https://example.com/x.yaml\n",
  }, async (_describe, list) => {
    const error = await rejection(list);
    assert.match(error.message, /remote import "https:\/\/example\.com\/x\.yaml" is not supported/);
  });
});
