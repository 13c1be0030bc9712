/**
 * End-to-end tests of `parallel` and `matrix` steps (issue 13, item 9), shaped like Atmos's
 * `examples/parallel-steps`: concurrent branches each with its own identity (one authentication
 * per distinct identity, counted by the emulator; a real AWS CLI or boto3 child per branch
 * reports its own role; no branch sees another's pointers), parent-owned output, Atmos's
 * failure modes, matrix expansion, dry runs, configuration errors and Ctrl-C.
 */
import { join } from "node:path";
import assert from "node:assert/strict";
import { assertNoSecrets } from "./harness.ts";
import {
  ARNS,
  authCalls,
  exists,
  interruptedRun,
  PARENT_KEY_ID,
  seedSandbox,
  SHOW_STACK_COMMAND,
} from "./workflow_support.ts";

/** Prints `<name> profile=… identity=… key=… arn=…` with the AWS CLI. */
function awsCliBranch(name: string): string {
  return `echo "${name} profile=$AWS_PROFILE identity=\${ATMOS_IDENTITY:-none} key=\${AWS_ACCESS_KEY_ID:-none} arn=$(/usr/bin/aws sts get-caller-identity --endpoint-url $EMU_URL --query Arn --output text)"`;
}

/** The same with boto3. */
const WHOAMI_PY = `import os, sys, boto3
arn = boto3.client("sts", endpoint_url=os.environ["EMU_URL"]).get_caller_identity()["Arn"]
env = os.environ.get
print(f"{sys.argv[1]} profile={env('AWS_PROFILE')} identity={env('ATMOS_IDENTITY', 'none')} key={env('AWS_ACCESS_KEY_ID', 'none')} arn={arn}")
`;

const PARALLEL_YAML = `
workflows:
  deploy-parallel:
    description: Four accounts at once, three distinct identities, and a branch without one
    steps:
      - name: accounts
        type: parallel
        output: prefixed
        steps:
          - name: dev
            type: shell
            identity: dev-account
            command: '${awsCliBranch("dev")}'
          - name: staging
            type: shell
            identity: staging-account
            command: /usr/bin/python3 scripts/whoami.py staging
          - name: prod
            type: shell
            identity: prod-account
            command: '${awsCliBranch("prod")}'
          - name: dev_again
            type: shell
            identity: dev-account
            command: /usr/bin/python3 scripts/whoami.py dev_again
          - name: plain
            type: shell
            command: echo "plain profile=$AWS_PROFILE identity=\${ATMOS_IDENTITY:-none} key=\${AWS_ACCESS_KEY_ID:-none}"
      - name: summary
        type: shell
        command: echo "summary {{ .steps.dev.status }} {{ .steps.plain.value }}"

  matrix-stacks:
    steps:
      - name: plan
        type: matrix
        max_concurrency: 2
        output: { mode: grouped, order: definition }
        matrix:
          stack: [dev, prod]
          component: [vpc, eks]
        steps:
          - name: show
            stack: "{{ .matrix.stack }}"
            command: show-stack
          - name: after
            type: shell
            env: { COMPONENT: "{{ .matrix.component }}" }
            command: echo "after $COMPONENT {{ .matrix.stack }} {{ .step.name }}"

  fail-fast:
    steps:
      - name: checks
        type: parallel
        fail: { mode: fail_fast }
        steps:
          - name: lint
            type: shell
            command: until [ -e slow-started ]; do sleep 0.05; done; echo lint-broke; exit 2
          - name: slow
            type: shell
            command: trap 'echo slow-terminated; exit 143' TERM; touch slow-started; sleep 30 >/dev/null 2>&1 & wait
          - { name: package, type: shell, needs: [lint], command: touch package-ran }
      - { name: never, type: shell, command: touch never-ran }

  wait-all:
    steps:
      - name: checks
        type: parallel
        steps:
          - { name: lint, type: shell, command: "until [ -e unit-done ]; do sleep 0.05; done; exit 2" }
          - { name: unit, type: shell, command: "echo unit-ok; touch unit-done" }
          - { name: package, type: shell, needs: [lint, unit], command: touch package-ran }

  interrupt-parallel:
    steps:
      - name: branches
        type: parallel
        output: prefixed
        steps:
          - name: one
            type: shell
            command: trap 'echo one-got-INT; exit 130' INT; touch one-started; sleep 30 >/dev/null 2>&1 & wait
          - name: two
            type: shell
            command: trap 'echo two-got-INT; exit 0' INT; until [ -e one-started ]; do sleep 0.05; done; touch started; sleep 30 >/dev/null 2>&1 & wait
          - { name: three, type: shell, needs: [one], command: touch three-ran }
      - { name: after, type: shell, command: touch after-ran }
`;

function fixture() {
  return seedSandbox({
    "workflows/parallel.yaml": PARALLEL_YAML,
    "scripts/whoami.py": WHOAMI_PY,
    ".atmos.d/show-stack.yaml": SHOW_STACK_COMMAND,
  });
}

Deno.test("parallel branches each run with their own identity: one authentication per distinct identity, a real client per branch reports its role, no branch sees another's pointers", async () => {
  const { emu, sb, cleanup } = await fixture();
  try {
    const result = await sb.run(["workflow", "deploy-parallel", "-f", "parallel"]);
    assert.equal(result.code, 0, result.stderr);
    const lines = result.stdout.trim().split("\n");
    const branch = (name: string, identity: string) =>
      `[${name}] ${name} profile=${identity} identity=${identity} key=none arn=${ARNS[identity]}`;
    assert.deepEqual(lines.filter((l) => l.startsWith("[")).sort(), [
      branch("dev", "dev-account"),
      branch("dev_again", "dev-account"),
      `[plain] plain profile=parent-profile identity=none key=${PARENT_KEY_ID}`,
      branch("prod", "prod-account"),
      branch("staging", "staging-account"),
    ]);
    // Whole lines only, each from one branch.
    assert.equal(lines.length, 6);
    assert.equal(
      lines.at(-1),
      `summary succeeded plain profile=parent-profile identity=none key=${PARENT_KEY_ID}`,
    );
    // The base user once, then one AssumeRole per distinct identity (dev-account is shared).
    assert.deepEqual(authCalls(emu), { GetSessionToken: 1, AssumeRole: 3 });
    assert.match(result.stderr, /^\[1\/2\] accounts: parallel: 5 steps$/m);
    assert.match(result.stderr, /^\[1\/2\] accounts\/staging \(identity staging-account\): /m);
    assert.match(
      result.stderr,
      /^\[accounts\] summary: 5 succeeded, 0 failed, 0 skipped, 0 canceled$/m,
    );
    assertNoSecrets(emu.secrets(), { stdout: result.stdout, stderr: result.stderr });

    // Warm: every session is cached, nothing authenticates.
    emu.resetCalls();
    const warm = await sb.run(["workflow", "deploy-parallel", "-f", "parallel"]);
    assert.equal(warm.code, 0, warm.stderr);
    assert.deepEqual(authCalls(emu), { GetSessionToken: 0, AssumeRole: 0 });
  } finally {
    await cleanup();
  }
});

Deno.test("--dry-run shows a parallel step's children with their identities and authenticates nothing", async () => {
  const { emu, sb, cleanup } = await fixture();
  try {
    const dry = await sb.run(["workflow", "deploy-parallel", "-f", "parallel", "--dry-run"]);
    assert.equal(dry.code, 0, dry.stderr);
    assert.match(dry.stdout, /\n {2}1\. accounts\n {5}type: {5}parallel\n/);
    assert.match(
      dry.stdout,
      /\n {5}1\.2\. staging\n {10}command: {2}\/usr\/bin\/python3 scripts\/whoami\.py staging\n {10}type: {5}shell\n {10}identity: staging-account\n/,
    );
    assert.match(dry.stdout, /\n {5}1\.5\. plain\n(.*\n){2} {10}identity: \(none\)\n/);
    assert.match(
      dry.stdout,
      /command: {2}echo "summary <steps\.dev\.status> <steps\.plain\.value>"/,
    );
    assert.equal(emu.calls(), 0);
  } finally {
    await cleanup();
  }
});

Deno.test("a matrix step runs its steps per combination (in order within one), with .matrix in stack and env, output grouped in definition order", async () => {
  const { sb, cleanup } = await fixture();
  try {
    const result = await sb.run(["workflow", "matrix-stacks", "-f", "parallel"]);
    assert.equal(result.code, 0, result.stderr);
    const names = [...result.stderr.matchAll(/^\[(plan_\S+)\] succeeded$/gm)].map((m) => m[1]);
    assert.equal(names.length, 8);
    // Axes in sorted order (component, then stack), values as written.
    assert.match(names[0], /^plan_component_vpc_[0-9a-z]+_stack_dev_[0-9a-z]+_show$/);
    assert.equal(
      result.stdout,
      [
        "show-stack stack=dev",
        `after vpc dev ${names[1]}`,
        "show-stack stack=prod",
        `after vpc prod ${names[3]}`,
        "show-stack stack=dev",
        `after eks dev ${names[5]}`,
        "show-stack stack=prod",
        `after eks prod ${names[7]}`,
        "",
      ].join("\n"),
    );
    assert.match(
      result.stderr,
      /^\[plan\] summary: 8 succeeded, 0 failed, 0 skipped, 0 canceled$/m,
    );
  } finally {
    await cleanup();
  }
});

Deno.test("parallel failures: fail_fast cancels the running branch and skips its dependents; wait_all lets branches finish; the run stops with the resume hint", async () => {
  const { sb, cleanup } = await fixture();
  try {
    const fast = await sb.run(["workflow", "fail-fast", "-f", "parallel"]);
    assert.equal(fast.code, 2, fast.stderr);
    assert.match(
      fast.stderr,
      /^error: step "checks" failed: lint failed \(exit code 2\), slow canceled, package skipped \(resume with: atmos workflow fail-fast -f parallel --from-step checks\)$/m,
    );
    assert.match(fast.stderr, /^\[slow\] canceled$/m);
    assert.match(fast.stderr, /^\[package\] skipped \(needs "lint", which failed\)$/m);
    assert.match(fast.stdout, /^slow-terminated$/m);
    assert.match(fast.stdout, /^lint-broke$/m);
    assert.equal(await exists(join(sb.project, "package-ran")), false);
    assert.equal(await exists(join(sb.project, "never-ran")), false);

    const all = await sb.run(["workflow", "wait-all", "-f", "parallel"]);
    assert.equal(all.code, 2, all.stderr);
    assert.match(all.stdout, /^unit-ok$/m);
    assert.match(all.stderr, /^\[checks\] summary: 1 succeeded, 1 failed, 1 skipped, 0 canceled$/m);
    assert.equal(await exists(join(sb.project, "package-ran")), false);
  } finally {
    await cleanup();
  }
});

Deno.test("parallel and matrix mistakes are located configuration errors before any step runs", async () => {
  const bad = (steps: string) =>
    `workflows:\n  w:\n    steps:\n      - { type: shell, command: touch ran }\n${steps}`;
  const { emu, sb, write, cleanup } = await fixture();
  try {
    const cases: [string, RegExp][] = [
      [
        "      - name: g\n        type: parallel\n        steps:\n          - { name: a, type: input, prompt: x, default: y }\n",
        /workflows\.w\.steps\.1\.steps\.0\.type: a input step cannot run inside parallel step "g"/,
      ],
      [
        "      - name: g\n        type: parallel\n        steps:\n          - { name: a, type: shell, command: x, needs: [b] }\n",
        /workflows\.w\.steps\.1\.steps\.0\.needs\.0: step "a" needs "b", which is not a step of this group/,
      ],
      [
        "      - name: g\n        type: parallel\n        steps:\n          - { name: a, type: shell, command: x, needs: [b] }\n          - { name: b, type: shell, command: x, needs: [a] }\n",
        /steps needing each other in a cycle, including "a"/,
      ],
      [
        "      - name: g\n        type: matrix\n        matrix: { os: [] }\n        steps: [{ type: shell, command: x }]\n",
        /workflows\.w\.steps\.1\.matrix\.os: matrix axis "os" needs at least one value/,
      ],
      [
        "      - { name: g, type: parallel, fail: { mode: fail-fast }, steps: [{ type: shell, command: x }] }\n",
        /fail mode "fail-fast" is not supported; did you mean "fail_fast"\?/,
      ],
      [
        "      - { name: note, type: markdown, content: hi }\n",
        /workflows\.w\.steps\.1\.type: step type "markdown" is not supported by this atmos/,
      ],
    ];
    for (const [steps, pattern] of cases) {
      await write("workflows/bad.yaml", bad(steps));
      const result = await sb.run(["workflow", "w", "-f", "bad"]);
      assert.equal(result.code, 2, result.stderr);
      assert.match(result.stderr, /^error: workflows\/bad\.yaml:\d+:\d+: /);
      assert.match(result.stderr, pattern);
      assert.equal(await exists(join(sb.project, "ran")), false);
    }
    assert.equal(emu.calls(), 0);
  } finally {
    await cleanup();
  }
});

Deno.test("Ctrl-C stops every branch of a parallel step and the workflow", async () => {
  const { sb, cleanup } = await fixture();
  try {
    const result = await interruptedRun(sb, ["workflow", "interrupt-parallel", "-f", "parallel"]);
    assert.equal(result.code, 130, result.stderr);
    assert.match(result.stdout, /^\[one\] one-got-INT$/m);
    assert.match(result.stdout, /^\[two\] two-got-INT$/m);
    assert.match(
      result.stderr,
      /stopped by SIGINT at step "branches" \(resume with: atmos workflow interrupt-parallel -f parallel --from-step branches\)/,
    );
    assert.equal(await exists(join(sb.project, "three-ran")), false);
    assert.equal(await exists(join(sb.project, "after-ran")), false);
  } finally {
    await cleanup();
  }
});
