/**
 * The one step engine behind workflows and custom commands (atmos-workflows-commands.md §1.5,
 * §2.4, §2.8). Steps run one after another: `shell` steps through `bash -c`, `atmos` steps by
 * re-invoking this same atmos with the command split like a shell would and `-s <stack>` added
 * before any `--`; `type: env` steps set variables for later steps; `input`, `choose` and
 * `confirm` ask (or take their default without a terminal); `parallel` and `matrix` run their
 * children concurrently (`control.ts`). The first failing step stops the run; `retry:` repeats a
 * failing command step first.
 *
 * String fields are Go templates rendered just before the step runs (`step_template.ts`), so a
 * step sees the results of the steps before it. A step's environment is built in layers, later
 * wins: the run's environment, the shared (workflow) `env:`, variables of earlier `type: env`
 * steps, the step's own `env:`, and last the identity's session — applied through a hook, so
 * this module knows nothing about authentication; the caller's hook re-checks the session
 * before every attempt of every step that uses one.
 *
 * Ctrl-C: the terminal sends SIGINT to the whole foreground group, so the running step gets
 * it (every child of a parallel step too); atmos itself only notes
 * it and runs no further step. SIGTERM/SIGHUP sent to atmos alone are forwarded to the running
 * children (see `run.ts`) and also end the run.
 *
 * @module
 */
import { AtmosError } from "../errors.ts";
import { runChildStatus } from "./run.ts";
import { signalBarrier } from "./signal_barrier.ts";
import { formatDuration } from "./duration.ts";
import { nextAttempt } from "./retry.ts";
import { type CaptureNeeds, captureNeeds, streamsToCapture, templateTexts } from "./step_refs.ts";
import { emptyResult, type TemplateEngine } from "./step_template.ts";
import { childRoots, defaultAnswer, StepRenderer } from "./step_render.ts";
import { checkBeforeRun, templatesOf } from "./step_plan.ts";
import { atmosStepArgs, displayCommand } from "./step_command.ts";
import type { ChildEnd, ChildSink } from "./control.ts";
import type { CommandStep, ControlStep, Issue, PromptStep, PromptType, Step } from "./step_spec.ts";
import { MASK } from "./redact.ts";

export type {
  CommandStep,
  CommandType,
  ControlStep,
  EnvStep,
  PromptStep,
  Step,
  StepType,
} from "./step_spec.ts";
export { atmosStepArgs, displayCommand } from "./step_command.ts";
export { type PlannedStep, planSteps } from "./step_plan.ts";
export { templateTexts } from "./step_refs.ts";

/** A question for the user (an `input`, `choose` or `confirm` step on a terminal). */
export interface Question {
  type: PromptType;
  message: string;
  /** `choose`: the labels to pick from. */
  options: string[];
  /** Pre-filled text, pre-selected option, or `true`/`false` for confirm. */
  default?: string;
  placeholder?: string;
  password: boolean;
}

/** Callbacks the engine needs from its caller. */
export interface StepHooks {
  /**
   * Returns `env` with the identity's session applied: raw AWS variables removed, file
   * pointers set last. Called before every attempt of every step that has an identity (the
   * caller re-checks the session's expiry there).
   */
  withIdentity(identity: string, env: Record<string, string>): Promise<Record<string, string>>;
  /**
   * Called just before a step starts, with the command line as it will run (secrets masked).
   * `parent` is set for the children of parallel and matrix steps.
   */
  onStart?(step: Step, index: number, display: string, parent?: ControlStep): void;
  /** Asks the user; called only when the run is interactive. */
  ask?(question: Question): Promise<string>;
}

/** Time, for retries (injected by tests). */
export interface Clock {
  now(): number;
  /** Resolves after `ms`, or early when `signal` aborts. */
  sleep(ms: number, signal: AbortSignal): Promise<void>;
  random(): number;
}

/** Options for {@linkcode runSteps}. */
export interface RunStepsOptions {
  steps: readonly Step[];
  /** argv prefix that re-invokes this atmos (see `self.ts`). */
  self: readonly string[];
  /** atmos's own environment: `$VAR` in atmos step commands and the `env` template function. */
  expandEnv: Record<string, string>;
  /** `ATMOS_SHLVL` for the children. */
  shellLevel: number;
  hooks: StepHooks;
  /** The environment every step starts from (nothing else is inherited). */
  env: Record<string, string>;
  /** `env:` templates every step gets on top of `env` (a workflow's `env:`), and where it is. */
  sharedEnv?: { vars: Record<string, string>; path: (string | number)[] };
  /** Template roots besides `.steps` and `.env` (`.Arguments`, `.flags`, …). */
  data?: Record<string, unknown>;
  /** Long-lived secrets of the configuration: never printed. */
  secrets?: readonly string[];
  /** Whether `input`/`choose`/`confirm` may ask (else they take their default). */
  interactive?: boolean;
  /** Turns a rendered `working_directory` into an absolute path (default: as is). */
  resolveCwd?(dir: string): string;
  /** Builds located configuration errors (for problems found before the first step runs). */
  issue?: Issue;
  /** Where atmos writes its own lines and the output of captured or concurrent steps. */
  io?: { out(text: string): void; err(text: string): void };
  clock?: Clock;
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
    /** What failed, when more than the exit code says it (retries, a group's children). */
    detail?: string;
  };

const STOP_SIGNALS: Deno.Signal[] = ["SIGINT", "SIGTERM", "SIGHUP"];
const SIGNAL_NUMBERS: Record<string, number> = { SIGHUP: 1, SIGINT: 2, SIGTERM: 15 };

/**
 * Runs the steps in order and stops at the first failure or signal. Before the first step,
 * everything that can be checked is (`checkBeforeRun`), so a mistake there runs nothing.
 */
export async function runSteps(options: RunStepsOptions): Promise<StepsOutcome> {
  const engine = await templatesOf(options);
  checkBeforeRun(options, engine);
  return await new Run(options, engine).all();
}

/** One run of the steps: its template scope, stop state and output. */
class Run {
  readonly #o: RunStepsOptions;
  readonly #render: StepRenderer;
  readonly #needs: CaptureNeeds;
  readonly #stop = new AbortController();
  signal: Deno.Signal | undefined;
  readonly #clock: Clock;
  readonly #io: { out(text: string): void; err(text: string): void };

  constructor(options: RunStepsOptions, engine?: TemplateEngine) {
    this.#o = options;
    this.#render = new StepRenderer(options, engine);
    const texts = templateTexts(options.steps).map((t) => t.text);
    if (options.sharedEnv) texts.push(...Object.values(options.sharedEnv.vars));
    this.#needs = captureNeeds(texts);
    this.#clock = options.clock ?? realClock;
    this.#io = options.io ?? stdio;
  }

  async all(): Promise<StepsOutcome> {
    const listeners = STOP_SIGNALS.map((name) => {
      const handler = () => {
        this.signal ??= name;
        this.#stop.abort();
      };
      try {
        Deno.addSignalListener(name, handler);
        return [name, handler] as const;
      } catch {
        return undefined; // Not supported on this platform.
      }
    });
    try {
      const steps = this.#o.steps;
      for (let index = 0; index < steps.length; index++) {
        const step = steps[index];
        if (this.signal) return this.#stopped(step, index, 0);
        const end = await this.#step(step, index);
        if (end.ran) {
          // A Ctrl-C reaches the step and atmos together, and a step that traps it may exit
          // before atmos's listener has run: wait until every signal already sent has been seen.
          await signalBarrier();
        }
        if (end.signal && STOP_SIGNALS.includes(end.signal)) this.signal ??= end.signal;
        if (this.signal) return this.#stopped(step, index, end.code);
        if (end.code !== 0) {
          return { ok: false, step, index, code: end.code, detail: end.detail };
        }
      }
      return { ok: true };
    } finally {
      for (const entry of listeners) {
        if (entry) Deno.removeSignalListener(entry[0], entry[1]);
      }
    }
  }

  #stopped(step: Step, index: number, code: number): StepsOutcome {
    const signal = this.signal!;
    return {
      ok: false,
      step,
      index,
      code: code !== 0 ? code : 128 + SIGNAL_NUMBERS[signal],
      signal,
    };
  }

  #label(step: Step, index: number): string {
    return `[${index + 1}/${this.#o.steps.length}] ${step.name}`;
  }

  async #step(step: Step, index: number): Promise<StepEnd> {
    switch (step.type) {
      case "env": {
        const scope = step.export ? "" : " (templates only)";
        this.#o.hooks.onStart?.(step, index, `env${scope} ${this.#render.applyEnv(step)}`);
        return { code: 0, signal: null, ran: false };
      }
      case "input":
      case "choose":
      case "confirm":
        await this.#promptStep(step, index);
        return { code: 0, signal: null, ran: false };
      case "parallel":
      case "matrix":
        return await this.#group(step, index);
      default:
        return await this.#commandStep(step, index);
    }
  }

  async #promptStep(step: PromptStep, index: number): Promise<void> {
    const { prompt, default: dflt, options, placeholder } = this.#render.renderPrompt(step);
    const question = prompt.shown.trim();
    let value: string;
    let secret = step.password;
    if (!this.#o.interactive) {
      // checkBeforeRun() refused prompts without a default off a terminal.
      value = defaultAnswer(step, dflt!.value);
      secret ||= dflt!.shown !== dflt!.value;
      const shown = secret ? MASK : value;
      this.#o.hooks.onStart?.(
        step,
        index,
        `${step.type} "${question}": ${shown} (the default: not on a terminal)`,
      );
    } else {
      this.#o.hooks.onStart?.(step, index, `${step.type} "${question}"`);
      if (!this.#o.hooks.ask) throw new AtmosError(`step "${step.name}" cannot ask: no terminal`);
      const labels = options.map((o) => o.shown);
      const answer = await this.#o.hooks.ask({
        type: step.type,
        message: prompt.shown,
        options: labels,
        // A default made from a secret is not shown pre-filled.
        default: dflt === undefined || dflt.shown !== dflt.value
          ? undefined
          : defaultAnswer(step, dflt.value),
        placeholder,
        password: step.password,
      });
      value = step.type === "choose" ? options[Math.max(0, labels.indexOf(answer))].value : answer;
    }
    this.#render.scope.setResult(step.name, emptyResult(value), secret);
  }

  async #commandStep(step: CommandStep, index: number): Promise<StepEnd> {
    const capture = streamsToCapture(this.#needs, step.name);
    const stdout = new Capture(capture.stdout, step.quiet ? undefined : this.#io.out);
    const stderr = new Capture(capture.stderr, step.quiet ? undefined : this.#io.err);
    const io = {
      stdout: capture.stdout || step.quiet ? stdout.sink : undefined,
      stderr: capture.stderr || step.quiet ? stderr.sink : undefined,
    };
    const end = await this.#attempts(
      step,
      this.#label(step, index),
      (env, argv, cwd) =>
        runChildStatus({ command: argv[0], args: argv.slice(1), env, cwd, ...io }),
      {
        onStart: (display) => this.#o.hooks.onStart?.(step, index, display),
        resetOutput: () => {
          stdout.text = "";
          stderr.text = "";
        },
      },
    );
    if (end.code === 0) {
      this.#render.scope.setResult(step.name, {
        ...emptyResult(stdout.text.trim()),
        stdout: stdout.text,
        stderr: stderr.text,
      }, true);
    }
    return { ...end, ran: true };
  }

  /** Runs a command step's attempts (see `retry.ts`); `spawn` runs one. */
  async #attempts(
    step: CommandStep,
    label: string,
    spawn: (
      env: Record<string, string>,
      argv: string[],
      cwd: string | undefined,
    ) => Promise<{ code: number; signal: Deno.Signal | null }>,
    events: {
      onStart(display: string): void;
      resetOutput(): void;
      cancel?: AbortSignal;
      extra?: Record<string, unknown>;
    },
  ): Promise<{ code: number; signal: Deno.Signal | null; detail?: string }> {
    const started = this.#clock.now();
    for (let attempt = 1;; attempt++) {
      const prepared = await this.#prepare(step, events.extra);
      if (attempt === 1) events.onStart(prepared.display);
      events.resetOutput();
      const status = await spawn(prepared.env, prepared.argv, prepared.cwd);
      if (status.code === 0 || this.signal || events.cancel?.aborted) return status;
      if (status.signal && STOP_SIGNALS.includes(status.signal)) return status;
      const decision = nextAttempt(
        step.retry,
        attempt,
        this.#clock.now() - started,
        this.#clock.random,
      );
      if (!decision.retry) {
        return decision.reason ? { ...status, detail: decision.reason } : status;
      }
      const of = step.retry?.maxAttempts ? ` of ${step.retry.maxAttempts}` : "";
      this.#io.err(
        `${label}: attempt ${attempt}${of} failed with exit code ${status.code}; retrying in ${
          formatDuration(decision.delayMs)
        }\n`,
      );
      const abort = events.cancel
        ? AbortSignal.any([this.#stop.signal, events.cancel])
        : this.#stop.signal;
      await this.#clock.sleep(decision.delayMs, abort);
      // Stopped while waiting: the run ends as stopped by the signal, not by the last failure.
      if (this.signal) return { code: 128 + SIGNAL_NUMBERS[this.signal], signal: this.signal };
      if (events.cancel?.aborted) return status;
    }
  }

  /** Prepares one attempt of a command step: environment (identity last), argv and cwd. */
  async #prepare(step: CommandStep, extra: Record<string, unknown> = {}) {
    let env = this.#render.stepEnv(step, extra);
    const fromSession = new Set<string>();
    if (step.identity !== undefined) {
      const before = env;
      env = await this.#o.hooks.withIdentity(step.identity, { ...env });
      // What the session set is never printed (credential file paths, profile, identity env).
      for (const [key, value] of Object.entries(env)) {
        if (before[key] !== value) fromSession.add(key);
      }
    }
    env.ATMOS_SHLVL = String(this.#o.shellLevel);
    const { command, stack, dir } = this.#render.renderCommand(step, env, extra, fromSession);
    if (dir !== undefined) await assertDirectory(step.name, dir);
    if (command.value.includes("\0")) {
      throw new AtmosError(
        `step "${step.name}" holds a NUL character in its command, which no program can receive`,
        { exitCode: 2, hint: "remove the NUL (\\0) from the step's command" },
      );
    }
    const argv = step.type === "shell" ? ["bash", "-c", command.value] : [
      ...this.#o.self,
      ...atmosStepArgs(command.value, stack?.value || undefined, this.#o.expandEnv),
    ];
    const display = displayCommand(step.type, command.shown, stack?.shown || undefined);
    return { env, argv, cwd: dir, display };
  }

  async #group(step: ControlStep, index: number): Promise<StepEnd> {
    const concurrency = step.maxConcurrency > 0 ? `, at most ${step.maxConcurrency} at once` : "";
    this.#o.hooks.onStart?.(step, index, `${step.type}: ${step.steps.length} steps${concurrency}`);
    const label = this.#label(step, index);
    const prefixAt = `${step.path.join(".")}.output.prefix`;
    // Loaded only by runs that have a parallel or matrix step.
    const { runGroup } = await import("./control.ts");
    const outcome = await runGroup(step, {
      run: (child, sink, cancel) => this.#child(child, step, index, label, sink, cancel),
      stopping: () => this.signal !== undefined,
      label: (child) => this.#render.label(step.output.prefix, prefixAt, child),
      out: (text) => this.#io.out(text),
      err: (text) => this.#io.err(text),
    });
    for (const [name, record] of outcome.children) {
      this.#render.scope.setResult(name, {
        ...emptyResult(record.stdout.trim()),
        stdout: record.stdout,
        stderr: record.stderr,
        exit_code: record.code,
        skipped: record.status === "skipped",
        error: record.status === "failed" ? record.reason : "",
        status: record.status,
        canceled: record.status === "canceled",
      }, true);
    }
    if (outcome.ok) return { code: 0, signal: null, ran: true };
    const problems = [...outcome.children]
      .filter(([, r]) => r.status !== "succeeded")
      .map(([name, r]) => `${name} ${r.status}${r.status === "failed" ? ` (${r.reason})` : ""}`);
    return { code: outcome.code, signal: null, ran: true, detail: problems.join(", ") };
  }

  async #child(
    child: CommandStep,
    parent: ControlStep,
    index: number,
    parentLabel: string,
    sink: ChildSink,
    cancel: AbortSignal,
  ): Promise<ChildEnd> {
    const stdout = new Capture(true, undefined, sink.stdout);
    const stderr = new Capture(true, undefined, sink.stderr);
    const end = await this.#attempts(
      child,
      `${parentLabel}/${child.name}`,
      (env, argv, cwd) =>
        runChildStatus({
          command: argv[0],
          args: argv.slice(1),
          env,
          cwd,
          stdin: "null",
          cancel,
          stdout: stdout.sink,
          stderr: stderr.sink,
        }),
      {
        onStart: (display) => this.#o.hooks.onStart?.(child, index, display, parent),
        resetOutput: () => {
          stdout.text = "";
          stderr.text = "";
        },
        cancel,
        extra: childRoots(child),
      },
    );
    return { code: end.code, signal: end.signal, stdout: stdout.text, stderr: stderr.text };
  }
}

/** A child's output stream: kept as text (when `keep`), shown as text, passed on as bytes. */
class Capture {
  text = "";
  readonly #decoder = new TextDecoder();

  constructor(
    readonly keep: boolean,
    readonly show?: (text: string) => void,
    readonly forward?: (chunk: Uint8Array) => void,
  ) {}

  readonly sink = (chunk: Uint8Array): void => {
    this.forward?.(chunk);
    if (!this.keep && !this.show) return;
    const text = this.#decoder.decode(chunk, { stream: true });
    if (this.keep) this.text += text;
    this.show?.(text);
  };
}

interface StepEnd {
  code: number;
  signal: Deno.Signal | null;
  /** Whether child processes ran (then signals are settled before going on). */
  ran: boolean;
  detail?: string;
}

async function assertDirectory(name: string, cwd: string): Promise<void> {
  const info = await Deno.stat(cwd).catch(() => undefined);
  if (!info?.isDirectory) {
    throw new AtmosError(`working directory "${cwd}" of step "${name}" does not exist`, {
      exitCode: 2,
      hint: "check working_directory (relative paths start at the base path)",
    });
  }
}

const encoder = new TextEncoder();

function writeAll(stream: { writeSync(p: Uint8Array): number }, text: string): void {
  const data = encoder.encode(text);
  let offset = 0;
  while (offset < data.length) offset += stream.writeSync(data.subarray(offset));
}

const stdio = {
  out: (text: string) => writeAll(Deno.stdout, text),
  err: (text: string) => writeAll(Deno.stderr, text),
};

const realClock: Clock = {
  now: () => Date.now(),
  random: Math.random,
  sleep: (ms, signal) =>
    new Promise((resolve) => {
      if (signal.aborted) return resolve();
      const timer = setTimeout(done, ms);
      function done() {
        clearTimeout(timer);
        signal.removeEventListener("abort", done);
        resolve();
      }
      signal.addEventListener("abort", done, { once: true });
    }),
};
