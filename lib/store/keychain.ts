/**
 * The contract between the system store and a platform's keychain command set, plus helpers the
 * command sets share.
 *
 * @module
 */

import { AtmosError } from "../errors.ts";
import type { CommandResult, CommandRunner } from "./types.ts";

/** Account (user) name of every keychain item, as in Atmos. */
export const KEYCHAIN_ACCOUNT = "atmos-auth";

/** Key read to probe availability, as in Atmos. */
export const PROBE_KEY = "atmos-keyring-availability-probe";

/** One platform's way of reading and writing keychain items through a command-line tool. */
export interface KeychainCommands {
  /** The program used, e.g. `security` or `secret-tool`. */
  readonly program: string;
  /** Reads `key` to test access; undefined when usable, else why not. */
  probe(run: CommandRunner, key: string): Promise<string | undefined>;
  /** Returns the stored text, or undefined when the item does not exist. */
  get(run: CommandRunner, key: string): Promise<string | undefined>;
  /** Creates or replaces the item; `value` must never be put in argv. */
  set(run: CommandRunner, key: string, value: string): Promise<void>;
  /** Deletes the item; true when it existed. */
  delete(run: CommandRunner, key: string): Promise<boolean>;
}

/**
 * Builds the error for a failed keychain command. Only the first line of stderr is quoted, and
 * only when given: callers omit it for commands whose input held the secret.
 */
export function keychainFailure(
  action: "read" | "store" | "delete",
  key: string,
  program: string,
  result: Pick<CommandResult, "code"> & { stderr?: string },
): AtmosError {
  const detail = result.stderr?.trim().split("\n")[0]?.slice(0, 200);
  const why = detail ? `: ${detail}` : "";
  return new AtmosError(
    `Cannot ${action} credential "${key}" in the system keychain: ${program} exited with code ${result.code}${why}`,
  );
}
