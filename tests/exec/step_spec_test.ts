import assert from "node:assert/strict";
import { parseSteps, type Path, type StepContext } from "../../lib/exec/step_spec.ts";

const WORKFLOW: StepContext = { defaultType: "atmos", perStepIdentity: true };
const COMMAND: StepContext = { defaultType: "shell", perStepIdentity: false };

function parse(raw: unknown[], context = WORKFLOW) {
  return parseSteps(
    raw,
    ["steps"],
    (path: Path, message: string, hint?: string) =>
      new Error(`${path.join(".")}: ${message}${hint ? ` (${hint})` : ""}`),
    context,
  );
}

Deno.test("parseSteps() names steps, defaults the type per context and reads each type's fields", () => {
  const [plan, env, pick, group] = parse([
    { command: "terraform plan vpc", stack: "dev", output: "none" },
    { type: "env", export: false, vars: { A: 1, B: true } },
    { name: "pick", type: "choose", prompt: "Which?", options: ["a", 2], default: 2 },
    {
      type: "parallel",
      max_concurrency: 2,
      fail: { mode: "fail_fast", max_failures: 2 },
      output: "prefixed",
      steps: [{ command: "a" }, { name: "b", command: "b", needs: ["step4_step1"] }],
    },
  ]);
  assert.ok(plan.type === "atmos");
  assert.deepEqual([plan.name, plan.stack, plan.quiet], ["step1", "dev", true]);
  assert.deepEqual(env, {
    name: "step2",
    path: ["steps", 1],
    type: "env",
    vars: { A: "1", B: "true" },
    export: false,
  });
  assert.ok(pick.type === "choose");
  assert.deepEqual([pick.options, pick.default], [["a", "2"], "2"]);
  assert.ok(group.type === "parallel");
  assert.deepEqual(group.steps.map((s) => [s.name, s.needs]), [
    ["step4_step1", []],
    ["b", ["step4_step1"]],
  ]);
  assert.deepEqual(group.fail, { mode: "fail_fast", maxFailures: 2 });
  assert.equal(group.output.mode, "prefixed");
  assert.equal(parse([{ command: "echo hi" }], COMMAND)[0].type, "shell");
});

Deno.test("parseSteps() expands a matrix, each row in order unless needs says otherwise", () => {
  const [matrix] = parse([{
    name: "m",
    type: "matrix",
    matrix: { os: ["linux", "darwin"] },
    steps: [{ name: "build", command: "b" }, { name: "test", command: "t" }],
  }]);
  assert.ok(matrix.type === "matrix");
  assert.equal(matrix.steps.length, 4);
  const [build, test] = matrix.steps;
  assert.deepEqual(build.matrix, { os: "linux" });
  assert.deepEqual(test.needs, [build.name]);
  assert.match(test.name, /^m_os_linux_\w+_test$/);
});

Deno.test("parseSteps() refuses keys of other types, misplaced needs and per-step identities in commands", () => {
  const cases: [unknown[], StepContext, RegExp][] = [
    [
      [{ type: "env", vars: { A: 1 }, command: "x" }],
      WORKFLOW,
      /steps\.0\.command: "command" is not used by env steps/,
    ],
    [
      [{ command: "x", needs: ["y"] }],
      WORKFLOW,
      /steps\.0\.needs: "needs" works only for steps inside a parallel or matrix step/,
    ],
    [
      [{ command: "x", identity: "dev" }],
      COMMAND,
      /steps\.0\.identity: "identity" is not supported on custom command steps/,
    ],
    [
      [{ command: "x", tty: true }],
      WORKFLOW,
      /steps\.0\.tty: "tty" is not supported by this atmos/,
    ],
    [[{ type: "env" }], WORKFLOW, /steps\.0: an env step needs vars: NAME: value/],
    [[{ type: "choose", prompt: "x" }], WORKFLOW, /steps\.0: a choose step needs options:/],
    [[{ type: "confirm" }], WORKFLOW, /steps\.0: a confirm step needs prompt: <question>/],
    [
      [{ type: "shel", command: "x" }],
      WORKFLOW,
      /steps\.0\.type: step type "shel" is not supported; did you mean "shell"\?/,
    ],
    [
      [{ command: "x", output: "viewport" }],
      WORKFLOW,
      /steps\.0\.output: output "viewport" is not supported by this atmos/,
    ],
    [
      [{ type: "parallel", steps: [] }],
      WORKFLOW,
      /steps\.0\.steps: a parallel step needs steps: to run/,
    ],
    [
      [{ type: "parallel", max_concurrency: -1, steps: [{ command: "x" }] }],
      WORKFLOW,
      /max_concurrency must be a whole number/,
    ],
    [
      [{
        type: "parallel",
        output: { mode: "grouped", order: "random" },
        steps: [{ command: "x" }],
      }],
      WORKFLOW,
      /output order "random" is not supported/,
    ],
    [
      [{ name: "a", command: "x" }, { type: "parallel", steps: [{ name: "a", command: "y" }] }],
      WORKFLOW,
      /steps\.1\.steps\.0\.name: step name "a" is already used \(at steps\.0\)/,
    ],
  ];
  for (const [raw, context, pattern] of cases) {
    assert.throws(() => parse(raw, context), pattern, JSON.stringify(raw));
  }
});
