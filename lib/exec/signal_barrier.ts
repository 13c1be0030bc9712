/**
 * A barrier that lets every signal already sent to this process reach its JavaScript
 * listeners before the caller goes on.
 *
 * Why hand-written: Deno delivers signals to listeners through a dedicated thread
 * (signal-hook's iterator) and a channel into the event loop, while a child's exit arrives on
 * the event loop directly. When Ctrl-C reaches a step and atmos together and the step traps it
 * and exits at once, atmos can see the exit a few milliseconds before its own SIGINT listener
 * runs (measured: 1 run in 4 on a loaded 2-core machine with `setImmediate` alone), and would
 * start the next step. Sending ourselves a harmless signal and waiting for it orders things:
 * the kernel has already run the low-level handler for the earlier signal (our thread returned
 * to user space since), and the signal thread hands out all pending signals in one batch, so
 * once the probe's listener runs, so has the earlier one (one more `setImmediate` lets its op
 * settle in the same turn). Costs ~0.3 ms a step (`deno task bench`); no library offers this.
 *
 * Premise: JavaScript runs on the process's main thread, as it does under `deno run` and in a
 * compiled binary. The kernel hands a signal sent to the process (Ctrl-C, `kill`) to the main
 * thread first, so its low-level handler has run before that thread runs any more code. Code
 * on another thread (`deno test` runs tests on a pool thread) gets no such guarantee: the
 * earlier signal can wait on the idle main thread while the probe is handled at once.
 *
 * @module
 */
import { setImmediate } from "node:timers";

const PROBE: Deno.Signal = "SIGUSR2";
const PROBE_TIMEOUT_MS = 200;

/**
 * Resolves once every signal sent to this process before the call has been handed to its
 * listeners. Where self-signalling is not available (Windows), it only yields one turn.
 */
export async function signalBarrier(): Promise<void> {
  await new Promise<void>((resolve) => {
    // Signal listeners do not keep the event loop alive; this timer does, and bounds the wait
    // should the probe never arrive.
    const timer = setTimeout(() => done(), PROBE_TIMEOUT_MS);
    const done = () => {
      clearTimeout(timer);
      try {
        Deno.removeSignalListener(PROBE, done);
      } catch {
        // Never added.
      }
      resolve();
    };
    try {
      Deno.addSignalListener(PROBE, done);
      Deno.kill(Deno.pid, PROBE);
    } catch {
      done();
    }
  });
  await new Promise((resolve) => setImmediate(resolve));
}
