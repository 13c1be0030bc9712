/**
 * Expiry-aware steps for workflows and custom commands (the step engine's `watchStep` hook):
 *
 * - before a step whose last successful run took longer than what is left of its identity's
 *   session, the identity is renewed first, with one line saying why
 *   (`renewing prod-admin: step "apply" took 47m last time, 31m left`); steps running at the
 *   same time share one renewal;
 * - while a step runs, its identity is renewed in the background (one renewal per identity
 *   however many steps use it at once, see `background_renewal.ts`);
 * - when a step succeeds, how long it took is recorded (`step_durations.ts`).
 *
 * A renewal before a step may ask for an MFA code on a terminal (no child owns it yet) unless
 * the step runs inside a parallel or matrix block; one that fails or needs a person is reported
 * in one line and the step runs with the session it has.
 *
 * @module
 */
import { AtmosError } from "../errors.ts";
import type { FileWriter } from "../fs/writer.ts";
import { roughDuration } from "../exec/duration.ts";
import type { AuthManager } from "./manager.ts";
import type { Renewal } from "./renewal.ts";
import { type RenewalHost, renewWhileRunning } from "./background_renewal.ts";
import { loadStepDurations, type StepDurations } from "./step_durations.ts";

/** What expiry-aware steps need from the running atmos (the CLI's Runtime provides it). */
export interface StepRenewalHost extends RenewalHost {
  /** `<config>/atmos`. */
  readonly configDir: string;
  /** The sandboxed writer (for the durations file). */
  ensureWriter(): Promise<FileWriter>;
  /** True when a person at a terminal may be asked (an MFA code). */
  interactive: boolean;
}

/** A step about to start, as the step engine describes it. */
export interface WatchedStep {
  /** The step's name in its run (`parent/child` inside parallel and matrix blocks). */
  key: string;
  /** The identity as the step names it. */
  identity: string;
  /** True inside a parallel or matrix block (nothing is prompted then). */
  inGroup: boolean;
}

/** Called when a watched step has ended: its exit code and how long it ran (ms). */
export type StepFinish = (end: { code: number; ms: number }) => Promise<void>;

/**
 * The `watchStep` hook for one run. `run` keys the run's recorded durations (a workflow's
 * manifest path and name; a custom command's base path and words).
 */
export function stepRenewal(
  host: StepRenewalHost,
  manager: AuthManager,
  run: string,
  now: () => number = Date.now,
): (step: WatchedStep) => Promise<StepFinish> {
  let durations: Promise<StepDurations> | undefined;
  const loadDurations = () =>
    durations ??= loadStepDurations({
      configDir: host.configDir,
      writer: () => host.ensureWriter(),
      now,
      debug: (message) => host.logger.debug(message),
    });
  const renewing = new Map<string, Promise<void>>();
  const running = new Map<string, { steps: number; renewal?: Renewal }>();

  async function renewFirst(identity: string, step: WatchedStep, last: number): Promise<void> {
    const inFlight = renewing.get(identity);
    if (inFlight) return await inFlight;
    const expiration = manager.storedExpiration(identity);
    if (!expiration) return;
    const left = expiration.getTime() - now();
    if (last <= left) return;
    const flight = (async () => {
      host.err(
        `renewing ${identity}: step "${step.key}" took ${roughDuration(last)} last time, ${
          roughDuration(left)
        } left\n`,
      );
      try {
        await manager.renew(identity, { interactive: host.interactive && !step.inGroup });
      } catch (error) {
        host.err(`${notRenewed(identity, step, error, left)}\n`);
        host.logger.debug(`renewal before step "${step.key}": ${(error as Error)?.stack}`);
      }
    })();
    renewing.set(identity, flight);
    try {
      await flight;
    } finally {
      renewing.delete(identity);
    }
  }

  function hold(identity: string): void {
    const entry = running.get(identity) ?? { steps: 0 };
    entry.steps++;
    running.set(identity, entry);
    if (entry.steps > 1) return;
    const expiration = manager.storedExpiration(identity);
    entry.renewal = renewWhileRunning(host, manager, { identity, expiration });
  }

  function release(identity: string): void {
    const entry = running.get(identity);
    if (!entry || --entry.steps > 0) return;
    entry.renewal?.stop();
    running.delete(identity);
  }

  return async (step) => {
    const identity = manager.resolveIdentity(step.identity);
    const last = (await loadDurations()).get(run, step.key);
    if (last !== undefined) await renewFirst(identity, step, last);
    hold(identity);
    return async (end) => {
      release(identity);
      if (end.code !== 0) return;
      try {
        await (await loadDurations()).record(run, step.key, end.ms);
      } catch (error) {
        host.logger.debug(`step durations not recorded: ${(error as Error).message}`);
      }
    };
  };
}

/** One line: the renewal before a step did not happen, why, and that the step goes on. */
function notRenewed(identity: string, step: WatchedStep, error: unknown, left: number): string {
  const why = error instanceof AtmosError
    ? `${error.message}${error.hint ? ` (${error.hint})` : ""}`
    : "an unexpected error (ATMOS_LOGS_LEVEL=Debug shows it)";
  return `cannot renew ${identity} before step "${step.key}": ${why}; it starts with ${
    roughDuration(left)
  } left`;
}
