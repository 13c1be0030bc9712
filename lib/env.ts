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

/**
 * True when `CI` is set to a truthy value (anything but empty, `false` or `0`): no browser, no
 * prompt and no interactive sign-in there.
 */
export function inCi(env: EnvGetter): boolean {
  const ci = (env.get("CI") ?? "").toLowerCase();
  return ci !== "" && ci !== "false" && ci !== "0";
}
