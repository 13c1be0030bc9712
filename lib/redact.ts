/**
 * Values that redact themselves: once sealed, `JSON.stringify`, `console.log` and Deno/Node
 * inspection show a safe view while code still reads the real fields. Every credential object
 * in atmos is built with these, so a stray log line can never print a secret.
 *
 * @module
 */

/** What a secret is shown as. */
export const REDACTED = "[redacted]";

/**
 * Makes `value` print and serialise as `view(value)` (JSON, Deno and Node inspection), without
 * changing its fields. Returns the same object, frozen.
 */
export function sealed<T extends object>(value: T, view: (value: T) => unknown): T {
  Object.defineProperty(value, "toJSON", { value: () => view(value), enumerable: false });
  Object.defineProperty(value, Symbol.for("Deno.customInspect"), {
    value: () => JSON.stringify(view(value)),
    enumerable: false,
  });
  Object.defineProperty(value, Symbol.for("nodejs.util.inspect.custom"), {
    value: () => view(value),
    enumerable: false,
  });
  return Object.freeze(value);
}

/**
 * Seals `value` so the named fields show as `[redacted]` and dates as ISO strings. Returns the
 * same object, frozen.
 */
export function redactFields<T extends object>(value: T, secretKeys: readonly (keyof T)[]): T {
  return sealed(value, (v) => {
    const copy: Record<string, unknown> = {};
    for (const [key, field] of Object.entries(v)) {
      copy[key] = field instanceof Date
        ? field.toISOString()
        : secretKeys.includes(key as keyof T) && field !== undefined
        ? REDACTED
        : field;
    }
    return copy;
  });
}
