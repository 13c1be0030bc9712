/**
 * End-to-end tests of custom commands on the seed's `deploy` and `plan-all` and smaller
 * fixtures: one authentication shared by every step, `--identity` precedence, the template
 * context, environment layers, exit codes, ATMOS_SHLVL, help, and configuration errors.
 */
import { join } from "node:path";
import assert from "node:assert/strict";
import { assertNoSecrets } from "./harness.ts";
import { ARNS, authCalls, PARENT_KEY_ID, seedSandbox } from "./workflow_support.ts";

const SHOW = "ATMOS_IDENTITY=${ATMOS_IDENTITY:-none} AWS_PROFILE=${AWS_PROFILE:-none} " +
  "AWS_ACCESS_KEY_ID=${AWS_ACCESS_KEY_ID:-none}";

const MATRIX = `
commands:
  - name: with-identity
    identity: developer
    steps:
      - echo "first ${SHOW}"
      - echo "second ${SHOW}"
  - name: without-identity
    steps:
      - echo "first ${SHOW}"
`;

const CONTEXT = `
commands:
  - name: greet
    description: Greets someone
    arguments:
      - { name: name, description: Who to greet, default: John Doe }
    flags:
      - { name: loud, shorthand: l, type: bool, description: Shout }
      - { name: greeting, description: The greeting, default: Hello }
    env:
      - { key: FIRST, value: "{{ .Arguments.name }}" }
      - { key: SECOND, valueCommand: 'echo "second-$FIRST"' }
      - { key: THIRD, value: "{{ .Env.SECOND }}!" }
    steps:
      - echo "{{ .Flags.greeting }}, {{ .Arguments.name }} loud={{ .Flags.loud }} env=$FIRST/$SECOND/$THIRD"
      - printf 'arg=%s\\n' {{ .TrailingArgs }}
  - name: tools
    description: Nested commands share their parent's flags
    flags:
      - { name: stack, shorthand: s, description: Stack, required: true }
    working_directory: sub
    commands:
      - name: where
        identity: developer
        steps:
          - echo "stack={{ .Flags.stack }} cwd={{ .Cwd }} pwd=$(pwd)"
          - type: shell
            command: echo "step-env AWS_PROFILE=$AWS_PROFILE AWS_ACCESS_KEY_ID=\${AWS_ACCESS_KEY_ID:-none} EXTRA=$EXTRA"
            env: { AWS_PROFILE: from-step, AWS_ACCESS_KEY_ID: AKIAFROMSTEPENV, EXTRA: "{{ .Flags.stack }}" }
          - type: atmos
            command: greet "from atmos" --greeting Hi
  - name: tmpl
    arguments: [{ name: name, required: true }]
    flags: [{ name: dry-run, type: bool }]
    steps:
      - echo '{{ if index .Flags "dry-run" }}DRY {{ end }}{{ .Arguments.name | upper }} {{ env "EMU_URL" | empty | ternary "no-url" "has-url" }}'
  - name: broken
    steps:
      - touch ran-before-broken
      - echo {{ .Arguments.nope }}
  - name: fails
    steps:
      - echo before
      - exit 7
      - echo never
  - name: loop
    steps:
      - echo "hello at level $ATMOS_SHLVL"
      - { type: atmos, command: loop }
`;

Deno.test("atmos deploy runs every step with the command's identity, authenticated once", async () => {
  const { emu, sb, cleanup } = await seedSandbox();
  try {
    const result = await sb.run(["deploy"]);
    assert.equal(result.code, 0, result.stderr);
    const arn = ARNS["production-account"];
    assert.equal(
      result.stdout,
      `terraform init as ${arn}\nterraform plan as ${arn}\nterraform apply as ${arn}\n`,
    );
    assert.deepEqual(authCalls(emu), { GetSessionToken: 1, AssumeRole: 1 });

    emu.resetCalls();
    const override = await sb.run(["deploy", "--identity", "staging-account"]);
    assert.equal(override.code, 0, override.stderr);
    const staging = ARNS["staging-account"];
    assert.equal(
      override.stdout,
      `terraform init as ${staging}\nterraform plan as ${staging}\nterraform apply as ${staging}\n`,
    );
    // The base user's session is reused from the cache: one AssumeRole for the override.
    assert.deepEqual(authCalls(emu), { GetSessionToken: 0, AssumeRole: 1 });
    assertNoSecrets(emu.secrets(), {
      stdout: result.stdout + override.stdout,
      stderr: result.stderr + override.stderr,
    });
  } finally {
    await cleanup();
  }
});

Deno.test("atmos plan-all vpc prod renders the described component, with the developer identity or --identity", async () => {
  const { emu, sb, cleanup } = await seedSandbox();
  try {
    const result = await sb.run(["plan-all", "vpc", "prod"]);
    assert.equal(result.code, 0, result.stderr);
    assert.equal(
      result.stdout,
      `atmos terraform plan vpc -s prod (cidr 10.0.0.0/16) as ${ARNS.developer}\n`,
    );
    const override = await sb.run(["plan-all", "vpc", "prod", "--identity", "production"]);
    assert.equal(override.code, 0, override.stderr);
    assert.equal(
      override.stdout,
      `atmos terraform plan vpc -s prod (cidr 10.0.0.0/16) as ${ARNS.production}\n`,
    );
    assert.deepEqual(authCalls(emu), { GetSessionToken: 1, AssumeRole: 2 });

    // A component that is not in the stack: one line, before any STS call.
    emu.resetCalls();
    const missing = await sb.run(["plan-all", "eks", "prod"]);
    assert.equal(missing.code, 2, missing.stderr);
    assert.equal(missing.stdout, "");
    assert.equal(missing.stderr.trimEnd().split("\n").length, 1, missing.stderr);
    assert.match(missing.stderr, /^error: .*"eks"/);
    assert.equal(emu.calls(), 0);
    const usage = await sb.run(["plan-all", "vpc"]);
    assert.equal(usage.code, 2);
    assert.match(usage.stderr, /missing required argument <stack> for "atmos plan-all"/);
    assertNoSecrets(emu.secrets(), {
      stdout: result.stdout + override.stdout,
      stderr: result.stderr,
    });
  } finally {
    await cleanup();
  }
});

Deno.test("custom command identity precedence: --identity > identity: > none; --identity=false turns it off", async () => {
  const { emu, sb, cleanup } = await seedSandbox({ ".atmos.d/matrix.yaml": MATRIX });
  try {
    const show = (identity: string) =>
      identity === "none"
        ? `ATMOS_IDENTITY=none AWS_PROFILE=parent-profile AWS_ACCESS_KEY_ID=${PARENT_KEY_ID}`
        : `ATMOS_IDENTITY=${identity} AWS_PROFILE=${identity} AWS_ACCESS_KEY_ID=none`;
    const cases: [string, string[], string][] = [
      ["with-identity", [], "developer"],
      ["with-identity", ["--identity", "production"], "production"],
      ["with-identity", ["--identity=production"], "production"],
      ["with-identity", ["--identity=false"], "none"],
      ["without-identity", [], "none"],
      ["without-identity", ["--identity", "production"], "production"],
      ["without-identity", ["--identity=off"], "none"],
    ];
    for (const [command, flags, identity] of cases) {
      const result = await sb.run([command, ...flags]);
      const label = `${command} ${flags.join(" ")}`;
      assert.equal(result.code, 0, `${label}: ${result.stderr}`);
      const lines = result.stdout.trim().split("\n");
      assert.equal(lines[0], `first ${show(identity)}`, label);
      if (command === "with-identity") assert.equal(lines[1], `second ${show(identity)}`, label);
    }
    // developer once, production once (the base user's session is reused).
    assert.deepEqual(authCalls(emu), { GetSessionToken: 1, AssumeRole: 2 });
    const unknown = await sb.run(["without-identity", "--identity", "prodution"]);
    assert.equal(unknown.code, 2);
    assert.match(unknown.stderr, /unknown identity "prodution"; did you mean "production"\?/);
  } finally {
    await cleanup();
  }
});

Deno.test("custom command templates see arguments, flags, trailing args, the working directory and env in order", async () => {
  const { emu, sb, cleanup } = await seedSandbox({ ".atmos.d/context.yaml": CONTEXT });
  try {
    await Deno.mkdir(join(sb.project, "sub"));
    const greet = await sb.run(["greet", "Neo", "-l", "--", "-x", "a b", "it's"]);
    assert.equal(greet.code, 0, greet.stderr);
    assert.equal(
      greet.stdout,
      [
        "Hello, Neo loud=true env=Neo/second-Neo/second-Neo!",
        "arg=-x",
        "arg=a b",
        "arg=it's",
        "",
      ].join("\n"),
    );
    const defaults = await sb.run(["greet"]);
    assert.equal(defaults.code, 0, defaults.stderr);
    assert.match(defaults.stdout, /^Hello, John Doe loud=false env=John Doe\/second-John Doe\//);

    const where = await sb.run(["tools", "where", "-s", "dev"]);
    assert.equal(where.code, 0, where.stderr);
    const sub = join(await Deno.realPath(sb.project), "sub");
    assert.deepEqual(where.stdout.trim().split("\n"), [
      `stack=dev cwd=${sub} pwd=${sub}`,
      // A step's env comes before the identity's pointers: it cannot redirect the profile,
      // and raw keys are removed from authenticated steps wherever they came from.
      "step-env AWS_PROFILE=developer AWS_ACCESS_KEY_ID=none EXTRA=dev",
      "Hi, from atmos loud=false env=from atmos/second-from atmos/second-from atmos!",
      "arg=",
    ]);
    assert.deepEqual(authCalls(emu), { GetSessionToken: 1, AssumeRole: 1 });
    const required = await sb.run(["tools", "where"]);
    assert.equal(required.code, 2);
    assert.match(required.stderr, /required flag --stack not set/);
  } finally {
    await cleanup();
  }
});

Deno.test("custom command steps are Go templates; a template error runs no step", async () => {
  const { sb, cleanup } = await seedSandbox({ ".atmos.d/context.yaml": CONTEXT });
  try {
    const dry = await sb.run(["tmpl", "neo", "--dry-run"]);
    assert.equal(dry.code, 0, dry.stderr);
    assert.equal(dry.stdout, "DRY NEO has-url\n");
    const plain = await sb.run(["tmpl", "neo"]);
    assert.equal(plain.stdout, "NEO has-url\n");

    const broken = await sb.run(["broken"]);
    assert.equal(broken.code, 2);
    assert.equal(broken.stdout, "");
    assert.match(
      broken.stderr,
      /^error: template: commands\.\d+\.steps\.1\.command:1:\d+: executing .*map has no entry for key "nope"/,
    );
    assert.equal(broken.stderr.trimEnd().split("\n").length, 1);
    assert.equal(await exists(join(sb.project, "ran-before-broken")), false);
  } finally {
    await cleanup();
  }
});

Deno.test("a failing custom-command step stops the command with its exit code", async () => {
  const { sb, cleanup } = await seedSandbox({ ".atmos.d/context.yaml": CONTEXT });
  try {
    const result = await sb.run(["fails"]);
    assert.equal(result.code, 7);
    assert.equal(result.stdout, "before\n");
    assert.match(result.stderr, /^error: step "step2" of "atmos fails" failed with exit code 7$/m);
  } finally {
    await cleanup();
  }
});

Deno.test("ATMOS_SHLVL stops a command that calls itself after 10 levels", async () => {
  const { sb, cleanup } = await seedSandbox({ ".atmos.d/context.yaml": CONTEXT });
  try {
    // Start at level 8 so only two nested atmos processes are spawned.
    const result = await sb.run(["loop"], { env: { ATMOS_SHLVL: "8" } });
    assert.equal(result.code, 2);
    assert.equal(result.stdout, "hello at level 9\nhello at level 10\n");
    assert.match(
      result.stderr,
      /ATMOS_SHLVL exceeds the maximum nesting depth \(current=11, max=10\)/,
    );
  } finally {
    await cleanup();
  }
});

Deno.test("custom commands are listed in help; atmos version never reads them", async () => {
  const marker = `
commands:
  - name: noted
    description: Reads a config that leaves a marker
    steps: ["true"]
marker: !exec touch config-was-read
`;
  const { sb, cleanup } = await seedSandbox({ ".atmos.d/marker.yaml": marker });
  try {
    const read = join(sb.project, "config-was-read");
    const version = await sb.run(["version"]);
    assert.equal(version.code, 0, version.stderr);
    assert.equal(await exists(read), false, "atmos version read atmos.yaml");

    const help = await sb.run(["--help"]);
    assert.equal(help.code, 0, help.stderr);
    assert.match(help.stdout, /^ {2}deploy +Deploy infrastructure with authentication$/m);
    assert.match(help.stdout, /^ {2}plan-all +Plan all components in a stack$/m);
    assert.match(help.stdout, /^ {2}noted +Reads a config that leaves a marker$/m);
    assert.equal(await exists(read), true);

    const own = await sb.run(["plan-all", "--help"]);
    assert.equal(own.code, 0, own.stderr);
    assert.match(
      own.stdout,
      /^ {2}atmos plan-all <component> <stack> \[flags\] \[-- args\.\.\.\]$/m,
    );
    assert.match(own.stdout, /^ {6}--identity \[=name\] +identity for every step/m);
  } finally {
    await cleanup();
  }
});

Deno.test("a custom command with steps named like a built-in is an error for that command only, with file:line", async () => {
  const clash = `
commands:
  - name: workflow
    steps: ["echo mine"]
`;
  const { sb, cleanup } = await seedSandbox({ ".atmos.d/clash.yaml": clash });
  try {
    // Atmos merges custom commands into built-ins; one with steps cannot be both.
    const result = await sb.run(["workflow", "deploy"]);
    assert.equal(result.code, 2);
    assert.match(
      result.stderr,
      /^error: \.atmos\.d\/clash\.yaml:3:11: commands\.\d+\.name: custom command "workflow" has steps, but "atmos workflow" is a built-in command \(rename the custom command, or remove its steps to add subcommands under the built-in\)$/m,
    );
    const version = await sb.run(["version"]);
    assert.equal(version.code, 0);
    const help = await sb.run(["--help"]);
    assert.equal(help.code, 0);
    assert.match(help.stdout, /^ {2}deploy +Deploy infrastructure with authentication$/m);
    // The other custom commands still run (the whole file was rejected before).
    const deploy = await sb.run(["deploy"]);
    assert.equal(deploy.code, 0, deploy.stderr);
    const badFlag = `
commands:
  - name: typed
    flags:
      - { name: count, type: int }
    steps: ["true"]
`;
    await Deno.remove(join(sb.project, ".atmos.d", "clash.yaml"));
    await Deno.writeTextFile(join(sb.project, ".atmos.d", "typed.yaml"), badFlag);
    const typed = await sb.run(["typed"]);
    assert.equal(typed.code, 2);
    assert.equal(typed.stdout, "");
    assert.match(
      typed.stderr,
      /^error: \.atmos\.d\/typed\.yaml:5:30: commands\.\d+\.flags\.0\.type: flag type "int" is not supported \(use string or bool\)$/m,
    );
  } finally {
    await cleanup();
  }
});

async function exists(path: string): Promise<boolean> {
  return await Deno.stat(path).then(() => true, () => false);
}

const STEP_TYPES = `
commands:
  - name: release
    description: The step types workflows have, in a custom command
    identity: developer
    arguments:
      - { name: component, description: Component, default: vpc }
    steps:
      - name: env_pick
        type: choose
        prompt: "Environment for {{ .Arguments.component }}?"
        options: [dev, prod]
        default: prod
      - name: vars
        type: env
        vars: { TARGET: "{{ .steps.env_pick.value }}-{{ .Arguments.component }}" }
      - { name: version, command: echo 1.2.3 }
      - name: both
        type: parallel
        output: prefixed
        steps:
          - { name: a, command: 'echo "a $TARGET v{{ .steps.version.value }} $AWS_PROFILE"' }
          - name: b
            command: echo "b $TARGET $(/usr/bin/aws sts get-caller-identity --endpoint-url "$EMU_URL" --query Arn --output text)"
      - name: flaky
        retry: { max_attempts: 2, initial_delay: 10ms }
        command: 'test -e .tried || { touch .tried; exit 1; }; echo "flaky ok {{ .steps.a.value }}"'
`;

Deno.test("custom command steps have the workflow step types: prompts' defaults, env steps, step outputs, a parallel block and retry", async () => {
  const { emu, sb, cleanup } = await seedSandbox({ ".atmos.d/release.yaml": STEP_TYPES });
  try {
    const result = await sb.run(["release", "eks"]);
    assert.equal(result.code, 0, result.stderr);
    const lines = result.stdout.trim().split("\n");
    assert.equal(lines[0], "1.2.3");
    assert.deepEqual(lines.slice(1, 3).sort(), [
      "[a] a prod-eks v1.2.3 developer",
      `[b] b prod-eks ${ARNS.developer}`,
    ]);
    assert.equal(lines[3], "flaky ok a prod-eks v1.2.3 developer");
    assert.match(
      result.stderr,
      /^\[5\/5\] flaky: attempt 1 of 2 failed with exit code 1; retrying in 10ms$/m,
    );
    // Authenticated once for the whole command, parallel branches included.
    assert.deepEqual(authCalls(emu), { GetSessionToken: 1, AssumeRole: 1 });
    assertNoSecrets(emu.secrets(), { stdout: result.stdout, stderr: result.stderr });
  } finally {
    await cleanup();
  }
});
