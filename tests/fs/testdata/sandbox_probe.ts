/**
 * Run by tests/fs/writer_test.ts as a subprocess with the production permission flags.
 *
 * - `probe <root> <outsideDir>`: opens the sandboxed writer and prints a JSON report of which
 *   writes succeeded. `<root>/link` may be a symlink (made by the test) to `<outsideDir>`.
 * - `increment <root> <counterFile>`: read-increment-write of a counter under the writer's lock.
 *
 * @module
 */

import { openSandboxedWriter } from "../../../lib/fs/writer.ts";

const [command, root, extra] = Deno.args;

async function outcome(fn: () => Promise<unknown>): Promise<string> {
  try {
    await fn();
    return "ok";
  } catch (error) {
    return error instanceof Error ? `${error.name}: ${error.message}` : String(error);
  }
}

if (command === "probe") {
  const writer = await openSandboxedWriter(root);
  const report = {
    root: writer.root,
    insideWrite: await outcome(() => writer.writeAtomic(`${root}/sub/dir/file.txt`, "hello")),
    mainWriteOutside: await outcome(() => Deno.writeTextFile(`${extra}/main.txt`, "x")),
    mainWriteInside: await outcome(() => Deno.writeTextFile(`${root}/main.txt`, "x")),
    writerOutside: await outcome(() => writer.writeAtomic(`${extra}/writer.txt`, "x")),
    writerDotDot: await outcome(() => writer.writeAtomic(`${root}/../escape.txt`, "x")),
    writerViaSymlink: await outcome(() => writer.writeAtomic(`${root}/link/evil.txt`, "x")),
    mkdirViaSymlink: await outcome(() => writer.mkdir(`${root}/link/sub`)),
    lockViaSymlink: await outcome(() => writer.withLock(`${root}/link/c`, () => Promise.resolve())),
  };
  writer.close();
  console.log(JSON.stringify(report));
} else if (command === "increment") {
  const writer = await openSandboxedWriter(root);
  await writer.withLock(extra, async () => {
    let value = 0;
    try {
      value = Number(await Deno.readTextFile(extra));
    } catch (error) {
      if (!(error instanceof Deno.errors.NotFound)) throw error;
    }
    // Yield so that a broken lock would let another process interleave here.
    await new Promise((done) => setTimeout(done, 5));
    await writer.writeAtomic(extra, String(value + 1));
  });
  writer.close();
} else {
  throw new Error(`unknown command "${command}"`);
}
