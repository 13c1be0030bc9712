/**
 * End-to-end flows of the auth commands against the local AWS emulator: login files and modes,
 * boto3 inside `auth exec`, `auth shell`, `auth env` formats, `auth whoami`, `auth logout`,
 * realms and configured endpoints.
 */
import { join } from "node:path";
import assert from "node:assert/strict";
import { type Emulator, startEmulator } from "../emulator/mod.ts";
import { assertNoSecrets, createSandbox, DUMP_CHILD, type Sandbox } from "./harness.ts";
import {
  assertOneLineError,
  awsUserFiles,
  boto3CallerArn,
  callerArnFromFiles,
  callerArnsWithBoto3,
  modeOf,
  runProgram,
  snapshotTree,
} from "./auth_support.ts";

const ROLE_ARN = "arn:aws:sts::111122223333:assumed-role/ProductionAdmin/atmos-prod";
const DEV_ARN = "arn:aws:sts::444455556666:assumed-role/Developer/atmos-dev";

/** base (aws/user) → prod-admin (default) and base → dev, all in the `aws-user` files. */
function chainYaml(extra = ""): string {
  return `
auth:${extra}
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
        region: eu-central-1
      env:
        - { key: TF_VAR_stage, value: prod }
        - { key: DB_PASSWORD, value: not-a-real-password }
    dev:
      kind: aws/assume-role
      via: { identity: base }
      principal:
        assume_role: arn:aws:iam::444455556666:role/Developer
        session_name: atmos-dev
`;
}

interface Fixture {
  emu: Emulator;
  sb: Sandbox;
}

/** Starts the emulator and a sandbox holding a user's keys in BASE_AK/BASE_SK. */
async function setUp(
  yaml = chainYaml(),
  options: { endpointInEnv?: boolean; env?: Record<string, string> } = {},
): Promise<Fixture> {
  const emu = await startEmulator();
  const keys = emu.createUser({ name: "alice" });
  const sb = await createSandbox(yaml, {
    endpoint: options.endpointInEnv === false ? undefined : emu.url,
    env: {
      BASE_AK: keys.accessKeyId,
      BASE_SK: keys.secretAccessKey,
      // Raw parent keys: atmos must never use them nor hand them to a child.
      AWS_ACCESS_KEY_ID: "AKIAPARENTSHOULDGO01",
      AWS_SECRET_ACCESS_KEY: "parent-secret-that-must-be-removed",
      ...options.env,
    },
  });
  return { emu, sb };
}

async function tearDown(fx: Fixture): Promise<void> {
  await fx.sb.cleanup();
  await fx.emu.stop();
}

Deno.test("auth login writes 0600 files in 0700 dirs and keeps sections it did not write", async () => {
  const fx = await setUp();
  const { emu, sb } = fx;
  try {
    const login = await sb.run(["auth", "login", "prod-admin"]);
    assert.equal(login.code, 0, login.stderr);
    const files = awsUserFiles(sb);
    assert.equal(await modeOf(files.credentials), 0o600);
    assert.equal(await modeOf(files.config), 0o600);
    assert.equal(await modeOf(sb.configDir), 0o700);
    assert.equal(await modeOf(join(sb.configDir, "aws")), 0o700);
    assert.equal(await modeOf(join(sb.configDir, "aws", "aws-user")), 0o700);

    const credentials = await Deno.readTextFile(files.credentials);
    const expiry = /; atmos: expiration=(\S+)\n\[prod-admin\]\n/.exec(credentials);
    assert.ok(expiry, `no expiration comment above [prod-admin]:\n${credentials.length}`);
    assert.match(expiry[1], /^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ$/);
    assert.ok(new Date(expiry[1]).getTime() > Date.now() + 30 * 60_000);
    assert.match(credentials, /\n\[base\]\n/);
    const config = await Deno.readTextFile(files.config);
    assert.match(config, /\[profile prod-admin\]\nregion = eu-central-1\n/);
    assert.match(config, /\[profile base\]\nregion = us-west-2\n/);

    // Sections written by someone else survive the next login (read-modify-write).
    const manualCreds =
      "\n# kept by hand\n[manual]\naws_access_key_id = AKIAMANUALPROFILE001\naws_secret_access_key = manual-secret-value-kept\n";
    const manualConfig = "\n[profile manual]\nregion = ap-south-1\noutput = json\n";
    await Deno.writeTextFile(files.credentials, manualCreds, { append: true });
    await Deno.writeTextFile(files.config, manualConfig, { append: true });
    const again = await sb.run(["auth", "login", "dev"]);
    assert.equal(again.code, 0, again.stderr);
    const after = await Deno.readTextFile(files.credentials);
    assert.ok(after.includes(manualCreds.trim()), after.length.toString());
    assert.ok((await Deno.readTextFile(files.config)).includes(manualConfig.trim()));
    assert.match(after, /; atmos: expiration=\S+\n\[dev\]\n/);
    assert.equal(await modeOf(files.credentials), 0o600);
    // The atmos sections work outside atmos: AWS CLI v2 and boto3 read the files directly.
    const [prod, both] = await Promise.all([
      callerArnFromFiles(sb, emu.url, files, "prod-admin"),
      callerArnsWithBoto3(sb, emu.url, files, ["prod-admin", "dev"]),
    ]);
    assert.equal(prod, ROLE_ARN);
    assert.deepEqual(both, [ROLE_ARN, DEV_ARN]);
    assertNoSecrets(emu.secrets(), {
      "login stdout": login.stdout + again.stdout,
      "login stderr": login.stderr + again.stderr,
    });
  } finally {
    await tearDown(fx);
  }
});

Deno.test("auth exec gives boto3 the assumed-role identity with the parent's raw keys removed", async () => {
  // The parent also points at ~/.aws files and a profile that atmos must neither read nor pass on.
  const fx = await setUp(chainYaml(), {
    env: { AWS_PROFILE: "ghost", AWS_SESSION_TOKEN: "parent-token-value" },
  });
  const { emu, sb } = fx;
  try {
    await Deno.mkdir(join(sb.home, ".aws"));
    await Deno.writeTextFile(
      join(sb.home, ".aws", "credentials"),
      "[default]\naws_access_key_id = AKIAHOMEFILESHOULDNOT\naws_secret_access_key = home-file-secret\n[ghost]\nthis is = not valid\n",
    );
    await Deno.writeTextFile(join(sb.home, ".aws", "config"), "[default]\nregion = sa-east-1\n");
    const boto = await sb.run([
      "auth",
      "exec",
      "-i",
      "prod-admin",
      "--",
      ...boto3CallerArn(emu.url),
    ]);
    assert.equal(boto.code, 0, boto.stderr);
    assert.equal(boto.stdout.trim(), ROLE_ARN);

    const dump = await sb.run(["auth", "exec", "--", ...DUMP_CHILD, "--flag", "value"]);
    assert.equal(dump.code, 0, dump.stderr);
    const child = JSON.parse(dump.stdout);
    assert.deepEqual(child.argv.slice(1), ["--flag", "value"]);
    assert.equal(child.env.AWS_PROFILE, "prod-admin");
    for (
      const name of [
        "AWS_ACCESS_KEY_ID",
        "AWS_SECRET_ACCESS_KEY",
        "AWS_SESSION_TOKEN",
        "BASE_AK",
        "BASE_SK",
      ]
    ) {
      assert.equal(child.env[name], undefined, `${name} reached the child`);
    }
    assert.equal(child.env.AWS_REGION, "eu-central-1");
    assert.equal(child.env.AWS_DEFAULT_REGION, "eu-central-1");
    assert.equal(child.env.AWS_SDK_LOAD_CONFIG, "1");
    assert.equal(child.env.AWS_EC2_METADATA_DISABLED, "true");
    assert.equal(child.env.ATMOS_SHLVL, "1");
    assertNoSecrets(emu.secrets(), {
      "child env and argv": dump.stdout,
      "exec stdout": boto.stdout,
      "exec stderr": boto.stderr + dump.stderr,
    });
  } finally {
    await tearDown(fx);
  }
});

Deno.test("auth shell starts the shell with the file pointers and passes its exit code through", async () => {
  const fx = await setUp();
  const { emu, sb } = fx;
  try {
    const [shown, exit7] = await Promise.all([
      sb.run(["auth", "shell", "prod-admin", "--shell", "/usr/bin/env"]),
      sb.run(["auth", "shell", "prod-admin", "--shell", "/bin/sh", "--", "-c", "exit 7"]),
    ]);
    assert.equal(shown.code, 0, shown.stderr);
    const env = Object.fromEntries(
      shown.stdout.trimEnd().split("\n").map((line) => {
        const at = line.indexOf("=");
        return [line.slice(0, at), line.slice(at + 1)];
      }),
    );
    const files = awsUserFiles(sb);
    assert.equal(env.AWS_SHARED_CREDENTIALS_FILE, files.credentials);
    assert.equal(env.AWS_CONFIG_FILE, files.config);
    assert.equal(env.AWS_PROFILE, "prod-admin");
    assert.equal(env.ATMOS_IDENTITY, "prod-admin");
    assert.equal(env.ATMOS_SHLVL, "1");
    assert.equal(env.TF_VAR_stage, "prod");
    for (const name of ["AWS_ACCESS_KEY_ID", "AWS_SECRET_ACCESS_KEY", "AWS_SESSION_TOKEN"]) {
      assert.equal(env[name], undefined, `${name} is set in the shell`);
    }
    assert.equal(env.BASE_SK, undefined);
    assert.match(shown.stderr, /Entering atmos shell with identity: prod-admin/);
    assert.equal(exit7.code, 7, exit7.stderr);

    // A nested atmos sees the outer level.
    const nested = await sb.run(["auth", "shell", "prod-admin", "--shell", "/usr/bin/env"], {
      env: { ATMOS_SHLVL: "1" },
    });
    assert.match(nested.stdout, /^ATMOS_SHLVL=2$/m);
    assertNoSecrets(emu.secrets(), {
      "shell stdout": shown.stdout + nested.stdout,
      "shell stderr": shown.stderr + exit7.stderr + nested.stderr,
    });
  } finally {
    await tearDown(fx);
  }
});

Deno.test("auth env prints bash, json, dotenv and github formats that real clients can use", async () => {
  const fx = await setUp();
  const { emu, sb } = fx;
  try {
    // Without --login nothing is authenticated and nothing is written.
    const planned = await sb.run(["auth", "env", "-i", "prod-admin", "--format", "json"]);
    assert.equal(planned.code, 0, planned.stderr);
    assert.equal(emu.calls(), 0);
    assert.equal(await Deno.stat(awsUserFiles(sb).credentials).catch(() => undefined), undefined);

    const bash = await sb.run(["auth", "env", "-i", "prod-admin", "--login"]);
    assert.equal(bash.code, 0, bash.stderr);
    assert.equal(emu.calls("GetSessionToken"), 1);
    assert.equal(emu.calls("AssumeRole"), 1);
    assert.match(bash.stdout, /^unset AWS_ACCESS_KEY_ID AWS_SECRET_ACCESS_KEY AWS_SESSION_TOKEN/m);
    assert.match(bash.stdout, /^export AWS_PROFILE='?prod-admin'?$/m);
    assert.match(bash.stdout, /^export ATMOS_IDENTITY='?prod-admin'?$/m);

    // eval in bash, with raw keys in the outer shell that must not win.
    const evaluated = await runProgram("/bin/bash", [
      "-c",
      'eval "$1" && /usr/bin/aws sts get-caller-identity --endpoint-url "$2" --output json',
      "bash",
      bash.stdout,
      emu.url,
    ], {
      HOME: sb.home,
      AWS_ACCESS_KEY_ID: "AKIAPARENTSHOULDGO01",
      AWS_SECRET_ACCESS_KEY: "parent-secret-that-must-be-removed",
    });
    assert.equal(evaluated.code, 0, evaluated.stderr);
    assert.equal(JSON.parse(evaluated.stdout).Arn, ROLE_ARN);

    const githubEnv = join(sb.home, "github_env");
    await Deno.writeTextFile(githubEnv, "EARLIER=kept\n");
    const before = await snapshotTree(sb.home, [sb.configDir, githubEnv]);
    const [json, dotenv, github, bad] = await Promise.all([
      sb.run(["auth", "env", "-i", "prod-admin", "--format", "json"]),
      sb.run(["auth", "env", "-i", "prod-admin", "--format", "dotenv"]),
      sb.run(["auth", "env", "-i", "prod-admin", "--format", "github"], {
        env: { GITHUB_ENV: githubEnv },
      }),
      sb.run(["auth", "env", "-i", "prod-admin", "--format", "yaml"]),
    ]);
    assert.equal(json.code, 0, json.stderr);
    const vars = JSON.parse(json.stdout);
    assert.equal(vars.AWS_PROFILE, "prod-admin");
    assert.equal(vars.AWS_SHARED_CREDENTIALS_FILE, awsUserFiles(sb).credentials);
    assert.equal(vars.AWS_CONFIG_FILE, awsUserFiles(sb).config);
    assert.equal(vars.AWS_REGION, "eu-central-1");
    assert.equal(vars.AWS_ACCESS_KEY_ID, undefined);

    assert.equal(dotenv.code, 0, dotenv.stderr);
    const lines = dotenv.stdout.trimEnd().split("\n");
    for (const line of lines) assert.match(line, /^[A-Za-z_][A-Za-z0-9_]*=/);
    assert.ok(lines.some((l) => /^AWS_PROFILE='?prod-admin'?$/.test(l)), dotenv.stdout);

    assert.equal(github.code, 0, github.stderr);
    assert.equal(github.stdout, "");
    const appended = await Deno.readTextFile(githubEnv);
    assert.ok(appended.startsWith("EARLIER=kept\n"), appended);
    assert.match(appended, /^AWS_PROFILE=prod-admin$/m);
    assert.match(appended, new RegExp(`^AWS_CONFIG_FILE=${awsUserFiles(sb).config}$`, "m"));
    assert.deepEqual(await snapshotTree(sb.home, [sb.configDir, githubEnv]), before);

    assertOneLineError(bad, 2, /yaml/);
    // Only the one login and the eval'd AWS CLI call reached the emulator.
    assert.equal(emu.calls(), 3, "warm auth env runs made network calls");
    assert.equal(emu.calls("GetCallerIdentity"), 1);
    assertNoSecrets(emu.secrets(), {
      "env outputs": bash.stdout + json.stdout + dotenv.stdout + appended,
      "env stderr": bash.stderr + json.stderr + dotenv.stderr + github.stderr + bad.stderr,
    });
  } finally {
    await tearDown(fx);
  }
});

Deno.test("auth whoami prints text on stderr and JSON on stdout with secret-looking values redacted", async () => {
  const fx = await setUp();
  const { emu, sb } = fx;
  try {
    const text = await sb.run(["auth", "whoami", "-i", "prod-admin"]);
    assert.equal(text.code, 0, text.stderr);
    assert.equal(text.stdout, "");
    assert.match(text.stderr, /prod-admin/);
    assert.match(text.stderr, new RegExp(ROLE_ARN.replaceAll("/", "\\/")));
    assert.match(text.stderr, /111122223333/);
    assert.match(text.stderr, /~\/\.config\/atmos\/aws\/aws-user\/credentials/);

    const json = await sb.run(["auth", "whoami", "-i", "prod-admin", "-o", "json"]);
    assert.equal(json.code, 0, json.stderr);
    const who = JSON.parse(json.stdout);
    assert.equal(who.identity, "prod-admin");
    assert.equal(who.principal, ROLE_ARN);
    assert.equal(who.account, "111122223333");
    assert.equal(who.region, "eu-central-1");
    assert.ok(new Date(who.expiration).getTime() > Date.now() + 30 * 60_000, who.expiration);
    assert.deepEqual(who.files, {
      credentials: "~/.config/atmos/aws/aws-user/credentials",
      config: "~/.config/atmos/aws/aws-user/config",
    });
    assert.equal(who.environment.DB_PASSWORD, "[redacted]");
    assert.equal(who.environment.TF_VAR_stage, "prod");
    assert.equal(who.environment.AWS_PROFILE, "prod-admin");
    assert.equal(who.environment.AWS_SHARED_CREDENTIALS_FILE, who.files.credentials);
    assert.ok(!json.stdout.includes("not-a-real-password"));
    assertNoSecrets(emu.secrets(), {
      "whoami stdout": text.stdout + json.stdout,
      "whoami stderr": text.stderr + json.stderr,
    });
  } finally {
    await tearDown(fx);
  }
});

Deno.test("auth logout removes one section, a provider's directory, or everything; --dry-run removes nothing", async () => {
  const yaml = chainYaml(`
  providers:
    gha:
      kind: github/oidc
      region: us-east-2`) + `
    ci:
      kind: aws/assume-role
      via: { provider: gha }
      principal:
        assume_role: arn:aws:iam::777788889999:role/CI
`;
  const fx = await setUp(yaml);
  const { emu, sb } = fx;
  try {
    const logins = await Promise.all([
      sb.run(["auth", "login", "prod-admin"]),
      sb.run(["auth", "login", "ci"], { env: emu.githubActionsEnv() }),
    ]);
    for (const login of logins) assert.equal(login.code, 0, login.stderr);
    const files = awsUserFiles(sb);
    const ciDir = join(sb.configDir, "aws", "gha");
    assert.ok((await Deno.stat(join(ciDir, "credentials"))).isFile);

    const dryOne = await sb.run(["auth", "logout", "prod-admin", "--dry-run"]);
    assert.equal(dryOne.code, 0, dryOne.stderr);
    assert.match(dryOne.stderr, /Would remove .*credentials \[prod-admin\]/);
    const dryAll = await sb.run(["auth", "logout", "--all", "--dry-run"]);
    assert.equal(dryAll.code, 0, dryAll.stderr);
    assert.match(dryAll.stderr, /Would remove .*aws\/aws-user/);
    assert.match(dryAll.stderr, /Would remove .*aws\/gha/);
    assert.match(await Deno.readTextFile(files.credentials), /\[prod-admin\]/);
    assert.ok((await Deno.stat(ciDir)).isDirectory);

    const one = await sb.run(["auth", "logout", "prod-admin"]);
    assert.equal(one.code, 0, one.stderr);
    const credentials = await Deno.readTextFile(files.credentials);
    assert.doesNotMatch(credentials, /\[prod-admin\]/);
    assert.match(credentials, /\[base\]/);
    const config = await Deno.readTextFile(files.config);
    assert.doesNotMatch(config, /\[profile prod-admin\]/);
    assert.match(config, /\[profile base\]/);
    assert.deepEqual(await callerArnsWithBoto3(sb, emu.url, files, ["base"]), [
      "arn:aws:iam::123456789012:user/alice",
    ]);

    const provider = await sb.run(["auth", "logout", "--provider", "aws-user"]);
    assert.equal(provider.code, 0, provider.stderr);
    assert.equal(
      await Deno.stat(join(sb.configDir, "aws", "aws-user")).catch(() => undefined),
      undefined,
    );
    assert.ok((await Deno.stat(ciDir)).isDirectory);

    const relogin = await sb.run(["auth", "login", "dev"]);
    assert.equal(relogin.code, 0, relogin.stderr);
    const all = await sb.run(["auth", "logout", "--all"]);
    assert.equal(all.code, 0, all.stderr);
    assert.deepEqual([...Deno.readDirSync(join(sb.configDir, "aws"))], []);
    const nothing = await sb.run(["auth", "logout", "--all"]);
    assert.equal(nothing.code, 0, nothing.stderr);
    assert.match(nothing.stderr, /Nothing to remove/);
  } finally {
    await tearDown(fx);
  }
});

Deno.test("a realm from ATMOS_AUTH_REALM adds a path segment; an invalid auth.realm is a config error", async () => {
  const fx = await setUp();
  const { emu, sb } = fx;
  try {
    const login = await sb.run(["auth", "login", "prod-admin"], {
      env: { ATMOS_AUTH_REALM: "team-a" },
    });
    assert.equal(login.code, 0, login.stderr);
    const files = awsUserFiles(sb, "team-a");
    assert.equal(await modeOf(files.credentials), 0o600);
    assert.equal(await modeOf(join(sb.configDir, "team-a")), 0o700);
    assert.equal(await Deno.stat(join(sb.configDir, "aws")).catch(() => undefined), undefined);
    assert.deepEqual(await callerArnsWithBoto3(sb, emu.url, files, ["prod-admin"]), [ROLE_ARN]);

    const dump = await sb.run(["auth", "exec", "--", ...DUMP_CHILD], {
      env: { ATMOS_AUTH_REALM: "team-a" },
    });
    assert.equal(dump.code, 0, dump.stderr);
    assert.equal(JSON.parse(dump.stdout).env.AWS_SHARED_CREDENTIALS_FILE, files.credentials);

    await Deno.writeTextFile(join(sb.project, "atmos.yaml"), chainYaml("\n  realm: Bad_Realm"));
    emu.resetCalls();
    const bad = await sb.run(["auth", "login", "prod-admin"]);
    assertOneLineError(bad, 2, /atmos\.yaml:3(:\d+)?\b.*Bad_Realm/);
    assert.equal(emu.calls(), 0);
  } finally {
    await tearDown(fx);
  }
});

Deno.test("spec.endpoint_url on an identity is used without AWS_ENDPOINT_URL_STS", async () => {
  const emu = await startEmulator();
  const keys = emu.createUser({ name: "alice" });
  const yaml = `
auth:
  identities:
    base:
      kind: aws/user
      spec: { endpoint_url: "${emu.url}" }
      credentials:
        access_key_id: "${keys.accessKeyId}"
        secret_access_key: !env BASE_SK
    prod-admin:
      kind: aws/assume-role
      via: { identity: base }
      principal:
        assume_role: arn:aws:iam::111122223333:role/ProductionAdmin
        session_name: atmos-prod
`;
  const sb = await createSandbox(yaml, { env: { BASE_SK: keys.secretAccessKey } });
  try {
    assert.equal(sb.env.AWS_ENDPOINT_URL_STS, undefined);
    const login = await sb.run(["auth", "login", "prod-admin"]);
    assert.equal(login.code, 0, login.stderr);
    assert.equal(emu.calls("GetSessionToken"), 1);
    assert.equal(emu.calls("AssumeRole"), 1);
    const who = await sb.run(["auth", "whoami", "-i", "prod-admin", "-o", "json"]);
    assert.equal(who.code, 0, who.stderr);
    assert.equal(JSON.parse(who.stdout).principal, ROLE_ARN);
    assert.equal(emu.calls("GetCallerIdentity"), 1);
  } finally {
    await sb.cleanup();
    await emu.stop();
  }
});

Deno.test("AWS_ENDPOINT_URL, principal.external_id and principal.duration reach STS", async () => {
  const role = "arn:aws:iam::111122223333:role/ProductionAdmin";
  const emu = await startEmulator({ externalIds: { [role]: "ext-1234" } });
  const keys = emu.createUser({ name: "alice" });
  const yaml = (externalId: string) => `
auth:
  identities:
    base:
      kind: aws/user
      credentials:
        access_key_id: !env BASE_AK
        secret_access_key: !env BASE_SK
    prod-admin:
      kind: aws/assume-role
      via: { identity: base }
      principal:
        assume_role: ${role}
        session_name: "atmos prod/admin"
        external_id: ${externalId}
        duration: 20m
`;
  const sb = await createSandbox(yaml("ext-1234"), {
    env: { AWS_ENDPOINT_URL: emu.url, BASE_AK: keys.accessKeyId, BASE_SK: keys.secretAccessKey },
  });
  try {
    const who = await sb.run(["auth", "whoami", "-i", "prod-admin", "-o", "json"]);
    assert.equal(who.code, 0, who.stderr);
    const json = JSON.parse(who.stdout);
    // The session name is sanitised to STS's alphabet.
    assert.equal(
      json.principal,
      "arn:aws:sts::111122223333:assumed-role/ProductionAdmin/atmos-prod-admin",
    );
    const left = new Date(json.expiration).getTime() - Date.now();
    assert.ok(left > 15 * 60_000 && left <= 20 * 60_000, json.expiration);

    await Deno.writeTextFile(join(sb.project, "atmos.yaml"), yaml("wrong-id"));
    const denied = await sb.run(["auth", "login", "prod-admin", "--force"]);
    assertOneLineError(denied, 1, /Cannot assume role "prod-admin".*not authorized/);
    assertNoSecrets(emu.secrets(), { stderr: who.stderr + denied.stderr });
  } finally {
    await sb.cleanup();
    await emu.stop();
  }
});

Deno.test("ATMOS_XDG_CONFIG_HOME wins over XDG_CONFIG_HOME and a quoted path survives eval of auth env", async () => {
  const fx = await setUp();
  const { emu, sb } = fx;
  try {
    const configHome = join(sb.home, 'it\'s a "config" $dir');
    const env = { ATMOS_XDG_CONFIG_HOME: configHome, XDG_CONFIG_HOME: join(sb.home, "xdg") };
    const bash = await sb.run(["auth", "env", "-i", "prod-admin", "--login"], { env });
    assert.equal(bash.code, 0, bash.stderr);
    const credentials = join(configHome, "atmos", "aws", "aws-user", "credentials");
    assert.equal(await modeOf(credentials), 0o600);
    assert.equal(await modeOf(join(configHome, "atmos")), 0o700);
    assert.equal(await Deno.stat(join(sb.home, "xdg")).catch(() => undefined), undefined);
    assert.equal(await Deno.stat(sb.configDir).catch(() => undefined), undefined);

    const evaluated = await runProgram("/bin/bash", [
      "-c",
      'eval "$1" && printf "%s\\n" "$AWS_SHARED_CREDENTIALS_FILE" && ' +
      '/usr/bin/aws sts get-caller-identity --endpoint-url "$2" --query Arn --output text',
      "bash",
      bash.stdout,
      emu.url,
    ], { HOME: sb.home });
    assert.equal(evaluated.code, 0, evaluated.stderr);
    assert.equal(evaluated.stdout, `${credentials}\n${ROLE_ARN}\n`);
  } finally {
    await tearDown(fx);
  }
});
