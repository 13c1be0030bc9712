import assert from "node:assert/strict";
import { describeComponent } from "../../lib/stack/mod.ts";
import { describeIn, openProject, rejection, removeTree, tempProject, where } from "./helpers.ts";

const TEMPLATES_ON =
  'templates:\n  settings:\n    enabled: true\nstacks:\n  base_path: stacks\n  included_paths: ["*.yaml"]\n';

Deno.test("!env reads the component env section first, then the environment, then the default", async () => {
  const config = await describeIn({
    "stacks/dev.yaml": [
      "env: { FROM_SECTION: section-value }",
      "components:",
      "  terraform:",
      "    c:",
      "      vars:",
      "        a: !env FROM_SECTION",
      "        b: !env FROM_PROCESS",
      "        c: !env MISSING fallback",
      "        d: !env MISSING",
    ].join("\n"),
  }, { env: { FROM_SECTION: "process-value", FROM_PROCESS: "process" } });
  assert.deepEqual(config.vars, { a: "section-value", b: "process", c: "fallback", d: null });
});

Deno.test("!exec runs a command and decodes JSON lists and maps", async () => {
  const config = await describeIn({
    "stacks/dev.yaml": [
      "components:",
      "  terraform:",
      "    c:",
      "      vars:",
      "        text: !exec echo hello",
      "        list: !exec echo '[1, 2]'",
    ].join("\n"),
  });
  assert.equal(config.vars.text, "hello");
  assert.deepEqual(config.vars.list, [1, 2]);
});

Deno.test("!template renders against the component section", async () => {
  const config = await describeIn({
    "stacks/dev.yaml": [
      "vars: { stage: dev }",
      "components:",
      "  terraform:",
      "    c:",
      "      vars:",
      "        label: !template '{{ .vars.stage }}-{{ .atmos_component }}'",
    ].join("\n"),
  });
  assert.equal(config.vars.label, "dev-c");
});

Deno.test("templates in values render when templates.settings.enabled is true", async () => {
  const files = {
    "stacks/dev.yaml":
      "vars: { stage: dev }\ncomponents: { terraform: { c: { vars: { name: '{{ .vars.stage }}-{{ .workspace }}' } } } }\n",
  };
  assert.equal((await describeIn(files)).vars.name, "{{ .vars.stage }}-{{ .workspace }}");
  assert.equal((await describeIn(files, { stacks: TEMPLATES_ON })).vars.name, "dev-dev");
});

Deno.test("functions Atmos has but this atmos cannot run are located errors", async () => {
  const dir = await tempProject({
    "stacks/dev.yaml":
      "components:\n  terraform:\n    c:\n      vars:\n        id: !terraform.output vpc vpc_id\n",
  });
  try {
    const project = await openProject(dir);
    const describe = (processFunctions: boolean) =>
      describeComponent(project.loaded, {
        component: "c",
        stack: "dev",
        cwd: dir,
        env: project.env,
        processFunctions,
      });
    const error = await rejection(() => describe(true));
    assert.match(error.message, /YAML function !terraform\.output is not supported/);
    assert.equal(where(error), "dev.yaml:5:13");
    assert.equal((await describe(false)).vars.id, "!terraform.output vpc vpc_id");
  } finally {
    await removeTree(dir);
  }
});

Deno.test("a failing !exec is an error at its line", async () => {
  const dir = await tempProject({
    "stacks/dev.yaml": "components:\n  terraform:\n    c:\n      vars:\n        x: !exec exit 3\n",
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
    assert.match(error.message, /!exec command failed with exit code 3/);
    assert.equal(where(error), "dev.yaml:5:12");
  } finally {
    await removeTree(dir);
  }
});

Deno.test("!template uses the full template engine and decodes JSON results", async () => {
  const config = await describeIn({
    "stacks/dev.yaml": [
      "vars: { stage: dev, zones: [a, b] }",
      "components:",
      "  terraform:",
      "    c:",
      "      vars:",
      "        zones_copy: !template '{{ .vars.zones | toJson }}'",
      `        kind: !template '{{ if eq .vars.stage "prod" }}live{{ else }}test{{ end }}'`,
      `        label: !template '{{ printf "%s/%s" .atmos_stack .atmos_component | upper }}'`,
    ].join("\n"),
  });
  assert.deepEqual(config.vars.zones_copy, ["a", "b"]);
  assert.equal(config.vars.kind, "test");
  assert.equal(config.vars.label, "DEV/C");
});

Deno.test("name_template may use template functions", async () => {
  const dir = await tempProject(
    {
      "stacks/x.yaml":
        "vars: { tenant: Acme, stage: dev }\ncomponents: { terraform: { c: { vars: { y: 1 } } } }\n",
    },
    'stacks:\n  base_path: stacks\n  included_paths: ["*.yaml"]\n  name_template: "{{ .vars.tenant | lower }}-{{ .vars.stage }}"\n',
  );
  try {
    const project = await openProject(dir);
    const config = await describeComponent(project.loaded, {
      component: "c",
      stack: "acme-dev",
      cwd: dir,
      env: project.env,
    });
    assert.equal(config.vars.y, 1);
  } finally {
    await removeTree(dir);
  }
});
