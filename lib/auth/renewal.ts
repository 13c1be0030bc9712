/**
 * Renewing a session in the background while a child runs, so a long `terraform apply`, a
 * script or an `auth shell` never meets an expired session in its credential files. Cloud
 * neutral: the caller says how to renew (a separate atmos process that writes the files under
 * the chain's lock) and how to read the expiry back.
 *
 * When: three quarters of the way through what is left of the session, but no later than five
 * minutes before it expires (the point where a cached session stops being reused) and no
 * earlier than half way — so a one-hour session is renewed after 45 minutes, a ten-minute one
 * at five minutes, and a 30-second one (tests) after 15 seconds.
 *
 * The timer never keeps atmos alive (lib/exec/background_timer.ts: stopped with the child, and
 * unref'ed after its first second), and a failed renewal never touches the
 * child: atmos looks again later (the user may have logged in in another terminal) and the
 * files keep the old session until it expires.
 *
 * @module
 */
import { FRESHNESS_BUFFER_MS } from "./credentials.ts";
import { type BackgroundTimer, backgroundTimer } from "../exec/background_timer.ts";

/** When to renew a session that expires at `expiration`, seen at `now` (milliseconds). */
export function renewalTime(now: number, expiration: number): number {
  const left = expiration - now;
  return Math.max(
    now + left / 2,
    Math.min(now + left * 3 / 4, expiration - FRESHNESS_BUFFER_MS),
  );
}

/** How long to wait before looking again after a renewal did not happen. */
export function retryDelay(now: number, expiration: number): number {
  const left = expiration - now;
  // Before expiry: a few more tries; after it: once a minute, until a new session shows up.
  return left > 0 ? Math.max(Math.min(1_000, left / 2), left / 4) : 60_000;
}

/** What background renewal needs from its caller. */
export interface RenewalOptions {
  /** The current session's expiry. */
  expiration: Date;
  /** Renews; resolves to the new expiry, or `undefined` when nothing was renewed. */
  renew(): Promise<Date | undefined>;
  /** The expiry the files hold now (another process may have renewed), without any call. */
  reload(): Date | undefined | Promise<Date | undefined>;
  /** Milliseconds since the epoch (injectable for tests). */
  now?: () => number;
  /** Reports unexpected failures (debug log). */
  debug?: (message: string) => void;
  /** False keeps the timer from letting the process exit (tests); default true. */
  unref?: boolean;
}

/** A running background renewal. */
export interface Renewal {
  /** Stops renewing (safe to call twice). A renewal in flight finishes on its own. */
  stop(): void;
}

/** Starts renewing in the background; `stop()` it when the child exits. */
export function startRenewal(options: RenewalOptions): Renewal {
  const now = options.now ?? Date.now;
  let expiration = options.expiration.getTime();
  let timer: BackgroundTimer | undefined;
  let stopped = false;

  const schedule = (at: number) => {
    if (stopped) return;
    timer = backgroundTimer(tick, at - now(), { keepAlive: options.unref === false });
  };

  const tick = async () => {
    timer = undefined;
    // Another process (a parallel step, the user in another terminal) may have renewed.
    let current: number | undefined;
    try {
      current = (await options.reload())?.getTime();
    } catch (error) {
      options.debug?.(`background renewal could not read the session: ${(error as Error).message}`);
    }
    if (stopped) return;
    if (current !== undefined && current > expiration && renewalTime(now(), current) > now()) {
      expiration = current;
      schedule(renewalTime(now(), expiration));
      return;
    }
    let renewed: number | undefined;
    try {
      renewed = (await options.renew())?.getTime();
    } catch (error) {
      options.debug?.(`background renewal failed: ${(error as Error).message}`);
    }
    if (stopped) return;
    if (renewed !== undefined && renewed > expiration) {
      expiration = renewed;
      schedule(renewalTime(now(), expiration));
    } else {
      schedule(now() + retryDelay(now(), expiration));
    }
  };

  schedule(renewalTime(now(), expiration));
  return {
    stop() {
      stopped = true;
      timer?.cancel();
    },
  };
}
