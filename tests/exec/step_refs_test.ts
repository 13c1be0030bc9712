import assert from "node:assert/strict";
import {
  captureNeeds,
  streamsToCapture,
  templatesReadEnv,
  templateTexts,
} from "../../lib/exec/step_refs.ts";
import { parseSteps } from "../../lib/exec/step_spec.ts";

Deno.test("captureNeeds() captures the streams a template reads, by step and field", () => {
  const needs = captureNeeds([
    "plan {{ .steps.component.value }} -s {{ $.steps.stack.stdout }}",
    "echo {{ .steps.check.stderr }} {{ .steps.probe.exit_code }}",
    'echo {{ (index .steps "with space").value }} {{ index .steps "whole" }}',
    "no template .steps.ignored.value",
  ]);
  assert.equal(needs.all, false);
  assert.deepEqual([...needs.stdout].sort(), ["component", "stack", "whole", "with space"]);
  assert.deepEqual([...needs.stderr].sort(), ["check", "whole"]);
  assert.deepEqual(streamsToCapture(needs, "probe"), { stdout: false, stderr: false });
  assert.deepEqual(streamsToCapture(needs, "check"), { stdout: false, stderr: true });
});

Deno.test("captureNeeds() captures every step when a template reaches .steps some other way", () => {
  for (const text of ["{{ range .steps }}{{ .value }}{{ end }}", "{{ $s := .steps }}{{ $s.x }}"]) {
    const needs = captureNeeds([text]);
    assert.equal(needs.all, true, text);
    assert.deepEqual(streamsToCapture(needs, "anything"), { stdout: true, stderr: true });
  }
});

Deno.test("templatesReadEnv() tells whether a template reads the environment", () => {
  assert.equal(templatesReadEnv(["{{ .env.HOME }}"]), true);
  assert.equal(templatesReadEnv(["{{ .Env.HOME }}"]), true);
  assert.equal(templatesReadEnv(['{{ env "HOME" }}']), true);
  assert.equal(templatesReadEnv(["{{ .steps.environment.value }}", "echo $HOME .env"]), false);
});

Deno.test("templateTexts() lists every template field, and a parallel step's default label is none", () => {
  const steps = parseSteps(
    [
      { type: "env", vars: { A: "{{ .x }}" } },
      { type: "parallel", steps: [{ command: "true", env: { B: "b" } }] },
    ],
    ["steps"],
    (_path, message) => new Error(message),
    { defaultType: "shell", perStepIdentity: true },
  );
  assert.deepEqual(templateTexts(steps), [
    { text: "{{ .x }}", where: "steps.0.vars.A" },
    { text: "true", where: "steps.1.steps.0.command" },
    { text: "b", where: "steps.1.steps.0.env.B" },
  ]);
});
