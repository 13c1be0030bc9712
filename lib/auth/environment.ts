/**
 * The environment a child process receives for a session: the parent's environment minus raw
 * AWS credential variables, plus the identity's `env:` entries, plus file pointers (applied
 * last). No raw key is ever placed in it.
 *
 * @module
 */
import type { Session } from "./session.ts";

/** Variables removed for AWS file-based sessions: they would override the profile. */
export const RAW_AWS_VARIABLES: readonly string[] = [
  "AWS_ACCESS_KEY_ID",
  "AWS_SECRET_ACCESS_KEY",
  "AWS_SESSION_TOKEN",
  "AWS_SECURITY_TOKEN",
  "AWS_WEB_IDENTITY_TOKEN_FILE",
  "AWS_ROLE_ARN",
  "AWS_ROLE_SESSION_NAME",
];

/** Variables a session sets, in the order they are applied (later entries win). */
export function sessionVariables(session: Session): Record<string, string> {
  const vars: Record<string, string> = { ...session.identityEnv };
  if (session.output === "aws-files" && session.files) {
    vars.AWS_SHARED_CREDENTIALS_FILE = session.files.credentials;
    vars.AWS_CONFIG_FILE = session.files.config;
    vars.AWS_PROFILE = session.identity;
    vars.AWS_SDK_LOAD_CONFIG = "1";
    vars.AWS_EC2_METADATA_DISABLED = "true";
  }
  if (session.region && session.output !== "passthrough") {
    vars.AWS_REGION = session.region;
    vars.AWS_DEFAULT_REGION = session.region;
  }
  vars.ATMOS_IDENTITY = session.identity;
  return vars;
}

/** Variables a session removes from the parent environment. */
export function removedVariables(session: Session): readonly string[] {
  return session.output === "aws-files" ? RAW_AWS_VARIABLES : [];
}

/**
 * Builds a child environment: `parent` − removed variables + session variables. With no
 * session (authentication disabled or not configured) the parent is returned as a copy.
 *
 * For file-based sessions, any variable whose value is one of `configSecrets` (long-lived keys
 * the configuration reads, typically through `!env`) is removed too, whatever its name: the
 * child gets the session, never the keys it was made from.
 */
export function childEnvironment(
  parent: Record<string, string>,
  session: Session | undefined,
  configSecrets: readonly string[] = [],
): Record<string, string> {
  const env = { ...parent };
  if (!session) return env;
  for (const name of removedVariables(session)) delete env[name];
  if (session.output === "aws-files" && configSecrets.length > 0) {
    const secrets = new Set(configSecrets);
    for (const [name, value] of Object.entries(env)) {
      if (secrets.has(value)) delete env[name];
    }
  }
  return Object.assign(env, sessionVariables(session));
}
