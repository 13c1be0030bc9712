/**
 * The polling half of the OAuth device authorization flow (RFC 8628 §3.4–3.5), for any
 * service: poll the token endpoint every `interval` seconds, keep going on
 * `authorization_pending`, add 5 seconds to the interval on `slow_down`, stop on anything
 * else, give up when the authorization expires, and stop at once when cancelled (Ctrl-C).
 * Each service says which of its errors mean what (`classify`). Clock and sleep are injectable
 * so the rules are tested without waiting.
 *
 * @module
 */
import { AtmosError } from "../errors.ts";
import { roughDuration } from "../exec/duration.ts";

/** What a failed poll means (RFC 8628 §3.5 error codes). */
export type PollOutcome = "authorization_pending" | "slow_down" | "expired_token" | "access_denied";

/** Seconds added to the interval on each `slow_down` (RFC 8628 §3.5). */
export const SLOW_DOWN_STEP_SECONDS = 5;

/** Inputs of {@linkcode pollForToken}. */
export interface PollOptions<T> {
  /** One token request with the device code. */
  poll(): Promise<T>;
  /** What a failed poll means; `undefined` for any other error (it is rethrown). */
  classify(error: unknown): PollOutcome | undefined;
  /** Seconds between polls, from StartDeviceAuthorization. */
  interval: number;
  /** Seconds until the authorization expires, from StartDeviceAuthorization. */
  expiresIn: number;
  /** Milliseconds since the epoch. */
  now(): number;
  /** Waits `ms`; rejects when `signal` aborts. */
  sleep(ms: number, signal?: AbortSignal): Promise<void>;
  /** Aborted when the user cancels. */
  signal?: AbortSignal;
  /** Told about every poll result that is not a token (for debug logs). */
  onPending?(outcome: PollOutcome, intervalSeconds: number): void;
}

/**
 * Polls until the user approves and returns the token.
 *
 * @throws {AtmosError} exit 130 when cancelled; exit 1 when the authorization expired, was
 *   denied, or the service answered with another error.
 */
export async function pollForToken<T>(options: PollOptions<T>): Promise<T> {
  const deadline = options.now() + options.expiresIn * 1000;
  let interval = Math.max(1, options.interval);
  while (true) {
    const wait = Math.min(interval * 1000, Math.max(0, deadline - options.now()));
    try {
      await options.sleep(wait, options.signal);
    } catch (error) {
      if (options.signal?.aborted) throw cancelled();
      throw error;
    }
    if (options.signal?.aborted) throw cancelled();
    if (options.now() >= deadline) throw expired(options.expiresIn);
    try {
      return await options.poll();
    } catch (error) {
      const outcome = options.classify(error);
      switch (outcome) {
        case "authorization_pending":
          break;
        case "slow_down":
          interval += SLOW_DOWN_STEP_SECONDS;
          break;
        case "expired_token":
          throw expired(options.expiresIn);
        case "access_denied":
          throw new AtmosError("the sign-in request was denied in the browser", {
            hint: "run the command again and approve the request",
          });
        default:
          throw error;
      }
      options.onPending?.(outcome, interval);
    }
  }
}

/** A sleep that rejects as soon as `signal` aborts. */
export function abortableSleep(ms: number, signal?: AbortSignal): Promise<void> {
  return new Promise((resolve, reject) => {
    if (signal?.aborted) return reject(signal.reason);
    const timer = setTimeout(() => {
      signal?.removeEventListener("abort", onAbort);
      resolve();
    }, ms);
    const onAbort = () => {
      clearTimeout(timer);
      reject(signal!.reason);
    };
    signal?.addEventListener("abort", onAbort, { once: true });
  });
}

function cancelled(): AtmosError {
  return new AtmosError("sign-in cancelled", { exitCode: 130 });
}

function expired(seconds: number): AtmosError {
  return new AtmosError("the sign-in request expired before it was approved", {
    hint: `run the command again and approve it within ${roughDuration(seconds * 1000)}`,
  });
}
