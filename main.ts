/**
 * Entry point of the atmos CLI. The only place that exits the process.
 *
 * Run with the production permission flags (see the `atmos` task in deno.json):
 * `--v8-flags=--min-semi-space-size=4 --unstable-worker-options --unstable-lazy-dynamic-imports --no-prompt --allow-read
 * --allow-write --allow-env --allow-net --allow-run --allow-sys`.
 *
 * @module
 */
import { exitCodeOf, formatErrorLine } from "./lib/errors.ts";
import { run } from "./lib/cli/app.ts";
import { Runtime } from "./lib/cli/runtime.ts";
import { inWriterWorker } from "./lib/fs/worker_role.ts";

async function main(): Promise<number> {
  let rt: Runtime | undefined;
  try {
    rt = new Runtime({ env: Deno.env.toObject(), cwd: Deno.cwd() });
    return await run(Deno.args, rt);
  } catch (error) {
    // Without a runtime (it failed to build) there is no logger: one line, no stack.
    const err = (text: string) => rt ? rt.err(text) : console.error(text.trimEnd());
    err(`error: ${formatErrorLine(error)}\n`);
    if (rt?.logger.debugEnabled && error instanceof Error && error.stack) {
      err(`${error.stack}\n`);
      if (error.cause instanceof Error && error.cause.stack) {
        err(`caused by: ${error.cause.stack}\n`);
      }
    }
    return exitCodeOf(error);
  }
}

if (inWriterWorker()) {
  // Only in a bundle: the writer's same-file worker is the whole bundle, so this entry runs in
  // the worker too (with `import.meta.main` true). Become the writer, not a second CLI.
  await import("./lib/fs/writer.ts");
} else if (import.meta.main) {
  Deno.exit(await main());
}
