/**
 * Minimal leveled logging to stderr. `ATMOS_LOGS_LEVEL=Debug` shows debug lines and stack
 * traces. Callers must never pass secrets. Every line is made terminal-safe and bounded
 * ({@linkcode safeLine}): log lines quote configuration and server text.
 *
 * @module
 */

import { safeLine } from "./errors.ts";

/** Log levels in increasing severity. */
export type LogLevel = "Trace" | "Debug" | "Info" | "Warn" | "Error" | "Off";

const ORDER: LogLevel[] = ["Trace", "Debug", "Info", "Warn", "Error", "Off"];

/** The level names `ATMOS_LOGS_LEVEL` and `--logs-level` take (any case; Atmos's `Warning` too). */
export const LOG_LEVELS: readonly string[] = [...ORDER, "Warning"];

/** A logger bound to a level. */
export interface Logger {
  level: LogLevel;
  debug(message: string): void;
  warn(message: string): void;
  /** True when debug lines are shown. */
  readonly debugEnabled: boolean;
}

/** Creates a logger from `ATMOS_LOGS_LEVEL` (default `Info`). */
export function createLogger(levelName: string | undefined): Logger {
  const wanted = (levelName ?? "").toLowerCase() === "warning" ? "warn" : (levelName ?? "");
  const level = ORDER.find((l) => l.toLowerCase() === wanted.toLowerCase()) ?? "Info";
  const enabled = (wanted: LogLevel) => ORDER.indexOf(wanted) >= ORDER.indexOf(level);
  const encoder = new TextEncoder();
  const write = (text: string) => Deno.stderr.writeSync(encoder.encode(safeLine(text) + "\n"));
  return {
    level,
    debugEnabled: enabled("Debug"),
    debug(message) {
      if (enabled("Debug")) write(`DEBU ${message}`);
    },
    warn(message) {
      if (enabled("Warn")) write(`WARN ${message}`);
    },
  };
}

let shared: Logger | undefined;

/** Makes `logger` the one {@linkcode processDebug} writes to (the CLI's, set once at start). */
export function setProcessLogger(logger: Logger): void {
  shared = logger;
}

/**
 * A debug line on the process's logger, for code that is given no logger (the AWS clients'
 * retries); nothing until {@linkcode setProcessLogger} was called.
 */
export function processDebug(message: string): void {
  shared?.debug(message);
}
