/**
 * `deno task demo`: a guided walk through atmos against the local AWS emulator.
 *
 * It starts the emulator in this process (127.0.0.1 only), creates a throw-away HOME and
 * project whose `atmos.yaml` holds a two-link chain (aws/user `base` → aws/assume-role
 * `prod-admin`), and runs the real CLI as subprocesses with the production permission flags
 * (through the e2e harness), printing each command, its output and the emulator calls it made.
 * Every step checks its result; the first failure ends the demo with exit code 1. The temp
 * directory is removed at the end, also on Ctrl-C.
 *
 * @module
 */
import { join } from "node:path";
import { startEmulator } from "../tests/emulator/mod.ts";
import type { Emulator } from "../tests/emulator/mod.ts";
import { createSandbox } from "../tests/e2e/harness.ts";
import type { RunResult, Sandbox } from "../tests/e2e/harness.ts";

const ROLE_ARN = "arn:aws:iam::111122223333:role/ProductionAdmin";
const ASSUMED_ARN = "arn:aws:sts::111122223333:assumed-role/ProductionAdmin/atmos-demo";

/** The demo project's atmos.yaml: base keys come from the credential store, not the file. */
const ATMOS_YAML = `# A two-link chain: long-lived IAM user keys (kept in the credential store),
# then a role assumed with the user's session.
auth:
  identities:
    base:
      kind: aws/user
      credentials:
        region: us-west-2
    prod-admin:
      kind: aws/assume-role
      default: true
      via: { identity: base }
      principal:
        assume_role: ${ROLE_ARN}
        session_name: atmos-demo
      env:
        - { key: TF_VAR_stage, value: prod }
`;

/** Decoy raw keys in the parent environment: atmos must ignore them and strip them from children. */
const DECOY = {
  AWS_ACCESS_KEY_ID: "AKIADEMODECOYDECOY00",
  AWS_SECRET_ACCESS_KEY: "decoy-parent-secret-that-must-not-reach-children",
};

/** The demo's file-store password: a demo value, still masked like any secret. */
const KEYRING_PASSWORD = "atmos-demo-password";

const RAW_KEY_VARIABLES = ["AWS_ACCESS_KEY_ID", "AWS_SECRET_ACCESS_KEY", "AWS_SESSION_TOKEN"];
const ACTIONS = [
  "GetSessionToken",
  "AssumeRole",
  "AssumeRoleWithWebIdentity",
  "GetCallerIdentity",
  "oidc.token",
];

/** A failed demo step. */
class StepFailed extends Error {}

/** Terminal styling, off when NO_COLOR is set or stdout is not a terminal. */
interface Style {
  heading(text: string): string;
  command(text: string): string;
  dim(text: string): string;
  ok(text: string): string;
  bad(text: string): string;
}

function makeStyle(): Style {
  const color = Deno.stdout.isTerminal() && !Deno.env.get("NO_COLOR");
  const paint = (code: string) => (text: string) => color ? `\x1b[${code}m${text}\x1b[0m` : text;
  return {
    heading: paint("1;36"),
    command: paint("1"),
    dim: paint("2"),
    ok: paint("32"),
    bad: paint("1;31"),
  };
}

/** State of one demo run. */
interface Demo {
  emu: Emulator;
  sb: Sandbox;
  style: Style;
  step: number;
  /** Every secret the emulator issued, the stored secret key and the decoy secret. */
  secrets(): string[];
  /** Replaces those secrets and the keyring password with a marker. */
  mask(text: string): string;
}

function print(text = ""): void {
  console.log(text);
}

function heading(demo: Demo, title: string): void {
  demo.step += 1;
  print();
  print(
    demo.style.heading(`── ${demo.step}. ${title} ${"─".repeat(Math.max(3, 60 - title.length))}`),
  );
}

function indent(text: string): string {
  const body = text.replace(/\n+$/, "");
  return body === "" ? "" : body.split("\n").map((line) => `    ${line}`).join("\n");
}

/** Prints the output of a command, indented, with secrets masked. */
function printOutput(demo: Demo, result: RunResult): void {
  const out = indent(demo.mask(result.stdout));
  const err = indent(demo.mask(result.stderr));
  if (out) print(out);
  if (err) print(demo.style.dim(err));
}

function callSummary(emu: Emulator): string {
  const total = emu.calls();
  const parts = ACTIONS.filter((a) => emu.calls(a) > 0).map((a) => `${a} ${emu.calls(a)}`);
  return `emulator calls: ${total}${parts.length > 0 ? ` (${parts.join(", ")})` : ""}`;
}

/** Fails the step when `condition` is false. */
function expect(condition: boolean, message: string): asserts condition {
  if (!condition) throw new StepFailed(message);
}

/** Fails when the CLI printed any secret the emulator issued, the stored key or the decoy. */
function expectNoSecrets(demo: Demo, where: string, text: string): void {
  if (demo.secrets().some((s) => s.length >= 8 && text.includes(s))) {
    throw new StepFailed(`a secret appears in ${where}`);
  }
}

/**
 * Runs `atmos <args>` in the sandbox: prints the command line, its output and the emulator
 * calls it made; fails unless it exits with `expectCode`.
 */
async function atmos(
  demo: Demo,
  args: string[],
  options: { stdin?: string; shown?: string; expectCode?: number; quiet?: boolean } = {},
): Promise<RunResult> {
  print(demo.style.command(`$ ${options.shown ?? ["atmos", ...args].join(" ")}`));
  demo.emu.resetCalls();
  const result = await demo.sb.run(args, { stdin: options.stdin });
  if (!options.quiet) printOutput(demo, result);
  print(demo.style.dim(`    [exit ${result.code}; ${callSummary(demo.emu)}]`));
  expectNoSecrets(demo, `the output of "atmos ${args.join(" ")}"`, result.stdout + result.stderr);
  const want = options.expectCode ?? 0;
  if (result.code !== want) {
    if (options.quiet) printOutput(demo, result);
    throw new StepFailed(`"atmos ${args.join(" ")}" exited with ${result.code}, expected ${want}`);
  }
  return result;
}

function expectCalls(demo: Demo, expected: Record<string, number>): void {
  for (const action of ACTIONS) {
    const got = demo.emu.calls(action);
    const want = expected[action] ?? 0;
    expect(got === want, `expected ${want} ${action} call(s) to the emulator, saw ${got}`);
  }
}

/** `ls -l`-style mode string. */
function modeString(info: Deno.FileInfo): string {
  const mode = info.mode ?? 0;
  const bits = "rwxrwxrwx".split("").map((c, i) => (mode & (1 << (8 - i))) ? c : "-").join("");
  return `${info.isDirectory ? "d" : info.isSymlink ? "l" : "-"}${bits}`;
}

/** Lists everything under `dir` (depth first), with modes, sizes and `~`-relative paths. */
async function listTree(demo: Demo, dir: string): Promise<Array<[string, Deno.FileInfo]>> {
  const entries: Array<[string, Deno.FileInfo]> = [];
  async function walk(path: string): Promise<void> {
    const info = await Deno.lstat(path);
    entries.push([path, info]);
    if (!info.isDirectory) return;
    const names: string[] = [];
    for await (const entry of Deno.readDir(path)) names.push(entry.name);
    for (const name of names.sort()) await walk(join(path, name));
  }
  try {
    await walk(dir);
  } catch (error) {
    if (!(error instanceof Deno.errors.NotFound)) throw error;
  }
  for (const [path, info] of entries) {
    const size = String(info.isDirectory ? "" : info.size).padStart(6);
    print(`    ${modeString(info)} ${size}  ${path.replace(demo.sb.home, "~")}`);
  }
  return entries;
}

/** The credentials file with secret values masked by the demo (the format is what matters). */
function maskCredentialsFile(text: string): string {
  return text.split("\n").map((line) => {
    const m = /^(\s*(aws_secret_access_key|aws_session_token)\s*=\s*)(.*)$/.exec(line);
    if (m) return `${m[1]}<masked by the demo: ${m[3].length} characters>`;
    const id = /^(\s*aws_access_key_id\s*=\s*)(\S{4})(\S*)(\S{4})$/.exec(line);
    if (id) return `${id[1]}${id[2]}${"*".repeat(id[3].length)}${id[4]}`;
    return line;
  }).join("\n");
}

/** Chooses the client that asks STS who we are: AWS CLI v2, boto3, else atmos itself. */
async function callerIdentityCommand(url: string): Promise<{ label: string; argv: string[] }> {
  if (await isExecutable("/usr/bin/aws")) {
    return {
      label: "the AWS CLI at /usr/bin/aws",
      argv: [
        "/usr/bin/aws",
        "sts",
        "get-caller-identity",
        "--endpoint-url",
        url,
        "--output",
        "json",
      ],
    };
  }
  if (await hasBoto3()) {
    return {
      label: "boto3 (python3; /usr/bin/aws is not installed)",
      argv: [
        "/usr/bin/python3",
        "-c",
        "import boto3,json,sys; r=boto3.client('sts',endpoint_url=sys.argv[1]).get_caller_identity(); print(json.dumps({k: r[k] for k in ('UserId','Account','Arn')}, indent=4))",
        url,
      ],
    };
  }
  return { label: "atmos auth whoami (neither /usr/bin/aws nor boto3 is installed)", argv: [] };
}

async function isExecutable(path: string): Promise<boolean> {
  try {
    const info = await Deno.stat(path);
    return info.isFile && ((info.mode ?? 0) & 0o111) !== 0;
  } catch {
    return false;
  }
}

async function hasBoto3(): Promise<boolean> {
  if (!await isExecutable("/usr/bin/python3")) return false;
  const out = await new Deno.Command("/usr/bin/python3", {
    args: ["-c", "import boto3"],
    stdout: "null",
    stderr: "null",
  }).output();
  return out.success;
}

/** The walk-through itself. */
async function walkThrough(demo: Demo, keys: { accessKeyId: string; secretAccessKey: string }) {
  const { sb, emu, style } = demo;

  heading(demo, "The project");
  print(`    A throw-away HOME: ${sb.home}`);
  print(`    The local AWS emulator: ${emu.url} (AWS_ENDPOINT_URL and AWS_ENDPOINT_URL_STS)`);
  print(
    `    Decoy raw keys in the parent environment: AWS_ACCESS_KEY_ID=${DECOY.AWS_ACCESS_KEY_ID}`,
  );
  print("    and AWS_SECRET_ACCESS_KEY — atmos must ignore them and keep them from children.");
  print(style.command("$ cat ~/project/atmos.yaml"));
  print(indent(ATMOS_YAML));

  heading(demo, "Store the IAM user's long-lived keys (encrypted file store)");
  print("    ATMOS_KEYRING_TYPE=file, ATMOS_KEYRING_PASSWORD=<demo value>; keys arrive on stdin.");
  await atmos(demo, ["auth", "user", "configure", "base"], {
    stdin: `${keys.accessKeyId}\n${keys.secretAccessKey}\n`,
    shown: 'printf \'%s\\n%s\\n\' "$ACCESS_KEY_ID" "$SECRET_KEY" | atmos auth user configure base',
  });
  expectCalls(demo, {});

  heading(demo, "Validate the configuration");
  await atmos(demo, ["auth", "validate"]);
  expectCalls(demo, {});

  heading(demo, "List identities");
  await atmos(demo, ["auth", "list"]);
  expectCalls(demo, {});

  heading(demo, "Log in (cold: both links of the chain call STS)");
  await atmos(demo, ["auth", "login", "prod-admin"]);
  expectCalls(demo, { GetSessionToken: 1, AssumeRole: 1 });

  heading(demo, "Files written (0600 files, 0700 directories)");
  print(style.command("$ ls -lR ~/.config/atmos"));
  const entries = await listTree(demo, sb.configDir);
  for (const [path, info] of entries) {
    const loose = ((info.mode ?? 0) & 0o077) !== 0;
    expect(!loose, `"${path}" is readable or writable by group or others`);
  }
  const credentialsPath = join(sb.configDir, "aws", "aws-user", "credentials");
  const configPath = join(sb.configDir, "aws", "aws-user", "config");
  expect(
    entries.some(([p]) => p === credentialsPath),
    `login wrote no "${credentialsPath}"`,
  );
  print(
    style.command("$ cat ~/.config/atmos/aws/aws-user/credentials   # secrets masked by the demo"),
  );
  print(indent(maskCredentialsFile(await Deno.readTextFile(credentialsPath))));
  print(style.command("$ cat ~/.config/atmos/aws/aws-user/config"));
  print(indent(await Deno.readTextFile(configPath)));

  heading(demo, "Run a real AWS client with the identity (files, not keys)");
  const client = await callerIdentityCommand(emu.url);
  print(`    Using ${client.label}.`);
  if (client.argv.length > 0) {
    const result = await atmos(demo, ["auth", "exec", "-i", "prod-admin", "--", ...client.argv], {
      shown: `atmos auth exec -i prod-admin -- ${
        client.argv.map((a) => (/^[\w@%+=:,./-]+$/.test(a) ? a : `'${a}'`)).join(" ")
      }`,
    });
    expect(result.stdout.includes(ASSUMED_ARN), `the client did not report "${ASSUMED_ARN}"`);
    expectCalls(demo, { GetCallerIdentity: 1 });
  } else {
    await atmos(demo, ["auth", "whoami"]);
  }

  heading(demo, "The environment a child gets (bash)");
  await atmos(demo, ["auth", "env"]);
  expectCalls(demo, {});

  heading(demo, "Who am I");
  await atmos(demo, ["auth", "whoami"]);
  expectCalls(demo, { GetCallerIdentity: 1 });

  heading(demo, "Warm exec: cached credentials, no STS call");
  await atmos(demo, ["auth", "exec", "--", "true"]);
  expectCalls(demo, {});
  print(style.ok("    ✓ 0 emulator calls: the cached session was used"));

  heading(demo, "No raw key in the child's environment");
  const env = await atmos(demo, ["auth", "exec", "--", "env"], {
    shown: "atmos auth exec -- env | grep -E '^(AWS_|ATMOS_|TF_VAR_)'",
    quiet: true,
  });
  const lines = env.stdout.split("\n").filter((l) => /^(AWS_|ATMOS_|TF_VAR_)/.test(l)).sort();
  print(indent(demo.mask(lines.join("\n").replaceAll(sb.home, "~"))));
  for (const name of RAW_KEY_VARIABLES) {
    expect(!lines.some((l) => l.startsWith(`${name}=`)), `the child environment has ${name}`);
  }
  expect(
    lines.includes("AWS_PROFILE=prod-admin"),
    "the child environment lacks AWS_PROFILE=prod-admin",
  );
  print(
    style.ok(`    ✓ no ${RAW_KEY_VARIABLES.join(", ")}; no issued secret or decoy key anywhere`),
  );
  if (lines.some((l) => l.startsWith("ATMOS_KEYRING_PASSWORD="))) {
    print(
      "    note: ATMOS_KEYRING_PASSWORD is inherited from the parent environment (masked here)",
    );
  }

  heading(demo, "Log out everywhere");
  await atmos(demo, ["auth", "logout", "--all"]);
  expectCalls(demo, {});
  print(style.command("$ ls -lR ~/.config/atmos"));
  await listTree(demo, sb.configDir);
}

async function main(): Promise<number> {
  const style = makeStyle();
  // No AWS client started by this demo may probe instance metadata.
  Deno.env.set("AWS_EC2_METADATA_DISABLED", "true");
  const emu = await startEmulator();
  expect(new URL(emu.url).hostname === "127.0.0.1", `the emulator is not on loopback: ${emu.url}`);
  const keys = emu.createUser({ name: "alice" });
  const sb = await createSandbox(ATMOS_YAML, {
    endpoint: emu.url,
    env: {
      AWS_ENDPOINT_URL: emu.url,
      AWS_EC2_METADATA_DISABLED: "true",
      ATMOS_KEYRING_TYPE: "file",
      ATMOS_KEYRING_PASSWORD: KEYRING_PASSWORD,
      ...DECOY,
    },
  });
  let cleaned = false;
  async function cleanup(): Promise<void> {
    if (cleaned) return;
    cleaned = true;
    await sb.cleanup().catch(() => {});
    await emu.stop().catch(() => {});
  }
  function onInterrupt(): void {
    cleanup().finally(() => Deno.exit(130));
  }
  Deno.addSignalListener("SIGINT", onInterrupt);
  const demo: Demo = {
    emu,
    sb,
    style,
    step: 0,
    secrets: () => [...emu.secrets(), keys.secretAccessKey, DECOY.AWS_SECRET_ACCESS_KEY],
    mask(text) {
      let out = text;
      for (const secret of [...this.secrets(), KEYRING_PASSWORD]) {
        if (secret.length >= 8) out = out.replaceAll(secret, "<SECRET>");
      }
      return out;
    },
  };
  print(style.heading("atmos demo: a two-link AWS identity chain against a local emulator"));
  try {
    await walkThrough(demo, keys);
    print();
    print(style.ok("✓ Demo finished: every step passed."));
    return 0;
  } catch (error) {
    print();
    const message = error instanceof StepFailed ? error.message : String(error);
    print(style.bad(`✗ Demo failed at step ${demo.step}: ${message}`));
    return 1;
  } finally {
    await cleanup();
    Deno.removeSignalListener("SIGINT", onInterrupt);
    print(style.dim(`(removed ${sb.home})`));
  }
}

if (import.meta.main) Deno.exit(await main());
