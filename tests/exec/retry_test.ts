import assert from "node:assert/strict";
import { nextAttempt, parseRetry, retryDelay, type RetryPolicy } from "../../lib/exec/retry.ts";
import { formatDuration, parseGoDuration } from "../../lib/exec/duration.ts";

const fail = (key: string | undefined, message: string, hint?: string) =>
  new Error(`${key}: ${message}${hint ? ` (${hint})` : ""}`);

function policy(overrides: Partial<RetryPolicy>): RetryPolicy {
  return { backoff: "constant", initialDelayMs: 100, multiplier: 2, jitter: 0, ...overrides };
}

Deno.test("parseGoDuration() reads Go durations and refuses bare numbers and unknown units", () => {
  assert.equal(parseGoDuration("100ms"), 100);
  assert.equal(parseGoDuration("1m30s"), 90_000);
  assert.equal(parseGoDuration("1.5s"), 1500);
  assert.equal(parseGoDuration("2h45m"), 9_900_000);
  assert.equal(parseGoDuration("250us"), 0.25);
  assert.equal(parseGoDuration("250µs"), 0.25);
  assert.equal(parseGoDuration(".5s"), 500);
  assert.equal(parseGoDuration("0"), 0);
  for (const bad of ["5", "", "1d", "s", "1.s5", "-1s", "1 s", "."]) {
    assert.equal(parseGoDuration(bad), undefined, bad);
  }
});

Deno.test("formatDuration() prints milliseconds, seconds and minutes like Go", () => {
  assert.equal(formatDuration(50), "50ms");
  assert.equal(formatDuration(1500), "1.5s");
  assert.equal(formatDuration(90_000), "1m30s");
  assert.equal(formatDuration(3_600_000), "1h0m0s");
});

Deno.test("parseRetry() reads every field with Atmos's defaults", () => {
  assert.deepEqual(parseRetry({}, fail), {
    maxAttempts: undefined,
    backoff: "constant",
    initialDelayMs: 0,
    maxDelayMs: undefined,
    multiplier: 2,
    jitter: 0,
    maxElapsedMs: undefined,
  });
  assert.deepEqual(
    parseRetry({
      max_attempts: 3,
      backoff_strategy: "exponential",
      initial_delay: "1s",
      max_delay: "5s",
      multiplier: 1.5,
      random_jitter: 0.2,
      max_elapsed_time: "1m",
    }, fail),
    {
      maxAttempts: 3,
      backoff: "exponential",
      initialDelayMs: 1000,
      maxDelayMs: 5000,
      multiplier: 1.5,
      jitter: 0.2,
      maxElapsedMs: 60_000,
    },
  );
});

Deno.test("parseRetry() refuses zero, negative and malformed values with the field named", () => {
  const cases: [Record<string, unknown>, RegExp][] = [
    [{ max_attempts: 0 }, /: max_attempts: max_attempts must be a whole number of at least 1/],
    [{ max_attempts: 1.5 }, /: max_attempts: /],
    [
      { backoff_strategy: "fibonacci" },
      /: backoff_strategy: backoff_strategy "fibonacci" is not supported/,
    ],
    [
      { initial_delay: 5 },
      /: initial_delay: .*duration such as 500ms.*\(write the unit, e\.g\. 5s\)/,
    ],
    [{ max_delay: "0s" }, /: max_delay: max_delay must be a positive duration/],
    [{ multiplier: 0 }, /: multiplier: multiplier must be a number greater than 0/],
    [{ random_jitter: 1.5 }, /: random_jitter: random_jitter must be a number between 0 and 1/],
    [{ conditions: ["x"] }, /: conditions: "conditions" is not supported by this atmos/],
    [{ max_atempts: 2 }, /: max_atempts: unknown retry key "max_atempts"/],
  ];
  for (const [raw, pattern] of cases) {
    assert.throws(() => parseRetry(raw, fail), pattern, JSON.stringify(raw));
  }
});

Deno.test("retryDelay() follows the backoff strategy, caps at max_delay and applies jitter both ways", () => {
  assert.deepEqual([1, 2, 3].map((n) => retryDelay(policy({}), n)), [100, 100, 100]);
  assert.deepEqual(
    [1, 2, 3].map((n) => retryDelay(policy({ backoff: "linear" }), n)),
    [100, 200, 300],
  );
  assert.deepEqual(
    [1, 2, 3, 4].map((n) => retryDelay(policy({ backoff: "exponential", maxDelayMs: 500 }), n)),
    [100, 200, 400, 500],
  );
  assert.deepEqual(
    [1, 2].map((n) => retryDelay(policy({ backoff: "exponential", multiplier: 3 }), n)),
    [100, 300],
  );
  // jitter 0.5: random 0.4 → change 0.4 × 100 × 0.5 = 20; a second draw < 0.5 adds it.
  const draws = (...values: number[]) => () => values.shift()!;
  assert.equal(retryDelay(policy({ jitter: 0.5 }), 1, draws(0.4, 0.1)), 120);
  assert.equal(retryDelay(policy({ jitter: 0.5 }), 1, draws(0.4, 0.9)), 80);
});

Deno.test("nextAttempt() stops at max_attempts, never without a policy, and before max_elapsed_time would pass", () => {
  assert.deepEqual(nextAttempt(undefined, 1, 0), { retry: false });
  assert.deepEqual(nextAttempt(policy({ maxAttempts: 2 }), 1, 0), { retry: true, delayMs: 100 });
  assert.deepEqual(nextAttempt(policy({ maxAttempts: 2 }), 2, 0), {
    retry: false,
    reason: "after 2 attempts",
  });
  // No max_attempts: unlimited, as in Atmos.
  assert.deepEqual(nextAttempt(policy({}), 50, 0), { retry: true, delayMs: 100 });
  assert.deepEqual(nextAttempt(policy({ maxElapsedMs: 1000 }), 3, 950), {
    retry: false,
    reason: "after 3 attempts: max_elapsed_time 1s would be exceeded",
  });
});
