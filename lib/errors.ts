/**
 * Error types shared by every layer, and the one-line renderer used by `main.ts`.
 *
 * Exit codes (documented in the README):
 * - 0 success
 * - 1 runtime failure (network, STS refusal, I/O)
 * - 2 usage or configuration error (bad flag, bad atmos.yaml, unknown identity)
 * - a child's own exit code for `auth exec`/`auth shell` (128+n when a signal ended it)
 *
 * @module
 */

/** Where in a configuration file something is. Lines and columns are 1-based. */
export interface SourceLocation {
  /** File path as the user would recognise it (absolute or relative to the cwd). */
  file: string;
  line?: number;
  column?: number;
  /** Dotted configuration path such as `auth.identities.prod.via`, for display only. */
  path?: string;
}

/** Options for {@linkcode AtmosError}. */
export interface AtmosErrorOptions {
  /** Process exit code for this error (default 1). */
  exitCode?: number;
  /** How to fix it, shown after the message. */
  hint?: string;
  /** Where the bad input is. */
  location?: SourceLocation;
  /** The underlying error, shown only at debug log level. */
  cause?: unknown;
  /**
   * True when the error only means that a person must act (an MFA code, a browser sign-in) and
   * nobody could be asked: a renewal in the background reports it as a notice, not a failure.
   */
  needsPerson?: boolean;
}

/** An error meant for the user: one clear line, an exit code, an optional hint and location. */
export class AtmosError extends Error {
  /** Process exit code. */
  readonly exitCode: number;
  /** How to fix it. */
  readonly hint?: string;
  /** Where the bad input is. */
  readonly location?: SourceLocation;
  /** True when a person must act and could not be asked (see {@linkcode AtmosErrorOptions}). */
  readonly needsPerson: boolean;

  constructor(message: string, options: AtmosErrorOptions = {}) {
    super(message, options.cause === undefined ? undefined : { cause: options.cause });
    this.name = "AtmosError";
    this.exitCode = options.exitCode ?? 1;
    this.hint = options.hint;
    this.location = options.location;
    this.needsPerson = options.needsPerson ?? false;
  }
}

/** A bad command line: unknown flag, missing argument, bad flag value. Exit code 2. */
export class UsageError extends AtmosError {
  constructor(message: string, options: Omit<AtmosErrorOptions, "exitCode"> = {}) {
    super(message, { ...options, exitCode: 2 });
    this.name = "UsageError";
  }
}

/** Options for {@linkcode ConfigError}. */
export interface ConfigErrorOptions extends Omit<AtmosErrorOptions, "exitCode"> {
  /**
   * The configuration path as a list of keys (`["auth", "identities", "prod.admin", "via"]`).
   * Code that needs to know what an error is about reads this, never the dotted display path:
   * names may contain dots.
   */
  configPath?: readonly (string | number)[];
}

/** A bad configuration: malformed YAML, unknown kind, cycle, unknown reference. Exit code 2. */
export class ConfigError extends AtmosError {
  /** The configuration path the error is about, as a list of keys (empty when unknown). */
  readonly configPath: readonly (string | number)[];

  constructor(message: string, options: ConfigErrorOptions = {}) {
    super(message, { ...options, exitCode: 2 });
    this.name = "ConfigError";
    this.configPath = options.configPath ?? [];
  }
}

/** Renders a location as `file:line:col` (parts omitted when unknown). */
export function formatLocation(location: SourceLocation): string {
  let out = location.file;
  if (location.line !== undefined) {
    out += `:${location.line}`;
    if (location.column !== undefined) out += `:${location.column}`;
  }
  return out;
}

/**
 * Renders any thrown value as the single line the user sees, e.g.
 * `atmos.yaml:12:17: auth.identities.prod.via.identity: unknown identity "prd-admin"; did you mean "prod-admin"?`
 */
export function formatErrorLine(error: unknown): string {
  if (error instanceof AtmosError) {
    const parts: string[] = [];
    if (error.location) {
      parts.push(formatLocation(error.location));
      if (error.location.path) parts.push(error.location.path);
    }
    parts.push(error.message);
    let line = parts.join(": ");
    if (error.hint) line += ` (${error.hint})`;
    return oneLine(line);
  }
  if (error instanceof Error) return oneLine(`${error.name}: ${error.message}`);
  return oneLine(String(error));
}

/**
 * Exit code of `auth renew` and `auth credential-process` when renewing needs a person (an MFA
 * code, a sign-in) and nobody could be asked (documented in the README).
 */
export const EXIT_NEEDS_PERSON = 3;

/** True when `error`, or an error it was caused by, only means a person must act. */
export function needsPerson(error: unknown): error is AtmosError {
  for (let e = error; e instanceof Error; e = e.cause) {
    if (e instanceof AtmosError && e.needsPerson) return true;
  }
  return false;
}

/** Returns the exit code for a thrown value: the error's own, else 1. */
export function exitCodeOf(error: unknown): number {
  return error instanceof AtmosError ? error.exitCode : 1;
}

function oneLine(text: string): string {
  return text.replace(/\s*\n\s*/g, " ").trim();
}
