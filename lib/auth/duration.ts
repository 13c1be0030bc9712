/**
 * Parses the duration formats Atmos accepts: Go durations (`1h30m`, `900s`, `1.5h`), plain
 * integer seconds (`3600`), and days (`2d`). Hand-written: no npm parser accepts exactly the
 * Go `time.ParseDuration` grammar.
 *
 * @module
 */

const UNIT_SECONDS: Record<string, number> = {
  ns: 1e-9,
  us: 1e-6,
  "µs": 1e-6,
  ms: 1e-3,
  s: 1,
  m: 60,
  h: 3600,
  d: 86400,
};

/**
 * Returns the duration in whole seconds, or `undefined` when the text is not a duration.
 *
 * @example
 * ```ts
 * parseDurationSeconds("1h30m"); // 5400
 * parseDurationSeconds(900); // 900
 * ```
 */
export function parseDurationSeconds(value: unknown): number | undefined {
  if (typeof value === "number") return Number.isFinite(value) && value >= 0 ? value : undefined;
  if (typeof value !== "string") return undefined;
  const text = value.trim();
  if (/^\d+$/.test(text)) return Number(text);
  if (!/^(\d+(\.\d+)?(ns|us|µs|ms|s|m|h|d))+$/.test(text)) return undefined;
  let total = 0;
  for (const match of text.matchAll(/(\d+(?:\.\d+)?)(ns|us|µs|ms|s|m|h|d)/g)) {
    total += Number(match[1]) * UNIT_SECONDS[match[2]];
  }
  return Math.round(total);
}

/** Clamps a number into `[min, max]`. */
export function clamp(value: number, min: number, max: number): number {
  return Math.min(max, Math.max(min, value));
}
