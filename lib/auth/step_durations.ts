/**
 * How long each workflow and custom-command step took the last time it succeeded, kept in
 * `<config>/atmos/cache/step-durations.json` (0600, written through the sandboxed writer, temp +
 * rename under a lock) so a later run can renew an identity before a step that would outlive
 * its session. The file holds names and numbers only: run keys (a workflow's manifest path and
 * name, or a custom command's base path and words), step names, milliseconds and dates.
 *
 * It is a cache: an unreadable or malformed file reads as empty and is replaced by the next
 * write. It is bounded: the most recently used {@linkcode MAX_RUNS} runs are kept, with at most
 * {@linkcode MAX_STEPS} steps each.
 *
 * @module
 */
import type { FileWriter } from "../fs/writer.ts";

/** The file's name under `<config>/atmos/cache/`. */
export const STEP_DURATIONS_FILE = "step-durations.json";
/** Runs kept (the least recently recorded are dropped first). */
export const MAX_RUNS = 200;
/** Steps kept per run. */
export const MAX_STEPS = 200;

interface StepRecord {
  /** Milliseconds the step took, retries included. */
  ms: number;
  /** When it was recorded (ISO 8601). */
  at: string;
}

type Runs = Record<string, Record<string, StepRecord>>;

/** The recorded durations, as read once at the start of a run. */
export interface StepDurations {
  /** Milliseconds step `step` of run `run` took last time, if recorded. */
  get(run: string, step: string): number | undefined;
  /**
   * Records a successful step's duration (re-reading the file under its lock, so concurrent
   * runs keep each other's entries).
   */
  record(run: string, step: string, ms: number): Promise<void>;
}

/** Path of the durations file under the config dir (`<config>/atmos`). */
export function stepDurationsPath(configDir: string): string {
  return `${configDir}/cache/${STEP_DURATIONS_FILE}`;
}

/** Reads the recorded durations; an absent or unusable file reads as none. */
export async function loadStepDurations(options: {
  configDir: string;
  writer(): Promise<FileWriter>;
  now?: () => number;
  debug?: (message: string) => void;
}): Promise<StepDurations> {
  const path = stepDurationsPath(options.configDir);
  const now = options.now ?? Date.now;
  const runs = await readRuns(path, options.debug);
  return {
    get: (run, step) => runs[run]?.[step]?.ms,
    async record(run, step, ms) {
      const entry = { ms: Math.round(ms), at: new Date(now()).toISOString() };
      runs[run] = { ...runs[run], [step]: entry };
      const writer = await options.writer();
      await writer.withLock(path, async () => {
        const current = await readRuns(path, options.debug);
        current[run] = { ...current[run], [step]: entry };
        const body = JSON.stringify({ version: 1, runs: bounded(current) }, null, 1);
        await writer.writeAtomic(path, `${body}\n`, 0o600);
      });
    },
  };
}

async function readRuns(path: string, debug?: (message: string) => void): Promise<Runs> {
  let text: string;
  try {
    text = await Deno.readTextFile(path);
  } catch (error) {
    if (!(error instanceof Deno.errors.NotFound)) {
      debug?.(`step durations: cannot read ${path}: ${(error as Error).message}`);
    }
    return {};
  }
  try {
    return validRuns(JSON.parse(text));
  } catch {
    debug?.(`step durations: ${path} is not valid JSON; it is replaced by the next record`);
    return {};
  }
}

/** Keeps only well-formed entries of a parsed file. */
function validRuns(data: unknown): Runs {
  const runs: Runs = {};
  const raw = (data as { version?: unknown; runs?: unknown } | null)?.runs;
  if ((data as { version?: unknown })?.version !== 1 || !isObject(raw)) return runs;
  for (const [run, steps] of Object.entries(raw)) {
    if (!isObject(steps)) continue;
    for (const [step, record] of Object.entries(steps)) {
      const { ms, at } = (record ?? {}) as Partial<StepRecord>;
      if (typeof ms !== "number" || !Number.isFinite(ms) || ms < 0) continue;
      if (typeof at !== "string" || Number.isNaN(Date.parse(at))) continue;
      (runs[run] ??= {})[step] = { ms, at };
    }
  }
  return runs;
}

/** The most recently recorded runs and steps, within the limits. */
function bounded(runs: Runs): Runs {
  const latest = (steps: Record<string, StepRecord>) =>
    Math.max(...Object.values(steps).map((r) => Date.parse(r.at)));
  const kept = Object.entries(runs)
    .sort(([, a], [, b]) => latest(b) - latest(a))
    .slice(0, MAX_RUNS)
    .map(([run, steps]) => {
      const newest = Object.entries(steps)
        .sort(([, a], [, b]) => Date.parse(b.at) - Date.parse(a.at))
        .slice(0, MAX_STEPS);
      return [run, Object.fromEntries(newest)] as const;
    });
  return Object.fromEntries(kept);
}

function isObject(value: unknown): value is Record<string, unknown> {
  return typeof value === "object" && value !== null && !Array.isArray(value);
}
