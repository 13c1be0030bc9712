import assert from "node:assert/strict";
import { join } from "node:path";
import { ConfigError, formatErrorLine } from "../../lib/errors.ts";
import { loadManifest, parseWorkflow, workflowNames } from "../../lib/workflow/manifest.ts";
import { manifestPath } from "../../lib/workflow/files.ts";
import type { CommandStep, Step } from "../../lib/exec/step_spec.ts";
import { envOf, makeTree, removeTree } from "../config/helpers.ts";

async function withManifest(text: string, fn: (file: string, root: string) => Promise<void>) {
  const root = await makeTree({
    "wf.yaml": text,
    "part.yaml": "- { command: echo part, type: shell }\n",
  });
  try {
    await fn(join(root, "wf.yaml"), root);
  } finally {
    await removeTree(root);
  }
}

/** The step as a shell or atmos step (fails the test otherwise). */
function command(step: Step): CommandStep {
  assert.ok(step.type === "shell" || step.type === "atmos", `${step.name} is a ${step.type} step`);
  return step;
}

async function parseError(text: string, workflow: string): Promise<string> {
  let line = "";
  await withManifest(text, async (file, root) => {
    const manifest = await loadManifest(file, "wf.yaml", { env: envOf(), cwd: root });
    try {
      parseWorkflow(manifest, workflow);
      assert.fail("expected a ConfigError");
    } catch (error) {
      assert.ok(error instanceof ConfigError, String(error));
      line = formatErrorLine(error);
    }
  });
  return line;
}

Deno.test("parseWorkflow() names unnamed steps stepN, defaults the type to atmos and keeps env as strings", async () => {
  await withManifest(
    `workflows:
  deploy:
    description: Deploy
    stack: dev
    env: { A: 1, B: "two" }
    steps:
      - command: terraform plan vpc
      - name: verify
        type: shell
        command: ./verify.sh
        identity: prod
        env: { C: true }
        working_directory: scripts
`,
    async (file, root) => {
      const manifest = await loadManifest(file, "wf.yaml", { env: envOf(), cwd: root });
      assert.deepEqual(workflowNames(manifest), ["deploy"]);
      assert.equal(manifest.id, "wf");
      const workflow = parseWorkflow(manifest, "deploy");
      assert.equal(workflow.stack, "dev");
      assert.deepEqual(workflow.env, { A: "1", B: "two" });
      assert.deepEqual(workflow.steps.map((s) => [s.name, s.type, command(s).identity]), [
        ["step1", "atmos", undefined],
        ["verify", "shell", "prod"],
      ]);
      assert.deepEqual(command(workflow.steps[1]).env, { C: "true" });
      assert.equal(command(workflow.steps[1]).workingDirectory, "scripts");
      assert.deepEqual(workflow.steps[1].path, ["workflows", "deploy", "steps", 1]);
    },
  );
});

Deno.test("loadManifest() evaluates !include but keeps !exec and !env as literal strings", async () => {
  await withManifest(
    `workflows:
  w:
    steps: !include part.yaml
  x:
    steps:
      - { command: !exec touch should-not-exist, type: shell }
      - { command: !env HOME, type: shell }
`,
    async (file, root) => {
      const manifest = await loadManifest(file, "wf.yaml", {
        env: envOf({ HOME: "/h" }),
        cwd: root,
      });
      assert.equal(command(parseWorkflow(manifest, "w").steps[0]).command, "echo part");
      const x = parseWorkflow(manifest, "x");
      assert.deepEqual(x.steps.map((s) => command(s).command), [
        "!exec touch should-not-exist",
        "!env HOME",
      ]);
      assert.equal(
        await Deno.stat(join(root, "should-not-exist")).catch(() => undefined),
        undefined,
      );
    },
  );
});

Deno.test("loadManifest() refuses a file without a top-level workflows map", async () => {
  await withManifest("workflowstypo:\n  a: {}\n", async (file, root) => {
    await assert.rejects(
      loadManifest(file, "wf.yaml", { env: envOf(), cwd: root }),
      /invalid workflow manifest: it must be a map with a top-level workflows: map/,
    );
  });
});

Deno.test("parseWorkflow() reports bad steps with file:line:col and a fix", async () => {
  assert.equal(
    await parseError("workflows:\n  w:\n    steps: []\n", "w"),
    'wf.yaml:3:5: workflows.w.steps: workflow "w" has no steps (add at least one step under steps:)',
  );
  assert.equal(
    await parseError("workflows:\n  w:\n    steps:\n      - { type: shell }\n", "w"),
    "wf.yaml:4:9: workflows.w.steps.0: the step has no command (add command: <atmos arguments or shell script>)",
  );
  assert.match(
    await parseError("workflows:\n  w:\n    steps:\n      - { command: x, when: ci }\n", "w"),
    /^wf\.yaml:4:29: workflows\.w\.steps\.0\.when: "when" is not supported by this atmos/,
  );
  assert.match(
    await parseError(
      "workflows:\n  w:\n    steps:\n      - { command: x, retry: { max_attempts: 0 } }\n",
      "w",
    ),
    /^wf\.yaml:4:46: workflows\.w\.steps\.0\.retry\.max_attempts: max_attempts must be a whole number of at least 1/,
  );
  assert.match(
    await parseError(
      "workflows:\n  w:\n    steps:\n      - { command: x, retry: { initial_delay: 5 } }\n",
      "w",
    ),
    /retry\.initial_delay: initial_delay must be a duration such as 500ms, 5s or 1m30s \(write the unit, e\.g\. 5s\)/,
  );
  assert.match(
    await parseError("workflows:\n  w:\n    steps:\n      - { type: toast, command: x }\n", "w"),
    /^wf\.yaml:4:17: workflows\.w\.steps\.0\.type: step type "toast" is not supported by this atmos/,
  );
  assert.match(
    await parseError("workflows:\n  w:\n    steps:\n      - { command: x, idnetity: a }\n", "w"),
    /^wf\.yaml:4:33: workflows\.w\.steps\.0\.idnetity: unknown key "idnetity"; did you mean "identity"\?/,
  );
  assert.match(
    await parseError(
      "workflows:\n  w:\n    steps:\n      - { name: a, command: x }\n      - { name: a, command: y }\n",
      "w",
    ),
    /^wf\.yaml:5:17: workflows\.w\.steps\.1\.name: step name "a" is already used \(at workflows\.w\.steps\.0\)/,
  );
  assert.match(
    await parseError("workflows:\n  w:\n    env: [A]\n    steps: [{ command: x }]\n", "w"),
    /^wf\.yaml:3:5: workflows\.w\.env: env must be a map of NAME: value/,
  );
});

Deno.test("manifestPath() adds .yaml when the file has no extension and keeps absolute paths", () => {
  assert.equal(manifestPath("/p/workflows", "deploy"), "/p/workflows/deploy.yaml");
  assert.equal(manifestPath("/p/workflows", "sub/test.yml"), "/p/workflows/sub/test.yml");
  assert.equal(manifestPath("/p/workflows", "/abs/x"), "/abs/x.yaml");
});
