import assert from "node:assert/strict";
import { startEmulator } from "../emulator/mod.ts";
import { assertNoSecrets, CLIENT_ENV, createSandbox, DUMP_CHILD, type Sandbox } from "./harness.ts";
import { awsCliCallerIdentity } from "./auth_support.ts";

// Session plans (lib/auth/session_plan.ts): a warm `auth exec` starts from the plan the last
// login kept, and only while the configuration, its `!env` values and the credential files say
// the plan still holds.

const YAML = `
auth:
  identities:
    base:
      kind: aws/user
      credentials:
        access_key_id: !env BASE_AK
        secret_access_key: !env BASE_SK
        region: us-west-2
    prod-admin:
      kind: aws/assume-role
      default: true
      via: { identity: base }
      principal:
        assume_role: arn:aws:iam::111122223333:role/ProductionAdmin
        session_name: atmos-prod
      env:
        - { key: TF_VAR_stage, value: prod }
        - { key: TF_VAR_db_password, value: !env DB_PASSWORD }
`;

/** A value the identity's env: reads with !env: children get it, plans never hold it. */
const DB_PASSWORD = "plan-must-not-keep-this-7f3a";

const ARN = "arn:aws:sts::111122223333:assumed-role/ProductionAdmin/atmos-prod";
const DEBUG = { ATMOS_LOGS_LEVEL: "Debug" };

async function withPlanSandbox(
  options: Parameters<typeof startEmulator>[0],
  fn: (
    sb: Sandbox,
    emu: Awaited<ReturnType<typeof startEmulator>>,
    keys: { accessKeyId: string; secretAccessKey: string },
  ) => Promise<void>,
): Promise<void> {
  const emu = await startEmulator(options);
  const keys = emu.createUser({ name: "alice" });
  const sb = await createSandbox(YAML, {
    endpoint: emu.url,
    env: {
      BASE_AK: keys.accessKeyId,
      BASE_SK: keys.secretAccessKey,
      DB_PASSWORD,
      ...CLIENT_ENV,
    },
  });
  try {
    const login = await sb.run(["auth", "login", "prod-admin"]);
    assert.equal(login.code, 0, login.stderr);
    await fn(sb, emu, keys);
  } finally {
    await sb.cleanup();
    await emu.stop();
  }
}

/** The caller identity the AWS CLI reports inside `auth exec` (with debug output). */
async function callerArn(sb: Sandbox, url: string, env: Record<string, string> = {}) {
  const out = await sb.run(["auth", "exec", "--", ...awsCliCallerIdentity(url)], {
    env: { ...DEBUG, ...env },
  });
  assert.equal(out.code, 0, out.stderr);
  return { arn: JSON.parse(out.stdout).Arn as string, stderr: out.stderr };
}

function planFiles(sb: Sandbox): string[] {
  try {
    return [...Deno.readDirSync(`${sb.configDir}/cache/sessions`)].map((e) =>
      `${sb.configDir}/cache/sessions/${e.name}`
    );
  } catch {
    return [];
  }
}

Deno.test("a warm auth exec starts from the plan its login kept: the role for the AWS CLI, config secrets scrubbed, no call, no secret in the plan", async () => {
  await withPlanSandbox({}, async (sb, emu, keys) => {
    const plans = planFiles(sb);
    assert.equal(plans.length, 1);
    assert.equal(Deno.statSync(plans[0]).mode! & 0o777, 0o600);
    assert.equal(Deno.statSync(`${sb.configDir}/cache/sessions`).mode! & 0o777, 0o700);
    assertNoSecrets([...emu.secrets(), keys.secretAccessKey, keys.accessKeyId, DB_PASSWORD], {
      "the plan": Deno.readTextFileSync(plans[0]),
    });
    const calls = emu.calls("AssumeRole") + emu.calls("GetSessionToken");

    const { arn, stderr } = await callerArn(sb, emu.url);
    assert.equal(arn, ARN);
    assert.match(stderr, /session plan of "prod-admin" used/);

    // The configuration's secrets (here in atmos's own environment) never reach the child.
    const dump = await sb.run(["auth", "exec", "--", ...DUMP_CHILD], { env: DEBUG });
    assert.equal(dump.code, 0, dump.stderr);
    assert.match(dump.stderr, /session plan of "prod-admin" used/);
    const child = JSON.parse(dump.stdout).env;
    assert.equal(child.BASE_AK, undefined);
    assert.equal(child.BASE_SK, undefined);
    assert.equal(child.AWS_PROFILE, "prod-admin");
    assert.equal(child.TF_VAR_stage, "prod");
    assert.equal(child.TF_VAR_db_password, DB_PASSWORD);
    assert.equal(child.ATMOS_IDENTITY, "prod-admin");
    assert.equal(emu.calls("AssumeRole") + emu.calls("GetSessionToken"), calls);
  });
});

Deno.test("the plan is passed over when the auth section or an !env value changed: an invalid section is refused as before", async () => {
  await withPlanSandbox({}, async (sb, emu, keys) => {
    const yaml = `${sb.project}/atmos.yaml`;
    const original = Deno.readTextFileSync(yaml);

    // Another identity in the section: another key, the full path (from the cached session).
    Deno.writeTextFileSync(
      yaml,
      `${original}    audit:\n      kind: aws/assume-role\n      via: { identity: base }\n      principal: { assume_role: "arn:aws:iam::111122223333:role/Audit" }\n`,
    );
    let run = await callerArn(sb, emu.url);
    assert.equal(run.arn, ARN);
    assert.match(
      run.stderr,
      /session plan of "prod-admin" not used: no plan for this configuration/,
    );

    // A broken section elsewhere is refused before the child runs, plan or not.
    Deno.writeTextFileSync(
      yaml,
      `${original}    broken:\n      kind: aws/assume-role\n      via: { identity: base }\n`,
    );
    const refused = await sb.run(["auth", "exec", "--", "true"]);
    assert.equal(refused.code, 2, refused.stderr);
    assert.match(refused.stderr, /auth\.identities\.broken/);

    // The same text with another !env value (the user's key rotated): another key too.
    Deno.writeTextFileSync(yaml, original);
    run = await callerArn(sb, emu.url, { BASE_SK: `${keys.secretAccessKey}x` });
    assert.equal(run.arn, ARN);
    assert.match(run.stderr, /not used: no plan for this configuration/);

    // Back to the configuration the plan was kept for.
    run = await callerArn(sb, emu.url);
    assert.match(run.stderr, /session plan of "prod-admin" used/);
  });
});

Deno.test("the plan is passed over after a logout and when the credential files were damaged: the full path logs in again", async () => {
  await withPlanSandbox({}, async (sb, emu) => {
    const logout = await sb.run(["auth", "logout", "prod-admin"]);
    assert.equal(logout.code, 0, logout.stderr);
    const before = emu.calls("AssumeRole");
    let run = await callerArn(sb, emu.url);
    assert.equal(run.arn, ARN);
    assert.match(run.stderr, /not used: the files hold no fresh session/);
    assert.equal(emu.calls("AssumeRole"), before + 1);

    // A token damaged in place fails the section's checksum: not a session, whatever the plan.
    const file = `${sb.configDir}/aws/aws-user/credentials`;
    const text = Deno.readTextFileSync(file);
    const damaged = text.replace(
      /(\[prod-admin\][^[]*aws_session_token\s*=\s*)(\S)/,
      (_, head: string, c: string) => head + (c === "A" ? "B" : "A"),
    );
    assert.notEqual(damaged, text);
    Deno.writeTextFileSync(file, damaged);
    run = await callerArn(sb, emu.url);
    assert.equal(run.arn, ARN);
    assert.match(run.stderr, /not used: the files hold no fresh session/);
    assert.equal(emu.calls("AssumeRole"), before + 2);
  });
});

Deno.test("auth login of a cached session keeps its plan again; a name in another case and a bare picker take the full path", async () => {
  await withPlanSandbox({}, async (sb, emu) => {
    for (const file of planFiles(sb)) Deno.removeSync(file);
    const login = await sb.run(["auth", "login", "prod-admin"]);
    assert.equal(login.code, 0, login.stderr);
    assert.match(login.stderr, /cached credentials are still valid/);
    assert.equal(planFiles(sb).length, 1);

    const other = await sb.run(["auth", "exec", "-i", "PROD-ADMIN", "--", "true"], { env: DEBUG });
    assert.equal(other.code, 0, other.stderr);
    assert.doesNotMatch(other.stderr, /session plan of "[^"]*" used/);
    const run = await callerArn(sb, emu.url, { ATMOS_IDENTITY: "prod-admin" });
    assert.match(run.stderr, /session plan of "prod-admin" used/);
  });
});

Deno.test("the plan is passed over when the files' session has 5 minutes or less left: the role is assumed again", async () => {
  // One-minute role sessions are inside the 5-minute margin as soon as they are written.
  await withPlanSandbox({ durationOverride: { AssumeRole: 60 } }, async (sb, emu) => {
    assert.equal(planFiles(sb).length, 1);
    const before = emu.calls("AssumeRole");
    const run = await callerArn(sb, emu.url);
    assert.equal(run.arn, ARN);
    assert.match(run.stderr, /not used: the files hold no fresh session/);
    assert.equal(emu.calls("AssumeRole"), before + 1);
  });
});
