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
