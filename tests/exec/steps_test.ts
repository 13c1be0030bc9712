import assert from "node:assert/strict";
import { join } from "node:path";
import {
  atmosStepArgs,
  type Clock,
  type CommandStep,
  type ControlStep,
  displayCommand,
  planSteps,
  type Question,
  runSteps,
  type RunStepsOptions,
  type Step,
} from "../../lib/exec/steps.ts";
import { parseSteps } from "../../lib/exec/step_spec.ts";

/** Steps as a workflow writes them (parsed by the shared step parser). */
function steps(raw: unknown[]): Step[] {
  return parseSteps(raw, ["steps"], (path, message) => new Error(`${path.join(".")}: ${message}`), {
    defaultType: "shell",
    perStepIdentity: true,
  });
}

interface Harness {
  options: RunStepsOptions;
  out: string[];
  err: string[];
  started: string[];
  identities: string[];
}

/** Engine options with recorded output, announcements and identity calls. */
function harness(list: Step[], extra: Partial<RunStepsOptions> = {}): Harness {
  const h: Harness = { out: [], err: [], started: [], identities: [], options: undefined! };
  h.options = {
    steps: list,
    self: [],
    expandEnv: {},
    shellLevel: 1,
    env: { PATH: "/usr/bin:/bin" },
    io: { out: (t) => h.out.push(t), err: (t) => h.err.push(t) },
    hooks: {
      withIdentity: (identity, env) => {
        h.identities.push(identity);
        return Promise.resolve({ ...env, AWS_PROFILE: identity, ATMOS_IDENTITY: identity });
      },
      onStart: (step, _index, display, parent) =>
        h.started.push(`${parent ? `${parent.name}/` : ""}${step.name}: ${display}`),
    },
    ...extra,
  };
  return h;
}

async function withDir(fn: (dir: string) => Promise<void>): Promise<void> {
  const dir = await Deno.makeTempDir({ prefix: "atmos_steps_test_" });
  try {
    await fn(dir);
  } finally {
    await Deno.remove(dir, { recursive: true });
  }
}

/** A clock whose sleeps are recorded and return at once. */
function fakeClock(): Clock & { sleeps: number[] } {
  let now = 0;
  const sleeps: number[] = [];
  return {
    sleeps,
    now: () => now,
    random: () => 0.75,
    sleep: (ms) => {
      sleeps.push(ms);
      now += ms;
      return Promise.resolve();
    },
  };
}

Deno.test("atmosStepArgs() adds -s <stack> at the end or before --, after any -s in the command", () => {
  assert.deepEqual(atmosStepArgs("terraform plan vpc", "dev", {}), [
    "terraform",
    "plan",
    "vpc",
    "-s",
    "dev",
  ]);
  assert.deepEqual(
    atmosStepArgs("terraform plan vpc --stack wrong -- -x=1", "dev", {}),
    ["terraform", "plan", "vpc", "--stack", "wrong", "-s", "dev", "--", "-x=1"],
  );
  assert.deepEqual(atmosStepArgs("atmos version", undefined, {}), ["version"]);
});

Deno.test("displayCommand() shows the command as written, with the stack, without expanding variables", () => {
  assert.equal(
    displayCommand("atmos", "auth exec -- aws --endpoint $URL", "p r"),
    "atmos auth exec -s 'p r' -- aws --endpoint $URL",
  );
  assert.equal(displayCommand("atmos", "terraform plan", "dev"), "atmos terraform plan -s dev");
  assert.equal(displayCommand("shell", "echo $SECRET\n", undefined), "echo $SECRET");
});

Deno.test("runSteps() layers env (run, shared, step), runs in the working directory and stops at the first failure", async () => {
  await withDir(async (dir) => {
    const out = join(dir, "out.txt");
    const h = harness(
      steps([
        {
          name: "a",
          command: 'echo "a $X $Y $Z $ATMOS_SHLVL $(pwd)" >> "$OUT"',
          env: { Z: "step" },
          working_directory: "sub",
        },
        { name: "b", command: "exit 4" },
        { name: "c", command: 'echo c >> "$OUT"' },
      ]),
      {
        env: { PATH: "/usr/bin:/bin", OUT: out, X: "run", Y: "run", Z: "run" },
        sharedEnv: { vars: { Y: "shared", Z: "shared" }, path: ["env"] },
        shellLevel: 3,
        resolveCwd: (d) => join(dir, d),
      },
    );
    await Deno.mkdir(join(dir, "sub"));
    const outcome = await runSteps(h.options);
    assert.deepEqual(h.started.map((s) => s.split(":")[0]), ["a", "b"]);
    assert.equal(outcome.ok, false);
    if (!outcome.ok) {
      assert.deepEqual([outcome.step.name, outcome.index, outcome.code], ["b", 1, 4]);
      assert.equal(outcome.signal, undefined);
    }
    const sub = await Deno.realPath(join(dir, "sub"));
    assert.equal(await Deno.readTextFile(out), `a run shared step 3 ${sub}\n`);
  });
});

Deno.test("runSteps() gives later steps .steps.<name>.value, stdout, stderr and exit_code, and captures only what is read", async () => {
  await withDir(async (dir) => {
    const out = join(dir, "out.txt");
    const h = harness(
      steps([
        { name: "first", command: "echo '  hello  '; echo warn >&2" },
        { name: "quiet", command: "echo hidden", output: "none" },
        {
          name: "use",
          command:
            `echo "[{{ .steps.first.value }}] {{ .steps.first.stderr | trim }} {{ .steps.first.exit_code }} {{ .steps.quiet.value }}" > "${out}"`,
        },
      ]),
    );
    assert.deepEqual(await runSteps(h.options), { ok: true });
    assert.equal(await Deno.readTextFile(out), "[hello] warn 0 hidden\n");
    // first's output is shown (through atmos, since it is read later); quiet's is not.
    assert.equal(h.out.join(""), "  hello  \n");
    assert.equal(h.err.join(""), "warn\n");
    // Step output may hold anything (a step can read a credentials file): it is masked when
    // atmos prints the command.
    assert.match(h.started[2], /^use: echo "\[\*\*\*\] \*\*\* 0 \*\*\*" > /);
  });
});

Deno.test("runSteps(): type env steps reach later steps; export: false only templates; the identity is applied last", async () => {
  await withDir(async (dir) => {
    const out = join(dir, "out.txt");
    const h = harness(
      steps([
        {
          name: "vars",
          type: "env",
          vars: { DEPLOY_ENV: "staging", AWS_PROFILE: "from-env-step", AWS_REGION: "eu-west-1" },
        },
        { name: "hidden", type: "env", export: false, vars: { ONLY_TEMPLATES: "tmpl" } },
        {
          name: "plain",
          command:
            `echo "plain $DEPLOY_ENV $AWS_PROFILE {{ .env.ONLY_TEMPLATES }} \${ONLY_TEMPLATES:-unset}" >> "${out}"`,
        },
        {
          name: "authed",
          identity: "dev",
          command: `echo "authed $DEPLOY_ENV $AWS_PROFILE $AWS_REGION" >> "${out}"`,
        },
      ]),
    );
    assert.deepEqual(await runSteps(h.options), { ok: true });
    assert.equal(
      await Deno.readTextFile(out),
      "plain staging from-env-step tmpl unset\nauthed staging dev eu-west-1\n",
    );
    assert.deepEqual(h.identities, ["dev"]);
    assert.equal(h.started[1], "hidden: env (templates only) ONLY_TEMPLATES=tmpl");
  });
});

Deno.test("runSteps() retries a failing step with its backoff, announces each retry in one line and re-applies the identity first", async () => {
  await withDir(async (dir) => {
    const counter = join(dir, "count");
    const clock = fakeClock();
    const h = harness(
      steps([{
        name: "flaky",
        identity: "dev",
        command:
          `n=$(cat "${counter}" 2>/dev/null || echo 0); n=$((n+1)); echo $n > "${counter}"; [ $n -ge 3 ]`,
        retry: {
          max_attempts: 4,
          initial_delay: "100ms",
          backoff_strategy: "exponential",
          multiplier: 3,
        },
      }]),
      { clock },
    );
    assert.deepEqual(await runSteps(h.options), { ok: true });
    assert.equal((await Deno.readTextFile(counter)).trim(), "3");
    assert.deepEqual(clock.sleeps, [100, 300]);
    assert.deepEqual(h.identities, ["dev", "dev", "dev"]);
    assert.deepEqual(h.err, [
      "[1/1] flaky: attempt 1 of 4 failed with exit code 1; retrying in 100ms\n",
      "[1/1] flaky: attempt 2 of 4 failed with exit code 1; retrying in 300ms\n",
    ]);
    assert.equal(h.started.length, 1, "the step is announced once");
  });
});

Deno.test("runSteps() gives up after max_attempts or max_elapsed_time and says so", async () => {
  const attempts = harness(
    steps([{ name: "f", command: "exit 3", retry: { max_attempts: 2, initial_delay: "1s" } }]),
    { clock: fakeClock() },
  );
  const outcome = await runSteps(attempts.options);
  assert.ok(!outcome.ok);
  assert.deepEqual([outcome.code, outcome.detail], [3, "after 2 attempts"]);

  const clock = fakeClock();
  const budget = harness(
    steps([{
      name: "f",
      command: "exit 5",
      retry: { initial_delay: "1s", backoff_strategy: "linear", max_elapsed_time: "4s" },
    }]),
    { clock },
  );
  const timed = await runSteps(budget.options);
  assert.ok(!timed.ok);
  // Waits 1s then 2s; a third wait of 3s would pass the 4s budget.
  assert.deepEqual(clock.sleeps, [1000, 2000]);
  assert.deepEqual(
    [timed.code, timed.detail],
    [5, "after 3 attempts: max_elapsed_time 4s would be exceeded"],
  );
});

Deno.test("runSteps(): prompts take their default without a terminal, ask on one, and feed .steps.<name>.value", async () => {
  await withDir(async (dir) => {
    const out = join(dir, "out.txt");
    const list = steps([
      {
        name: "env",
        type: "choose",
        prompt: "Environment?",
        options: ["dev", "prod"],
        default: "dev",
      },
      { name: "go", type: "confirm", prompt: "Deploy to {{ .steps.env.value }}?", default: "yes" },
      { name: "who", type: "input", prompt: "Who?", default: "ops" },
      {
        name: "use",
        command:
          `echo "{{ .steps.env.value }} {{ .steps.go.value }} {{ .steps.who.value }}" > "${out}"`,
      },
    ]);
    const batch = harness(list, { interactive: false });
    assert.deepEqual(await runSteps(batch.options), { ok: true });
    assert.equal(await Deno.readTextFile(out), "dev true ops\n");
    assert.equal(
      batch.started[1],
      'go: confirm "Deploy to dev?": true (the default: not on a terminal)',
    );

    const asked: Question[] = [];
    const answers: Record<string, string> = { choose: "prod", confirm: "false", input: "me" };
    const tty = harness(list, {
      interactive: true,
      hooks: {
        withIdentity: () => Promise.reject(new Error("none")),
        ask: (q) => {
          asked.push(q);
          return Promise.resolve(answers[q.type]);
        },
      },
    });
    assert.deepEqual(await runSteps(tty.options), { ok: true });
    assert.equal(await Deno.readTextFile(out), "prod false me\n");
    assert.deepEqual(asked.map((q) => [q.type, q.message, q.default]), [
      ["choose", "Environment?", "dev"],
      ["confirm", "Deploy to prod?", "true"],
      ["input", "Who?", "ops"],
    ]);
    assert.deepEqual(asked[0].options, ["dev", "prod"]);
  });
});

Deno.test("runSteps() refuses a prompt without default off a terminal before any step runs", async () => {
  await withDir(async (dir) => {
    const marker = join(dir, "ran");
    const h = harness(
      steps([
        { name: "first", command: `touch "${marker}"` },
        { name: "pick", type: "choose", prompt: "Which?", options: ["a"] },
      ]),
      { interactive: false },
    );
    await assert.rejects(
      runSteps(h.options),
      /step "pick" \(choose\) needs a terminal to ask "Which\?" and has no default/,
    );
    assert.equal(await Deno.stat(marker).then(() => true, () => false), false);
  });
});

Deno.test("runSteps() masks secrets in what it prints: credential-named variables, configuration secrets, passwords and values derived from them", async () => {
  await withDir(async (dir) => {
    const out = join(dir, "out.txt");
    const h = harness(
      steps([
        { name: "pw", type: "input", prompt: "Password?", password: true, default: "hunter2-pw" },
        { name: "derived", type: "env", vars: { KEY: "{{ .env.BASE_SK }}", REGION: "us-1" } },
        {
          name: "use",
          command:
            `echo "{{ .env.AWS_SECRET_ACCESS_KEY }} {{ .steps.pw.value }} {{ .env.KEY }} {{ env \"BASE_SK\" }} {{ .env.REGION }}" > "${out}"`,
        },
      ]),
      {
        interactive: false,
        env: {
          PATH: "/usr/bin:/bin",
          AWS_SECRET_ACCESS_KEY: "parent-secret-value",
          BASE_SK: "config-secret-value",
        },
        expandEnv: { BASE_SK: "config-secret-value" },
        secrets: ["config-secret-value"],
      },
    );
    assert.deepEqual(await runSteps(h.options), { ok: true });
    // The child gets the real values …
    assert.equal(
      await Deno.readTextFile(out),
      "parent-secret-value hunter2-pw config-secret-value config-secret-value us-1\n",
    );
    // … atmos prints none of them.
    const printed = [...h.started, ...h.err, ...h.out].join("\n");
    for (const secret of ["parent-secret-value", "hunter2-pw", "config-secret-value"]) {
      assert.ok(!printed.includes(secret), `"${secret}" was printed:\n${printed}`);
    }
    assert.match(h.started[1], /^derived: env KEY=\*\*\* REGION=us-1$/);
    assert.match(h.started[2], /^use: echo "\*\*\* \*\*\* \*\*\* \*\*\* us-1" > /);
  });
});

Deno.test("runSteps() masks secrets in template errors", async () => {
  const h = harness(
    steps([{ name: "bad", command: "echo {{ fail .env.TOKEN }}" }]),
    { env: { PATH: "/bin", TOKEN: "not-a-number-secret" } },
  );
  await assert.rejects(runSteps(h.options), (error: Error) => {
    assert.ok(!error.message.includes("not-a-number-secret"), error.message);
    return true;
  });
});

Deno.test("planSteps() renders commands with placeholders for step output and runs nothing", async () => {
  await withDir(async (dir) => {
    const marker = join(dir, "ran");
    const h = harness(
      steps([
        { name: "env", type: "choose", prompt: "Env?", options: ["dev"], default: "dev" },
        { name: "probe", command: `touch "${marker}"` },
        {
          name: "use",
          type: "atmos",
          command: "terraform plan {{ .steps.probe.value }}",
          stack: "{{ .steps.env.value }}",
          identity: "dev",
        },
      ]),
      { interactive: false },
    );
    const planned = await planSteps(h.options);
    assert.deepEqual(planned[2].fields, [
      ["command", "atmos terraform plan <steps.probe.value> -s dev"],
      ["type", "atmos"],
      ["identity", "dev"],
      ["stack", "dev"],
    ]);
    assert.deepEqual(planned[0].fields[2], ["default", "dev (asked on a terminal)"]);
    assert.deepEqual(h.identities, []);
    assert.equal(await Deno.stat(marker).then(() => true, () => false), false);
  });
});

Deno.test("runSteps() refuses a working directory that does not exist, with exit code 2", async () => {
  const h = harness(steps([{ name: "s", command: "true", working_directory: "/nonexistent/dir" }]));
  await assert.rejects(runSteps(h.options), (e: Error & { exitCode?: number }) => {
    assert.match(e.message, /working directory "\/nonexistent\/dir" of step "s" does not exist/);
    assert.equal(e.exitCode, 2);
    return true;
  });
});

/** A shell command that waits (up to 20 s) for `file` to exist, and exits 9 if it never does. */
function waitFor(file: string): string {
  return `for i in $(seq 400); do [ -e "${file}" ] && break; sleep 0.05; done; [ -e "${file}" ] || exit 9`;
}

Deno.test("runSteps(): a parallel step runs its children concurrently, after what they need, and writes their output as whole prefixed lines", async () => {
  await withDir(async (dir) => {
    const a = join(dir, "a-started");
    const b = join(dir, "b-started");
    const h = harness(
      steps([{
        name: "checks",
        type: "parallel",
        output: { mode: "prefixed", show_summary: true },
        steps: [
          // a and b each wait for the other to have started: they only finish when concurrent.
          {
            name: "a",
            command: `touch "${a}"; ${waitFor(b)}; printf 'a1\\na2'; printf 'x\\n' >&2`,
          },
          { name: "b", command: `touch "${b}"; ${waitFor(a)}; echo b1` },
          { name: "c", needs: ["a", "b"], command: "echo c-after-both" },
        ],
      }, {
        name: "after",
        command: `echo 'after {{ .steps.c.value }}' > "${join(dir, "after")}"`,
      }]),
    );
    assert.deepEqual(await runSteps(h.options), { ok: true });
    const lines = h.out.join("").split("\n").filter((l) => l !== "");
    assert.deepEqual(lines.filter((l) => l.startsWith("[a]")), ["[a] a1", "[a] a2"]);
    assert.deepEqual(lines.filter((l) => !l.startsWith("[a]")), ["[b] b1", "[c] c-after-both"]);
    assert.equal(await Deno.readTextFile(join(dir, "after")), "after c-after-both\n");
    assert.ok(h.err.includes("[a] x\n"));
    assert.ok(h.err.includes("[checks] summary: 3 succeeded, 0 failed, 0 skipped, 0 canceled\n"));
    for (const chunk of [...h.out, ...h.err]) {
      assert.ok(chunk.endsWith("\n"), JSON.stringify(chunk));
    }
  });
});

Deno.test("runSteps(): max_concurrency 1 runs the children one at a time, in order", async () => {
  await withDir(async (dir) => {
    const log = join(dir, "log");
    const child = (name: string) => ({
      name,
      command: `echo "start ${name}" >> "${log}"; sleep 0.05; echo "end ${name}" >> "${log}"`,
    });
    const h = harness(
      steps([{
        name: "one-by-one",
        type: "parallel",
        max_concurrency: 1,
        steps: [child("a"), child("b"), child("c")],
      }]),
    );
    assert.deepEqual(await runSteps(h.options), { ok: true });
    assert.equal(
      await Deno.readTextFile(log),
      "start a\nend a\nstart b\nend b\nstart c\nend c\n",
    );
  });
});

Deno.test("runSteps(): parallel failure modes wait_all, fail_fast and best_effort", async () => {
  await withDir(async (dir) => {
    const group = (mode: string, sleeper: string) =>
      steps([{
        name: "g",
        type: "parallel",
        fail: { mode },
        output: "none",
        steps: [
          { name: "bad", command: `${waitFor(join(dir, `${mode}-slow`))}; exit 3` },
          { name: "slow", command: `touch "${join(dir, `${mode}-slow`)}"; ${sleeper}` },
          { name: "dependent", needs: ["bad"], command: `touch "${join(dir, `${mode}-dep`)}"` },
        ],
      }]);
    const exists = (name: string) => Deno.stat(join(dir, name)).then(() => true, () => false);

    const waitAll = harness(group("wait_all", "sleep 0.2; echo done"));
    const all = await runSteps(waitAll.options);
    assert.ok(!all.ok);
    assert.equal(all.code, 3);
    assert.equal(all.detail, "bad failed (exit code 3), dependent skipped");
    assert.ok(waitAll.err.includes("[g] summary: 1 succeeded, 1 failed, 1 skipped, 0 canceled\n"));
    assert.equal(await exists("wait_all-dep"), false);

    const fast = harness(group("fail_fast", "sleep 30"));
    const fastOutcome = await runSteps(fast.options);
    assert.ok(!fastOutcome.ok);
    assert.equal(fastOutcome.detail, "bad failed (exit code 3), slow canceled, dependent skipped");

    const best = harness(group("best_effort", "true"));
    assert.deepEqual(await runSteps(best.options), { ok: true });
    assert.ok(best.err.includes("[g] summary: 1 succeeded, 1 failed, 1 skipped, 0 canceled\n"));
  });
});

Deno.test("runSteps(): each parallel child gets its own identity and environment; results are kept for later steps", async () => {
  await withDir(async (dir) => {
    const out = join(dir, "out.txt");
    const list = steps([{
      name: "deploy",
      type: "parallel",
      identity: "shared",
      output: "grouped",
      steps: [
        { name: "dev", identity: "dev", command: 'echo "$AWS_PROFILE/$ATMOS_IDENTITY"' },
        { name: "prod", identity: "prod", command: 'echo "$AWS_PROFILE/$ATMOS_IDENTITY"' },
        { name: "default", command: 'echo "$AWS_PROFILE/$ATMOS_IDENTITY"' },
      ],
    }, {
      name: "report",
      command:
        `echo "{{ .steps.dev.value }} {{ .steps.prod.value }} {{ .steps.default.value }} {{ .steps.prod.status }}" > "${out}"`,
    }]);
    // parseSteps leaves identities as written; the workflow layer gives children the parent's.
    const group = list[0] as ControlStep;
    group.steps = group.steps.map((c: CommandStep) => ({ ...c, identity: c.identity ?? "shared" }));
    const h = harness(list);
    assert.deepEqual(await runSteps(h.options), { ok: true });
    assert.equal(await Deno.readTextFile(out), "dev/dev prod/prod shared/shared succeeded\n");
    assert.deepEqual([...h.identities].sort(), ["dev", "prod", "shared"]);
    // Grouped: one block per child with its status line, output after it.
    const text = h.err.join("");
    for (const name of ["dev", "prod", "default"]) {
      assert.match(text, new RegExp(`\\[${name}\\] succeeded`));
    }
  });
});

Deno.test("runSteps(): a matrix step runs its steps once per combination, in order within a row, with .matrix", async () => {
  await withDir(async (dir) => {
    const log = join(dir, "log");
    const h = harness(
      steps([{
        name: "test",
        type: "matrix",
        matrix: { os: ["linux", "darwin"], go: ["1.22"] },
        output: "none",
        steps: [
          {
            name: "build",
            command: `echo "build {{ .matrix.os }} {{ .matrix.go }} {{ .step.name }}" >> "${log}"`,
          },
          { name: "check", command: `grep -q "build {{ .matrix.os }}" "${log}"` },
        ],
      }]),
    );
    assert.deepEqual(await runSteps(h.options), { ok: true });
    const lines = (await Deno.readTextFile(log)).trim().split("\n").sort();
    assert.equal(lines.length, 2);
    assert.match(lines[0], /^build darwin 1\.22 test_go_1_22_\w+_os_darwin_\w+_build$/);
    assert.match(lines[1], /^build linux 1\.22 test_go_1_22_\w+_os_linux_\w+_build$/);
  });
});

Deno.test("runSteps() finds a reference to a step that does not exist before any step runs", async () => {
  await withDir(async (dir) => {
    const marker = join(dir, "ran");
    const h = harness(
      steps([
        { name: "first", command: `touch "${marker}"` },
        { name: "g", type: "parallel", steps: [{ command: "true" }] },
        { name: "use", command: "echo {{ .steps.g_step2.value }}" },
      ]),
    );
    await assert.rejects(runSteps(h.options), /map has no entry for key "g_step2"/);
    assert.equal(await Deno.stat(marker).then(() => true, () => false), false);
  });
});

Deno.test("runSteps() never prints what an identity's session set, though the step's command uses it", async () => {
  await withDir(async (dir) => {
    const out = join(dir, "out.txt");
    const h = harness(
      steps([{
        name: "who",
        identity: "dev",
        command:
          `echo "{{ .env.AWS_PROFILE }} {{ .env.ATMOS_IDENTITY }} {{ .env.HOME }}" > "${out}"`,
      }]),
      { env: { PATH: "/usr/bin:/bin", HOME: "/home/me" } },
    );
    assert.deepEqual(await runSteps(h.options), { ok: true });
    assert.equal(await Deno.readTextFile(out), "dev dev /home/me\n");
    assert.match(h.started[0], /^who: echo "\*\*\* \*\*\* \/home\/me" > /);
  });
});
