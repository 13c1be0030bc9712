/**
 * Background renewal of an identity's session while a child runs (`auth exec`, `auth shell`,
 * `atmos terraform`, workflow and custom-command steps): the schedule is `lib/auth/renewal.ts`;
 * each renewal is a separate `atmos auth renew <identity>` process, which has its own write
 * sandbox and takes the chain's lock — this process has given up write permission before the
 * child started, and keeps it that way. A renewal that needs a person prints one line (the
 * command to run in another terminal), once per session; nothing is ever prompted here.
 *
 * @module
 */
import { EXIT_NEEDS_PERSON } from "../errors.ts";
import type { AuthManager } from "./manager.ts";
import type { Session } from "./session.ts";
import { type Renewal, startRenewal } from "./renewal.ts";
import { atmosCommandOf } from "../exec/self.ts";

/** What background renewal needs from the running atmos (the CLI's Runtime provides it). */
export interface RenewalHost {
  /** atmos's own environment (the renewing process gets it as is). */
  env: Record<string, string>;
  cwd: string;
  /** `--config` / `--config-path` values, passed on to the renewing process. */
  configFiles: string[];
  configPaths: string[];
  /** argv prefix that re-invokes this atmos. */
  selfCommand(): string[];
  err(text: string): void;
  logger: { debug(message: string): void };
}

/**
 * Starts renewing `session` in the background; returns `undefined` when there is nothing to
 * renew (no expiry: ambient and pass-through sessions). `stop()` it when the child exits.
 */
export function renewWhileRunning(
  rt: RenewalHost,
  /** The manager, or how to create it (only when a renewal comes due). */
  managerOf: AuthManager | (() => Promise<AuthManager>),
  /** The session, or an identity and the expiry its files hold (`storedExpiration`). */
  session: Pick<Session, "identity" | "expiration"> & { files?: Session["files"] } | undefined,
  /** More `auth renew` arguments: the component and stack whose auth the identity comes from. */
  scope: string[] = [],
): Renewal | undefined {
  if (!session?.expiration) return undefined;
  if (session.files && Object.keys(session.files).length === 0) return undefined;
  const identity = session.identity;
  let created: Promise<AuthManager> | undefined;
  const manager = () =>
    typeof managerOf === "function" ? created ??= managerOf() : Promise.resolve(managerOf);
  let noticeFor: number | undefined;
  return startRenewal({
    expiration: session.expiration,
    reload: async () => reloaded(await manager(), identity),
    debug: (message) => rt.logger.debug(message),
    async renew() {
      const expiring = reloaded(await manager(), identity)?.getTime() ??
        session.expiration!.getTime();
      rt.logger.debug(`renewing "${identity}" in the background`);
      const [command, ...args] = atmosCommandOf(rt);
      const child = new Deno.Command(command, {
        args: [
          ...args,
          "auth",
          "renew",
          identity,
          ...scope,
        ],
        cwd: rt.cwd,
        env: rt.env,
        clearEnv: true,
        stdin: "null",
        stdout: "null",
        stderr: "piped",
      }).spawn();
      // Never wait for a renewal when atmos is about to exit: the files are written atomically.
      child.unref();
      const { code, stderr } = await child.output();
      const message = new TextDecoder().decode(stderr).trim();
      if (code === EXIT_NEEDS_PERSON) {
        if (noticeFor !== expiring) rt.err(`${message}\n`);
        noticeFor = expiring;
        return undefined;
      }
      if (code !== 0) {
        rt.logger.debug(`background renewal of "${identity}" failed (exit ${code}): ${message}`);
        return undefined;
      }
      return reloaded(await manager(), identity);
    },
  });
}

function reloaded(manager: AuthManager, identity: string): Date | undefined {
  try {
    return manager.storedExpiration(identity);
  } catch {
    return undefined;
  }
}
