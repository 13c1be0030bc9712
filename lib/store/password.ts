/**
 * Where the file store's password comes from: an environment variable, else an interactive
 * prompt supplied by the caller, else a usage error.
 *
 * @module
 */

import { AtmosError } from "../errors.ts";
import type { EnvGetter } from "../env.ts";

/** Default environment variable holding the file-store password (as in Atmos). */
export const DEFAULT_PASSWORD_ENV = "ATMOS_KEYRING_PASSWORD";

/** Shortest password accepted (as in Atmos). */
export const MIN_PASSWORD_LENGTH = 8;

/** How to obtain the file-store password. */
export interface PasswordSource {
  /** Environment to read `envName` from. */
  env: EnvGetter;
  /** Variable holding the password, e.g. `ATMOS_KEYRING_PASSWORD`. */
  envName: string;
  /** Asks the user (hidden input); only given when a terminal is available. */
  prompt?: () => Promise<string>;
}

/**
 * Returns the password: the environment variable when set and non-empty, else the prompt's
 * answer. Throws an AtmosError (exit 2) when it is missing or shorter than 8 characters. Messages
 * never contain the password.
 */
export async function resolvePassword(source: PasswordSource): Promise<string> {
  const fromEnv = source.env.get(source.envName);
  if (fromEnv) return checkLength(fromEnv, `the ${source.envName} environment variable`);
  if (source.prompt) return checkLength(await source.prompt(), "the entered password");
  throw new AtmosError(
    `Cannot open the encrypted credential store: set ${source.envName} to its password`,
    {
      exitCode: 2,
      hint:
        `at least ${MIN_PASSWORD_LENGTH} characters; or run in a terminal to be prompted, or choose another store with ATMOS_KEYRING_TYPE`,
    },
  );
}

function checkLength(password: string, origin: string): string {
  if (password.length >= MIN_PASSWORD_LENGTH) return password;
  throw new AtmosError(
    `Cannot open the encrypted credential store: the password from ${origin} is too short`,
    { exitCode: 2, hint: `use at least ${MIN_PASSWORD_LENGTH} characters` },
  );
}
