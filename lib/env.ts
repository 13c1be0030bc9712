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

/**
 * Why `name` cannot be an environment variable's name (empty, or `=` or a control character in
 * it: the operating system refuses it), or `undefined` when it can.
 */
export function envNameProblem(name: string): string | undefined {
  if (name === "") return "is not a variable name: it is empty";
  if (name.includes("=")) return 'is not a variable name: it contains "="';
  // deno-lint-ignore no-control-regex
  if (/[\x00-\x1f\x7f]/.test(name)) {
    return "is not a variable name: it contains a control character";
  }
  return undefined;
}
