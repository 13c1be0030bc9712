/**
 * The environment a child process receives for a session: the parent's environment minus the
 * session's `unset` list (for an isolated session: every registered cloud's credential
 * variables, and any variable holding a configured long-lived secret), plus the session's
 * variables. No raw credential is ever placed in it.
 *
 * @module
 */
import type { Session } from "./session.ts";

/** Variables a session sets, in the order they are applied (later entries win). */
export function sessionVariables(session: Session): Record<string, string> {
  return { ...session.env.set };
}

/** Variables a session removes from the parent environment. */
export function removedVariables(session: Session): readonly string[] {
  return session.env.unset;
}

/**
 * Builds a child environment: `parent` − removed variables + session variables. With no
 * session (authentication disabled or not configured) the parent is returned as a copy.
 *
 * For isolated sessions, any variable whose value is one of `configSecrets` (long-lived keys
 * the configuration reads, typically through `!env`, and the credential-store password) is
 * removed too, whatever its name: the child gets the session, never what it was made from.
 */
export function childEnvironment(
  parent: Record<string, string>,
  session: Session | undefined,
  configSecrets: readonly string[] = [],
): Record<string, string> {
  const env = { ...parent };
  if (!session) return env;
  for (const name of session.env.unset) delete env[name];
  if (session.isolated && configSecrets.length > 0) {
    const secrets = new Set(configSecrets);
    for (const [name, value] of Object.entries(env)) {
      if (secrets.has(value)) delete env[name];
    }
  }
  return Object.assign(env, session.env.set);
}
