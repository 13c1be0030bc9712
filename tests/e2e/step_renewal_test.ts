/**
 * Expiry-aware workflow and custom-command steps (issue: credentials that last as long as the
 * work), with the real AWS CLI inside the steps and the emulator counting STS calls:
 *
 * - atmos records how long each step took (`<config>/atmos/cache/step-durations.json`, no
 *   secrets) and, before a step whose last run took longer than its identity's session has
 *   left, renews first and says so in one line; steps of a parallel block share one renewal;
 * - while a step runs, its identity is renewed in the background, so a step that outlives
 *   several sessions (8 seconds here) keeps finding valid credentials.
 *
 * A "previous run that took 47 minutes" is planted by editing the recorded duration, as no test
 * can wait that long; the lifetime that is left comes from the emulator (31-minute sessions,
 * then one-hour ones).
 */
import assert from "node:assert/strict";
import { join } from "node:path";
import { startEmulator } from "../emulator/mod.ts";
import { assertNoSecrets, createSandbox, type RunResult, type Sandbox } from "./harness.ts";
import { AWS_CLI } from "./auth_support.ts";

const ROLE_ARN = "arn:aws:sts::111122223333:assumed-role/Deploy/deploy";
const CALLER =
  `${AWS_CLI} sts get-caller-identity --endpoint-url "$EMU_URL" --query Arn --output text`;
const MINUTE = 60_000;

/** An AWS CLI call every second for `seconds`; stops at the first failure. */
function callerLoop(seconds: number): string {
  return `end=$((SECONDS + ${seconds})); n=0; while [ $SECONDS -lt $end ]; do ${CALLER} || exit 1; n=$((n + 1)); sleep 1; done; echo "calls=$n"`;
}

function atmosYaml(commandStep: string): string {
  return `
base_path: .
workflows:
  base_path: workflows
auth:
  identities:
    base:
      kind: aws/user
      credentials:
        access_key_id: !env BASE_AK
        secret_access_key: !env BASE_SK
    deploy:
      kind: aws/assume-role
      via: { identity: base }
      principal:
        assume_role: arn:aws:iam::111122223333:role/Deploy
        session_name: deploy
commands:
  - name: release
    identity: deploy
    steps:
      - ${JSON.stringify(commandStep)}
`;
}

function workflowYaml(applyCommand: string): string {
  return `
workflows:
  release:
    steps:
      - name: apply
        type: shell
        identity: deploy
        command: ${JSON.stringify(applyCommand)}
  fan-out:
    steps:
      - name: group
        type: parallel
        steps:
          - { name: a, type: shell, identity: deploy, command: ${JSON.stringify(CALLER)} }
          - { name: b, type: shell, identity: deploy, command: ${JSON.stringify(CALLER)} }
`;
}

async function setUp(
  applyCommand: string,
  lifetime: number,
): Promise<
  { emu: Awaited<ReturnType<typeof startEmulator>>; sb: Sandbox; cleanup(): Promise<void> }
> {
  const emu = await startEmulator({ durationOverride: { AssumeRole: lifetime } });
  const keys = emu.createUser({ name: "alice" });
  const sb = await createSandbox(atmosYaml(applyCommand), {
    endpoint: emu.url,
    env: { BASE_AK: keys.accessKeyId, BASE_SK: keys.secretAccessKey, EMU_URL: emu.url },
  });
  await Deno.mkdir(join(sb.project, "workflows"));
  await Deno.writeTextFile(
    join(sb.project, "workflows", "release.yaml"),
    workflowYaml(applyCommand),
  );
  return {
    emu,
    sb,
    cleanup: async () => {
      await sb.cleanup();
      await emu.stop();
    },
  };
}

interface Recorded {
  version: number;
  runs: Record<string, Record<string, { ms: number; at: string }>>;
}

function durationsFile(sb: Sandbox): string {
  return join(sb.configDir, "cache", "step-durations.json");
}

async function readDurations(sb: Sandbox): Promise<Recorded> {
  return JSON.parse(await Deno.readTextFile(durationsFile(sb)));
}

/** Rewrites every recorded duration of steps named `steps` to `ms` (a long previous run). */
async function plantDuration(sb: Sandbox, steps: string[], ms: number): Promise<string[]> {
  const data = await readDurations(sb);
  const planted: string[] = [];
  for (const [run, recorded] of Object.entries(data.runs)) {
    for (const step of steps) {
      if (recorded[step]) {
        recorded[step].ms = ms;
        planted.push(`${run} / ${step}`);
      }
    }
  }
  await Deno.writeTextFile(durationsFile(sb), JSON.stringify(data));
  return planted;
}

function renewLines(run: RunResult): string[] {
  return run.stderr.split("\n").filter((line) => line.startsWith("renewing "));
}

Deno.test("a workflow renews an identity before a step whose last run took longer than its session has left, in one line", async () => {
  const { emu, sb, cleanup } = await setUp(CALLER, 31 * 60);
  try {
    const first = await sb.run(["workflow", "release", "-f", "release"]);
    assert.equal(first.code, 0, first.stderr);
    assert.equal(first.stdout.trim(), ROLE_ARN);
    assert.deepEqual(renewLines(first), []);
    assert.equal(emu.calls("AssumeRole"), 1);

    // What was recorded: names and numbers only, in a 0600 file.
    const recorded = await readDurations(sb);
    const runs = Object.entries(recorded.runs);
    assert.equal(runs.length, 1);
    assert.match(runs[0][0], /^workflow .*\/workflows\/release\.yaml release$/);
    assert.deepEqual(Object.keys(runs[0][1]), ["apply"]);
    assert.ok(runs[0][1].apply.ms > 0 && runs[0][1].apply.ms < MINUTE, JSON.stringify(recorded));
    assert.equal((await Deno.stat(durationsFile(sb))).mode! & 0o777, 0o600);

    // The last apply took 47 minutes; 31-minute sessions are issued no more: renewing helps.
    await plantDuration(sb, ["apply"], 47 * MINUTE);
    emu.setDuration("AssumeRole", 3600);
    const second = await sb.run(["workflow", "release", "-f", "release"]);
    assert.equal(second.code, 0, second.stderr);
    assert.equal(second.stdout.trim(), ROLE_ARN);
    const lines = renewLines(second);
    assert.equal(lines.length, 1, second.stderr);
    assert.match(lines[0], /^renewing deploy: step "apply" took 47m last time, 3[01]m left$/);
    assert.ok(
      second.stderr.indexOf("renewing deploy") < second.stderr.indexOf("[1/1] apply"),
      `the renewal is said before the step starts:\n${second.stderr}`,
    );
    assert.equal(emu.calls("AssumeRole"), 2, "the role was assumed again before the step");
    assert.equal(emu.calls("GetSessionToken"), 1, "from the cached user session");

    // The real duration replaced the planted one; an hour is left now: nothing to renew.
    const third = await sb.run(["workflow", "release", "-f", "release"]);
    assert.equal(third.code, 0, third.stderr);
    assert.deepEqual(renewLines(third), []);
    assert.equal(emu.calls("AssumeRole"), 2);

    const texts = { first: first.stderr, second: second.stderr, third: third.stderr };
    const file = await Deno.readTextFile(durationsFile(sb));
    assertNoSecrets(emu.secrets(), { ...texts, durations: file });
  } finally {
    await cleanup();
  }
});

Deno.test("steps of a parallel block that outlive their session share one renewal", async () => {
  const { emu, sb, cleanup } = await setUp(CALLER, 31 * 60);
  try {
    const first = await sb.run(["workflow", "fan-out", "-f", "release"]);
    assert.equal(first.code, 0, first.stderr);
    assert.equal(emu.calls("AssumeRole"), 1);
    const planted = await plantDuration(sb, ["group/a", "group/b"], 47 * MINUTE);
    assert.equal(planted.length, 2, JSON.stringify(await readDurations(sb)));
    emu.setDuration("AssumeRole", 3600);

    const second = await sb.run(["workflow", "fan-out", "-f", "release"]);
    assert.equal(second.code, 0, second.stderr);
    const lines = renewLines(second);
    assert.equal(lines.length, 1, second.stderr);
    assert.match(lines[0], /^renewing deploy: step "group\/[ab]" took 47m last time, 3[01]m left$/);
    assert.equal(emu.calls("AssumeRole"), 2, "one renewal for both steps");
    assert.equal(second.stdout.split("\n").filter((l) => l.includes(ROLE_ARN)).length, 2);
    assertNoSecrets(emu.secrets(), { stdout: second.stdout, stderr: second.stderr });
  } finally {
    await cleanup();
  }
});

Deno.test("a custom command renews its identity before a step whose last run took longer than its session has left", async () => {
  const { emu, sb, cleanup } = await setUp(CALLER, 31 * 60);
  try {
    const first = await sb.run(["release"]);
    assert.equal(first.code, 0, first.stderr);
    assert.equal(first.stdout.trim(), ROLE_ARN);
    const [[run, steps]] = Object.entries((await readDurations(sb)).runs);
    assert.match(run, /^command .* atmos release$/);
    const [step] = Object.keys(steps);
    await plantDuration(sb, [step], 47 * MINUTE);
    emu.setDuration("AssumeRole", 3600);

    const second = await sb.run(["release"]);
    assert.equal(second.code, 0, second.stderr);
    const lines = renewLines(second);
    assert.equal(lines.length, 1, second.stderr);
    assert.match(
      lines[0],
      new RegExp(`^renewing deploy: step "${step}" took 47m last time, 3[01]m left$`),
    );
    assert.equal(emu.calls("AssumeRole"), 2);
    assertNoSecrets(emu.secrets(), { stdout: second.stdout, stderr: second.stderr });
  } finally {
    await cleanup();
  }
});

/** Seconds a role session lives in the background-renewal test. */
const LIFETIME = 8;

Deno.test("a workflow step and a custom-command step keep working across three session lifetimes", async () => {
  const loop = callerLoop(3 * LIFETIME);
  const [workflow, command] = await Promise.all([
    setUp(loop, LIFETIME),
    setUp(loop, LIFETIME),
  ]);
  try {
    const [byWorkflow, byCommand] = await Promise.all([
      workflow.sb.run(["workflow", "release", "-f", "release"]),
      command.sb.run(["release"]),
    ]);
    for (
      const [name, run, emu] of [
        ["workflow", byWorkflow, workflow.emu],
        ["custom command", byCommand, command.emu],
      ] as const
    ) {
      assert.equal(run.code, 0, `${name}: ${run.stderr}`);
      const arns = run.stdout.split("\n").filter((l) => l.startsWith("arn:"));
      assert.ok(
        arns.length >= 3 && arns.every((arn) => arn === ROLE_ARN),
        `${name}: ${run.stdout}`,
      );
      assert.ok(
        emu.calls("AssumeRole") >= 3,
        `${name}: AssumeRole calls: ${emu.calls("AssumeRole")}`,
      );
      assertNoSecrets(emu.secrets(), { stdout: run.stdout, stderr: run.stderr });
    }
  } finally {
    await Promise.all([workflow.cleanup(), command.cleanup()]);
  }
});
