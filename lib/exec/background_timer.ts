/**
 * A timer that does not keep the process alive, and costs nothing when it is cancelled within
 * its first second.
 *
 * Why hand-written: in Deno 2.9 the first `setTimeout` of a process loads Deno's Node timer
 * modules (`node:timers` and about twenty internal modules, ~10-15 ms measured on the warm
 * `auth exec` path, most of what its background renewal cost). `AbortSignal.timeout` runs on
 * the runtime's own timers and loads nothing, but keeps the event loop alive while it has an
 * `abort` listener. So the first second (at most) is waited with `AbortSignal.timeout`, its
 * listener removed on cancel; only a timer still armed after that second becomes an unref'ed
 * `setTimeout`. A short-lived child (`auth exec -- true`, most workflow steps) never pays for
 * the Node timers; a caller that forgets to cancel keeps the process alive for a second at most.
 *
 * @module
 */

/** How long the first stage (`AbortSignal.timeout`, which keeps the process alive) lasts. */
export const FIRST_STAGE_MS = 1_000;

/** Node-style timers take at most this many milliseconds (larger delays fire at once). */
const MAX_DELAY_MS = 2_147_483_647;

/** A started {@linkcode backgroundTimer}. */
export interface BackgroundTimer {
  /** Stops the timer; `fn` is not called after this (safe to call twice). */
  cancel(): void;
}

/**
 * Calls `fn` after `delayMs` milliseconds (clamped to 0 … 2^31-1) unless cancelled first. The
 * timer keeps the process alive during at most its first {@linkcode FIRST_STAGE_MS}
 * milliseconds, never after — unless `keepAlive` (tests awaiting the timer) makes it a plain
 * `setTimeout`.
 */
export function backgroundTimer(
  fn: () => void,
  delayMs: number,
  options: {
    keepAlive?: boolean;
    /** The first stage's length (tests); default {@linkcode FIRST_STAGE_MS}. */
    firstStageMs?: number;
  } = {},
): BackgroundTimer {
  const delay = Math.min(Math.max(0, delayMs), MAX_DELAY_MS);
  if (options.keepAlive) {
    const id = setTimeout(fn, delay);
    return { cancel: () => clearTimeout(id) };
  }
  const start = Date.now();
  let cancelled = false;
  let late: ReturnType<typeof setTimeout> | undefined;
  const firstStage = options.firstStageMs ?? FIRST_STAGE_MS;
  const first = AbortSignal.timeout(Math.min(delay, firstStage));
  const onFirst = () => {
    if (cancelled) return;
    const left = delay - (Date.now() - start);
    if (delay <= firstStage) {
      fn();
      return;
    }
    const id = setTimeout(fn, Math.max(0, left));
    Deno.unrefTimer(id);
    late = id;
  };
  first.addEventListener("abort", onFirst, { once: true });
  return {
    cancel() {
      cancelled = true;
      // Removing the listener is what lets the process exit during the first stage.
      first.removeEventListener("abort", onFirst);
      if (late !== undefined) clearTimeout(late);
    },
  };
}
