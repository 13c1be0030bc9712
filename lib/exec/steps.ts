/**
 * The one step engine behind workflows and custom commands (atmos-workflows-commands.md §1.5,
 * §2.4, §2.8). Steps run one after another as child processes with inherited stdio:
 * `shell` steps through `bash -c`, `atmos` steps by re-invoking this same atmos with the
 * command split like a shell would and `-s <stack>` added before any `--`. The first failing
 * step stops the run. Identities are applied through a hook, so this module knows nothing about
 * authentication: the caller's hook re-checks the session before every step that uses one.
 *
 * Ctrl-C: the terminal sends SIGINT to the whole foreground group, so the running step gets
 * it; atmos itself only notes it and runs no further step. SIGTERM/SIGHUP sent to atmos alone
 * are forwarded to the running step (see `run.ts`) and also end the run.
 *
 * @module
 */
import { AtmosError } from "../errors.ts";
import { runChildStatus } from "./run.ts";
import { signalBarrier } from "./signal_barrier.ts";
import { shellQuote as quoteWord, splitShellWords } from "./shell_words.ts";

/** What a step runs. */
export type StepType = "shell" | "atmos";

/** One step, ready to run. */
export interface Step {
  /** Name used in messages and by `--from-step`. */
  name: string;
  type: StepType;
  /** A shell script (`shell`) or atmos arguments as one line (`atmos`). */
  command: string;
  /** The identity whose session the step runs with; `undefined` runs it with `env` as is. */
  identity?: string;
  /** For `atmos` steps: the stack passed as `-s <stack>`. */
  stack?: string;
  /** Working directory (default: the current directory). */
  cwd?: string;
  /** The complete environment before the identity is applied (nothing else is inherited). */
  env: Record<string, string>;
}

/** Callbacks the engine needs from its caller. */
export interface StepHooks {
  /**
   * Returns `env` with the identity's session applied: raw AWS variables removed, file
   * pointers set last. Called before every step that has an identity (the caller re-checks
   * the session's expiry there).
   */
  withIdentity(identity: string, env: Record<string, string>): Promise<Record<string, string>>;
  /** Called just before a step starts, with the command line as it will run. */
  onStart?(step: Step, index: number, display: string): void;
}

/** Options for {@linkcode runSteps}. */
export interface RunStepsOptions {
  steps: readonly Step[];
  /** argv prefix that re-invokes this atmos (see `self.ts`). */
  self: readonly string[];
  /** Environment that `$VAR` in `atmos` step commands expands from (atmos's own). */
  expandEnv: Record<string, string>;
  /** `ATMOS_SHLVL` for the children. */
  shellLevel: number;
  hooks: StepHooks;
}

/** How a run ended. */
export type StepsOutcome =
  | { ok: true }
  | {
    ok: false;
    /** The step that failed or was running when a signal arrived. */
    step: Step;
    index: number;
    /** The exit code to pass on: the step's own, or 128+n after signal n. */
    code: number;
    /** Set when a signal stopped the run. */
    signal?: Deno.Signal;
  };

const STOP_SIGNALS: Deno.Signal[] = ["SIGINT", "SIGTERM", "SIGHUP"];
const SIGNAL_NUMBERS: Record<string, number> = { SIGHUP: 1, SIGINT: 2, SIGTERM: 15 };

/** The argv of an `atmos` step after this atmos's own command: split, with `-s` injected. */
export function atmosStepArgs(step: Step, expandEnv: Record<string, string>): string[] {
  const args = splitShellWords(step.command, expandEnv);
  if (args[0] === "atmos") args.shift();
  if (!step.stack) return args;
  const dashes = args.indexOf("--");
  const stackArgs = ["-s", step.stack];
  return dashes < 0
    ? [...args, ...stackArgs]
    : [...args.slice(0, dashes), ...stackArgs, ...args.slice(dashes)];
}

/**
 * The step's command as written, for dry runs and announcements: variables are not expanded
 * (their values could be secrets); `atmos` steps show the `-s <stack>` that will be added.
 */
export function displayCommand(step: Step): string {
  const text = step.command.trim();
  if (step.type === "shell") return text;
  const line = /^atmos(\s|$)/.test(text) ? text : `atmos ${text}`.trimEnd();
  if (!step.stack) return line;
  const stack = `-s ${quoteWord(step.stack)}`;
  const dashes = /(^|\s)--(\s|$)/.exec(line);
  if (!dashes) return `${line} ${stack}`;
  const at = dashes.index + dashes[1].length;
  return `${line.slice(0, at)}${stack} ${line.slice(at)}`;
}

/** Runs the steps in order and stops at the first failure or signal. */
export async function runSteps(options: RunStepsOptions): Promise<StepsOutcome> {
  let signal: Deno.Signal | undefined;
  const listeners = STOP_SIGNALS.map((name) => {
    const handler = () => {
      signal ??= name;
    };
    try {
      Deno.addSignalListener(name, handler);
      return [name, handler] as const;
    } catch {
      return undefined; // Not supported on this platform.
    }
  });
  try {
    for (let index = 0; index < options.steps.length; index++) {
      const step = options.steps[index];
      if (signal) return stopped(step, index, 0, signal);
      const status = await runOne(step, index, options);
      // A Ctrl-C reaches the step and atmos together, and a step that traps it may exit before
      // atmos's listener has run: wait until every signal already sent has been seen.
      await signalBarrier();
      if (status.signal && STOP_SIGNALS.includes(status.signal)) signal ??= status.signal;
      const code = status.code;
      if (signal) return stopped(step, index, code, signal);
      if (code !== 0) return { ok: false, step, index, code };
    }
    return { ok: true };
  } finally {
    for (const entry of listeners) {
      if (entry) Deno.removeSignalListener(entry[0], entry[1]);
    }
  }
}

async function runOne(
  step: Step,
  index: number,
  options: RunStepsOptions,
): Promise<{ code: number; signal: Deno.Signal | null }> {
  const base = step.identity === undefined
    ? { ...step.env }
    : await options.hooks.withIdentity(step.identity, step.env);
  base.ATMOS_SHLVL = String(options.shellLevel);
  if (step.cwd !== undefined) await assertDirectory(step);
  if (step.command.includes("\0")) {
    throw new AtmosError(
      `step "${step.name}" holds a NUL character in its command, which no program can receive`,
      { exitCode: 2, hint: "remove the NUL (\\0) from the step's command" },
    );
  }
  const argv = step.type === "shell"
    ? ["bash", "-c", step.command]
    : [...options.self, ...atmosStepArgs(step, options.expandEnv)];
  options.hooks.onStart?.(step, index, displayCommand(step));
  return await runChildStatus({ command: argv[0], args: argv.slice(1), env: base, cwd: step.cwd });
}

async function assertDirectory(step: Step): Promise<void> {
  const info = await Deno.stat(step.cwd!).catch(() => undefined);
  if (!info?.isDirectory) {
    throw new AtmosError(`working directory "${step.cwd}" of step "${step.name}" does not exist`, {
      exitCode: 2,
      hint: "check working_directory (relative paths start at the base path)",
    });
  }
}

function stopped(step: Step, index: number, code: number, signal: Deno.Signal): StepsOutcome {
  return { ok: false, step, index, code: code !== 0 ? code : 128 + SIGNAL_NUMBERS[signal], signal };
}
