/**
 * Building child environments in layers (later layers win), as workflows and custom commands
 * do: the process environment, atmos.yaml `env:`, workflow/command `env`, step `env`.
 *
 * @module
 */

/**
 * Returns `env` with `layer` applied on top. Values are converted to strings; `null` and
 * `undefined` values are skipped. `env` is not modified.
 */
export function withEnvLayer(
  env: Record<string, string>,
  layer: Record<string, unknown> | undefined,
): Record<string, string> {
  const out = { ...env };
  for (const [key, value] of Object.entries(layer ?? {})) {
    if (value === null || value === undefined) continue;
    out[key] = typeof value === "string" ? value : String(value);
  }
  return out;
}
