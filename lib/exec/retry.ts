/**
 * A step's `retry:` block (atmos-workflows-commands.md §1.10): how many attempts, how long to
 * wait between them and for how long in total. Plain data and pure functions; the step engine
 * does the waiting with an injected clock.
 *
 * Atmos's rules, kept: a `retry:` block without `max_attempts` retries until it succeeds or
 * `max_elapsed_time` runs out; `backoff_strategy` is `constant` (the default: `initial_delay`
 * every time), `linear` (`initial_delay × attempt`) or `exponential`
 * (`initial_delay × multiplier^(attempt−1)`, multiplier 2 by default); `max_delay` caps a delay;
 * `random_jitter` (0–1) adds or removes up to that fraction of it at random.
 *
 * @module
 */
import { formatDuration, parseGoDuration } from "./duration.ts";

/** How a failed step is retried. Durations are in milliseconds. */
export interface RetryPolicy {
  /** Attempts in all, the first included; `undefined` means no limit. */
  maxAttempts?: number;
  backoff: "constant" | "linear" | "exponential";
  initialDelayMs: number;
  maxDelayMs?: number;
  multiplier: number;
  /** 0–1: the fraction of a delay added or removed at random. */
  jitter: number;
  /** Total time budget measured from the first attempt's start. */
  maxElapsedMs?: number;
}

/** Keys of a `retry:` block. */
export const RETRY_KEYS = [
  "max_attempts",
  "backoff_strategy",
  "initial_delay",
  "max_delay",
  "multiplier",
  "random_jitter",
  "max_elapsed_time",
];

const STRATEGIES: RetryPolicy["backoff"][] = ["constant", "linear", "exponential"];

/** Reports a problem at a path below the `retry:` block. */
export type RetryIssue = (key: string | undefined, message: string, hint?: string) => Error;

/**
 * Reads a `retry:` map.
 *
 * @throws whatever `issue` returns, for the first bad field.
 */
export function parseRetry(raw: Record<string, unknown>, issue: RetryIssue): RetryPolicy {
  for (const key of Object.keys(raw)) {
    if (RETRY_KEYS.includes(key)) continue;
    if (key === "conditions") {
      throw issue(
        key,
        `"conditions" is not supported by this atmos`,
        "remove it: every failure is retried",
      );
    }
    throw issue(key, `unknown retry key "${key}"`, `allowed keys: ${RETRY_KEYS.join(", ")}`);
  }
  const strategy = raw.backoff_strategy ?? "constant";
  if (!STRATEGIES.includes(strategy as RetryPolicy["backoff"])) {
    throw issue(
      "backoff_strategy",
      `backoff_strategy "${String(strategy)}" is not supported`,
      `use one of: ${STRATEGIES.join(", ")}`,
    );
  }
  const maxAttempts = raw.max_attempts;
  if (maxAttempts !== undefined && maxAttempts !== null) {
    if (!Number.isInteger(maxAttempts) || (maxAttempts as number) < 1) {
      throw issue("max_attempts", "max_attempts must be a whole number of at least 1");
    }
  }
  const multiplier = number(raw, "multiplier", issue, (n) => n > 0, "greater than 0");
  const jitter = number(raw, "random_jitter", issue, (n) => n >= 0 && n <= 1, "between 0 and 1");
  return {
    maxAttempts: (maxAttempts ?? undefined) as number | undefined,
    backoff: strategy as RetryPolicy["backoff"],
    initialDelayMs: duration(raw, "initial_delay", issue, true) ?? 0,
    maxDelayMs: duration(raw, "max_delay", issue, false),
    multiplier: multiplier ?? 2,
    jitter: jitter ?? 0,
    maxElapsedMs: duration(raw, "max_elapsed_time", issue, false),
  };
}

/**
 * The wait after failed attempt number `attempt` (1-based). `random` returns a number in
 * [0, 1) (injected so tests are exact).
 */
export function retryDelay(
  policy: RetryPolicy,
  attempt: number,
  random: () => number = Math.random,
): number {
  let delay = policy.initialDelayMs;
  if (policy.backoff === "linear") delay *= attempt;
  if (policy.backoff === "exponential") delay *= policy.multiplier ** (attempt - 1);
  if (policy.maxDelayMs !== undefined) delay = Math.min(delay, policy.maxDelayMs);
  if (policy.jitter > 0) {
    const change = random() * delay * policy.jitter;
    delay = random() < 0.5 ? delay + change : delay - change;
  }
  return Math.max(0, delay);
}

/** What to do after attempt `attempt` failed, `elapsedMs` after the first attempt started. */
export type RetryDecision =
  | { retry: true; delayMs: number }
  | { retry: false; reason?: string };

/** Decides whether another attempt follows, and after how long. */
export function nextAttempt(
  policy: RetryPolicy | undefined,
  attempt: number,
  elapsedMs: number,
  random: () => number = Math.random,
): RetryDecision {
  if (!policy) return { retry: false };
  if (policy.maxAttempts !== undefined && attempt >= policy.maxAttempts) {
    return { retry: false, reason: `after ${attempt} attempt${attempt === 1 ? "" : "s"}` };
  }
  const delayMs = retryDelay(policy, attempt, random);
  if (policy.maxElapsedMs !== undefined && elapsedMs + delayMs > policy.maxElapsedMs) {
    return {
      retry: false,
      reason: `after ${attempt} attempt${attempt === 1 ? "" : "s"}: max_elapsed_time ${
        formatDuration(policy.maxElapsedMs)
      } would be exceeded`,
    };
  }
  return { retry: true, delayMs };
}

function number(
  raw: Record<string, unknown>,
  key: string,
  issue: RetryIssue,
  ok: (n: number) => boolean,
  range: string,
): number | undefined {
  const value = raw[key];
  if (value === undefined || value === null) return undefined;
  if (typeof value !== "number" || !Number.isFinite(value) || !ok(value)) {
    throw issue(key, `${key} must be a number ${range}`);
  }
  return value;
}

function duration(
  raw: Record<string, unknown>,
  key: string,
  issue: RetryIssue,
  zeroAllowed: boolean,
): number | undefined {
  const value = raw[key];
  if (value === undefined || value === null) return undefined;
  const ms = typeof value === "string" ? parseGoDuration(value) : undefined;
  if (ms === undefined || (!zeroAllowed && ms === 0)) {
    throw issue(
      key,
      `${key} must be a ${zeroAllowed ? "" : "positive "}duration such as 500ms, 5s or 1m30s`,
      typeof value === "number" ? `write the unit, e.g. ${value}s` : undefined,
    );
  }
  return ms;
}
