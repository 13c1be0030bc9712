/**
 * `scripts/atmos` runs the CLI with exactly the permission flags of the `atmos` task in
 * deno.json, from any directory, keeping the caller's working directory.
 */
import assert from "node:assert/strict";
import { join } from "node:path";
import { createSandbox, productionFlags, ROOT, runCommand, type RunResult } from "./harness.ts";

const SCRIPT = join(ROOT, "scripts", "atmos");

/** Runs `scripts/atmos` in `cwd`; the pinned deno the tests run on is first on PATH. */
async function runScript(args: string[], cwd: string, env: Record<string, string>) {
  const deno = Deno.execPath();
  const result: RunResult = await runCommand(SCRIPT, args, {
    cwd,
    env: { ...env, PATH: `${deno.slice(0, deno.lastIndexOf("/"))}:${env.PATH}` },
  });
  return result;
}

/**
 * The words of the script's `exec "$deno" run …` command (continuation lines joined), without
 * the quotes. Hand-split: the script is plain words, no shell expansion beyond `"$root"`.
 */
function scriptRunWords(): string[] {
  const text = Deno.readTextFileSync(SCRIPT).replace(/\\\n\s*/g, " ");
  const line = text.split("\n").find((l) => /^\s*exec\s+"\$deno"\s+run\b/.test(l));
  assert.ok(line, 'scripts/atmos has an exec "$deno" run line');
  return line.trim().split(/\s+/).map((w) => w.replace(/^"|"$/g, ""));
}

Deno.test("scripts/atmos uses exactly the permission flags of the atmos task", () => {
  const words = scriptRunWords();
  assert.deepEqual(words.slice(0, 3), ["exec", "$deno", "run"]);
  assert.deepEqual(words.slice(-2), ["$root/main.ts", "$@"]);
  const flags = words.slice(3, -2);
  // Running from another directory needs the project's config (import map, lock) named
  // explicitly; --frozen keeps the lock file untouched. Everything else must match the task.
  const configAt = flags.indexOf("--config");
  assert.ok(configAt >= 0, "--config is given");
  assert.equal(flags[configAt + 1], "$root/deno.json");
  const rest = flags.filter((_, i) =>
    i !== configAt && i !== configAt + 1 && flags[i] !== "--frozen"
  );
  assert.deepEqual(rest, productionFlags());
});

Deno.test("scripts/atmos works from another directory and finds that directory's atmos.yaml", async () => {
  const sb = await createSandbox(`auth:
  identities:
    base:
      kind: aws/user
      credentials:
        access_key_id: AKIAEXAMPLESCRIPTS01
        secret_access_key: scriptsTestSecret/0123456789abcdefghij
    from-the-caller-dir:
      kind: aws/assume-role
      default: true
      via: { identity: base }
      principal: { assume_role: arn:aws:iam::111122223333:role/Caller }
`);
  try {
    const out = await runScript(["auth", "env", "--format", "json"], sb.project, sb.env);
    assert.equal(out.code, 0, out.stderr);
    const vars = JSON.parse(out.stdout);
    assert.equal(vars.ATMOS_IDENTITY, "from-the-caller-dir");
    assert.equal(vars.AWS_SHARED_CREDENTIALS_FILE, `${sb.configDir}/aws/aws-user/credentials`);

    // A relative --config is resolved against the caller's directory too.
    await Deno.mkdir(join(sb.project, "sub"));
    await Deno.writeTextFile(
      join(sb.project, "sub", "other.yaml"),
      "auth:\n  identities:\n    only-here: { kind: aws/user, default: true }\n",
    );
    const list = await runScript(
      ["auth", "list", "--format", "json", "--config", "other.yaml"],
      join(sb.project, "sub"),
      sb.env,
    );
    assert.equal(list.code, 0, list.stderr);
    const listed = JSON.parse(list.stdout);
    assert.deepEqual(Object.keys(listed.identities), ["only-here"]);
  } finally {
    await sb.cleanup();
  }
});

Deno.test("scripts/atmos passes the exit code through", async () => {
  const sb = await createSandbox("auth: {}\n");
  try {
    const out = await runScript(
      ["auth", "exec", "-i", "off", "--", "sh", "-c", "exit 7"],
      sb.project,
      sb.env,
    );
    assert.equal(out.code, 7, out.stderr);
  } finally {
    await sb.cleanup();
  }
});

/** A copy of the wrapper and ensure_deno.sh with a fake deno (a shell script) in its tool dir. */
async function fakeToolchain(version: string): Promise<{ root: string; bin: string; log: string }> {
  const root = await Deno.makeTempDir({ prefix: "atmos-wrapper-" });
  const tool = join(root, "scripts", "deno_tool", "node_modules", "deno");
  await Deno.mkdir(tool, { recursive: true });
  for (const name of ["atmos", "ensure_deno.sh"]) {
    await Deno.copyFile(join(ROOT, "scripts", name), join(root, "scripts", name));
    await Deno.chmod(join(root, "scripts", name), 0o755);
  }
  const log = join(root, "calls.log");
  const bin = join(tool, "deno");
  await writeFakeDeno(bin, version, log);
  return { root, bin, log };
}

/** A fake `deno` that reports `version` and logs every other call's first argument. */
async function writeFakeDeno(path: string, version: string, log: string): Promise<void> {
  await Deno.writeTextFile(
    path,
    `#!/bin/sh\nif [ "$1" = --version ]; then echo "deno ${version} (fake)"; echo "--version" >>'${log}'; exit 0; fi\necho "$1 ${version}" >>'${log}'\n`,
  );
  await Deno.chmod(path, 0o755);
}

async function runWrapper(root: string): Promise<RunResult> {
  // A PATH with the shell tools the scripts use, but no deno and no npm: only the tool dir's
  // binary can be used.
  const bin = join(root, "bin");
  await Deno.mkdir(bin, { recursive: true });
  for (
    const tool of ["bash", "sh", "env", "dirname", "head", "awk", "mv", "ls", "ln", "cp", "chmod"]
  ) {
    const target = ["/usr/bin", "/bin"].map((d) => join(d, tool)).find((p) => {
      try {
        return Deno.statSync(p).isFile;
      } catch {
        return false;
      }
    });
    if (target) await Deno.symlink(target, join(bin, tool)).catch(() => {});
  }
  const out = await new Deno.Command(join(root, "scripts", "atmos"), {
    args: ["version"],
    clearEnv: true,
    env: { PATH: bin, HOME: root },
    stdout: "piped",
    stderr: "piped",
  }).output();
  const decoder = new TextDecoder();
  return { code: out.code, stdout: decoder.decode(out.stdout), stderr: decoder.decode(out.stderr) };
}

Deno.test("scripts/atmos checks the Deno binary once, and again when the binary is replaced", async () => {
  const { root, bin, log } = await fakeToolchain("2.9.6");
  try {
    for (let i = 0; i < 2; i++) {
      const run = await runWrapper(root);
      assert.equal(run.code, 0, run.stderr);
    }
    const lines = (await Deno.readTextFile(log)).trim().split("\n");
    // One version check on the first run, none on the second.
    assert.deepEqual(lines, ["--version", "run 2.9.6", "run 2.9.6"]);

    // Another version put in its place by a rename, with an old mtime (as npm stamps files).
    const staged = `${bin}.new`;
    await writeFakeDeno(staged, "2.0.0", log);
    await Deno.utime(staged, new Date("1985-10-26T08:15:00Z"), new Date("1985-10-26T08:15:00Z"));
    await Deno.rename(staged, bin);
    await Deno.writeTextFile(log, "");
    const replaced = await runWrapper(root);
    assert.notEqual(replaced.code, 0, "a wrong version is never run");
    assert.match(replaced.stderr, /ensure_deno: npm is needed to install Deno 2\.9\.6/);
    assert.deepEqual((await Deno.readTextFile(log)).trim().split("\n"), ["--version"]);
  } finally {
    await Deno.remove(root, { recursive: true });
  }
});
