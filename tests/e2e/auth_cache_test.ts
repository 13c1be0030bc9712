/**
 * End-to-end tests of the credential cache: concurrent logins sharing one credentials file,
 * zero network calls when warm, exact call counts for a cold chain, and resuming only the
 * expired part of a chain.
 */
import { join } from "node:path";
import assert from "node:assert/strict";
import { startEmulator } from "../emulator/mod.ts";
import type { EmulatorOptions } from "../emulator/mod.ts";
import { assertNoSecrets, createSandbox } from "./harness.ts";
import { awsCliCallerIdentity, awsUserFiles, callerArnsWithBoto3 } from "./auth_support.ts";

const BASE = `
    base:
      kind: aws/user
      credentials:
        access_key_id: !env BASE_AK
        secret_access_key: !env BASE_SK
        region: us-west-2`;

/** base → role-a → role-b (depth 3), all in the `aws-user` files. */
const DEPTH3_YAML = `
auth:
  identities:${BASE}
    role-a:
      kind: aws/assume-role
      via: { identity: base }
      principal:
        assume_role: arn:aws:iam::111111111111:role/A
        session_name: atmos-a
    role-b:
      kind: aws/assume-role
      default: true
      via: { identity: role-a }
      principal:
        assume_role: arn:aws:iam::222222222222:role/B
        session_name: atmos-b
`;

const ROLE_B_ARN = "arn:aws:sts::222222222222:assumed-role/B/atmos-b";

/** Number of identities logged in at once. */
const CONCURRENT = 20;

function roleName(i: number): string {
  return `role-${String(i).padStart(2, "0")}`;
}

function roleArn(i: number): string {
  return `arn:aws:sts::1000000000${String(i).padStart(2, "0")}:assumed-role/R${i}/s-${i}`;
}

/** base plus CONCURRENT assume-role identities via base. */
function manyRolesYaml(): string {
  let yaml = `\nauth:\n  identities:${BASE}\n`;
  for (let i = 1; i <= CONCURRENT; i++) {
    yaml += `    ${roleName(i)}:
      kind: aws/assume-role
      via: { identity: base }
      principal:
        assume_role: arn:aws:iam::1000000000${String(i).padStart(2, "0")}:role/R${i}
        session_name: s-${i}
`;
  }
  return yaml;
}

async function setUp(yaml: string, options: EmulatorOptions = {}) {
  const emu = await startEmulator(options);
  const keys = emu.createUser({ name: "alice" });
  const sb = await createSandbox(yaml, {
    endpoint: emu.url,
    env: { BASE_AK: keys.accessKeyId, BASE_SK: keys.secretAccessKey },
  });
  return { emu, sb };
}

function assertCalls(
  emu: { calls(action?: string): number },
  expected: { GetSessionToken: number; AssumeRole: number },
  when: string,
): void {
  assert.deepEqual(
    { GetSessionToken: emu.calls("GetSessionToken"), AssumeRole: emu.calls("AssumeRole") },
    expected,
    when,
  );
  assert.equal(emu.calls(), expected.GetSessionToken + expected.AssumeRole, `${when}: total`);
}

Deno.test(`${CONCURRENT} concurrent auth login runs sharing one credentials file leave every section valid`, async () => {
  const { emu, sb } = await setUp(manyRolesYaml());
  try {
    const names = Array.from({ length: CONCURRENT }, (_, i) => roleName(i + 1));
    const logins = await Promise.all(names.map((name) => sb.run(["auth", "login", name])));
    for (const [i, login] of logins.entries()) {
      assert.equal(login.code, 0, `${names[i]}: ${login.stderr}`);
    }
    assert.equal(emu.calls("AssumeRole"), CONCURRENT);
    const files = awsUserFiles(sb);
    const credentials = await Deno.readTextFile(files.credentials);
    const config = await Deno.readTextFile(files.config);
    for (const name of [...names, "base"]) {
      const sections = credentials.split("\n").filter((line) => line === `[${name}]`);
      assert.equal(sections.length, 1, `[${name}] appears ${sections.length} times`);
      assert.match(credentials, new RegExp(`; atmos: expiration=\\S+\\n\\[${name}\\]\\n`));
      assert.match(config, new RegExp(`\\[profile ${name}\\]\\nregion = us-west-2\\n`));
    }
    // Atomic writes leave no temporaries behind (the lock files stay, by design: the files'
    // own, and each identity's login lock in .locks).
    const dir = join(sb.configDir, "aws", "aws-user");
    const left = [...Deno.readDirSync(dir)].map((e) => e.name);
    assert.deepEqual(left.sort(), [
      ".locks",
      "config",
      "config.lock",
      "credentials",
      "credentials.lock",
    ]);
    const loginLocks = [...Deno.readDirSync(join(dir, ".locks"))].map((e) => e.name).sort();
    assert.deepEqual(loginLocks, names.map((name) => `${name}.lock`).sort());
    // Every section works with boto3 reading the files directly (one process: the AWS CLI
    // costs about a second of CPU per run; the other tests use it).
    const arns = await callerArnsWithBoto3(sb, emu.url, files, names);
    assert.deepEqual(arns, names.map((_, i) => roleArn(i + 1)));
    assertNoSecrets(emu.secrets(), {
      "login stdout": logins.map((l) => l.stdout).join(""),
      "login stderr": logins.map((l) => l.stderr).join(""),
    });
  } finally {
    await sb.cleanup();
    await emu.stop();
  }
});

Deno.test("a chain of depth 3 makes exactly 3 calls cold and none warm", async () => {
  const { emu, sb } = await setUp(DEPTH3_YAML);
  try {
    const cold = await sb.run(["auth", "exec", "--", "/usr/bin/true"]);
    assert.equal(cold.code, 0, cold.stderr);
    assertCalls(emu, { GetSessionToken: 1, AssumeRole: 2 }, "cold exec");

    emu.resetCalls();
    const warm = await Promise.all([
      sb.run(["auth", "exec", "--", "/usr/bin/true"]),
      sb.run(["auth", "exec", "-i", "role-a", "--", "/usr/bin/true"]),
      sb.run(["auth", "login", "role-b"]),
      sb.run(["auth", "env", "--format", "json"]),
    ]);
    for (const run of warm) assert.equal(run.code, 0, run.stderr);
    assert.match(warm[2].stderr, /cached credentials are still valid/);
    assert.equal(emu.calls(), 0, "a warm run made network calls");

    // The cached session is the real one.
    const arns = await callerArnsWithBoto3(sb, emu.url, awsUserFiles(sb), ["role-b"]);
    assert.deepEqual(arns, [ROLE_B_ARN]);
  } finally {
    await sb.cleanup();
    await emu.stop();
  }
});

Deno.test("auth login --force re-runs the whole chain and replaces the cached sessions", async () => {
  const { emu, sb } = await setUp(DEPTH3_YAML);
  try {
    const first = await sb.run(["auth", "login", "role-b"]);
    assert.equal(first.code, 0, first.stderr);
    const before = await Deno.readTextFile(awsUserFiles(sb).credentials);
    emu.resetCalls();
    const forced = await sb.run(["auth", "login", "role-b", "--force"]);
    assert.equal(forced.code, 0, forced.stderr);
    assertCalls(emu, { GetSessionToken: 1, AssumeRole: 2 }, "forced login");
    const after = await Deno.readTextFile(awsUserFiles(sb).credentials);
    const keyOf = (text: string, section: string) =>
      new RegExp(`\\[${section}\\]\\naws_access_key_id = (\\S+)`).exec(text)?.[1];
    for (const section of ["base", "role-a", "role-b"]) {
      assert.ok(keyOf(before, section), `[${section}] missing`);
      assert.notEqual(keyOf(after, section), keyOf(before, section), `[${section}] not replaced`);
    }
  } finally {
    await sb.cleanup();
    await emu.stop();
  }
});

Deno.test("role credentials within 5 minutes of expiry are re-assumed from the cached user session", async () => {
  const { emu, sb } = await setUp(DEPTH3_YAML, { durationOverride: { AssumeRole: 120 } });
  try {
    const login = await sb.run(["auth", "login", "role-a"]);
    assert.equal(login.code, 0, login.stderr);
    assertCalls(emu, { GetSessionToken: 1, AssumeRole: 1 }, "first login");

    // role-a's session (120 s) is inside the 5-minute buffer: only the role is re-assumed.
    emu.resetCalls();
    const exec = await sb.run(["auth", "exec", "-i", "role-a", "--", "/usr/bin/true"]);
    assert.equal(exec.code, 0, exec.stderr);
    assertCalls(emu, { GetSessionToken: 0, AssumeRole: 1 }, "exec with an expiring role");

    // Depth 3: base is fresh, both roles expire soon, so both are re-assumed and nothing else.
    emu.resetCalls();
    const deep = await sb.run([
      "auth",
      "exec",
      "-i",
      "role-b",
      "--",
      ...awsCliCallerIdentity(emu.url),
    ]);
    assert.equal(deep.code, 0, deep.stderr);
    assert.equal(JSON.parse(deep.stdout).Arn, ROLE_B_ARN);
    assert.deepEqual(
      [emu.calls("GetSessionToken"), emu.calls("AssumeRole"), emu.calls("GetCallerIdentity")],
      [0, 2, 1],
    );
  } finally {
    await sb.cleanup();
    await emu.stop();
  }
});

Deno.test("an expired user session under a fresh role still costs no call", async () => {
  const { emu, sb } = await setUp(DEPTH3_YAML, { durationOverride: { GetSessionToken: 120 } });
  try {
    const login = await sb.run(["auth", "login", "role-a"]);
    assert.equal(login.code, 0, login.stderr);
    emu.resetCalls();
    const warm = await sb.run(["auth", "exec", "-i", "role-a", "--", "/usr/bin/true"]);
    assert.equal(warm.code, 0, warm.stderr);
    assert.equal(emu.calls(), 0);
    // role-b is not cached: it resumes from role-a, not from the expiring user session.
    const next = await sb.run(["auth", "login", "role-b"]);
    assert.equal(next.code, 0, next.stderr);
    assertCalls(emu, { GetSessionToken: 0, AssumeRole: 1 }, "login resuming at role-a");
  } finally {
    await sb.cleanup();
    await emu.stop();
  }
});

Deno.test("credentials with more than 5 minutes left are used as they are", async () => {
  const { emu, sb } = await setUp(DEPTH3_YAML, {
    durationOverride: { GetSessionToken: 420, AssumeRole: 420 },
  });
  try {
    const login = await sb.run(["auth", "login", "role-b"]);
    assert.equal(login.code, 0, login.stderr);
    emu.resetCalls();
    const warm = await sb.run(["auth", "exec", "--", "/usr/bin/true"]);
    assert.equal(warm.code, 0, warm.stderr);
    assert.equal(emu.calls(), 0);
  } finally {
    await sb.cleanup();
    await emu.stop();
  }
});
