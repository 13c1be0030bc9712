/**
 * Where credential files live: `<config>/atmos/[<realm>/]<cloud>/<root>/`, one directory per
 * cloud and chain root (Atmos's layout). Names come from user configuration, so each must be a
 * single safe path segment:
 *
 * - **Provider names and realms** are directory names as written: validation refuses one that is
 *   empty, `.` or `..`, holds `/`, `\` or a control character, or is longer than 255 characters
 *   ({@linkcode segmentProblem}).
 * - **Identity names** may hold `/` (identities discovered from IAM Identity Center are named
 *   `<account>/<permission set>`), so a cloud that keeps per-identity files in directories or
 *   file names (GCP, Azure) must write them through {@linkcode identitySegment}, never raw. It
 *   leaves ordinary names unchanged and percent-encodes the rest, so it is reversible and two
 *   names never share a segment.
 *
 * @module
 */
import { join } from "./path.ts";
import { ConfigError } from "../errors.ts";

/**
 * Characters no name may hold: C0 and C1 controls, DEL, Unicode line and paragraph separators,
 * bidirectional and zero-width direction marks, and the byte-order mark — each can break a file
 * format or make a terminal show something other than the name.
 */
export const CONTROL_CHARS =
  // deno-lint-ignore no-control-regex
  /[\x00-\x1f\x7f-\x9f\u2028\u2029\u200e\u200f\u202a-\u202e\u2066-\u2069\ufeff]/;

/** The longest directory or file name most file systems accept, in bytes. */
export const MAX_SEGMENT_BYTES = 255;

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

/** Why `value` cannot be one directory name as written, or `undefined` when it can. */
export function segmentProblem(value: string): string | undefined {
  if (value === "") return "is empty";
  if (value === "." || value === "..") return "is a relative directory name";
  if (/[\\/]/.test(value)) return 'holds "/" or "\\"';
  if (CONTROL_CHARS.test(value)) return "holds a control character";
  if (new TextEncoder().encode(value).length > MAX_SEGMENT_BYTES) {
    return `is longer than ${MAX_SEGMENT_BYTES} bytes`;
  }
  return undefined;
}

/** Throws when `value` cannot be used as one directory name. */
export function checkSegment(what: string, value: string): void {
  const problem = segmentProblem(value);
  if (problem) {
    throw new ConfigError(`Invalid ${what} "${value}": it must be a single path segment`, {
      hint: `it ${problem}; use letters, digits, '-', '_' or '.'`,
    });
  }
}

/**
 * An identity name as one directory or file name: the name itself when it is an ordinary one,
 * else percent-encoded — `%`, `/`, `\`, control characters, the characters Windows refuses
 * (`<>:"|?*`), a leading `.` (so no name is hidden, `.` or `..`) and a trailing `.` or space
 * become `%XX` (UTF-8 bytes). Injective: `%` itself is encoded, so two names never meet.
 * Validation refuses identity names whose segment is longer than
 * {@linkcode IDENTITY_SEGMENT_BYTES}.
 */
export function identitySegment(name: string): string {
  let out = "";
  const chars = [...name];
  chars.forEach((char, i) => {
    const edge = (i === 0 && char === ".") ||
      (i === chars.length - 1 && (char === "." || char === " "));
    out += edge || /[%/\\<>:"|?*]/.test(char) || CONTROL_CHARS.test(char)
      ? percentEncode(char)
      : char;
  });
  return out;
}

/**
 * The longest {@linkcode identitySegment} an identity name may have, in bytes: room is left
 * for what atmos adds to a name (`.lock`, a temporary file's suffix, `.corrupt-<time>`).
 */
export const IDENTITY_SEGMENT_BYTES = 200;

function percentEncode(char: string): string {
  return [...new TextEncoder().encode(char)]
    .map((byte) => `%${byte.toString(16).toUpperCase().padStart(2, "0")}`)
    .join("");
}
