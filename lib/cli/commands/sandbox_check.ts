/**
 * `atmos __sandbox-check <path>` (hidden): a diagnostic that proves the write sandbox of a
 * writing command. With the writer open and main-thread write revoked, it tries to write
 * `<path>` from the main thread and through the writer, and prints each outcome as JSON, with
 * what the writer worker's own Deno permission says about the path (asked without the guard).
 * Used by the e2e tests and useful when reporting a sandbox problem.
 *
 * @module
 */
import type { CommandSpec } from "../command.ts";
import type { Runtime } from "../runtime.ts";
import { toJson } from "../output.ts";

/** Builds the hidden `__sandbox-check` command. */
export function sandboxCheckCommand(rt: Runtime): CommandSpec {
  return {
    name: "__sandbox-check",
    summary: "Try writes through the sandbox and report the outcome",
    hidden: true,
    args: [{ name: "path", description: "file to try to write", required: true, complete: "file" }],
    async run(inv) {
      const path = String(inv.args.path);
      const outcome = async (write: () => Promise<void>) => {
        try {
          await write();
          return "written";
        } catch (error) {
          return error instanceof Error ? `${error.name}: ${error.message}` : String(error);
        }
      };
      const writer = await rt.ensureWriter();
      rt.out(toJson({
        root: writer.root,
        main: await outcome(() => Deno.writeTextFile(path, "main\n")),
        writer: await outcome(() => writer.writeAtomic(path, "writer\n")),
        workerPermission: await writer.writePermission?.(path),
      }));
      return 0;
    },
  };
}
