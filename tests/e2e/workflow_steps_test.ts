/**
 * End-to-end tests of the step features Atmos workflows have grown (issue 13, items 6–8 and
 * 10): step outputs and templates, `type: env` steps, `retry:`, and `input`/`choose`/`confirm`
 * steps with and without a terminal. The fixture is shaped like Atmos's
 * `tests/fixtures/scenarios/workflows/stacks/workflows/test.yaml` (its env-step and retry
 * workflows keep their names) plus the seed's identities; real children run every step, and the
 * AWS CLI inside steps proves which role a step ran as.
 */
import { join } from "node:path";
import assert from "node:assert/strict";
import { assertNoSecrets } from "./harness.ts";
import {
  ARNS,
  authCalls,
  exists,
  interruptedRun,
  linesStarting,
  seedSandbox,
  SHOW_STACK_COMMAND,
} from "./workflow_support.ts";
import { runOnTty } from "./tty.ts";

const CALLER =
  "/usr/bin/aws sts get-caller-identity --endpoint-url $EMU_URL --query Arn --output text";

const TEST_YAML = `
workflows:
  env-step-propagates-to-shell:
    description: Verify an env step passes variables to a following shell step.
    steps:
      - name: set-env
        type: env
        vars:
          FOO: bar
      - name: verify-shell-env
        type: shell
        command: |
          printf 'FOO=<%s>\\n' "$FOO"
          test "$FOO" = "bar"

  env-step-propagates-to-atmos:
    description: Verify an env step passes variables to a following atmos step.
    steps:
      - name: set-env
        type: env
        vars:
          FOO: bar
      - name: verify-atmos-env
        type: atmos
        command: workflow env-step-propagation-child --file test

  env-step-propagation-child:
    description: Assert the parent atmos workflow step propagated FOO to this process.
    steps:
      - name: verify-child-shell-env
        type: shell
        command: |
          printf 'FOO=<%s>\\n' "$FOO"
          test "$FOO" = "bar"

  env-step-template-only:
    description: An env step can stay available to templates without exporting to a process.
    steps:
      - name: set-template-env
        type: env
        export: false
        vars:
          ATMOS_ENV_STEP_TEMPLATE_ONLY_CLI_TEST: bar
      - name: verify-template-only-env
        type: shell
        command: |
          printf 'TEMPLATE=<{{ .env.ATMOS_ENV_STEP_TEMPLATE_ONLY_CLI_TEST }}>\\n'
          test -z "\${ATMOS_ENV_STEP_TEMPLATE_ONLY_CLI_TEST+set}"

  retry-success:
    description: Retry configuration with a command that succeeds immediately.
    steps:
      - command: echo "Success on first try"
        type: shell
        retry:
          max_attempts: 3
          initial_delay: 100ms
          backoff_strategy: constant

  retry-full-config:
    description: Retry with all configuration options specified.
    steps:
      - command: echo "Testing full retry config"
        type: shell
        retry:
          max_attempts: 2
          initial_delay: 50ms
          max_delay: 200ms
          backoff_strategy: exponential
          multiplier: 2.0
          random_jitter: 0.1

  outputs:
    description: Step results feed later steps' command, env, stack and working directory.
    env:
      REGION: us-east-2
    steps:
      - name: component
        type: shell
        command: echo vpc
      - name: dir
        type: shell
        command: echo scripts
      - name: stack_of
        type: atmos
        stack: from-output
        command: show-stack
      - name: use
        type: shell
        working_directory: "{{ .steps.dir.value }}"
        env:
          COMPONENT: "{{ .steps.component.value }}"
        command: >-
          echo "use component=$COMPONENT code={{ .steps.component.exit_code }}
          region={{ .env.REGION }} dir=$(basename "$(pwd)")
          atmos=[{{ index (splitList "\\n" .steps.stack_of.stdout) 0 }}]"
      - name: plan
        type: atmos
        stack: "{{ .steps.component.value }}-{{ .env.REGION }}"
        command: show-stack

  secrets:
    description: Values read from a credentials file or the configuration's secrets are never printed.
    steps:
      - name: read_key
        type: shell
        identity: dev-account
        output: none
        command: sed -n 's/^aws_secret_access_key *= *//p' "$AWS_SHARED_CREDENTIALS_FILE" | head -1
      - name: copy
        type: env
        vars:
          KEY_COPY: "{{ .steps.read_key.value }}"
          PLAIN: visible-value
      - name: use
        type: shell
        command: >-
          test -n "{{ .steps.read_key.value }}" &&
          test "{{ .env.KEY_COPY }}" = "{{ .steps.read_key.value }}" &&
          test "{{ .env.BASE_SK }}" = "$BASE_SK" &&
          echo "secret-checks-ok plain={{ .env.PLAIN }} length=$(printf %s '{{ .steps.read_key.value }}' | wc -c)"

  pointers:
    description: An env step cannot replace the identity's pointers; the identity is applied last.
    steps:
      - name: hijack
        type: env
        vars:
          AWS_PROFILE: hijacked
          AWS_SHARED_CREDENTIALS_FILE: /tmp/hijacked-credentials
          AWS_CONFIG_FILE: /tmp/hijacked-config
          ATMOS_IDENTITY: hijacked
          AWS_ACCESS_KEY_ID: AKIAHIJACKEDBYENVSTEP
      - name: authed
        type: shell
        identity: dev-account
        command: echo "authed $AWS_PROFILE $ATMOS_IDENTITY \${AWS_ACCESS_KEY_ID:-none} $(${CALLER})"
      - name: plain
        type: shell
        command: echo "plain $AWS_PROFILE $ATMOS_IDENTITY $AWS_ACCESS_KEY_ID"

  flaky:
    description: Fails twice, then succeeds; every attempt runs with the identity's session.
    steps:
      - name: flaky
        type: shell
        identity: dev-account
        retry:
          max_attempts: 4
          initial_delay: 50ms
          backoff_strategy: linear
        command: |
          n=$(cat attempts 2>/dev/null || echo 0); n=$((n+1)); echo $n > attempts
          echo "attempt $n as $(${CALLER})"
          [ "$n" -ge 3 ]

  always-fails:
    steps:
      - name: broken
        type: shell
        retry: { max_attempts: 2, initial_delay: 10ms }
        command: echo "try"; exit 6

  retry-interrupted:
    steps:
      - name: waits
        type: shell
        retry: { max_attempts: 3, initial_delay: 30s }
        command: echo attempt >> attempts; touch started; exit 1
      - { name: after, type: shell, command: touch after-ran }

  interactive:
    description: Prompts; without a terminal their defaults are used.
    steps:
      - name: select_env
        type: choose
        prompt: Select target environment
        options: [development, staging, production]
        default: staging
      - name: confirm_deploy
        type: confirm
        prompt: "Deploy to {{ .steps.select_env.value }}?"
        default: "no"
      - name: notes
        type: input
        prompt: Deployment notes
        default: none
      - name: deploy
        type: shell
        env:
          DEPLOY_ENV: "{{ .steps.select_env.value }}"
        command: echo "deploy env=$DEPLOY_ENV confirmed={{ .steps.confirm_deploy.value }} notes={{ .steps.notes.value }}"

  interactive-no-default:
    steps:
      - { name: first, type: shell, command: touch ran-first }
      - { name: pick, type: choose, prompt: Pick one, options: [a, b] }
`;

function fixture() {
  return seedSandbox({
    "workflows/test.yaml": TEST_YAML,
    ".atmos.d/show-stack.yaml": SHOW_STACK_COMMAND,
  });
}

Deno.test("Atmos's env-step and retry workflows: env steps reach shell and atmos steps, export: false only templates", async () => {
  const { sb, cleanup } = await fixture();
  try {
    const shell = await sb.run(["workflow", "env-step-propagates-to-shell", "-f", "test"]);
    assert.equal(shell.code, 0, shell.stderr);
    assert.equal(shell.stdout, "FOO=<bar>\n");
    assert.match(shell.stderr, /^\[1\/2\] set-env: env FOO=bar$/m);

    const atmos = await sb.run(["workflow", "env-step-propagates-to-atmos", "-f", "test"]);
    assert.equal(atmos.code, 0, atmos.stderr);
    assert.equal(atmos.stdout, "FOO=<bar>\n");

    const only = await sb.run(["workflow", "env-step-template-only", "-f", "test"]);
    assert.equal(only.code, 0, only.stderr);
    assert.equal(only.stdout, "TEMPLATE=<bar>\n");

    for (
      const [name, text] of [
        ["retry-success", "Success on first try"],
        ["retry-full-config", "Testing full retry config"],
      ]
    ) {
      const retry = await sb.run(["workflow", name, "-f", "test"]);
      assert.equal(retry.code, 0, retry.stderr);
      assert.equal(retry.stdout, `${text}\n`);
      assert.doesNotMatch(retry.stderr, /retrying/);
    }
  } finally {
    await cleanup();
  }
});

Deno.test("step outputs reach later steps' command, env, stack and working directory, from shell and atmos steps", async () => {
  const { sb, cleanup } = await fixture();
  try {
    const result = await sb.run(["workflow", "outputs", "-f", "test"]);
    assert.equal(result.code, 0, result.stderr);
    assert.deepEqual(result.stdout.trim().split("\n"), [
      "vpc",
      "scripts",
      "show-stack stack=from-output",
      "use component=vpc code=0 region=us-east-2 dir=scripts atmos=[show-stack stack=from-output]",
      "show-stack stack=vpc-us-east-2",
    ]);
    // Output of a step is masked where atmos prints a command made from it.
    assert.match(result.stderr, /^\[5\/5\] plan: atmos show-stack -s '\*\*\*-us-east-2'$/m);
    assert.match(result.stderr, /^\[3\/5\] stack_of: atmos show-stack -s from-output$/m);

    const dry = await sb.run(["workflow", "outputs", "-f", "test", "--dry-run"]);
    assert.equal(dry.code, 0, dry.stderr);
    assert.match(
      dry.stdout,
      / {2}5\. plan\n {5}command: {2}atmos show-stack -s '<steps\.component\.value>-us-east-2'\n/,
    );
    assert.equal(dry.stderr, "");
  } finally {
    await cleanup();
  }
});

Deno.test("secrets never appear in what atmos prints: a key read from the credentials file, the configuration's secret, an env step made from them (run and --dry-run)", async () => {
  const { emu, sb, cleanup } = await fixture();
  try {
    const result = await sb.run(["workflow", "secrets", "-f", "test"]);
    assert.equal(result.code, 0, result.stderr);
    // The child got the real key (40 characters) and the configuration's secret …
    assert.equal(result.stdout, "secret-checks-ok plain=visible-value length=40\n");
    // … atmos printed neither.
    assert.match(result.stderr, /^\[2\/3\] copy: env KEY_COPY=\*\*\* PLAIN=visible-value$/m);
    assert.match(
      result.stderr,
      /^\[3\/3\] use: test -n "\*\*\*" && test "\*\*\*" = "\*\*\*" && test "\*\*\*" = "\$BASE_SK"/m,
    );
    assertNoSecrets(emu.secrets(), { stdout: result.stdout, stderr: result.stderr });

    const dry = await sb.run(["workflow", "secrets", "-f", "test", "--dry-run"]);
    assert.equal(dry.code, 0, dry.stderr);
    assert.match(dry.stdout, /test "\*\*\*" = "\$BASE_SK"/);
    assert.match(dry.stdout, /set: {6}KEY_COPY=<steps\.read_key\.value> PLAIN=visible-value/);
    assertNoSecrets(emu.secrets(), { stdout: dry.stdout, stderr: dry.stderr });
  } finally {
    await cleanup();
  }
});

Deno.test("an env step cannot replace an identity's pointers: the session is applied last, and only to the step with the identity", async () => {
  const { emu, sb, cleanup } = await fixture();
  try {
    const result = await sb.run(["workflow", "pointers", "-f", "test"]);
    assert.equal(result.code, 0, result.stderr);
    assert.deepEqual(result.stdout.trim().split("\n"), [
      `authed dev-account dev-account none ${ARNS["dev-account"]}`,
      "plain hijacked hijacked AKIAHIJACKEDBYENVSTEP",
    ]);
    assertNoSecrets(emu.secrets(), { stdout: result.stdout, stderr: result.stderr });
  } finally {
    await cleanup();
  }
});

Deno.test("retry: each retry is announced in one line and every attempt re-checks the identity's session first", async () => {
  const { emu, sb, cleanup } = await fixture();
  try {
    const result = await sb.run(["workflow", "flaky", "-f", "test"]);
    assert.equal(result.code, 0, result.stderr);
    const arn = ARNS["dev-account"];
    assert.deepEqual(result.stdout.trim().split("\n"), [
      `attempt 1 as ${arn}`,
      `attempt 2 as ${arn}`,
      `attempt 3 as ${arn}`,
    ]);
    assert.deepEqual(linesStarting(result.stderr, "[1/1] flaky: attempt"), [
      "[1/1] flaky: attempt 1 of 4 failed with exit code 1; retrying in 50ms",
      "[1/1] flaky: attempt 2 of 4 failed with exit code 1; retrying in 100ms",
    ]);
    // A fresh session is reused by every attempt.
    assert.deepEqual(authCalls(emu), { GetSessionToken: 1, AssumeRole: 1 });

    const failing = await sb.run(["workflow", "always-fails", "-f", "test"]);
    assert.equal(failing.code, 6);
    assert.equal(failing.stdout, "try\ntry\n");
    assert.match(
      failing.stderr,
      /^error: step "broken" failed with exit code 6 after 2 attempts \(resume with: atmos workflow always-fails -f test --from-step broken\)$/m,
    );
  } finally {
    await cleanup();
  }
  // Role sessions of 4 minutes are inside the 5-minute refresh margin: each attempt finds the
  // session about to expire and renews it before running.
  const short = await seedSandbox({ "workflows/test.yaml": TEST_YAML }, {
    durationOverride: { AssumeRole: 240 },
  });
  try {
    const result = await short.sb.run(["workflow", "flaky", "-f", "test"]);
    assert.equal(result.code, 0, result.stderr);
    assert.deepEqual(authCalls(short.emu), { GetSessionToken: 1, AssumeRole: 3 });
  } finally {
    await short.cleanup();
  }
});

Deno.test("input, choose and confirm take their defaults without a terminal; without a default the run stops before the first step", async () => {
  const { sb, cleanup } = await fixture();
  try {
    const result = await sb.run(["workflow", "interactive", "-f", "test"]);
    assert.equal(result.code, 0, result.stderr);
    assert.equal(result.stdout, "deploy env=staging confirmed=false notes=none\n");
    assert.match(
      result.stderr,
      /^\[2\/4\] confirm_deploy: confirm "Deploy to staging\?": false \(the default: not on a terminal\)$/m,
    );

    const missing = await sb.run(["workflow", "interactive-no-default", "-f", "test"]);
    assert.equal(missing.code, 2);
    assert.match(
      missing.stderr,
      /^error: workflows\/test\.yaml:\d+:\d+: workflows\.interactive-no-default\.steps\.1: step "pick" \(choose\) needs a terminal to ask "Pick one" and has no default \(run it on a terminal, or give the step a default:/m,
    );
    assert.equal(await exists(join(sb.project, "ran-first")), false);
  } finally {
    await cleanup();
  }
});

Deno.test("input, choose and confirm ask on a terminal and their answers feed later steps", async () => {
  const { sb, cleanup } = await fixture();
  try {
    const run = runOnTty(sb, ["workflow", "interactive", "-f", "test"]);
    // Each step is announced before it asks: wait for the prompt itself ("? …").
    await run.waitForScreen(/\? Select target environment/);
    await run.type("\x1b[B\r"); // staging is preselected (the default): down to production
    await run.waitForScreen(/\? Deploy to production\? \(y\/N\)/);
    await run.type("y");
    await run.waitForScreen(/\? Deployment notes/);
    await run.type("\x15shipped it\r"); // ctrl-u clears the pre-filled default
    const { code, screen } = await run.done();
    assert.equal(code, 0, screen);
    assert.match(screen, /deploy env=production confirmed=true notes=shipped it/);
  } finally {
    await cleanup();
  }
});

Deno.test("Ctrl-C during the wait before a retry stops the workflow at once", async () => {
  const { sb, cleanup } = await fixture();
  try {
    const result = await interruptedRun(sb, ["workflow", "retry-interrupted", "-f", "test"]);
    assert.equal(result.code, 130, result.stderr);
    assert.match(result.stderr, /stopped by SIGINT at step "waits"/);
    assert.equal(await Deno.readTextFile(join(sb.project, "attempts")), "attempt\n");
    assert.equal(await exists(join(sb.project, "after-ran")), false);
  } finally {
    await cleanup();
  }
});
