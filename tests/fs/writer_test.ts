import assert from "node:assert/strict";
import { join } from "node:path";
import { AtmosError } from "../../lib/errors.ts";
import { directWriter } from "../../lib/fs/writer.ts";

const PROBE = new URL("./testdata/sandbox_probe.ts", import.meta.url).pathname;
const IS_POSIX = Deno.build.os !== "windows";

async function runProbe(
  ...args: string[]
): Promise<{ code: number; stdout: string; stderr: string }> {
  const output = await new Deno.Command(Deno.execPath(), {
    args: [
      "run",
      "--unstable-worker-options",
      "--no-prompt",
      "--allow-read",
      "--allow-write",
      "--allow-env",
      PROBE,
      ...args,
    ],
    stdout: "piped",
    stderr: "piped",
  }).output();
  const decoder = new TextDecoder();
  return {
    code: output.code,
    stdout: decoder.decode(output.stdout),
    stderr: decoder.decode(output.stderr),
  };
}

async function mode(path: string): Promise<number> {
  return (await Deno.stat(path)).mode! & 0o777;
}

async function exists(path: string): Promise<boolean> {
  try {
    await Deno.lstat(path);
    return true;
  } catch {
    return false;
  }
}

Deno.test("openSandboxedWriter() writes inside its root and nothing outside it", async () => {
  const base = await Deno.makeTempDir();
  try {
    const root = join(base, "config", "atmos");
    const outside = join(base, "outside");
    await Deno.mkdir(root, { recursive: true });
    await Deno.mkdir(outside);
    await Deno.symlink(outside, join(root, "link"));

    const result = await runProbe("probe", root, outside);
    assert.equal(result.code, 0, result.stderr);
    const report = JSON.parse(result.stdout);

    // (a) inside: written, file 0600, created dirs 0700.
    assert.equal(report.insideWrite, "ok");
    assert.equal(await Deno.readTextFile(join(root, "sub/dir/file.txt")), "hello");
    if (IS_POSIX) {
      assert.equal(await mode(join(root, "sub/dir/file.txt")), 0o600);
      assert.equal(await mode(join(root, "sub")), 0o700);
      assert.equal(await mode(join(root, "sub/dir")), 0o700);
    }
    // (b) the main thread lost write permission everywhere.
    assert.match(report.mainWriteOutside, /^NotCapable: /);
    assert.match(report.mainWriteInside, /^NotCapable: /);
    // (c) the writer refuses targets outside its root, also via "..".
    assert.match(
      report.writerOutside,
      /^AtmosError: Refusing to write ".*writer\.txt": it is outside/,
    );
    assert.match(
      report.writerDotDot,
      /^AtmosError: Refusing to write ".*escape\.txt": it is outside/,
    );
    // (d) a symlink inside the root that points outside is refused.
    assert.match(report.writerViaSymlink, /^AtmosError: Refusing to write .*link" is a symlink$/);
    assert.match(report.mkdirViaSymlink, /^AtmosError: Refusing to write .*link" is a symlink$/);
    assert.match(report.lockViaSymlink, /^AtmosError: Refusing to write .*link" is a symlink$/);
    assert.deepEqual([...Deno.readDirSync(outside)], []);
    assert.equal(await exists(join(base, "config", "escape.txt")), false);
    assert.equal(await exists(join(root, "main.txt")), false);
  } finally {
    await Deno.remove(base, { recursive: true });
  }
});

Deno.test("openSandboxedWriter() withLock() serialises 20 processes incrementing a counter", async () => {
  const root = await Deno.makeTempDir();
  try {
    const counter = join(root, "counter");
    const results = await Promise.all(
      Array.from({ length: 20 }, () => runProbe("increment", root, counter)),
    );
    for (const result of results) assert.equal(result.code, 0, result.stderr);
    assert.equal(await Deno.readTextFile(counter), "20");
  } finally {
    await Deno.remove(root, { recursive: true });
  }
});

Deno.test("directWriter() writeAtomic() replaces a file, applies 0600 and leaves no temp file", async () => {
  const root = await Deno.makeTempDir();
  try {
    const path = join(root, "a", "credentials");
    await Deno.mkdir(join(root, "a"));
    await Deno.writeTextFile(path, "old", { mode: 0o644 });
    if (IS_POSIX) await Deno.chmod(path, 0o644);
    const writer = directWriter(root);
    await writer.writeAtomic(path, "new");
    assert.equal(await Deno.readTextFile(path), "new");
    if (IS_POSIX) assert.equal(await mode(path), 0o600);
    await writer.writeAtomic(path, new Uint8Array([1, 2, 3]), 0o640);
    assert.deepEqual(await Deno.readFile(path), new Uint8Array([1, 2, 3]));
    if (IS_POSIX) assert.equal(await mode(path), 0o640);
    assert.deepEqual([...Deno.readDirSync(join(root, "a"))].map((e) => e.name), ["credentials"]);
  } finally {
    await Deno.remove(root, { recursive: true });
  }
});

Deno.test("directWriter() resolves relative paths against its root", async () => {
  const root = await Deno.makeTempDir();
  try {
    const writer = directWriter(root);
    await writer.writeAtomic("x/y.txt", "hi");
    assert.equal(await Deno.readTextFile(join(root, "x/y.txt")), "hi");
    await assert.rejects(writer.writeAtomic("../y.txt", "hi"), /it is outside/);
  } finally {
    await Deno.remove(root, { recursive: true });
  }
});

Deno.test("directWriter() refuses a target that is a symlink, even to a file inside the root", async () => {
  const root = await Deno.makeTempDir();
  try {
    await Deno.writeTextFile(join(root, "real"), "keep");
    await Deno.symlink(join(root, "real"), join(root, "alias"));
    const writer = directWriter(root);
    await assert.rejects(
      writer.writeAtomic(join(root, "alias"), "x"),
      (error: unknown) =>
        error instanceof AtmosError &&
        error.message === `Refusing to write "${join(root, "alias")}": it is a symlink`,
    );
    await assert.rejects(writer.remove(join(root, "alias")), /it is a symlink/);
    assert.equal(await Deno.readTextFile(join(root, "real")), "keep");
  } finally {
    await Deno.remove(root, { recursive: true });
  }
});

Deno.test("directWriter() refuses to write through a file used as a directory", async () => {
  const root = await Deno.makeTempDir();
  try {
    await Deno.writeTextFile(join(root, "file"), "x");
    const writer = directWriter(root);
    await assert.rejects(writer.writeAtomic(join(root, "file/child"), "x"), /is not a directory/);
    await assert.rejects(writer.writeAtomic(root, "x"), /it is the writer root/);
  } finally {
    await Deno.remove(root, { recursive: true });
  }
});

Deno.test("directWriter() mkdir() creates missing dirs with the mode and tightens existing open ones", async () => {
  const root = await Deno.makeTempDir();
  try {
    await Deno.mkdir(join(root, "open"), { mode: 0o755 });
    if (IS_POSIX) await Deno.chmod(join(root, "open"), 0o755);
    const writer = directWriter(root);
    await writer.mkdir(join(root, "open/a/b"));
    await writer.mkdir(join(root, "c"), 0o750);
    if (IS_POSIX) assert.equal(await mode(join(root, "c")), 0o750);
    await Deno.mkdir(join(root, "private"), { mode: 0o700 });
    await writer.mkdir(join(root, "private")); // already there: not an error
    if (IS_POSIX) {
      // A directory that group or others could read is made private before anything goes in.
      assert.equal(await mode(join(root, "open")), 0o700);
      assert.equal(await mode(join(root, "open/a")), 0o700);
      assert.equal(await mode(join(root, "open/a/b")), 0o700);
      assert.equal(await mode(join(root, "private")), 0o700);
    }
  } finally {
    await Deno.remove(root, { recursive: true });
  }
});

Deno.test("directWriter() remove() ignores a missing path and removes trees when asked", async () => {
  const root = await Deno.makeTempDir();
  try {
    const writer = directWriter(root);
    await writer.remove(join(root, "missing"));
    await writer.writeAtomic(join(root, "t/u/v"), "x");
    await assert.rejects(writer.remove(join(root, "t")));
    await writer.remove(join(root, "t"), { recursive: true });
    assert.equal(await exists(join(root, "t")), false);
    await assert.rejects(writer.remove(root, { recursive: true }), /it is the writer root/);
  } finally {
    await Deno.remove(root, { recursive: true });
  }
});

Deno.test("directWriter() creates a missing root with mode 0700", async () => {
  const base = await Deno.makeTempDir();
  try {
    const writer = directWriter(join(base, "new", "atmos"));
    assert.equal(writer.root, await Deno.realPath(join(base, "new", "atmos")));
    if (IS_POSIX) assert.equal(await mode(join(base, "new", "atmos")), 0o700);
  } finally {
    await Deno.remove(base, { recursive: true });
  }
});

Deno.test("directWriter() accepts paths spelled through a symlinked parent of the root", async () => {
  const base = await Deno.makeTempDir();
  try {
    await Deno.mkdir(join(base, "real", "atmos"), { recursive: true });
    await Deno.symlink(join(base, "real"), join(base, "dotfiles"));
    const writer = directWriter(join(base, "dotfiles", "atmos"));
    assert.equal(writer.root, await Deno.realPath(join(base, "real", "atmos")));
    await writer.writeAtomic(join(base, "dotfiles", "atmos", "f"), "ok");
    assert.equal(await Deno.readTextFile(join(base, "real", "atmos", "f")), "ok");
  } finally {
    await Deno.remove(base, { recursive: true });
  }
});

Deno.test("directWriter() withLock() excludes a second holder in the same process", async () => {
  const root = await Deno.makeTempDir();
  try {
    const writer = directWriter(root);
    const path = join(root, "aws", "credentials");
    let active = 0;
    let maxActive = 0;
    await Promise.all(Array.from({ length: 10 }, () =>
      writer.withLock(path, async () => {
        active++;
        maxActive = Math.max(maxActive, active);
        await new Promise((done) => setTimeout(done, 5));
        active--;
      })));
    assert.equal(maxActive, 1);
    if (IS_POSIX) assert.equal(await mode(`${path}.lock`), 0o600);
  } finally {
    await Deno.remove(root, { recursive: true });
  }
});

Deno.test("directWriter() withLock() times out and releases the lock when fn throws", async () => {
  const root = await Deno.makeTempDir();
  try {
    const writer = directWriter(root);
    const path = join(root, "credentials");
    await writer.withLock(path, async () => {
      await assert.rejects(
        writer.withLock(path, () => Promise.resolve(), { timeoutMs: 100 }),
        (error: unknown) =>
          error instanceof AtmosError &&
          error.message === `Cannot lock "${path}.lock": timed out after 100ms`,
      );
    });
    await assert.rejects(writer.withLock(path, () => Promise.reject(new Error("boom"))), /boom/);
    assert.equal(await writer.withLock(path, () => Promise.resolve(42), { timeoutMs: 100 }), 42);
  } finally {
    await Deno.remove(root, { recursive: true });
  }
});

Deno.test({
  name: "directWriter() withLock() waits for a lock held by util-linux flock",
  ignore: !IS_POSIX || !hasFlock(),
  async fn() {
    const root = await Deno.makeTempDir();
    try {
      const path = join(root, "credentials");
      const writer = directWriter(root);
      await writer.withLock(path, () => Promise.resolve()); // creates the lock file
      const holder = new Deno.Command("flock", {
        args: ["-x", `${path}.lock`, "-c", "echo locked; sleep 0.5"],
        stdout: "piped",
      }).spawn();
      const reader = holder.stdout.getReader();
      await reader.read(); // "locked"
      await assert.rejects(
        writer.withLock(path, () => Promise.resolve(), { timeoutMs: 50 }),
        /timed out after 50ms/,
      );
      const started = Date.now();
      await writer.withLock(path, () => Promise.resolve(), { timeoutMs: 5000 });
      assert.ok(Date.now() - started > 100, "withLock() returned while flock held the lock");
      reader.releaseLock();
      await holder.stdout.cancel();
      await holder.status;
    } finally {
      await Deno.remove(root, { recursive: true });
    }
  },
});

function hasFlock(): boolean {
  try {
    return new Deno.Command("flock", { args: ["--version"], stdout: "null", stderr: "null" })
      .outputSync().success;
  } catch {
    return false;
  }
}
