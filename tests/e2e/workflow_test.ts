/**
 * End-to-end tests of `atmos workflow` on the seed's workflows (`deploy-multi-account`,
 * `multi-cloud-deploy`) and smaller fixtures: per-step identities proven by the AWS CLI inside
 * each step, the precedence of step identity, `--identity` and `--identity=false`, dry runs,
 * `--from-step`, failures with the resume hint, stacks, Ctrl-C, and STS call counts.
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
  PARENT_KEY_ID,
  seedSandbox,
} from "./workflow_support.ts";

/** The service account the seed's gcp-production impersonates, and who may. */
const GCP_SA = "deployer@my-proj.iam.gserviceaccount.com";
const GCP_POOL =
  "principalSet://iam.googleapis.com/projects/123456/locations/global/workloadIdentityPools/pool/*";

const MISC = `
workflows:
  precedence:
    steps:
      - name: with-identity
        type: shell
        identity: dev-account
        command: echo "with-identity ATMOS_IDENTITY=\${ATMOS_IDENTITY:-none} AWS_PROFILE=\${AWS_PROFILE:-none} AWS_ACCESS_KEY_ID=\${AWS_ACCESS_KEY_ID:-none}"
      - name: without-identity
        type: shell
        command: echo "without-identity ATMOS_IDENTITY=\${ATMOS_IDENTITY:-none} AWS_PROFILE=\${AWS_PROFILE:-none} AWS_ACCESS_KEY_ID=\${AWS_ACCESS_KEY_ID:-none}"
  failing:
    steps:
      - { name: first, type: shell, command: echo first-ran }
      - { name: breaks, type: shell, command: "echo breaking; exit 3" }
      - { name: never, type: shell, command: touch never-ran }
  markers:
    steps:
      - { name: touch, type: shell, command: touch dry-run-ran, identity: dev-account }
  same-identity-twice:
    steps:
      - { name: one, type: shell, identity: dev-account, command: echo one }
      - { name: two, type: shell, identity: dev-account, command: echo two }
  stacks:
    stack: from-workflow
    steps:
      - name: workflow-stack
        command: show-stack -- extra "two words" '$EMU_URL'
      - name: step-stack
        stack: from-step
        command: show-stack
  layers:
    env: { FOO: from-workflow, BAZ: from-workflow }
    working_directory: workflows
    steps:
      - name: workflow-dir
        type: shell
        env: { BAZ: from-step }
        command: echo "layers GLOBAL=$GLOBAL FOO=$FOO BAZ=$BAZ dir=$(basename "$(pwd)")"
      - name: step-dir
        type: shell
        working_directory: scripts
        command: echo "layers BAZ=$BAZ dir=$(basename "$(pwd)")"
  interrupt:
    steps:
      - { name: wait, type: shell, command: "touch started; sleep 30" }
      - { name: after, type: shell, command: touch after-ran }
  interrupt-trapped:
    steps:
      - name: wait
        type: shell
        command: "trap 'echo trapped; exit 0' INT; touch started; sleep 30 >/dev/null 2>&1 & wait"
      - { name: after, type: shell, command: touch after-ran }
`;

/** A custom command that shows the stack and trailing arguments an atmos step passed it. */
const SHOW_STACK = `
env: { GLOBAL: from-atmos-yaml, FOO: from-atmos-yaml }
commands:
  - name: show-stack
    flags: [{ name: stack, shorthand: s, description: stack }]
    steps:
      - echo "show-stack stack={{ .Flags.stack }}"; printf 'arg=%s\\n' {{ .TrailingArgs }}
`;

const STAGING_STEP = "Deploy to staging account";

Deno.test("deploy-multi-account runs each step with its own identity; cold: one chain per identity, warm: no STS call", async () => {
  const { emu, sb, cleanup } = await seedSandbox();
  try {
    const cold = await sb.run(["workflow", "deploy-multi-account", "-f", "deploy"]);
    assert.equal(cold.code, 0, cold.stderr);
    const expected = [ARNS["dev-account"], ARNS["staging-account"], ARNS["prod-account"]];
    assert.deepEqual(cold.stdout.trim().split("\n"), expected);
    // Three identities through one shared aws/user: its GetSessionToken once, then one
    // AssumeRole per identity. The nested `atmos auth exec` of each step reuses the files
    // its parent wrote (ATMOS_IDENTITY is set) and calls nothing.
    assert.deepEqual(authCalls(emu), { GetSessionToken: 1, AssumeRole: 3 });
    assert.match(
      cold.stderr,
      /\[1\/3\] Deploy to dev account \(identity dev-account\): atmos auth exec/,
    );

    emu.resetCalls();
    const warm = await sb.run(["workflow", "deploy-multi-account"]); // found without -f
    assert.equal(warm.code, 0, warm.stderr);
    assert.deepEqual(warm.stdout.trim().split("\n"), expected);
    assert.deepEqual(authCalls(emu), { GetSessionToken: 0, AssumeRole: 0 });
    assertNoSecrets(emu.secrets(), {
      stdout: cold.stdout + warm.stdout,
      stderr: cold.stderr + warm.stderr,
    });
  } finally {
    await cleanup();
  }
});

Deno.test("multi-cloud-deploy: the AWS step and the GCP step each run as their own identity, the documentation step keeps the parent environment", async () => {
  const { emu, sb, cleanup } = await seedSandbox({}, {
    gcp: { serviceAccounts: [{ email: GCP_SA, members: [GCP_POOL] }] },
  });
  try {
    // A GitHub-Actions-like job: the OIDC endpoint, Google's endpoints, and the proxy trap.
    const result = await sb.run(["workflow", "multi-cloud-deploy"], {
      env: {
        ...emu.githubActionsEnv(),
        ...emu.gcp.env(),
        ...emu.trap.env(),
        DENO_NO_UPDATE_CHECK: "1",
      },
    });
    assert.equal(result.code, 0, result.stderr);
    const lines = result.stdout.trim().split("\n");
    assert.equal(lines.length, 3, result.stdout);
    assert.equal(lines[0], ARNS["aws-production"]);
    // gcloud, with only what atmos gave the step, gets the service account's token.
    assert.equal(emu.gcp.tokenInfo(lines[1])?.principal, `serviceAccount:${GCP_SA}`);
    assert.equal(
      lines[2],
      `update-docs: ATMOS_IDENTITY=none AWS_PROFILE=parent-profile AWS_ACCESS_KEY_ID=${PARENT_KEY_ID}`,
    );
    assert.deepEqual(authCalls(emu), { GetSessionToken: 1, AssumeRole: 1 });
    assert.deepEqual(emu.trap.log(), [], "a step tried to leave loopback");
    // (gcloud prints the token it was asked for; the job's request token is the runner's.)
    const secrets = emu.secrets().filter((s) =>
      s !== emu.githubActionsEnv().ACTIONS_ID_TOKEN_REQUEST_TOKEN
    );
    assertNoSecrets(secrets, {
      stdout: result.stdout.replace(lines[1], ""),
      stderr: result.stderr,
    });
  } finally {
    await cleanup();
  }
});

Deno.test("workflow identity precedence: step identity > --identity > none; --identity=false turns it off", async () => {
  const { emu, sb, cleanup } = await seedSandbox({ "workflows/misc.yaml": MISC });
  try {
    const show = (identity: string) =>
      identity === "none"
        ? `ATMOS_IDENTITY=none AWS_PROFILE=parent-profile AWS_ACCESS_KEY_ID=${PARENT_KEY_ID}`
        : `ATMOS_IDENTITY=${identity} AWS_PROFILE=${identity} AWS_ACCESS_KEY_ID=none`;
    const cases: [string[], string, string][] = [
      [[], "dev-account", "none"],
      [["--identity", "staging-account"], "dev-account", "staging-account"],
      [["--identity=staging-account"], "dev-account", "staging-account"],
      [["-i", "staging-account"], "dev-account", "staging-account"],
      [["--identity=false"], "none", "none"],
    ];
    for (const [flags, withIdentity, withoutIdentity] of cases) {
      const result = await sb.run(["workflow", "precedence", "-f", "misc", ...flags]);
      assert.equal(result.code, 0, `${flags.join(" ")}: ${result.stderr}`);
      assert.deepEqual(result.stdout.trim().split("\n"), [
        `with-identity ${show(withIdentity)}`,
        `without-identity ${show(withoutIdentity)}`,
      ], flags.join(" ") || "no flag");
    }
    assertNoSecrets(emu.secrets(), {});
  } finally {
    await cleanup();
  }
});

Deno.test("workflow --dry-run prints each step with its command, identity and stack, and runs and authenticates nothing", async () => {
  const { emu, sb, cleanup } = await seedSandbox({ "workflows/misc.yaml": MISC });
  try {
    const result = await sb.run([
      "workflow",
      "deploy-multi-account",
      "-f",
      "deploy",
      "--dry-run",
      "-s",
      "prod",
    ]);
    assert.equal(result.code, 0, result.stderr);
    assert.equal(
      result.stdout,
      [
        'Workflow "deploy-multi-account" (deploy.yaml), dry run: nothing is authenticated or run',
        ...["dev", "staging", "prod"].flatMap((env, i) => [
          `  ${i + 1}. Deploy to ${env} account`,
          // Variables are not expanded in the plan (a value could be a secret).
          "     command:  atmos auth exec -s prod -- /usr/bin/aws sts get-caller-identity --endpoint-url $EMU_URL --query Arn --output text",
          "     type:     atmos",
          `     identity: ${env}-account`,
          "     stack:    prod",
        ]),
        "",
      ].join("\n"),
    );
    const marker = await sb.run(["workflow", "markers", "--dry-run"]);
    assert.equal(marker.code, 0, marker.stderr);
    assert.match(
      marker.stdout,
      /command: {2}touch dry-run-ran\n {5}type: {5}shell\n {5}identity: dev-account\n/,
    );
    assert.equal(await exists(join(sb.project, "dry-run-ran")), false);
    assert.equal(emu.calls(), 0, "no endpoint is called");
    assert.equal(await exists(join(sb.configDir, "aws")), false, "no credential file is written");
  } finally {
    await cleanup();
  }
});

Deno.test("workflow --from-step starts at the named step", async () => {
  const { emu, sb, cleanup } = await seedSandbox();
  try {
    const result = await sb.run(["workflow", "deploy-multi-account", "--from-step", STAGING_STEP]);
    assert.equal(result.code, 0, result.stderr);
    assert.deepEqual(result.stdout.trim().split("\n"), [
      ARNS["staging-account"],
      ARNS["prod-account"],
    ]);
    assert.deepEqual(authCalls(emu), { GetSessionToken: 1, AssumeRole: 2 });
    const missing = await sb.run(["workflow", "deploy-multi-account", "--from-step", "nope"]);
    assert.equal(missing.code, 2);
    assert.match(
      missing.stderr,
      /has no step "nope" \(--from-step\) \(steps: Deploy to dev account, /,
    );
  } finally {
    await cleanup();
  }
});

Deno.test("a failing step stops the workflow with its exit code and the resume command", async () => {
  const { sb, cleanup } = await seedSandbox({ "workflows/misc.yaml": MISC });
  try {
    const result = await sb.run(["workflow", "failing", "-f", "misc", "-s", "prod"]);
    assert.equal(result.code, 3);
    assert.equal(result.stdout, "first-ran\nbreaking\n");
    assert.match(
      result.stderr,
      /^error: step "breaks" failed with exit code 3 \(resume with: atmos workflow failing -f misc --from-step breaks -s prod\)$/m,
    );
    assert.equal(await exists(join(sb.project, "never-ran")), false);
    const resumed = await sb.run(["workflow", "failing", "-f", "misc", "--from-step", "breaks"]);
    assert.equal(resumed.code, 3);
    assert.equal(resumed.stdout, "breaking\n");
    assert.match(
      resumed.stderr,
      /resume with: atmos workflow failing -f misc --from-step breaks\)$/m,
    );
    const quoted = await sb.run(["workflow", "deploy-multi-account", "--from-step", "x"]);
    assert.equal(quoted.code, 2);
  } finally {
    await cleanup();
  }
});

Deno.test("atmos steps get -s <stack> before --: --stack > step stack > workflow stack; arguments split like a shell; env and working directories layer", async () => {
  const { sb, cleanup } = await seedSandbox({
    "workflows/misc.yaml": MISC,
    ".atmos.d/show-stack.yaml": SHOW_STACK,
  });
  try {
    const plain = await sb.run(["workflow", "stacks", "-f", "misc"]);
    assert.equal(plain.code, 0, plain.stderr);
    assert.deepEqual(plain.stdout.trim().split("\n"), [
      "show-stack stack=from-workflow",
      "arg=extra",
      "arg=two words",
      "arg=$EMU_URL",
      "show-stack stack=from-step",
      "arg=",
    ]);
    const layers = await sb.run(["workflow", "layers"]);
    assert.equal(layers.code, 0, layers.stderr);
    assert.deepEqual(layers.stdout.trim().split("\n"), [
      "layers GLOBAL=from-atmos-yaml FOO=from-workflow BAZ=from-step dir=workflows",
      "layers BAZ=from-workflow dir=scripts",
    ]);
    const flagged = await sb.run(["workflow", "stacks", "-f", "misc", "--stack", "from-flag"]);
    assert.equal(flagged.code, 0, flagged.stderr);
    assert.deepEqual(linesStarting(flagged.stdout, "show-stack"), [
      "show-stack stack=from-flag",
      "show-stack stack=from-flag",
    ]);
  } finally {
    await cleanup();
  }
});

Deno.test("an identity used by two steps is authenticated once, and again only when it is about to expire", async () => {
  const fresh = await seedSandbox({ "workflows/misc.yaml": MISC });
  try {
    const result = await fresh.sb.run(["workflow", "same-identity-twice"]);
    assert.equal(result.code, 0, result.stderr);
    assert.deepEqual(authCalls(fresh.emu), { GetSessionToken: 1, AssumeRole: 1 });
  } finally {
    await fresh.cleanup();
  }
  // Role sessions of 4 minutes are inside the 5-minute refresh margin: the second step finds
  // the first step's session about to expire and renews it (the base user's session is reused).
  const short = await seedSandbox({ "workflows/misc.yaml": MISC }, {
    durationOverride: { AssumeRole: 240 },
  });
  try {
    const result = await short.sb.run(["workflow", "same-identity-twice"]);
    assert.equal(result.code, 0, result.stderr);
    assert.deepEqual(authCalls(short.emu), { GetSessionToken: 1, AssumeRole: 2 });
  } finally {
    await short.cleanup();
  }
});

Deno.test("workflow errors: unknown workflow, unknown identity and bad step type name the file and line", async () => {
  const bad = `workflows:
  broken-type:
    steps:
      - command: echo hi
        type: shel
  broken-identity:
    steps:
      - command: echo hi
        type: shell
        identity: dev-acount
  dupe:
    steps:
      - { command: echo a, type: shell }
`;
  const { emu, sb, cleanup } = await seedSandbox({
    "workflows/bad.yaml": bad,
    "workflows/other/dupe.yaml":
      "workflows:\n  dupe:\n    steps: [{ command: echo b, type: shell }]\n",
  });
  try {
    const unknown = await sb.run(["workflow", "deploy-multi-acount"]);
    assert.equal(unknown.code, 2);
    assert.match(
      unknown.stderr,
      /no workflow named "deploy-multi-acount"; did you mean "deploy-multi-account"\?/,
    );
    const type = await sb.run(["workflow", "broken-type", "-f", "bad"]);
    assert.equal(type.code, 2);
    assert.match(
      type.stderr,
      /^error: workflows\/bad\.yaml:5:15: workflows\.broken-type\.steps\.0\.type: step type "shel" is not supported; did you mean "shell"\?/m,
    );
    const identity = await sb.run(["workflow", "broken-identity", "-f", "bad"]);
    assert.equal(identity.code, 2);
    assert.match(
      identity.stderr,
      /^error: workflows\/bad\.yaml:10:19: workflows\.broken-identity\.steps\.0\.identity: unknown identity "dev-acount"; did you mean "dev-account"\?/m,
    );
    const dupe = await sb.run(["workflow", "dupe"]);
    assert.equal(dupe.code, 2);
    assert.match(
      dupe.stderr,
      /workflow "dupe" is defined in several files: bad, other\/dupe \(choose one with --file/,
    );
    assert.equal(emu.calls(), 0);
  } finally {
    await cleanup();
  }
});

Deno.test("list workflows and describe workflows are sorted, as a table, JSON or YAML", async () => {
  const { sb, cleanup } = await seedSandbox({ "workflows/misc.yaml": MISC });
  try {
    const table = await sb.run(["list", "workflows"]);
    assert.equal(table.code, 0, table.stderr);
    const rows = table.stdout.trim().split("\n");
    assert.match(rows[0], /^FILE\s+WORKFLOW\s+DESCRIPTION\s+STEPS$/);
    assert.match(
      rows[1],
      /^deploy\.yaml\s+deploy-multi-account\s+Deploy infrastructure across multiple AWS accounts\s+3$/,
    );
    assert.match(rows[2], /^misc\.yaml\s+failing\s+3$/);
    assert.match(
      rows.at(-1)!,
      /^multi-cloud\.yaml\s+multi-cloud-deploy\s+Deploy across AWS and GCP\s+3$/,
    );

    const json = await sb.run(["list", "workflows", "--format", "json"]);
    const parsed = JSON.parse(json.stdout) as { file: string; workflow: string; steps: number }[];
    assert.deepEqual(parsed.map((r) => `${r.file}:${r.workflow}`), [
      "deploy.yaml:deploy-multi-account",
      "misc.yaml:failing",
      "misc.yaml:interrupt",
      "misc.yaml:interrupt-trapped",
      "misc.yaml:layers",
      "misc.yaml:markers",
      "misc.yaml:precedence",
      "misc.yaml:same-identity-twice",
      "misc.yaml:stacks",
      "multi-cloud.yaml:multi-cloud-deploy",
    ]);

    const described = await sb.run(["describe", "workflows", "-o", "map"]);
    assert.equal(described.code, 0, described.stderr);
    assert.match(
      described.stdout,
      /^deploy\.yaml:\n {2}- deploy-multi-account\nmisc\.yaml:\n {2}- failing\n/,
    );
    const all = await sb.run(["describe", "workflows", "-o", "all", "--format", "json"]);
    const whole = JSON.parse(all.stdout);
    assert.equal(whole["misc.yaml"].workflows.stacks.steps[0].name, "workflow-stack");
    assert.equal(whole["misc.yaml"].workflows.failing.steps.length, 3);
  } finally {
    await cleanup();
  }
});

Deno.test("nested atmos steps read the same --config-path as their parent", async () => {
  const { sb, write, cleanup } = await seedSandbox();
  try {
    await write(
      "workflows/nested.yaml",
      "workflows:\n  nested:\n    steps:\n      - command: workflow deploy-multi-account --dry-run\n",
    );
    // From HOME, discovery finds no atmos.yaml: only --config-path names it, for the nested
    // atmos too.
    const result = await sb.run(["--config-path", "project", "workflow", "nested"], {
      cwd: sb.home,
    });
    assert.equal(result.code, 0, result.stderr);
    assert.match(result.stdout, /^Workflow "deploy-multi-account" \(deploy\.yaml\), dry run/);
  } finally {
    await cleanup();
  }
});

Deno.test("Ctrl-C stops the running step and the workflow, even when the step exits 0", async () => {
  const { sb, cleanup } = await seedSandbox({ "workflows/misc.yaml": MISC });
  try {
    const plain = await interruptedRun(sb, ["workflow", "interrupt", "-f", "misc"]);
    assert.equal(plain.code, 130, plain.stderr);
    assert.match(
      plain.stderr,
      /stopped by SIGINT at step "wait" \(resume with: atmos workflow interrupt -f misc --from-step wait\)/,
    );
    assert.equal(await exists(join(sb.project, "after-ran")), false);

    await Deno.remove(join(sb.project, "started"));
    const trapped = await interruptedRun(sb, ["workflow", "interrupt-trapped", "-f", "misc"]);
    assert.equal(trapped.code, 130, trapped.stderr);
    assert.equal(trapped.stdout, "trapped\n");
    assert.equal(await exists(join(sb.project, "after-ran")), false);
  } finally {
    await cleanup();
  }
});

Deno.test("workflow manifests are parsed once and read from the parse cache until edited", async () => {
  const manifest =
    "workflows:\n  hello:\n    steps:\n      - { type: shell, command: echo first }\n";
  const { sb, write, cleanup } = await seedSandbox({ "workflows/hello.yaml": manifest });
  const debug = { env: { ATMOS_LOGS_LEVEL: "Debug" } };
  try {
    const cold = await sb.run(["workflow", "hello", "-f", "hello"], debug);
    assert.equal(cold.code, 0, cold.stderr);
    assert.equal(cold.stdout.trim(), "first");
    assert.doesNotMatch(cold.stderr, /hello\.yaml from the cache/);

    const warm = await sb.run(["workflow", "hello", "-f", "hello"], debug);
    assert.equal(warm.code, 0, warm.stderr);
    assert.equal(warm.stdout.trim(), "first");
    assert.match(warm.stderr, /config: parse of .*workflows\/hello\.yaml from the cache/);

    await write("workflows/hello.yaml", manifest.replace("echo first", "echo second"));
    const edited = await sb.run(["workflow", "hello"], debug);
    assert.equal(edited.code, 0, edited.stderr);
    assert.equal(edited.stdout.trim(), "second");
    assert.match(edited.stderr, /hello\.yaml changed since its cached parse/);
  } finally {
    await cleanup();
  }
});
