/**
 * One login per identity at a time, across processes: fifty `terraform` runs starting at once
 * with a cold cache make one chain's worth of calls between them, not fifty.
 *
 * The first caller takes an exclusive OS lock (`flock` on a descriptor it holds, through the
 * sandboxed writer) on `<config>/atmos/[<realm>/]<output>/<root>/.locks/<identity>.lock` and
 * authenticates; the others wait, and when they get the lock they read the cache again before
 * doing anything — the first one's fresh credentials are there, so they make no call. The lock
 * dies with its process (even on SIGKILL: the kernel closes the descriptor), so a crashed login
 * never blocks the next. Waiting is bounded ({@linkcode LOGIN_LOCK_TIMEOUT_MS}, long enough for
 * someone to type an MFA code or approve a browser sign-in) and shows a status line after a
 * few seconds; running out of time is one clear error.
 *
 * Chains rooted at an ambient source (GitHub OIDC, `aws/ambient`) are not single-flighted: they
 * are never resumed from files (another job could have written them), so a waiter could not use
 * the first one's result anyway — each caller authenticates with its own ambient credentials,
 * and only the writes are serialised (by each file's own lock).
 *
 * Locks nest in one order only: this lock, then a provider's own (an IAM Identity Center
 * portal's), then a file's; no process holds two identity locks.
 *
 * @module
 */
import { AtmosError } from "../errors.ts";
import { join } from "../fs/path.ts";
import { identitySegment } from "../fs/layout.ts";
import type { FileWriter } from "../fs/writer.ts";
import { LockTimeoutError } from "../fs/lock.ts";
import type { AuthContext } from "./kind.ts";

/** How long a caller waits for another process's login of the same identity. */
export const LOGIN_LOCK_TIMEOUT_MS = 15 * 60 * 1000;

/** After this long waiting, a status line says why (quick waits, the common case, say nothing). */
const PATIENCE_MS = 3000;

/** The lock of `identity`'s logins in its chain's directory `dir` (the writer adds `.lock`). */
export function loginLockPath(dir: string, identity: string): string {
  return join(dir, ".locks", identitySegment(identity));
}

/**
 * Runs `fn` holding `identity`'s login lock. `fn` must read the cache again first: a wait means
 * another process was logging in.
 *
 * @throws {AtmosError} when the lock is not free within `timeoutMs`; errors of `fn` as they are.
 */
export async function withLoginLock<T>(
  writer: FileWriter,
  lock: { path: string; identity: string; timeoutMs?: number },
  ctx: Pick<AuthContext, "progress" | "debug">,
  fn: () => Promise<T>,
): Promise<T> {
  const timeoutMs = lock.timeoutMs ?? LOGIN_LOCK_TIMEOUT_MS;
  let waiting: ReturnType<AuthContext["progress"]> | undefined;
  let entered = false;
  const timer = setTimeout(() => {
    waiting = ctx.progress(
      `Waiting for another atmos process to log in to "${lock.identity}"…`,
    );
  }, PATIENCE_MS);
  const stopWaiting = () => {
    clearTimeout(timer);
    waiting?.stop();
  };
  try {
    return await writer.withLock(lock.path, async () => {
      entered = true;
      stopWaiting();
      ctx.debug(`holding the login lock of "${lock.identity}"`);
      return await fn();
    }, { timeoutMs });
  } catch (error) {
    // Only running out of time is this lock's to explain (a path refused is said as it is).
    if (entered || !(error instanceof LockTimeoutError)) throw error;
    throw new AtmosError(
      `another atmos process has been logging in to "${lock.identity}" for more than ${
        formatWait(timeoutMs)
      }; gave up waiting for it`,
      {
        hint: "it may be waiting for an MFA code or a browser sign-in: finish or stop it, then " +
          "run this again (the lock ends with its process)",
        cause: error,
      },
    );
  } finally {
    stopWaiting();
  }
}

function formatWait(ms: number): string {
  if (ms >= 60_000 && ms % 60_000 === 0) return `${ms / 60_000}m`;
  return ms >= 1000 ? `${Math.round(ms / 100) / 10}s` : `${ms}ms`;
}
