import assert from "node:assert/strict";
import { join } from "node:path";
import { atmosStepArgs, displayCommand, runSteps, type Step } from "../../lib/exec/steps.ts";

function step(overrides: Partial<Step>): Step {
  return { name: "s", type: "atmos", command: "", env: {}, ...overrides };
}

Deno.test("atmosStepArgs() adds -s <stack> at the end or before --, after any -s in the command", () => {
  assert.deepEqual(atmosStepArgs(step({ command: "terraform plan vpc", stack: "dev" }), {}), [
    "terraform",
    "plan",
    "vpc",
    "-s",
    "dev",
  ]);
  assert.deepEqual(
    atmosStepArgs(step({ command: "terraform plan vpc --stack wrong -- -x=1", stack: "dev" }), {}),
    ["terraform", "plan", "vpc", "--stack", "wrong", "-s", "dev", "--", "-x=1"],
  );
  assert.deepEqual(atmosStepArgs(step({ command: "atmos version" }), {}), ["version"]);
});

Deno.test("displayCommand() shows the command as written, with the stack, without expanding variables", () => {
  assert.equal(
    displayCommand(step({ command: "auth exec -- aws --endpoint $URL", stack: "p r" })),
    "atmos auth exec -s 'p r' -- aws --endpoint $URL",
  );
  assert.equal(
    displayCommand(step({ command: "terraform plan", stack: "dev" })),
    "atmos terraform plan -s dev",
  );
  assert.equal(displayCommand(step({ type: "shell", command: "echo $SECRET\n" })), "echo $SECRET");
});

Deno.test("runSteps() runs shell steps in order with their env and cwd and stops at the first failure", async () => {
  const dir = await Deno.makeTempDir({ prefix: "atmos_steps_test_" });
  try {
    const out = join(dir, "out.txt");
    const env = { PATH: "/usr/bin:/bin", OUT: out };
    const started: string[] = [];
    const outcome = await runSteps({
      steps: [
        step({
          name: "a",
          type: "shell",
          command: 'echo "a $X $ATMOS_SHLVL $(pwd)" >> "$OUT"',
          env: { ...env, X: "1" },
          cwd: dir,
        }),
        step({ name: "b", type: "shell", command: "exit 4", env }),
        step({ name: "c", type: "shell", command: 'echo c >> "$OUT"', env }),
      ],
      self: ["/nonexistent/atmos"],
      expandEnv: {},
      shellLevel: 3,
      hooks: {
        withIdentity: () => Promise.reject(new Error("no identity expected")),
        onStart: (s) => started.push(s.name),
      },
    });
    assert.deepEqual(started, ["a", "b"]);
    assert.equal(outcome.ok, false);
    if (!outcome.ok) {
      assert.equal(outcome.step.name, "b");
      assert.equal(outcome.index, 1);
      assert.equal(outcome.code, 4);
      assert.equal(outcome.signal, undefined);
    }
    assert.equal(await Deno.readTextFile(out), `a 1 3 ${await Deno.realPath(dir)}\n`);
  } finally {
    await Deno.remove(dir, { recursive: true });
  }
});

Deno.test("runSteps() applies the identity hook before every step that has an identity", async () => {
  const dir = await Deno.makeTempDir({ prefix: "atmos_steps_test_" });
  try {
    const out = join(dir, "out.txt");
    const env = { PATH: "/usr/bin:/bin", OUT: out, AWS_PROFILE: "parent" };
    const calls: string[] = [];
    const outcome = await runSteps({
      steps: [
        step({
          name: "one",
          type: "shell",
          identity: "dev",
          command: 'echo "$AWS_PROFILE" >> "$OUT"',
          env,
        }),
        step({ name: "two", type: "shell", command: 'echo "$AWS_PROFILE" >> "$OUT"', env }),
        step({
          name: "three",
          type: "shell",
          identity: "dev",
          command: 'echo "$AWS_PROFILE" >> "$OUT"',
          env,
        }),
      ],
      self: [],
      expandEnv: {},
      shellLevel: 1,
      hooks: {
        withIdentity: (identity, base) => {
          calls.push(identity);
          return Promise.resolve({ ...base, AWS_PROFILE: identity });
        },
      },
    });
    assert.deepEqual(outcome, { ok: true });
    assert.deepEqual(calls, ["dev", "dev"]);
    assert.equal(await Deno.readTextFile(out), "dev\nparent\ndev\n");
  } finally {
    await Deno.remove(dir, { recursive: true });
  }
});

Deno.test("runSteps() refuses a working directory that does not exist, with exit code 2", async () => {
  await assert.rejects(
    runSteps({
      steps: [
        step({ type: "shell", command: "true", cwd: "/nonexistent/dir", env: { PATH: "/bin" } }),
      ],
      self: [],
      expandEnv: {},
      shellLevel: 1,
      hooks: { withIdentity: (_i, env) => Promise.resolve(env) },
    }),
    (e: Error & { exitCode?: number }) => {
      assert.match(e.message, /working directory "\/nonexistent\/dir" of step "s" does not exist/);
      assert.equal(e.exitCode, 2);
      return true;
    },
  );
});
