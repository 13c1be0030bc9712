/**
 * Where credentials go, under hostile or broken environments: a symlinked `<config>/atmos`, a
 * directory of another user, relative `XDG_CONFIG_HOME` / `HOME` / `ATMOS_XDG_CONFIG_HOME`, and
 * no home at all. Each is either handled the documented way (checked with boto3 reading the
 * files) or refused with one line and exit code 2 before any network call.
 */
import assert from "node:assert/strict";
import { join } from "node:path";
import { startEmulator } from "../emulator/mod.ts";
import type { Emulator } from "../emulator/mod.ts";
import { assertNoSecrets, createSandbox, type Sandbox } from "./harness.ts";
import { assertOneLineError, boto3CallerArn } from "./auth_support.ts";

const YAML = `auth:
  identities:
    base:
      kind: aws/user
      default: true
      credentials:
        access_key_id: !env BASE_AK
        secret_access_key: !env BASE_SK
        region: us-west-2
`;

const USER_ARN = "arn:aws:iam::123456789012:user/alice";

async function withUser(body: (sb: Sandbox, emu: Emulator) => Promise<void>): Promise<void> {
  const emu = await startEmulator();
  const keys = emu.createUser({ name: "alice" });
  const sb = await createSandbox(YAML, {
    endpoint: emu.url,
    env: { BASE_AK: keys.accessKeyId, BASE_SK: keys.secretAccessKey },
  });
  try {
    await body(sb, emu);
  } finally {
    await sb.cleanup();
    await emu.stop();
  }
}

async function listTree(dir: string): Promise<string[]> {
  const out: string[] = [];
  for await (const entry of Deno.readDir(dir)) {
    out.push(entry.name);
    if (entry.isDirectory) {
      out.push(...(await listTree(join(dir, entry.name))).map((n) => `${entry.name}/${n}`));
    }
  }
  return out.sort();
}

Deno.test("a symlinked <config>/atmos is refused with one line (exit 2): nothing written or read through it", async () => {
  await withUser(async (sb, emu) => {
    const elsewhere = join(sb.home, "elsewhere");
    await Deno.mkdir(elsewhere);
    await Deno.mkdir(join(sb.home, ".config"));
    await Deno.symlink("../elsewhere", sb.configDir);

    const login = await sb.run(["auth", "login"]);
    assertOneLineError(login, 2, /atmos config directory ".*\/\.config\/atmos" is a symbolic link/);
    assert.match(login.stderr, /replace the link/);
    assert.equal(emu.calls(), 0, "refused before any STS call");
    assert.deepEqual(await listTree(elsewhere), [], "nothing was written where the link points");

    // Credentials planted where the link points are not used either.
    await Deno.remove(sb.configDir);
    const real = await sb.run(["auth", "login"]);
    assert.equal(real.code, 0, real.stderr);
    await Deno.remove(elsewhere);
    await Deno.rename(sb.configDir, elsewhere);
    await Deno.symlink("../elsewhere", sb.configDir);
    emu.resetCalls();
    const exec = await sb.run(["auth", "exec", "--", ...boto3CallerArn(emu.url)]);
    assertOneLineError(exec, 2, /is a symbolic link/);
    assert.equal(emu.calls(), 0, "boto3 never ran");

    // The fix the message names: point ATMOS_XDG_CONFIG_HOME at a directory of one's own.
    const own = join(sb.home, "own");
    const fixed = await sb.run(["auth", "exec", "--", ...boto3CallerArn(emu.url)], {
      env: { ATMOS_XDG_CONFIG_HOME: own },
    });
    assert.equal(fixed.code, 0, fixed.stderr);
    assert.equal(fixed.stdout.trim(), USER_ARN);
    assert.ok((await listTree(join(own, "atmos"))).includes("aws/aws-user/credentials"));
    assertNoSecrets(emu.secrets(), {
      stderr: login.stderr + exec.stderr + fixed.stderr,
      stdout: login.stdout + exec.stdout,
    });
  });
});

Deno.test("a symlinked parent of <config>/atmos (~/.config into a dotfiles checkout) is followed", async () => {
  await withUser(async (sb, emu) => {
    const dotfiles = join(sb.home, "dotfiles", "config");
    await Deno.mkdir(dotfiles, { recursive: true });
    await Deno.symlink(dotfiles, join(sb.home, ".config"));
    const exec = await sb.run(["auth", "exec", "--", ...boto3CallerArn(emu.url)]);
    assert.equal(exec.code, 0, exec.stderr);
    assert.equal(exec.stdout.trim(), USER_ARN);
    assert.ok((await listTree(join(dotfiles, "atmos"))).includes("aws/aws-user/credentials"));
  });
});

Deno.test("a <config>/atmos owned by another user is refused with one line (exit 2)", {
  ignore: Deno.uid() !== 0, // only root can hand a directory to another user
}, async () => {
  await withUser(async (sb, emu) => {
    await Deno.mkdir(sb.configDir, { recursive: true, mode: 0o777 });
    await Deno.chown(sb.configDir, 65534, 65534);
    const login = await sb.run(["auth", "login"]);
    assertOneLineError(login, 2, /atmos config directory .* belongs to another user \(uid 65534\)/);
    assert.equal(emu.calls(), 0);
    assert.deepEqual(await listTree(sb.configDir), []);
  });
});

Deno.test("a relative XDG_CONFIG_HOME is ignored: credentials go under $HOME/.config/atmos, nothing under the cwd", async () => {
  await withUser(async (sb, emu) => {
    const exec = await sb.run(["auth", "exec", "--", ...boto3CallerArn(emu.url)], {
      env: { XDG_CONFIG_HOME: "rel/cfg" },
    });
    assert.equal(exec.code, 0, exec.stderr);
    assert.equal(exec.stdout.trim(), USER_ARN);
    assert.ok((await listTree(sb.configDir)).includes("aws/aws-user/credentials"));
    assert.deepEqual(await listTree(sb.project), ["atmos.yaml"], "nothing under the cwd");
  });
});

Deno.test("a relative HOME or ATMOS_XDG_CONFIG_HOME, or no HOME, is one line with exit 2 and no STS call", async () => {
  await withUser(async (sb, emu) => {
    const cases: [Record<string, string>, RegExp][] = [
      [{ HOME: "rel/home" }, /HOME must be an absolute path, not "rel\/home"/],
      [{ ATMOS_XDG_CONFIG_HOME: "rel/cfg" }, /ATMOS_XDG_CONFIG_HOME must be an absolute path/],
      [{ HOME: "" }, /neither XDG_CONFIG_HOME nor HOME is set/],
      [{ HOME: "", XDG_CONFIG_HOME: "rel" }, /XDG_CONFIG_HOME="rel" is relative, so ignored/],
    ];
    for (const [env, pattern] of cases) {
      const login = await sb.run(["auth", "login"], { env });
      assertOneLineError(login, 2, pattern);
      assert.doesNotMatch(login.stderr, /Uncaught|^\s+at /m);
    }
    assert.equal(emu.calls(), 0);
    assert.deepEqual(await listTree(sb.project), ["atmos.yaml"], "nothing under the cwd");
    assert.deepEqual(await listTree(sb.home), ["project", "project/atmos.yaml"]);
    // Commands that need no config dir still work.
    const version = await sb.run(["version"], { env: { HOME: "" } });
    assert.equal(version.code, 0, version.stderr);
    const help = await sb.run(["auth", "login", "--help"], { env: { HOME: "" } });
    assert.equal(help.code, 0, help.stderr);
  });
});
