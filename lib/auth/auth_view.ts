/**
 * The `auth:` section as the manager sees it: the configuration, plus the identities providers
 * discovered on earlier logins (`auto_provision_identities`) — identities written in the
 * configuration win — and the one `via` walk over both.
 *
 * @module
 */
import type { AuthConfig, IdentityConfig } from "../config/types.ts";
import type { LoadedConfig } from "../config/load.ts";
import { identityNameProblem, ViaGraph } from "../config/names.ts";
import type { KindRegistry } from "./registry/mod.ts";

/** The configuration the manager works on. */
export interface AuthView {
  /** The loaded configuration with {@linkcode auth} in place of its own `auth:`. */
  readonly loaded: LoadedConfig;
  readonly auth: AuthConfig;
  readonly graph: ViaGraph;
}

/** Builds the view; discovered identities are read from their providers' caches, no network. */
export function authView(
  loaded: LoadedConfig,
  configDir: string,
  registry: KindRegistry,
  debug: (message: string) => void,
): AuthView {
  const own = loaded.config.auth ?? {};
  const auth = withProvisioned(own, configDir, registry, debug);
  const view = auth === own ? loaded : { ...loaded, config: { ...loaded.config, auth } };
  const graph = new ViaGraph(auth, (kind) => registry.isStandalone(kind));
  return { loaded: view, auth, graph };
}

/**
 * The `auth:` section with every provider's previously discovered identities added; a name
 * that (case-insensitively) matches a configured identity is skipped. Returns `auth` itself
 * when nothing was discovered.
 */
function withProvisioned(
  auth: AuthConfig,
  configDir: string,
  registry: KindRegistry,
  debug: (message: string) => void,
): AuthConfig {
  const own = auth.identities ?? {};
  const taken = new Set(Object.keys(own).map((name) => name.toLowerCase()));
  const found: Record<string, IdentityConfig> = {};
  for (const [name, config] of Object.entries(auth.providers ?? {})) {
    const kind = registry.provider(config?.kind);
    if (!kind?.provisionedIdentities) continue;
    let identities: Record<string, IdentityConfig>;
    try {
      identities = kind.provisionedIdentities({ name, config, upstream: [] }, configDir);
    } catch (error) {
      debug(`provider "${name}": ignoring its discovered identities: ${(error as Error).message}`);
      continue;
    }
    for (const [identity, identityConfig] of Object.entries(identities)) {
      if (taken.has(identity.toLowerCase())) continue;
      const problem = identityNameProblem(identity);
      if (problem) {
        // Not written by the user: skipped rather than breaking every command.
        debug(`provider "${name}": skipping a discovered identity whose name ${problem}`);
        continue;
      }
      taken.add(identity.toLowerCase());
      found[identity] = identityConfig;
    }
  }
  if (Object.keys(found).length === 0) return auth;
  return { ...auth, identities: { ...found, ...own } };
}
