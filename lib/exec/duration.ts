/**
 * Go `time.ParseDuration` durations (`100ms`, `1.5s`, `1m30s`) in milliseconds, as Atmos's step
 * `retry:` fields are written. Hand-written: no npm parser accepts exactly Go's grammar, and the
 * auth layer's parser (`auth/duration.ts`) rounds to whole seconds and also takes days and bare
 * numbers, which Go's does not.
 *
 * @module
 */

const UNIT_MS: Record<string, number> = {
  ns: 1e-6,
  us: 1e-3,
  "µs": 1e-3, // U+00B5 micro sign
  "μs": 1e-3, // U+03BC Greek mu
  ms: 1,
  s: 1000,
  m: 60_000,
  h: 3_600_000,
};

const PART = /(\d*)(?:\.(\d*))?([a-zµμ]+)/y;

/**
 * Returns the duration in milliseconds, or `undefined` when `text` is not a non-negative Go
 * duration. As in Go, `"0"` needs no unit and every other number does.
 *
 * @example
 * ```ts
 * parseGoDuration("1m30s"); // 90000
 * parseGoDuration("250ms"); // 250
 * parseGoDuration("5"); // undefined
 * ```
 */
export function parseGoDuration(text: string): number | undefined {
  const value = text.trim().replace(/^\+/, "");
  if (value === "0") return 0;
  if (value === "") return undefined;
  let total = 0;
  PART.lastIndex = 0;
  while (PART.lastIndex < value.length) {
    const start = PART.lastIndex;
    const match = PART.exec(value);
    if (!match || match.index !== start) return undefined;
    const [, whole, fraction, unit] = match;
    if (whole === "" && (fraction === undefined || fraction === "")) return undefined;
    const scale = UNIT_MS[unit];
    if (scale === undefined) return undefined;
    total += Number(`${whole || "0"}.${fraction || "0"}`) * scale;
  }
  return total;
}

/** Formats milliseconds the way Go prints a duration, rounded to the millisecond (`1.5s`). */
export function formatDuration(ms: number): string {
  const rounded = Math.round(ms);
  if (rounded < 1000) return `${rounded}ms`;
  const hours = Math.floor(rounded / 3_600_000);
  const minutes = Math.floor((rounded % 3_600_000) / 60_000);
  const seconds = (rounded % 60_000) / 1000;
  let out = "";
  if (hours > 0) out += `${hours}h`;
  if (hours > 0 || minutes > 0) out += `${minutes}m`;
  return `${out}${Number(seconds.toFixed(3))}s`;
}
