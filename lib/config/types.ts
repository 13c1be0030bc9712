/**
 * Shapes of the parts of `atmos.yaml` this tool reads. These are the shapes *after*
 * validation; freshly loaded values are untrusted until `validateAuth` has run.
 *
 * @module
 */
import { findName } from "./names.ts";

/** Auth logging settings (`auth.logs`). */
export interface AuthLogsConfig {
  /** `Debug`, `Info`, `Warn` or `Error`. */
  level?: string;
  file?: string;
}

/** Credential store settings (`auth.keyring`). */
export interface KeyringConfig {
  type?: "system" | "file" | "memory";
  spec?: {
    /** Directory of the encrypted file store (type `file`). */
    path?: string;
    /** Name of the environment variable holding the store password (type `file`). */
    password_env?: string;
  };
}

/** One provider (`auth.providers.<name>`). */
export interface ProviderConfig {
  /** Discriminator, e.g. `aws/iam-identity-center`, `github/oidc`. */
  kind: string;
  region?: string;
  start_url?: string;
  url?: string;
  username?: string;
  driver?: string;
  spec?: Record<string, unknown>;
  session?: { duration?: string };
  default?: boolean;
  auto_provision_identities?: boolean;
  tags?: string[];
  console?: { session_duration?: string };
}

/** One `{key, value}` entry of an identity's list-form `env`. */
export interface EnvEntry {
  key: string;
  value: string;
}

/** One identity (`auth.identities.<name>`). */
export interface IdentityConfig {
  /** Discriminator, e.g. `aws/assume-role`, `aws/user`. */
  kind: string;
  default?: boolean;
  /** Exactly one of `provider` / `identity` (absent for standalone kinds). */
  via?: { provider?: string; identity?: string };
  principal?: Record<string, unknown>;
  credentials?: Record<string, unknown>;
  spec?: Record<string, unknown>;
  /** List form keeps key case and order; map form is also accepted. */
  env?: EnvEntry[] | Record<string, string>;
  session?: { duration?: string; refresh?: "files" | "process" };
  alias?: string;
  tags?: string[];
  required?: boolean;
  /** Provider name on auto-provisioned identities. */
  provider?: string;
}

/** The `auth:` section. Provider and identity names are kept as written. */
export interface AuthConfig {
  /** Credential isolation namespace (see `validateRealm`). */
  realm?: string;
  logs?: AuthLogsConfig;
  keyring?: KeyringConfig;
  console?: { isolated?: boolean };
  providers?: Record<string, ProviderConfig>;
  identities?: Record<string, IdentityConfig>;
  integrations?: Record<string, unknown>;
}

/** The merged `atmos.yaml`. Unknown sections are kept as they were written. */
export interface AtmosConfig {
  /** Raw `base_path` as written (or from `ATMOS_BASE_PATH`). */
  base_path?: string;
  /** Absolute base path resolved by `loadConfig` (not an Atmos key). */
  base_path_abs?: string;
  auth?: AuthConfig;
  workflows?: { base_path?: string; [key: string]: unknown };
  /** Custom command definitions (merged by name across files). */
  commands?: unknown[];
  stacks?: {
    base_path?: string;
    included_paths?: string[];
    excluded_paths?: string[];
    name_pattern?: string;
    name_template?: string;
    [key: string]: unknown;
  };
  components?: Record<string, { base_path?: string; [key: string]: unknown }>;
  env?: Record<string, string>;
  logs?: { level?: string; file?: string };
  import?: string | string[];
  [key: string]: unknown;
}

/**
 * Finds an identity by name: the exact name first, else the one case-insensitive match (see
 * `names.ts`). Returns the name as written in the config, or `undefined`.
 */
export function findIdentityName(auth: AuthConfig | undefined, name: string): string | undefined {
  return findName(auth?.identities, name);
}

/** Like {@linkcode findIdentityName}, for providers. */
export function findProviderName(auth: AuthConfig | undefined, name: string): string | undefined {
  return findName(auth?.providers, name);
}
