/**
 * Exclusive advisory file locks with a timeout. `Deno.FsFile.lock(true)` is a real `flock`, so
 * these locks exclude util-linux `flock` and Atmos's Go code. Waiting polls `tryLock` instead of
 * blocking in `lock()`: a blocked `lock()` cannot be cancelled and would keep the process alive
 * after a timeout.
 *
 * flock locks belong to an open file description: two acquisitions in the same process exclude
 * each other too, because each opens the lock file anew.
 *
 * @module
 */

import { AtmosError } from "../errors.ts";

/** Default time to wait for a lock. */
export const DEFAULT_LOCK_TIMEOUT_MS = 10_000;

/** The lock was not free in time (another process holds it), as opposed to a lock refused. */
export class LockTimeoutError extends AtmosError {
  constructor(message: string) {
    super(message, { hint: "another atmos process holds the lock; retry when it has finished" });
    this.name = "LockTimeoutError";
  }
}

/** A lock that is held until {@linkcode HeldLock.release} is called. */
export interface HeldLock {
  /** The lock file. */
  readonly path: string;
  /** Unlocks and closes the lock file. Safe to call twice. */
  release(): Promise<void>;
}

/**
 * Opens (creating it with mode 0600) `lockPath` and takes an exclusive lock on it, waiting at most
 * `timeoutMs`. The caller must have checked that `lockPath` may be written and that its directory
 * exists. Throws `Cannot lock "<path>": timed out after 10s` on timeout.
 */
export async function acquireLock(
  lockPath: string,
  timeoutMs: number = DEFAULT_LOCK_TIMEOUT_MS,
): Promise<HeldLock> {
  const file = await Deno.open(lockPath, { read: true, write: true, create: true, mode: 0o600 });
  try {
    const deadline = Date.now() + timeoutMs;
    let delay = 2;
    while (!(await file.tryLock(true))) {
      const remaining = deadline - Date.now();
      if (remaining <= 0) {
        throw new LockTimeoutError(
          `Cannot lock "${lockPath}": timed out after ${formatMs(timeoutMs)}`,
        );
      }
      await sleep(Math.min(delay, remaining));
      delay = Math.min(delay * 2, 50);
    }
  } catch (error) {
    file.close();
    throw error;
  }
  return heldLock(lockPath, file);
}

function heldLock(path: string, file: Deno.FsFile): HeldLock {
  let released = false;
  return {
    path,
    async release() {
      if (released) return;
      released = true;
      try {
        await file.unlock();
      } finally {
        file.close();
      }
    },
  };
}

function formatMs(ms: number): string {
  return ms % 1000 === 0 ? `${ms / 1000}s` : `${ms}ms`;
}

function sleep(ms: number): Promise<void> {
  return new Promise((done) => setTimeout(done, ms));
}
