/**
 * Where credential files live: `<config>/atmos/[<realm>/]<cloud>/<root>/`, one directory per
 * cloud and chain root (Atmos's layout). Names come from user configuration, so each must be a
 * single safe path segment.
 *
 * @module
 */
import { join } from "./path.ts";
import { ConfigError } from "../errors.ts";

// deno-lint-ignore no-control-regex
const UNSAFE_SEGMENT_CHARS = /[\\/\x00-\x1f\x7f]/;

/**
 * `<configDir>/[<realm>/]<cloud>/<root>`. `configDir` is the atmos config dir
 * (`<config>/atmos`).
 *
 * @throws {ConfigError} when the root or realm is not a safe single path segment.
 */
export function credentialDir(
  configDir: string,
  cloud: string,
  root: string,
  realm?: string,
): string {
  checkSegment("provider name", root);
  if (realm !== undefined && realm !== "") checkSegment("realm", realm);
  return realm ? join(configDir, realm, cloud, root) : join(configDir, cloud, root);
}

/** Throws when `value` cannot be used as one directory name. */
export function checkSegment(what: string, value: string): void {
  const bad = value === "" || value === "." || value === ".." || value.length > 255 ||
    UNSAFE_SEGMENT_CHARS.test(value);
  if (bad) {
    throw new ConfigError(`Invalid ${what} "${value}": it must be a single path segment`, {
      hint: "use letters, digits, '-', '_' or '.'",
    });
  }
}
