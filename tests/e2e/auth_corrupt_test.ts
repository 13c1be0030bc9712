/**
 * Damaged credential state, through the real CLI with boto3 and the AWS CLI as children:
 * garbage in `credentials` or `config`, a duplicated section, a file cut in half, and cached
 * keys STS refuses. None of them may be called "still valid", none may reach a child: atmos
 * authenticates again (moving an unparseable file aside in one line), and the child works.
 */
import { join } from "node:path";
import assert from "node:assert/strict";
import { startEmulator } from "../emulator/mod.ts";
import type { Emulator, EmulatorOptions } from "../emulator/mod.ts";
import { assertNoSecrets, createSandbox, type RunResult, type Sandbox } from "./harness.ts";
import { awsCliCallerIdentity, awsUserFiles, boto3CallerArn } from "./auth_support.ts";

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
        assume_role: arn:aws:iam::111111111111:role/Admin
        session_name: atmos-admin
`;

const ADMIN_ARN = "arn:aws:sts::111111111111:assumed-role/Admin/atmos-admin";

interface Fixture {
  emu: Emulator;
  sb: Sandbox;
  files: { credentials: string; config: string };
  /** Every text a secret must not appear in. */
  outputs: string[];
  run(args: string[]): Promise<RunResult>;
}

async function withLoggedIn(
  fn: (f: Fixture) => Promise<void>,
  options: EmulatorOptions = {},
): Promise<void> {
  const emu = await startEmulator({ https: false, ...options });
  const keys = emu.createUser({ name: "alice" });
  const sb = await createSandbox(YAML, {
    endpoint: emu.url,
    env: { BASE_AK: keys.accessKeyId, BASE_SK: keys.secretAccessKey },
  });
  const outputs: string[] = [];
  const run = async (args: string[]) => {
    const result = await sb.run(args);
    outputs.push(result.stdout, result.stderr);
    return result;
  };
  try {
    const login = await run(["auth", "login"]);
    assert.equal(login.code, 0, login.stderr);
    emu.resetCalls();
    await fn({ emu, sb, files: awsUserFiles(sb), outputs, run });
    assertNoSecrets(
      emu.secrets(),
      Object.fromEntries(outputs.map((text, i) => [`run ${i}`, text])),
    );
  } finally {
    await sb.cleanup();
    await emu.stop();
  }
}

/** boto3 as the child of `auth exec`: it must be the role, whatever state atmos found. */
async function assertBoto3IsAdmin(f: Fixture): Promise<RunResult> {
  const result = await f.run(["auth", "exec", "--", ...boto3CallerArn(f.emu.url)]);
  assert.equal(result.code, 0, result.stderr);
  assert.equal(result.stdout.trim(), ADMIN_ARN);
  return result;
}

/** The names of `<file>.corrupt-*` copies beside `file`. */
async function asideCopies(file: string): Promise<string[]> {
  const dir = join(file, "..");
  const name = file.slice(dir.length + 1);
  const out: string[] = [];
  for await (const entry of Deno.readDir(dir)) {
    if (entry.name.startsWith(`${name}.corrupt-`)) out.push(join(dir, entry.name));
  }
  return out;
}

/** One warning line naming `file` and its copy (beside `auth login`'s own summary). */
function assertMovedAside(stderr: string, file: string): void {
  const lines = stderr.trimEnd().split("\n").filter((line) => line.startsWith("warning:"));
  assert.equal(lines.length, 1, stderr);
  assert.match(
    lines[0],
    new RegExp(
      `^warning: ${
        file.replaceAll("/", "\\/")
      } could not be read \\(.+\\); moved it to .+\\.corrupt-\\S+ and wrote a new one$`,
    ),
  );
}

for (
  const [what, damage] of [
    [
      "binary garbage in credentials",
      (files: Fixture["files"]) =>
        Deno.writeFile(files.credentials, crypto.getRandomValues(new Uint8Array(512))),
    ],
    [
      "a duplicated section in credentials",
      async (files: Fixture["files"]) => {
        const text = await Deno.readTextFile(files.credentials);
        const section = text.slice(text.indexOf("[prod-admin]"));
        await Deno.writeTextFile(files.credentials, `${text}\n${section}`);
      },
    ],
  ] as const
) {
  Deno.test(`${what}: not "still valid", moved aside in one line, written anew; boto3 works`, async () => {
    await withLoggedIn(async (f) => {
      const before = await Deno.readFile(f.files.credentials);
      await damage(f.files);
      const damaged = await Deno.readFile(f.files.credentials);
      const login = await f.run(["auth", "login"]);
      assert.equal(login.code, 0, login.stderr);
      assert.doesNotMatch(login.stdout + login.stderr, /still valid/);
      assertMovedAside(login.stderr, f.files.credentials);
      assert.equal(f.emu.calls("GetSessionToken"), 1, "the whole file was lost: the whole chain");
      assert.equal(f.emu.calls("AssumeRole"), 1);
      const [copy] = await asideCopies(f.files.credentials);
      assert.deepEqual(await Deno.readFile(copy), damaged, "kept byte for byte");
      assert.notDeepEqual(damaged, before);
      const exec = await assertBoto3IsAdmin(f);
      assert.equal(exec.stderr, "", "nothing more to say");
      assert.equal(f.emu.calls("AssumeRole"), 1, "the new file is used as it is");
    });
  });
}

Deno.test("a garbage config file is not valid: a warm exec authenticates again and the AWS CLI works", async () => {
  await withLoggedIn(async (f) => {
    await Deno.writeTextFile(f.files.config, "this is not\n[an ini file\n");
    const exec = await f.run(["auth", "exec", "--", ...awsCliCallerIdentity(f.emu.url)]);
    assert.equal(exec.code, 0, exec.stderr);
    assert.equal(JSON.parse(exec.stdout).Arn, ADMIN_ARN);
    assertMovedAside(exec.stderr, f.files.config);
    assert.equal(f.emu.calls("GetSessionToken") + f.emu.calls("AssumeRole"), 2);
    assert.equal((await asideCopies(f.files.config)).length, 1);
  });
});

Deno.test("a credentials file cut in half: the cut section is a miss, even for a warm exec that makes no call of its own", async () => {
  await withLoggedIn(async (f) => {
    const text = await Deno.readTextFile(f.files.credentials);
    const token = /\[prod-admin\][^]*aws_session_token = (\S+)/.exec(text)![1];
    const cut = text.indexOf(token) + Math.floor(token.length / 2);
    await Deno.writeTextFile(f.files.credentials, text.slice(0, cut));
    // The file still parses; the checksum line tells the token is short.
    const exec = await assertBoto3IsAdmin(f);
    assert.equal(exec.stderr, "");
    assert.equal(f.emu.calls("GetSessionToken"), 0, "base's section is intact: resumed there");
    assert.equal(f.emu.calls("AssumeRole"), 1);
    assert.deepEqual(await asideCopies(f.files.credentials), []);
    const again = await f.run(["auth", "login"]);
    assert.match(again.stdout + again.stderr, /still valid/);
  });
});

/**
 * Rewrites the file as Atmos would have written it (no checksum lines), with base's session token
 * changed by `token` and, when given, base's expiry; prod-admin is made stale so the next login
 * signs AssumeRole with the cached base.
 */
async function atmosStyleBase(
  f: Fixture,
  token: (old: string) => string,
  baseExpiry?: Date,
): Promise<void> {
  let text = await Deno.readTextFile(f.files.credentials);
  if (baseExpiry) {
    text = text.replace(
      /; atmos: expiration=\S+(\n\[base\])/,
      `; atmos: expiration=${baseExpiry.toISOString().replace(/\.\d+Z$/, "Z")}$1`,
    );
  }
  const changed = text
    .replace(/^; atmos: checksum=.*\n/gm, "")
    .replace(/(\[base\][^[]*aws_session_token = )(\S+)/, (_, head, old) => head + token(old))
    .replace(
      /; atmos: expiration=\S+(\n\[prod-admin\])/,
      "; atmos: expiration=2000-01-01T00:00:00Z$1",
    );
  await Deno.writeTextFile(f.files.credentials, changed);
}

Deno.test("cached keys STS refuses (InvalidClientTokenId) are dropped and the chain runs again once", async () => {
  await withLoggedIn(async (f) => {
    await atmosStyleBase(f, (old) => `${old.slice(0, -8)}AAAAAAAA`);
    const login = await f.run(["auth", "login"]);
    assert.equal(login.code, 0, login.stderr);
    assert.doesNotMatch(login.stderr, /warning|error/);
    assert.equal(f.emu.calls("AssumeRole"), 2, "refused once with the cached base, then again");
    assert.equal(f.emu.calls("GetSessionToken"), 1, "base authenticated again");
    await assertBoto3IsAdmin(f);
    assert.equal(f.emu.calls("AssumeRole"), 2);
  });
});

Deno.test("cached keys STS says are expired (ExpiredToken) although the file says otherwise are dropped once", async () => {
  await withLoggedIn(
    async (f) => {
      // base's session really ends 2 s after it was issued; the file's expiry is an hour off.
      await new Promise((resolve) => setTimeout(resolve, 2500));
      await atmosStyleBase(f, (old) => old, new Date(Date.now() + 3600_000));
      const login = await f.run(["auth", "login"]);
      assert.equal(login.code, 0, login.stderr);
      assert.equal(f.emu.calls("AssumeRole"), 2);
      assert.equal(f.emu.calls("GetSessionToken"), 1);
    },
    { durationOverride: { GetSessionToken: 2 } },
  );
});
