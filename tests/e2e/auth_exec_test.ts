import assert from "node:assert/strict";
import { startEmulator } from "../emulator/mod.ts";
import { assertNoSecrets, createSandbox, DUMP_CHILD } from "./harness.ts";

const CHAIN_YAML = `
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
`;

Deno.test("auth exec gives the AWS CLI v2 the assumed-role identity through files only", async () => {
  const emu = await startEmulator();
  const keys = emu.createUser({ name: "alice" });
  const sb = await createSandbox(CHAIN_YAML, {
    endpoint: emu.url,
    env: {
      BASE_AK: keys.accessKeyId,
      BASE_SK: keys.secretAccessKey,
      AWS_ACCESS_KEY_ID: "AKIASHOULDBEREMOVED1",
      AWS_SECRET_ACCESS_KEY: "leaked-parent-secret-value",
    },
  });
  try {
    const login = await sb.run(["auth", "login", "prod-admin"]);
    assert.equal(login.code, 0, login.stderr);
    assert.equal(emu.calls("GetSessionToken"), 1);
    assert.equal(emu.calls("AssumeRole"), 1);

    const aws = await sb.run([
      "auth",
      "exec",
      "-i",
      "prod-admin",
      "--",
      "/usr/bin/aws",
      "sts",
      "get-caller-identity",
      "--endpoint-url",
      emu.url,
      "--output",
      "json",
    ]);
    assert.equal(aws.code, 0, aws.stderr);
    const who = JSON.parse(aws.stdout);
    assert.equal(who.Arn, "arn:aws:sts::111122223333:assumed-role/ProductionAdmin/atmos-prod");

    const dump = await sb.run(["auth", "exec", "--", ...DUMP_CHILD]);
    assert.equal(dump.code, 0, dump.stderr);
    const child = JSON.parse(dump.stdout);
    assert.equal(child.env.AWS_PROFILE, "prod-admin");
    assert.equal(child.env.AWS_SHARED_CREDENTIALS_FILE, `${sb.configDir}/aws/aws-user/credentials`);
    assert.equal(child.env.AWS_CONFIG_FILE, `${sb.configDir}/aws/aws-user/config`);
    assert.equal(child.env.ATMOS_IDENTITY, "prod-admin");
    assert.equal(child.env.TF_VAR_stage, "prod");
    assert.equal(child.env.AWS_ACCESS_KEY_ID, undefined);
    assert.equal(child.env.AWS_SECRET_ACCESS_KEY, undefined);
    assertNoSecrets(emu.secrets(), {
      "child env": JSON.stringify(child),
      "login stdout": login.stdout,
      "login stderr": login.stderr,
      "exec stderr": aws.stderr + dump.stderr,
    });
  } finally {
    await sb.cleanup();
    await emu.stop();
  }
});

Deno.test("auth exec keeps the parse of an unchanged atmos.yaml in a 0600 cache file and sees an edit at once", async () => {
  const emu = await startEmulator();
  const keys = emu.createUser({ name: "carol" });
  const sb = await createSandbox(CHAIN_YAML, {
    endpoint: emu.url,
    env: { BASE_AK: keys.accessKeyId, BASE_SK: keys.secretAccessKey },
  });
  const debug = { env: { ATMOS_LOGS_LEVEL: "Debug" } };
  const stageOf = async () => {
    const dump = await sb.run(["auth", "exec", "--", ...DUMP_CHILD], debug);
    assert.equal(dump.code, 0, dump.stderr);
    return { stage: JSON.parse(dump.stdout).env.TF_VAR_stage, stderr: dump.stderr };
  };
  try {
    const first = await stageOf();
    assert.equal(first.stage, "prod");
    assert.doesNotMatch(first.stderr, /from the cache/);
    const cacheDir = `${sb.configDir}/cache/yaml`;
    const entries = [...Deno.readDirSync(cacheDir)].map((e) => `${cacheDir}/${e.name}`);
    assert.equal(entries.length, 1);
    assert.equal(Deno.statSync(cacheDir).mode! & 0o777, 0o700);
    assert.equal(Deno.statSync(entries[0]).mode! & 0o777, 0o600);
    // Only the parse is kept: `!env` values (here the long-lived keys) are never in it.
    assertNoSecrets([keys.accessKeyId, keys.secretAccessKey], {
      "cache entry": Deno.readTextFileSync(entries[0]),
    });

    const warm = await stageOf();
    assert.equal(warm.stage, "prod");
    assert.match(warm.stderr, /config: parse of .*atmos\.yaml from the cache/);

    const file = `${sb.project}/atmos.yaml`;
    await Deno.writeTextFile(
      file,
      (await Deno.readTextFile(file)).replace("value: prod", "value: staging"),
    );
    const edited = await stageOf();
    assert.equal(edited.stage, "staging");
    assert.match(edited.stderr, /atmos\.yaml changed since its cached parse/);
    assert.equal((await stageOf()).stage, "staging");

    // A config error is reported at the same place from a cached parse.
    await Deno.writeTextFile(
      file,
      (await Deno.readTextFile(file)).replace("{ identity: base }", "{ identity: bsae }"),
    );
    const errors = [];
    for (let i = 0; i < 2; i++) {
      const bad = await sb.run(["auth", "exec", "--", "true"], debug);
      assert.equal(bad.code, 2, bad.stderr);
      if (i === 1) assert.match(bad.stderr, /atmos\.yaml from the cache/);
      errors.push(bad.stderr.split("\n").find((line) => line.startsWith("error:")));
    }
    assert.match(errors[0]!, /atmos\.yaml:\d+:\d+.*did you mean "base"/);
    assert.equal(errors[1], errors[0]);
    assert.equal(emu.calls("GetSessionToken") + emu.calls("AssumeRole"), 2);
  } finally {
    await sb.cleanup();
    await emu.stop();
  }
});
