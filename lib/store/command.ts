/**
 * The default {@linkcode CommandRunner}: spawns a program with captured output, optional stdin,
 * and a timeout (keychain helpers can hang waiting for an unlock dialog or a dead D-Bus).
 *
 * @module
 */

import type { CommandResult, CommandRunner } from "./types.ts";

/** Options for {@linkcode createCommandRunner}. */
export interface CommandRunnerOptions {
  /** Kill the program after this many milliseconds (exit code 143 is then reported). */
  timeoutMs: number;
}

/**
 * Returns a runner that spawns `cmd` with `args` (no shell), writes `stdin` when given and closes
 * it, and captures stdout/stderr. Rejects with `Deno.errors.NotFound` when `cmd` is missing.
 */
export function createCommandRunner(options: CommandRunnerOptions): CommandRunner {
  return function runCommand(cmd: string, args: string[], stdin?: string) {
    return run(cmd, args, stdin, options.timeoutMs);
  };
}

async function run(
  cmd: string,
  args: string[],
  stdin: string | undefined,
  timeoutMs: number,
): Promise<CommandResult> {
  const child = new Deno.Command(cmd, {
    args,
    stdin: stdin === undefined ? "null" : "piped",
    stdout: "piped",
    stderr: "piped",
    signal: AbortSignal.timeout(timeoutMs),
  }).spawn();
  if (stdin !== undefined) await writeAndClose(child.stdin, stdin);
  const output = await child.output();
  const decoder = new TextDecoder();
  return {
    code: output.code,
    stdout: decoder.decode(output.stdout),
    stderr: decoder.decode(output.stderr),
  };
}

async function writeAndClose(stream: WritableStream<Uint8Array>, text: string): Promise<void> {
  const writer = stream.getWriter();
  try {
    await writer.write(new TextEncoder().encode(text));
    await writer.close();
  } catch {
    // The program exited without reading all of its input; its exit code tells what happened.
  }
}
