/**
 * Helpers shared by the `auth_*` e2e tests: real AWS clients (AWS CLI v2, boto3) pointed at the
 * credential files atmos wrote, file modes, and a snapshot of a directory tree.
 *
 * @module
 */
import { join } from "node:path";
import assert from "node:assert/strict";
import { runCommand, type RunResult, type Sandbox } from "./harness.ts";

/**
 * base → ops → audit with base's keys read by `!env BASE_AK` / `BASE_SK`: a cold login of
 * `audit` is exactly three STS calls (GetSessionToken, AssumeRole, AssumeRole).
 */
export const THREE_LINK_YAML = `
auth:
  identities:
    base:
      kind: aws/user
      credentials:
        access_key_id: !env BASE_AK
        secret_access_key: !env BASE_SK
    ops:
      kind: aws/assume-role
      via: { identity: base }
      principal:
        assume_role: arn:aws:iam::111122223333:role/Ops
        session_name: ops
    audit:
      kind: aws/assume-role
      via: { identity: ops }
      principal:
        assume_role: arn:aws:iam::444455556666:role/Audit
        session_name: audit
`;

/** The AWS CLI v2 binary (v2.9 ignores AWS_ENDPOINT_URL*, so always pass --endpoint-url). */
export const AWS_CLI = "/usr/bin/aws";
/** The Python with boto3. */
export const PYTHON = "/usr/bin/python3";

/** `<configDir>/aws/aws-user/{credentials,config}`: the files of chains rooted at an aws/user. */
export function awsUserFiles(sb: Sandbox, realm?: string): { credentials: string; config: string } {
  const dir = realm
    ? join(sb.configDir, realm, "aws", "aws-user")
    : join(sb.configDir, "aws", "aws-user");
  return { credentials: join(dir, "credentials"), config: join(dir, "config") };
}

/** Runs a program with exactly `env` (plus PATH) and captures its output. */
export async function runProgram(
  command: string,
  args: string[],
  env: Record<string, string>,
): Promise<RunResult> {
  return await runCommand(command, args, {
    env: { PATH: "/usr/bin:/bin", AWS_EC2_METADATA_DISABLED: "true", ...env },
  });
}

/**
 * `aws sts get-caller-identity --profile <profile>` with the shared files pointed at by
 * `files`, outside atmos. Returns the caller ARN; fails the test when the call fails.
 */
export async function callerArnFromFiles(
  sb: Sandbox,
  endpoint: string,
  files: { credentials: string; config: string },
  profile: string,
): Promise<string> {
  const result = await runProgram(AWS_CLI, [
    "sts",
    "get-caller-identity",
    "--profile",
    profile,
    "--endpoint-url",
    endpoint,
    "--output",
    "json",
  ], {
    HOME: sb.home,
    AWS_SHARED_CREDENTIALS_FILE: files.credentials,
    AWS_CONFIG_FILE: files.config,
  });
  assert.equal(result.code, 0, `aws --profile ${profile}: ${result.stderr}`);
  return JSON.parse(result.stdout).Arn;
}

/**
 * boto3 `GetCallerIdentity` for each profile of the shared files, in one Python process (the
 * AWS CLI costs about a second of CPU per run). Returns the caller ARNs in profile order.
 */
export async function callerArnsWithBoto3(
  sb: Sandbox,
  endpoint: string,
  files: { credentials: string; config: string },
  profiles: string[],
): Promise<string[]> {
  const script = [
    "import json, sys, boto3",
    "arns = [boto3.Session(profile_name=p).client('sts', endpoint_url=sys.argv[1])",
    "        .get_caller_identity()['Arn'] for p in sys.argv[2:]]",
    "print(json.dumps(arns))",
  ].join("\n");
  const result = await runProgram(PYTHON, ["-c", script, endpoint, ...profiles], {
    HOME: sb.home,
    AWS_SHARED_CREDENTIALS_FILE: files.credentials,
    AWS_CONFIG_FILE: files.config,
  });
  assert.equal(result.code, 0, `boto3: ${result.stderr}`);
  return JSON.parse(result.stdout);
}

/** Argument list for `auth exec` running boto3's GetCallerIdentity and printing the ARN. */
export function boto3CallerArn(endpoint: string): string[] {
  return [
    PYTHON,
    "-c",
    "import sys, boto3; print(boto3.client('sts', endpoint_url=sys.argv[1]).get_caller_identity()['Arn'])",
    endpoint,
  ];
}

/** Argument list for `auth exec` running the AWS CLI's get-caller-identity as JSON. */
export function awsCliCallerIdentity(endpoint: string): string[] {
  return [AWS_CLI, "sts", "get-caller-identity", "--endpoint-url", endpoint, "--output", "json"];
}

/** Permission bits of a path (`0o600`, …). */
export async function modeOf(path: string): Promise<number> {
  const info = await Deno.lstat(path);
  return (info.mode ?? 0) & 0o777;
}

/** Relative paths (with size and mtime) of every entry under `root`, skipping `skip` subtrees. */
export async function snapshotTree(root: string, skip: string[] = []): Promise<string[]> {
  const entries: string[] = [];
  async function walk(dir: string): Promise<void> {
    for await (const entry of Deno.readDir(dir)) {
      const path = join(dir, entry.name);
      if (skip.includes(path)) continue;
      const info = await Deno.lstat(path);
      entries.push(`${path.slice(root.length)} ${info.size} ${info.mtime?.getTime()}`);
      if (entry.isDirectory) await walk(path);
    }
  }
  await walk(root);
  return entries.sort();
}

/** Asserts an error run: the exit code and exactly one line on stderr, nothing on stdout. */
export function assertOneLineError(result: RunResult, code: number, pattern: RegExp): void {
  assert.equal(result.code, code, `expected exit ${code}: ${result.stderr}`);
  assert.equal(result.stdout, "");
  const lines = result.stderr.trimEnd().split("\n");
  assert.equal(lines.length, 1, `expected one line, got:\n${result.stderr}`);
  assert.match(lines[0], /^error: /);
  assert.match(lines[0], pattern);
}
