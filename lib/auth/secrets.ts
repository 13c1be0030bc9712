/**
 * Secret values an isolated child must never receive under any variable name: long-lived keys
 * written in (or read by `!env` into) identity configuration, as each identity's output knows
 * them, secrets in provider configuration, as each provider kind knows them, and the
 * credential-store password (atmos's own secret: no child needs it).
 *
 * @module
 */
import type { AuthConfig } from "../config/types.ts";
import type { EnvGetter } from "./output.ts";
import type { AuthScope } from "./links.ts";

/** Every configured secret value (see the module doc). */
export function configSecrets(scope: AuthScope, env: EnvGetter): string[] {
  const auth = scope.view.auth;
  const values = storePassword(auth, env);
  for (const config of Object.values(auth.identities ?? {})) {
    const output = scope.registry.identity(config.kind)?.output;
    values.push(...output?.secretsIn?.(config) ?? []);
  }
  for (const config of Object.values(auth.providers ?? {})) {
    values.push(...scope.registry.provider(config.kind)?.secretsIn?.(config) ?? []);
  }
  return values;
}

/** The credential-store password, when the environment holds one (as a one-element list). */
export function storePassword(auth: AuthConfig | undefined, env: EnvGetter): string[] {
  const passwordEnv = env.get("ATMOS_KEYRING_PASSWORD_ENV") || auth?.keyring?.spec?.password_env ||
    "ATMOS_KEYRING_PASSWORD";
  const password = env.get(passwordEnv);
  return password ? [password] : [];
}
