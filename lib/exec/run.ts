/**
 * Runs a child process with inherited stdio and an explicit environment, the way a shell
 * would: the child's exit code is returned (128+n when a signal ended it), a missing command
 * is 127, SIGINT/SIGQUIT (which the terminal already sends to the whole foreground group) are
 * left to the child, and SIGTERM/SIGHUP sent to atmos alone are forwarded to it.
 *
 * @module
 */
import { AtmosError } from "../errors.ts";

/** What to run. */
export interface RunOptions {
  command: string;
  args: string[];
  /** The complete child environment (nothing is inherited implicitly). */
  env: Record<string, string>;
  cwd?: string;
}

/** Exit code for "command not found", as in POSIX shells. */
export const EXIT_NOT_FOUND = 127;

const IGNORED: Deno.Signal[] = ["SIGINT", "SIGQUIT"];
const FORWARDED: Deno.Signal[] = ["SIGTERM", "SIGHUP"];

/**
 * Spawns the command and waits for it.
 *
 * @returns the child's exit code.
 * @throws {AtmosError} exit code 127 when the command cannot be found.
 */
export async function runChild(options: RunOptions): Promise<number> {
  return (await runChildStatus(options)).code;
}

/** Like {@linkcode runChild}, also telling which signal ended the child, if one did. */
export async function runChildStatus(
  options: RunOptions,
): Promise<{ code: number; signal: Deno.Signal | null }> {
  // Listeners go in before the child exists: a signal that arrives between spawning and
  // listening would otherwise end atmos (SIGINT) or miss the child (SIGTERM/SIGHUP).
  let child: Deno.ChildProcess | undefined;
  const listeners: Array<[Deno.Signal, () => void]> = [];
  const listen = (signal: Deno.Signal, handler: () => void) => {
    try {
      Deno.addSignalListener(signal, handler);
      listeners.push([signal, handler]);
    } catch {
      // Signal not supported on this platform.
    }
  };
  for (const signal of IGNORED) listen(signal, () => {});
  for (const signal of FORWARDED) {
    listen(signal, () => {
      try {
        child?.kill(signal);
      } catch {
        // The child already exited.
      }
    });
  }
  try {
    child = spawn(options);
    const status = await child.status;
    return { code: status.code, signal: status.signal };
  } finally {
    for (const [signal, handler] of listeners) Deno.removeSignalListener(signal, handler);
  }
}

/**
 * Throws a usage error (exit 2) when the command, an argument or an environment value holds a
 * NUL character: a program receives its arguments and environment as C strings, so none can
 * carry one (Deno would throw `TypeError: … nul byte found`). Names the argument or variable,
 * never the value.
 */
export function assertNoNul(options: RunOptions): void {
  const where = options.command.includes("\0")
    ? "its name"
    : options.args.some((arg) => arg.includes("\0"))
    ? `argument ${options.args.findIndex((arg) => arg.includes("\0")) + 1}`
    : Object.entries(options.env).find(([k, v]) => k.includes("\0") || v.includes("\0"))?.[0];
  if (where === undefined) return;
  const part = where.startsWith("its") || where.startsWith("argument")
    ? where
    : `environment variable ${where}`;
  throw new AtmosError(
    `cannot run "${options.command}": ${part} holds a NUL character, which no program can receive`,
    { exitCode: 2, hint: "remove the NUL (\\0) from the configuration" },
  );
}

function spawn(options: RunOptions): Deno.ChildProcess {
  assertNoNul(options);
  try {
    return new Deno.Command(options.command, {
      args: options.args,
      env: options.env,
      clearEnv: true,
      cwd: options.cwd,
      stdin: "inherit",
      stdout: "inherit",
      stderr: "inherit",
    }).spawn();
  } catch (error) {
    if (error instanceof Deno.errors.NotFound) {
      throw new AtmosError(`command not found: "${options.command}"`, {
        exitCode: EXIT_NOT_FOUND,
        hint: "check the name and PATH",
      });
    }
    if (error instanceof Deno.errors.PermissionDenied) {
      throw new AtmosError(`cannot run "${options.command}": permission denied`, { exitCode: 126 });
    }
    throw error;
  }
}
