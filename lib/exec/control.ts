/**
 * `parallel` and `matrix` steps (Atmos's `docs/prd/parallel-workflow-steps.md`): the children run
 * concurrently, at most `max_concurrency` at once, each once the siblings it `needs` have
 * succeeded. The parent owns the output: children write into pipes, and the parent writes their
 * output as whole lines — as one block per child when it ends (`grouped`, the default), as
 * `[label] line` lines as they come (`prefixed`), or not at all (`none`).
 *
 * Failure semantics are Atmos's: `wait_all` (default) lets running children finish, skips the
 * dependents of a failed child and fails the group; `fail_fast` cancels running children
 * (SIGTERM, then SIGKILL 3 s later) and skips the pending ones at the first failure (or at
 * `max_failures`); `best_effort` records failures and skips dependents but the group succeeds.
 * `max_failures` > 0 cancels the group once that many children failed, whatever the mode (except
 * best_effort). A stop signal (Ctrl-C) starts no further child; running ones get the signal.
 *
 * @module
 */
import { AtmosError } from "../errors.ts";
import type { CommandStep, ControlStep } from "./step_spec.ts";
import { LineSplitter } from "./line_writer.ts";
import { signalBarrier } from "./signal_barrier.ts";

/** Where a child's output goes. */
export interface ChildSink {
  stdout(chunk: Uint8Array): void;
  stderr(chunk: Uint8Array): void;
}

/** How a child ended. */
export interface ChildEnd {
  code: number;
  signal: Deno.Signal | null;
  stdout: string;
  stderr: string;
}

/** What the group needs from the step engine. */
export interface GroupHooks {
  /** Runs one child (with its retries) to its end. */
  run(child: CommandStep, sink: ChildSink, cancel: AbortSignal): Promise<ChildEnd>;
  /** True once a stop signal arrived: no further child starts. */
  stopping(): boolean;
  /** The child's label in output (the rendered `output.prefix`). */
  label(child: CommandStep): string;
  out(text: string): void;
  err(text: string): void;
}

/** A child's final state. */
export type ChildStatus = "succeeded" | "failed" | "skipped" | "canceled";

/** One child's record. */
export interface ChildRecord {
  status: ChildStatus;
  code: number;
  stdout: string;
  stderr: string;
  /** Why it was skipped, or how it failed. */
  reason: string;
}

/** How the group ended. */
export interface GroupOutcome {
  ok: boolean;
  /** The first failed child's exit code (1 when none has one). */
  code: number;
  /** By child name, in definition order. */
  children: Map<string, ChildRecord>;
  counts: Record<ChildStatus, number>;
}

/** Runs the children of a parallel or matrix step. */
export async function runGroup(group: ControlStep, hooks: GroupHooks): Promise<GroupOutcome> {
  const children = group.steps;
  const limit = group.maxConcurrency > 0 ? group.maxConcurrency : children.length;
  const records = new Map<string, ChildRecord>();
  const running = new Map<string, { done: Promise<void>; cancel: AbortController }>();
  const renderer = new GroupRenderer(group, hooks);
  let failures = 0;
  let cancelled = false;
  let firstCode: number | undefined;

  const finish = (child: CommandStep, record: ChildRecord) => {
    records.set(child.name, record);
    renderer.ended(child, record);
  };
  const threshold = group.fail.mode === "best_effort"
    ? 0
    : group.fail.maxFailures > 0
    ? group.fail.maxFailures
    : group.fail.mode === "fail_fast"
    ? 1
    : 0;

  /** Records how a child ended; failures past the threshold cancel the group. */
  const settle = (child: CommandStep, canceled: boolean, end: ChildEnd, reason?: string) => {
    renderer.flush(child);
    const status = end.code === 0 ? "succeeded" : canceled ? "canceled" : "failed";
    finish(child, {
      status,
      code: end.code,
      stdout: end.stdout,
      stderr: end.stderr,
      reason: status === "failed"
        ? reason ?? `exit code ${end.code}`
        : status === "canceled"
        ? "canceled"
        : "",
    });
    if (status !== "failed") return;
    failures++;
    firstCode ??= end.code;
    if (threshold > 0 && failures >= threshold) {
      cancelled = true;
      for (const other of running.values()) other.cancel.abort();
    }
  };

  const start = (child: CommandStep) => {
    const cancel = new AbortController();
    const done = hooks.run(child, renderer.sink(child), cancel.signal).then(
      (end) => settle(child, cancel.signal.aborted, end),
      (error) => {
        // The child could not start (authentication, a template): a failure of this child.
        const code = error instanceof AtmosError ? error.exitCode : 1;
        const reason = error instanceof Error ? error.message : String(error);
        settle(child, false, { code, signal: null, stdout: "", stderr: "" }, reason);
      },
    ).finally(() => running.delete(child.name));
    running.set(child.name, { done, cancel });
  };

  while (records.size < children.length) {
    skipBlocked(children, records, running, finish, cancelled || hooks.stopping());
    for (const child of children) {
      if (running.size >= limit || cancelled || hooks.stopping()) break;
      if (records.has(child.name) || running.has(child.name)) continue;
      if (child.needs.every((need) => records.get(need)?.status === "succeeded")) start(child);
    }
    if (running.size === 0) {
      skipBlocked(children, records, running, finish, true);
      break;
    }
    await Promise.race([...running.values()].map((r) => r.done));
    // A Ctrl-C reaches the children and atmos together: see it before starting another child
    // (when one is left to start).
    if (records.size + running.size < children.length) await signalBarrier();
  }
  await Promise.all([...running.values()].map((r) => r.done));

  const counts: Record<ChildStatus, number> = { succeeded: 0, failed: 0, skipped: 0, canceled: 0 };
  for (const record of records.values()) counts[record.status]++;
  const ordered = new Map(children.map((c) => [c.name, records.get(c.name)!]));
  if (group.output.showSummary) {
    hooks.err(
      `[${group.name}] summary: ${counts.succeeded} succeeded, ${counts.failed} failed, ${counts.skipped} skipped, ${counts.canceled} canceled\n`,
    );
  }
  const clean = counts.failed + counts.skipped + counts.canceled === 0;
  return {
    ok: group.fail.mode === "best_effort" ? !hooks.stopping() : clean,
    code: firstCode ?? 1,
    children: ordered,
    counts,
  };
}

/**
 * Marks as skipped every pending child that can no longer run: one whose needed sibling did not
 * succeed, or every pending child when `all` (cancelled, stopping, or nothing left to run).
 */
function skipBlocked(
  children: CommandStep[],
  records: Map<string, ChildRecord>,
  running: ReadonlyMap<string, unknown>,
  finish: (child: CommandStep, record: ChildRecord) => void,
  all: boolean,
): void {
  let changed = true;
  while (changed) {
    changed = false;
    for (const child of children) {
      if (records.has(child.name) || running.has(child.name)) continue;
      const blocker = child.needs.find((need) => {
        const status = records.get(need)?.status;
        return status !== undefined && status !== "succeeded";
      });
      if (blocker === undefined && !all) continue;
      const reason = blocker === undefined
        ? "not started"
        : `needs "${blocker}", which ${records.get(blocker)!.status}`;
      finish(child, { status: "skipped", code: 0, stdout: "", stderr: "", reason });
      changed = true;
    }
  }
}

/** Writes the children's output according to `output.mode` and `output.order`. */
class GroupRenderer {
  readonly #group: ControlStep;
  readonly #hooks: GroupHooks;
  readonly #buffers = new Map<
    string,
    { out: string[]; err: string[]; splitters: LineSplitter[] }
  >();
  readonly #ended = new Map<string, ChildRecord>();
  #nextInOrder = 0;

  constructor(group: ControlStep, hooks: GroupHooks) {
    this.#group = group;
    this.#hooks = hooks;
  }

  sink(child: CommandStep): ChildSink {
    const label = this.#hooks.label(child);
    const mode = this.#group.output.mode;
    const buffer = { out: [] as string[], err: [] as string[], splitters: [] as LineSplitter[] };
    this.#buffers.set(child.name, buffer);
    const line = (target: "out" | "err") => (text: string) => {
      if (mode === "prefixed" && !child.quiet) {
        this.#hooks[target](`[${label}] ${text}\n`);
      } else if (mode === "grouped" && !child.quiet) {
        buffer[target].push(text);
      }
    };
    const out = new LineSplitter(line("out"));
    const err = new LineSplitter(line("err"));
    buffer.splitters.push(out, err);
    return { stdout: (chunk) => out.push(chunk), stderr: (chunk) => err.push(chunk) };
  }

  /** Passes on the last unterminated lines of a child that ended. */
  flush(child: CommandStep): void {
    for (const splitter of this.#buffers.get(child.name)?.splitters ?? []) splitter.flush();
  }

  ended(child: CommandStep, record: ChildRecord): void {
    if (this.#group.output.mode !== "grouped") return;
    this.#ended.set(child.name, record);
    if (this.#group.output.order === "completion") {
      this.#block(child, record);
      return;
    }
    const order = this.#group.steps;
    while (this.#nextInOrder < order.length) {
      const next = order[this.#nextInOrder];
      const done = this.#ended.get(next.name);
      if (!done) break;
      this.#block(next, done);
      this.#nextInOrder++;
    }
  }

  #block(child: CommandStep, record: ChildRecord): void {
    const label = this.#hooks.label(child);
    const why = record.status === "skipped" || record.status === "failed"
      ? ` (${record.reason})`
      : "";
    this.#hooks.err(`[${label}] ${record.status}${why}\n`);
    const buffer = this.#buffers.get(child.name);
    if (!buffer) return;
    if (buffer.out.length > 0) this.#hooks.out(buffer.out.map((l) => `${l}\n`).join(""));
    if (buffer.err.length > 0) this.#hooks.err(buffer.err.map((l) => `${l}\n`).join(""));
  }
}
