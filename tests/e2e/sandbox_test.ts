/**
 * The write sandbox end to end (ARCHITECTURE.md "The sandbox"): although atmos runs with a
 * global `--allow-write`, the main thread cannot write at all and the writer worker only under
 * `<config>/atmos`; a symlink inside the config dir cannot lead a write outside it; commands
 * that never write create nothing.
 */
import assert from "node:assert/strict";
import { join } from "node:path";
import { startEmulator } from "../emulator/mod.ts";
import { assertNoSecrets, createSandbox, productionFlags, type Sandbox } from "./harness.ts";

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

interface SandboxReport {
  root: string;
  main: string;
  writer: string;
  workerPermission: Deno.PermissionState;
}

async function sandboxCheck(sb: Sandbox, path: string, env: Record<string, string> = {}) {
  const result = await sb.run(["__sandbox-check", path], { env });
  assert.equal(result.code, 0, result.stderr);
  return JSON.parse(result.stdout) as SandboxReport;
}

async function exists(path: string): Promise<boolean> {
  try {
    await Deno.lstat(path);
    return true;
  } catch (error) {
    if (error instanceof Deno.errors.NotFound) return false;
    throw error;
  }
}

async function withSandbox(body: (sb: Sandbox) => Promise<void>): Promise<void> {
  const sb = await createSandbox(YAML);
  try {
    await body(sb);
  } finally {
    await sb.cleanup();
  }
}

Deno.test("atmos runs with a global --allow-write, so the sandbox is enforced at run time", () => {
  const flags = productionFlags();
  assert.ok(flags.includes("--allow-write"), flags.join(" "));
  assert.ok(!flags.some((f) => f.startsWith("--allow-write=")), "write is not scoped by flags");
  assert.ok(flags.includes("--unstable-worker-options"));
  assert.ok(flags.includes("--no-prompt"));
});

Deno.test("a write outside the config dir fails with NotCapable in main and is refused by the writer", async () => {
  await withSandbox(async (sb) => {
    const outside = join(sb.home, "outside.txt");
    const report = await sandboxCheck(sb, outside);
    assert.equal(report.root, sb.configDir);
    assert.match(report.main, /^NotCapable: /);
    assert.match(report.writer, /Refusing to write/);
    assert.equal(await exists(outside), false, "nothing was created outside");

    for (const sneaky of [join(sb.configDir, "..", "escape.txt"), "/tmp/../" + outside]) {
      const again = await sandboxCheck(sb, sneaky);
      assert.match(again.main, /^NotCapable: /, sneaky);
      assert.match(again.writer, /Refusing to write/, sneaky);
    }
    assert.equal(await exists(join(sb.home, ".config", "escape.txt")), false);
  });
});

Deno.test("the writer worker's own Deno permission, asked without the path guard, covers only the config dir", async () => {
  await withSandbox(async (sb) => {
    // Every other test goes through the guard first; this asks the worker's permission alone,
    // so a worker started with write on "/" fails here even though the guard still refuses.
    const outside = [
      "/",
      "/tmp/atmos-worker-probe",
      sb.home,
      join(sb.home, ".config"),
      `${sb.configDir}-sibling/file`, // same prefix, another directory
      join(sb.project, "atmos.yaml"),
    ];
    for (const path of outside) {
      const report = await sandboxCheck(sb, path);
      assert.ok(
        report.workerPermission === "prompt" || report.workerPermission === "denied",
        `${path}: the worker may write there (${report.workerPermission})`,
      );
      assert.match(report.writer, /Refusing to write/, path);
    }
    const inside = await sandboxCheck(sb, join(sb.configDir, "probe.txt"));
    assert.equal(inside.workerPermission, "granted");
    assert.equal(inside.writer, "written");
  });
});

Deno.test("a write inside the config dir succeeds only through the writer, with mode 0600", async () => {
  await withSandbox(async (sb) => {
    const inside = join(sb.configDir, "probe", "inside.txt");
    const report = await sandboxCheck(sb, inside);
    assert.match(report.main, /^NotCapable: /, "the main thread cannot write even there");
    assert.equal(report.writer, "written");
    assert.equal(await Deno.readTextFile(inside), "writer\n");
    assert.equal((await Deno.stat(inside)).mode! & 0o777, 0o600);
    assert.equal((await Deno.stat(sb.configDir)).mode! & 0o777, 0o700);
  });
});

Deno.test("the sandbox root follows XDG_CONFIG_HOME and ATMOS_XDG_CONFIG_HOME", async () => {
  await withSandbox(async (sb) => {
    const xdg = join(sb.home, "xdg");
    const report = await sandboxCheck(sb, join(xdg, "atmos", "a.txt"), { XDG_CONFIG_HOME: xdg });
    assert.equal(report.root, join(xdg, "atmos"));
    assert.equal(report.writer, "written");
    const defaultDir = join(sb.configDir, "b.txt");
    const refused = await sandboxCheck(sb, defaultDir, { XDG_CONFIG_HOME: xdg });
    assert.match(refused.writer, /Refusing to write/);

    const override = join(sb.home, "override");
    const over = await sandboxCheck(sb, join(override, "atmos", "c.txt"), {
      XDG_CONFIG_HOME: xdg,
      ATMOS_XDG_CONFIG_HOME: override,
    });
    assert.equal(over.root, join(override, "atmos"));
    assert.equal(over.writer, "written");
  });
});

Deno.test("a symlink in the config dir pointing outside makes auth login fail with one line and write nothing", async () => {
  const emu = await startEmulator();
  const keys = emu.createUser({ name: "alice" });
  const sb = await createSandbox(YAML, {
    endpoint: emu.url,
    env: { BASE_AK: keys.accessKeyId, BASE_SK: keys.secretAccessKey },
  });
  try {
    const outside = join(sb.home, "elsewhere");
    await Deno.mkdir(outside);
    await Deno.mkdir(sb.configDir, { recursive: true, mode: 0o700 });
    await Deno.symlink(outside, join(sb.configDir, "aws"));

    const result = await sb.run(["auth", "login"]);
    assert.equal(result.code, 1, result.stderr);
    const lines = result.stderr.split("\n");
    assert.equal(lines.length, 2, `one line expected:\n${result.stderr}`);
    assert.match(lines[0], /^error: .*Refusing to write/);
    assert.doesNotMatch(result.stderr, /^\s+at /m);
    assertNoSecrets([keys.secretAccessKey, ...emu.secrets()], {
      stdout: result.stdout,
      stderr: result.stderr,
    });
    const written = [];
    for await (const entry of Deno.readDir(outside)) written.push(entry.name);
    assert.deepEqual(written, [], "nothing was written through the symlink");

    // A symlinked file is refused the same way.
    await Deno.remove(join(sb.configDir, "aws"));
    await Deno.mkdir(join(sb.configDir, "aws", "aws-user"), { recursive: true });
    const target = join(outside, "credentials");
    await Deno.writeTextFile(target, "untouched\n");
    await Deno.symlink(target, join(sb.configDir, "aws", "aws-user", "credentials"));
    const again = await sb.run(["auth", "login"]);
    assert.equal(again.code, 1, again.stderr);
    assert.match(again.stderr, /Refusing to write/);
    assert.equal(await Deno.readTextFile(target), "untouched\n");
  } finally {
    await sb.cleanup();
    await emu.stop();
  }
});

Deno.test("commands that never write create no config dir", async () => {
  await withSandbox(async (sb) => {
    for (
      const args of [
        ["auth", "list"],
        ["auth", "list", "--format", "json"],
        ["auth", "validate"],
        ["version"],
        ["--help"],
        ["auth", "exec", "--help"],
      ]
    ) {
      const result = await sb.run(args, { env: { BASE_AK: "AKIAEXAMPLE000000001", BASE_SK: "x" } });
      assert.equal(result.code, 0, `${args.join(" ")}: ${result.stderr}`);
      assert.equal(await exists(join(sb.home, ".config")), false, args.join(" "));
    }
    const entries = [];
    for await (const entry of Deno.readDir(sb.home)) entries.push(entry.name);
    assert.deepEqual(entries.sort(), ["project"]);
  });
});
