/**
 * An identity's own `env:` entries as a map. A module of its own: the session-plan fast path
 * (`session_plan.ts`) rebuilds these from the configuration rather than keeping their values.
 *
 * @module
 */
import type { IdentityConfig } from "../config/types.ts";

/** Normalises an identity's `env:` (list of `{key, value}` or a map) to a map. */
export function identityEnvironment(config: IdentityConfig): Record<string, string> {
  const env: Record<string, string> = {};
  if (Array.isArray(config.env)) {
    for (const entry of config.env) env[entry.key] = String(entry.value ?? "");
  } else if (config.env && typeof config.env === "object") {
    for (const [key, value] of Object.entries(config.env)) env[key] = String(value ?? "");
  }
  return env;
}
