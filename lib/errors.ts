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

/** Longest run of characters without a space that an error or log line shows from any text. */
export const MAX_RUN = 200;
/** Longest error or log line (before the location). */
export const MAX_LINE = 2000;

/**
 * Renders any thrown value as the single line the user sees, e.g.
 * `atmos.yaml:12:17: auth.identities.prod.via.identity: unknown identity "prd-admin"; did you mean "prod-admin"?`
 *
 * Messages quote configuration, files, environment and server answers, so the line is made
 * safe here, once, for every caller ({@linkcode safeLine}): control characters escaped, long
 * values cut. File system errors from Deno that nothing else handled become a sentence naming
 * the path and a fix ({@linkcode describeSystemError}).
 */
export function formatErrorLine(error: unknown): string {
  try {
    return renderError(error);
  } catch {
    // Rendering must never throw: this runs in main.ts's last-resort handler.
    return "an error occurred whose message cannot be shown";
  }
}

function renderError(error: unknown): string {
  if (error instanceof AtmosError) {
    const parts: string[] = [];
    if (error.location) {
      parts.push(safeLine(formatLocation(error.location), 1000));
      if (error.location.path) parts.push(safeLine(error.location.path));
    }
    let rest = error.message;
    if (error.hint) rest += ` (${error.hint})`;
    parts.push(safeLine(rest));
    return parts.join(": ");
  }
  if (error instanceof Error) {
    return safeLine(describeSystemError(error) ?? `${error.name}: ${error.message}`);
  }
  return safeLine(String(error));
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

/**
 * `text` made safe to show as one terminal line: line breaks become spaces; other control
 * characters (ESC, NUL, CR, DEL, C1, Unicode bidi controls) are escaped as `\xNN` / `\uNNNN`,
 * so no escape sequence from a file reaches the terminal; a run of more than `maxRun`
 * characters without a space (a 5 MB ARN, 20 MB of `!exec` output) is cut with an ellipsis;
 * and the whole is at most {@linkcode MAX_LINE} characters, keeping its start and end.
 */
export function safeLine(text: string, maxRun: number = MAX_RUN): string {
  const head = render(text, 0, maxRun, MAX_LINE);
  if (head.end >= text.length) return head.out.trimEnd();
  // Too long: the start, then the end (most messages end with what to do).
  const tail = render(text, Math.max(head.end, text.length - 4 * MAX_LINE), maxRun, Infinity);
  return `${head.out.slice(0, MAX_LINE - 400)} … ${tail.out.trimEnd().slice(-300)}`;
}

/**
 * Renders `text` from `start` until the output reaches `limit` characters, for
 * {@linkcode safeLine}. A hand-written scan: a regular expression over a 20 MB run overflows
 * V8's regex stack, and this touches each character once.
 */
function render(
  text: string,
  start: number,
  maxRun: number,
  limit: number,
): { out: string; end: number } {
  let out = "";
  let i = start;
  while (i < text.length && out.length < limit) {
    if (isSpace(text.charCodeAt(i))) {
      let j = i;
      let breaks = false;
      for (; j < text.length && isSpace(text.charCodeAt(j)); j++) {
        breaks ||= text.charCodeAt(j) !== 0x20 && text.charCodeAt(j) !== 0x09;
      }
      if (out !== "") out += breaks || j - i > maxRun ? " " : text.slice(i, j);
      i = j;
      continue;
    }
    let width = 0;
    let j = i;
    while (j < text.length && !isSpace(text.charCodeAt(j))) {
      const code = text.charCodeAt(j);
      const size = code >= 0xd800 && code <= 0xdbff && j + 1 < text.length ? 2 : 1;
      const shown = isControl(code) ? escapeChar(code) : text.slice(j, j + size);
      if (width + shown.length > maxRun) break;
      out += shown;
      width += shown.length;
      j += size;
    }
    let k = j;
    while (k < text.length && !isSpace(text.charCodeAt(k))) k++;
    if (k > j) out += `… (${k - j} more characters)`;
    i = k;
  }
  return { out, end: i };
}

/** Space, tab and the line breaks (LF, VT, FF, CR): what separates runs. */
function isSpace(code: number): boolean {
  return code === 0x20 || (code >= 0x09 && code <= 0x0d);
}

/** C0 controls (but the spaces above), DEL, C1, and Unicode bidi and line-separator controls. */
function isControl(code: number): boolean {
  return code < 0x20 || (code >= 0x7f && code <= 0x9f) || code === 0x061c || code === 0x200e ||
    code === 0x200f || code === 0x2028 || code === 0x2029 ||
    (code >= 0x202a && code <= 0x202e) || (code >= 0x2066 && code <= 0x2069) || code === 0xfeff;
}

function escapeChar(code: number): string {
  return code < 0x100
    ? `\\x${code.toString(16).padStart(2, "0")}`
    : `\\u${code.toString(16).padStart(4, "0")}`;
}

/**
 * A configuration value as a message quotes it: a string in double quotes, a number, boolean
 * or null as written, a list or map by its kind with a short rendering — never
 * `[object Object]`. The line is made safe by {@linkcode formatErrorLine}.
 */
export function quoteValue(value: unknown): string {
  if (typeof value === "string") return `"${value}"`;
  if (value === null || value === undefined) return "null";
  if (typeof value !== "object") return String(value);
  const kind = Array.isArray(value) ? "a list" : "a map";
  let json: string;
  try {
    json = JSON.stringify(value) ?? "";
  } catch {
    json = ""; // cyclic: the kind alone
  }
  if (json.length > 60) json = `${json.slice(0, 60)}…`;
  return json === "" ? kind : `${kind} ${json}`;
}

/**
 * A Deno file system or spawn error that reached the top unhandled, as one sentence naming the
 * path and a fix; undefined for other errors. Deno's own texts (`Is a directory (os error 21):
 * readfile '/x'`) name neither the problem in the user's terms nor a fix.
 */
export function describeSystemError(error: Error): string | undefined {
  const path = /: \w+ '(.*)'$/.exec(error.message)?.[1] ??
    /access to "(.*?)"/.exec(error.message)?.[1];
  const at = path === undefined ? "a path atmos uses" : `"${path}"`;
  const errors = Deno.errors;
  if (error instanceof errors.IsADirectory) {
    return `${at} is a directory where a file was expected (remove or rename the directory, or fix the path)`;
  }
  if (error instanceof errors.NotADirectory) {
    return `a part of ${at} is a file where a directory was expected (check each directory on that path)`;
  }
  if (error instanceof errors.FilesystemLoop) {
    return `${at} is a loop of symbolic links (fix or remove the link)`;
  }
  if (error instanceof errors.PermissionDenied) {
    return `permission denied for ${at} (check its owner and mode with ls -l)`;
  }
  if (error instanceof errors.NotFound && path !== undefined) {
    return `${at} does not exist (check the path)`;
  }
  if (error instanceof errors.NotCapable) {
    const access = /Requires (\w+) access/.exec(error.message)?.[1];
    return access === "write"
      ? `atmos does not write to ${at}: it writes only below its config directory`
      : `atmos may not read ${at}: Deno allows that path only with --allow-all (keep paths and globs out of system directories such as /proc and /dev)`;
  }
  if (error instanceof TypeError && /nul byte/i.test(error.message)) {
    const program = /spawn '(.*?)'/.exec(error.message)?.[1];
    return `cannot run ${
      program ? `"${program}"` : "a command"
    }: its arguments or environment hold a NUL character, which no program can receive (remove it)`;
  }
  return undefined;
}
