/**
 * The one shape of an environment lookup every layer takes: an object with `get`, so
 * `Deno.env` fits and tests pass a record wrapped in {@linkcode envOf}.
 *
 * @module
 */

/** Reads one environment variable. */
export interface EnvGetter {
  get(name: string): string | undefined;
}

/** An {@linkcode EnvGetter} over a plain record. */
export function envOf(vars: Readonly<Record<string, string | undefined>>): EnvGetter {
  return { get: (name) => vars[name] };
}
