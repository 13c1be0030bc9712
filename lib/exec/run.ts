/**
 * Runs a child process with an explicit environment, the way a shell would: the child's exit
 * code is returned (128+n when a signal ended it), a missing command is 127, SIGINT/SIGQUIT
 * (which the terminal already sends to the whole foreground group) are left to the child, and
 * SIGTERM/SIGHUP sent to atmos alone are forwarded to it.
 *
 * stdout and stderr are the terminal unless the caller takes them (`stdout`/`stderr` receive
 * every chunk); `cancel` terminates the child (the concurrent children of a `fail_fast` parallel
 * step). Children stay in atmos's process group: one in a group of its own would need Deno's
 * `detached` spawn, which costs a full fork of atmos (measured: 8 children of a parallel step
 * took half as long again).
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

/** How the child's streams and lifetime are handled (default: all inherited). */
export interface ChildIo {
  /** `null` gives the child no input (default: the terminal). */
  stdin?: "inherit" | "null";
  /** Receives the child's stdout instead of the terminal. */
  stdout?: (chunk: Uint8Array) => void;
  /** Receives the child's stderr instead of the terminal. */
  stderr?: (chunk: Uint8Array) => void;
  /** Terminates the child (SIGTERM, SIGKILL 3 s later) when aborted. */
  cancel?: AbortSignal;
}

/** Exit code for "command not found", as in POSIX shells. */
export const EXIT_NOT_FOUND = 127;

const IGNORED: Deno.Signal[] = ["SIGINT", "SIGQUIT"];
const FORWARDED: Deno.Signal[] = ["SIGTERM", "SIGHUP"];
const KILL_AFTER_MS = 3000;
/** How long output is still read after the child exited while nothing more arrives. */
const DRAIN_IDLE_MS = 200;

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
  options: RunOptions & ChildIo,
): Promise<{ code: number; signal: Deno.Signal | null }> {
  // Listeners go in before the child exists: a signal that arrives between spawning and
  // listening would otherwise end atmos (SIGINT) or miss the child (SIGTERM/SIGHUP).
  let child: Deno.ChildProcess | undefined;
  const send = (signal: Deno.Signal) => {
    if (!child) return;
    try {
      child.kill(signal);
    } catch {
      // The child already exited.
    }
  };
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
  for (const signal of FORWARDED) listen(signal, () => send(signal));
  let killTimer: ReturnType<typeof setTimeout> | undefined;
  const onCancel = () => {
    send("SIGTERM");
    killTimer = setTimeout(() => send("SIGKILL"), KILL_AFTER_MS);
  };
  try {
    child = spawn(options);
    if (options.cancel?.aborted) onCancel();
    options.cancel?.addEventListener("abort", onCancel, { once: true });
    const pumps = [
      options.stdout && pump(child.stdout, options.stdout),
      options.stderr && pump(child.stderr, options.stderr),
    ];
    const status = await child.status;
    await drain(pumps);
    return { code: status.code, signal: status.signal };
  } finally {
    options.cancel?.removeEventListener("abort", onCancel);
    // Even clearTimeout(undefined) loads Deno's Node timers (see lib/exec/background_timer.ts).
    if (killTimer !== undefined) clearTimeout(killTimer);
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

function spawn(options: RunOptions & ChildIo): Deno.ChildProcess {
  assertNoNul(options);
  try {
    return new Deno.Command(options.command, {
      args: options.args,
      env: options.env,
      clearEnv: true,
      cwd: options.cwd,
      stdin: options.stdin ?? "inherit",
      stdout: options.stdout ? "piped" : "inherit",
      stderr: options.stderr ? "piped" : "inherit",
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

/** A piped stream being read: settles at end of input; `stop` ends it early. */
interface Pump {
  done: Promise<void>;
  lastChunk: () => number;
  stop(): void;
}

function pump(stream: ReadableStream<Uint8Array>, sink: (chunk: Uint8Array) => void): Pump {
  const reader = stream.getReader();
  let last = Date.now();
  const done = (async () => {
    try {
      while (true) {
        const { value, done } = await reader.read();
        if (done) return;
        last = Date.now();
        sink(value);
      }
    } catch {
      // Cancelled by stop().
    }
  })();
  return { done, lastChunk: () => last, stop: () => void reader.cancel().catch(() => {}) };
}

/**
 * Reads what the exited child left in its pipes. A grandchild that outlived it (a background
 * job) may hold the pipe open forever: reading stops once nothing has arrived for a moment.
 */
async function drain(pumps: (Pump | undefined)[]): Promise<void> {
  for (const p of pumps) {
    if (!p) continue;
    let settled = false;
    p.done.then(() => settled = true);
    while (!settled) {
      const idle = Date.now() - p.lastChunk();
      if (idle >= DRAIN_IDLE_MS) {
        p.stop();
        break;
      }
      let timer: ReturnType<typeof setTimeout> | undefined;
      await Promise.race([
        p.done,
        new Promise((resolve) => timer = setTimeout(resolve, DRAIN_IDLE_MS - idle)),
      ]);
      clearTimeout(timer);
    }
    await p.done;
  }
}
