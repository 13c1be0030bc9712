/**
 * Credentials that last as long as the work: sessions of a few seconds (the emulator's
 * `durationOverride`) crossed several times in real time, with real AWS clients.
 *
 * - files mode: atmos renews the credential files in the background while its child runs, so
 *   every new `aws` command finds a valid session (`auth exec`, a scripted `auth shell`);
 * - process mode (`session: {refresh: process}`): one long-lived boto3 client asks atmos again
 *   (`credential_process`) and keeps working; in files mode the same client fails with
 *   `ExpiredToken` once its first session expires (static keys are never re-read);
 * - a renewal that needs a person (an MFA code) prints one line and never prompts, and the child
 *   keeps running.
 */
import assert from "node:assert/strict";
import { startEmulator, totp } from "../emulator/mod.ts";
import { assertNoSecrets, createSandbox } from "./harness.ts";
import { AWS_CLI, PYTHON } from "./auth_support.ts";

/** Seconds a role session lives in these tests. */
const LIFETIME = 12;
const ROLE_ARN = "arn:aws:sts::111122223333:assumed-role/Deploy/deploy";

function yaml(refresh?: "files" | "process", mfaArn?: string): string {
  return `
auth:
  identities:
    base:
      kind: aws/user
      credentials:
        access_key_id: !env BASE_AK
        secret_access_key: !env BASE_SK${mfaArn ? `\n        mfa_arn: ${mfaArn}` : ""}
    deploy:
      kind: aws/assume-role
      via: { identity: base }${refresh ? `\n      session: { refresh: ${refresh} }` : ""}
      principal:
        assume_role: arn:aws:iam::111122223333:role/Deploy
        session_name: deploy
`;
}

/** A bash loop: the AWS CLI every second until `seconds` have passed; stops at the first failure. */
function awsCliLoop(endpoint: string, seconds: number): string {
  return `end=$((SECONDS + ${seconds})); n=0
while [ $SECONDS -lt $end ]; do
  ${AWS_CLI} sts get-caller-identity --endpoint-url ${endpoint} --query Arn --output text || exit 1
  n=$((n + 1)); sleep 1
done
echo "calls=$n"`;
}

/** One boto3 client, one call a second for `seconds`; prints each ARN, stops at a failure. */
function boto3Loop(endpoint: string, seconds: number): string[] {
  return [
    PYTHON,
    "-c",
    [
      "import sys, time, boto3",
      "client = boto3.client('sts', endpoint_url=sys.argv[1])",
      "end = time.time() + float(sys.argv[2])",
      "while time.time() < end:",
      "    print(client.get_caller_identity()['Arn'], flush=True)",
      "    time.sleep(1)",
    ].join("\n"),
    endpoint,
    String(seconds),
  ];
}

const MFA_SECRET = "JBSWY3DPEHPK3PXPJBSWY3DPEHPK3PXP";
const MFA_ARN = "arn:aws:iam::123456789012:mfa/alice";

async function setUp(
  config: string,
  options: { mfa?: boolean; durationOverride?: Record<string, number> } = {},
) {
  const emu = await startEmulator({
    durationOverride: options.durationOverride ?? { AssumeRole: LIFETIME },
  });
  const keys = emu.createUser({
    name: "alice",
    mfaSecret: options.mfa ? MFA_SECRET : undefined,
    mfaSerial: options.mfa ? MFA_ARN : undefined,
  });
  const sb = await createSandbox(config, {
    endpoint: emu.url,
    env: { BASE_AK: keys.accessKeyId, BASE_SK: keys.secretAccessKey },
  });
  return { emu, sb };
}

Deno.test("a bash loop of AWS CLI calls inside auth exec keeps working across three session lifetimes", async () => {
  const { emu, sb } = await setUp(yaml());
  try {
    const run = await sb.run([
      "auth",
      "exec",
      "-i",
      "deploy",
      "--",
      "bash",
      "-c",
      awsCliLoop(emu.url, 3 * LIFETIME),
    ]);
    assert.equal(run.code, 0, run.stderr);
    const arns = run.stdout.trim().split("\n").filter((l) => l.startsWith("arn:"));
    assert.ok(arns.length >= 3, run.stdout);
    assert.ok(arns.every((arn) => arn === ROLE_ARN), run.stdout);
    // The first session and at least two renewals before the last expiry.
    assert.ok(emu.calls("AssumeRole") >= 3, `AssumeRole calls: ${emu.calls("AssumeRole")}`);
    assert.equal(emu.calls("GetSessionToken"), 1, "renewals start from the cached user session");
    assertNoSecrets(emu.secrets(), { stdout: run.stdout, stderr: run.stderr });
  } finally {
    await sb.cleanup();
    await emu.stop();
  }
});

Deno.test("a scripted auth shell stays usable across three session lifetimes", async () => {
  const { emu, sb } = await setUp(yaml());
  try {
    const run = await sb.run(["auth", "shell", "deploy", "--shell", "/bin/bash", "--", "-s"], {
      stdin: awsCliLoop(emu.url, 3 * LIFETIME) + "\nexit 0\n",
    });
    assert.equal(run.code, 0, run.stderr);
    const arns = run.stdout.trim().split("\n").filter((l) => l.startsWith("arn:"));
    assert.ok(arns.length >= 3 && arns.every((arn) => arn === ROLE_ARN), run.stdout);
    assert.ok(emu.calls("AssumeRole") >= 3, `AssumeRole calls: ${emu.calls("AssumeRole")}`);
    assertNoSecrets(emu.secrets(), { stdout: run.stdout, stderr: run.stderr });
  } finally {
    await sb.cleanup();
    await emu.stop();
  }
});

Deno.test("one long-lived boto3 client keeps working with refresh: process, and fails with ExpiredToken without it", async () => {
  const process = await setUp(yaml("process"));
  try {
    const login = await process.sb.run(["auth", "login", "deploy"]);
    assert.equal(login.code, 0, login.stderr);
    const run = await process.sb.run([
      "auth",
      "exec",
      "-i",
      "deploy",
      "--",
      ...boto3Loop(process.emu.url, 3 * LIFETIME),
    ]);
    assert.equal(run.code, 0, run.stderr);
    // The loop ran for three lifetimes and stops at the first failure: every call succeeded.
    // (Each call here asks atmos, which renews: these sessions are never 5 minutes fresh.)
    const arns = run.stdout.trim().split("\n");
    assert.ok(arns.length >= 3, `only ${arns.length} calls`);
    assert.ok(arns.every((arn) => arn === ROLE_ARN), run.stdout);
    assert.ok(process.emu.calls("AssumeRole") >= 3);
    assertNoSecrets(process.emu.secrets(), { stdout: run.stdout, stderr: run.stderr });
  } finally {
    await process.sb.cleanup();
    await process.emu.stop();
  }

  const files = await setUp(yaml("files"));
  try {
    const run = await files.sb.run([
      "auth",
      "exec",
      "-i",
      "deploy",
      "--",
      ...boto3Loop(files.emu.url, 3 * LIFETIME),
    ]);
    assert.notEqual(run.code, 0, "static keys read once must expire under a long-lived client");
    assert.match(run.stderr, /ExpiredToken/);
    assertNoSecrets(files.emu.secrets(), { stdout: run.stdout, stderr: run.stderr });
  } finally {
    await files.sb.cleanup();
    await files.emu.stop();
  }
});

Deno.test("a renewal that needs an MFA code prints one line, prompts nothing, and the child runs on", async () => {
  // The MFA session has less than 5 minutes left, so it is not reused: renewing needs a new code.
  const { emu, sb } = await setUp(yaml(undefined, MFA_ARN), {
    mfa: true,
    durationOverride: { AssumeRole: LIFETIME, GetSessionToken: 60 },
  });
  try {
    const code = await totp(MFA_SECRET, Date.now());
    const run = await sb.run([
      "auth",
      "exec",
      "-i",
      "deploy",
      "--mfa-token",
      code,
      "--",
      "bash",
      "-c",
      `sleep ${LIFETIME + 2}; echo child-finished`,
    ]);
    assert.equal(run.code, 0, run.stderr);
    assert.equal(run.stdout.trim(), "child-finished");
    const notices = run.stderr.split("\n").filter((l) => l.includes("cannot renew"));
    assert.equal(notices.length, 1, run.stderr);
    assert.match(
      notices[0],
      /cannot renew "deploy" without you \(.*MFA code.*\); run "atmos auth login deploy" in another terminal/,
    );
    assert.equal(emu.calls("GetSessionToken"), 1, "no MFA call in the background");
    assertNoSecrets([...emu.secrets(), code], { stdout: run.stdout, stderr: run.stderr });
  } finally {
    await sb.cleanup();
    await emu.stop();
  }
});

Deno.test("auth credential-process prints the credential_process JSON, from the cache without reading atmos.yaml when it can", async () => {
  const { emu, sb } = await setUp(yaml("process"), { durationOverride: {} });
  try {
    const login = await sb.run(["auth", "login", "deploy"]);
    assert.equal(login.code, 0, login.stderr);
    const config = await Deno.readTextFile(`${sb.configDir}/aws/aws-user/config`);
    const line = /^credential_process = (.*)$/m.exec(config)?.[1] ?? "";
    assert.match(line, / auth credential-process -i deploy --cache-dir /);
    const dir = `${sb.configDir}/aws/aws-user`;
    const credentials = await Deno.readTextFile(`${dir}/credentials`);
    assert.doesNotMatch(credentials, /\[deploy\]/, "no static keys beside credential_process");

    const printed = await sb.run([
      "auth",
      "credential-process",
      "-i",
      "deploy",
      "--cache-dir",
      dir,
    ]);
    assert.equal(printed.code, 0, printed.stderr);
    const json = JSON.parse(printed.stdout);
    assert.equal(json.Version, 1);
    assert.match(json.AccessKeyId, /^ASIA/);
    assert.ok(Date.parse(json.Expiration) > Date.now() + 5 * 60_000);
    assert.equal(emu.calls("AssumeRole"), 1, "a fresh session is printed as it is");

    // The fast path reads no configuration: a broken atmos.yaml does not stop it...
    await Deno.writeTextFile(`${sb.project}/atmos.yaml`, "auth: [broken\n");
    const fast = await sb.run(["auth", "credential-process", "-i", "deploy", "--cache-dir", dir]);
    assert.equal(fast.code, 0, fast.stderr);
    assert.equal(JSON.parse(fast.stdout).AccessKeyId, json.AccessKeyId);
    // ...but without it, or for a directory that is not atmos's own, the configuration is read.
    const full = await sb.run(["auth", "credential-process", "-i", "deploy"]);
    assert.equal(full.code, 2, full.stderr);
    const outside = await sb.run([
      "auth",
      "credential-process",
      "-i",
      "deploy",
      "--cache-dir",
      `${sb.home}/elsewhere/aws/aws-user`,
    ]);
    assert.equal(outside.code, 2, outside.stderr);
    assert.equal(outside.stdout, "");
    assertNoSecrets(emu.secrets(), { stderr: printed.stderr + fast.stderr + full.stderr });
  } finally {
    await sb.cleanup();
    await emu.stop();
  }
});

Deno.test("auth credential-process and auth renew never prompt: a link that needs a person is one line and exit 3", async () => {
  const { emu, sb } = await setUp(yaml("process", MFA_ARN), {
    mfa: true,
    durationOverride: { AssumeRole: LIFETIME, GetSessionToken: 60 },
  });
  try {
    const code = await totp(MFA_SECRET, Date.now());
    const login = await sb.run(["auth", "login", "deploy", "--mfa-token", code]);
    assert.equal(login.code, 0, login.stderr);
    // Both sessions have less than 5 minutes left: the next answer must renew, and the MFA session
    // is not reused, so a new code is needed.
    for (
      const args of [["auth", "credential-process", "-i", "deploy"], ["auth", "renew", "deploy"]]
    ) {
      const run = await sb.run(args, { env: { ATMOS_FORCE_TTY: "true" } });
      assert.equal(run.code, 3, `${args.join(" ")}: ${run.stderr}`);
      assert.equal(run.stdout, "");
      const lines = run.stderr.trim().split("\n");
      assert.equal(lines.length, 1, run.stderr);
      assert.match(lines[0], /MFA code.*run "atmos auth login deploy"/);
    }
    assert.equal(emu.calls("GetSessionToken"), 1);
  } finally {
    await sb.cleanup();
    await emu.stop();
  }
});

Deno.test("20 SDK processes asking auth credential-process at once for an expired session cause one AssumeRole", async () => {
  // A one-minute session is within the 5-minute margin at once: every answer must renew it.
  const { emu, sb } = await setUp(yaml("process"), { durationOverride: { AssumeRole: 60 } });
  try {
    const login = await sb.run(["auth", "login", "deploy"]);
    assert.equal(login.code, 0, login.stderr);
    const config = await Deno.readTextFile(`${sb.configDir}/aws/aws-user/config`);
    const line = /^credential_process = (.*)$/m.exec(config)?.[1] ?? "";
    const cacheDir = / --cache-dir '?([^' ]+)'?/.exec(line)?.[1] ?? "";
    assert.ok(cacheDir !== "", line);
    emu.setDuration("AssumeRole", 3600);
    // As the SDKs run it: the fast path with --cache-dir first, the configuration when stale.
    const runs = await Promise.all(
      Array.from(
        { length: 20 },
        () => sb.run(["auth", "credential-process", "-i", "deploy", "--cache-dir", cacheDir]),
      ),
    );
    const keys = new Set<string>();
    for (const run of runs) {
      assert.equal(run.code, 0, run.stderr);
      const json = JSON.parse(run.stdout);
      assert.equal(json.Version, 1);
      assert.ok(Date.parse(json.Expiration) > Date.now() + 50 * 60_000, run.stdout);
      keys.add(json.AccessKeyId);
    }
    assert.equal(keys.size, 1, "every process got the one renewed session");
    assert.equal(emu.calls("AssumeRole"), 2, "the login and one renewal");
    assert.equal(emu.calls("GetSessionToken"), 1);
    assertNoSecrets(emu.secrets(), { stderr: runs.map((r) => r.stderr).join("") });
  } finally {
    await sb.cleanup();
    await emu.stop();
  }
});
