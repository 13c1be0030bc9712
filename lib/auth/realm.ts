/**
 * Which realm applies: `ATMOS_AUTH_REALM`, else `auth.realm` when it is a string (a realm of
 * another type is the validator's to report). Shared by the manager, which also checks the value,
 * and the session-plan fast path, whose key must name the same realm.
 *
 * @module
 */
import type { AuthConfig } from "../config/types.ts";
import type { EnvGetter } from "./output.ts";

/** The realm setting (empty when none) and whether it came from the environment. */
export function realmSetting(
  env: EnvGetter,
  auth: AuthConfig | undefined,
): { realm: string; fromEnv: boolean } {
  const fromEnv = env.get("ATMOS_AUTH_REALM");
  if (fromEnv) return { realm: fromEnv, fromEnv: true };
  const configured: unknown = auth?.realm;
  return { realm: typeof configured === "string" ? configured : "", fromEnv: false };
}
