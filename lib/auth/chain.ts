/**
 * Resolves a target identity into its chain `[root, …, target]`, where the root is a provider
 * or a standalone identity. Bad references and cycles are configuration errors raised before
 * any network call.
 *
 * @module
 */
import type { ConfigError } from "../errors.ts";
import type { AuthConfig, IdentityConfig, ProviderConfig } from "../config/types.ts";
import { didYouMean } from "../config/suggest.ts";
import { isStandaloneIdentityKind } from "./registry.ts";

/** One link of a chain. */
export type ChainLink =
  | { role: "provider"; name: string; config: ProviderConfig }
  | { role: "identity"; name: string; config: IdentityConfig };

/** Builds a located configuration error for a config path. */
export type ConfigIssue = (
  path: (string | number)[],
  message: string,
  hint?: string,
) => ConfigError;

/**
 * Returns the chain for `target` (which must be an identity name as written in the config).
 *
 * @throws {ConfigError} unknown references, missing `via`, both `via` keys, or a cycle.
 */
export function buildChain(auth: AuthConfig, target: string, issue: ConfigIssue): ChainLink[] {
  const identities = auth.identities ?? {};
  const providers = auth.providers ?? {};
  const links: ChainLink[] = [];
  const seen: string[] = [];
  let name = target;
  while (true) {
    if (seen.includes(name)) {
      throw issue(
        ["auth", "identities", name, "via", "identity"],
        `identity chain has a cycle: ${[...seen, name].join(" -> ")}`,
        "break the loop by pointing one via at a provider or a standalone identity",
      );
    }
    seen.push(name);
    const config = identities[name];
    links.unshift({ role: "identity", name, config });
    const via = config.via;
    const standalone = isStandaloneIdentityKind(config.kind);
    if (!via || (via.provider === undefined && via.identity === undefined)) {
      if (standalone) return links;
      throw issue(
        ["auth", "identities", name],
        `identity "${name}" (${config.kind}) has no via`,
        "set via.provider or via.identity",
      );
    }
    if (via.provider !== undefined && via.identity !== undefined) {
      throw issue(
        ["auth", "identities", name, "via"],
        "both via.provider and via.identity are set",
        "keep exactly one of them",
      );
    }
    if (via.provider !== undefined) {
      const provider = providers[via.provider];
      if (!provider) {
        throw issue(
          ["auth", "identities", name, "via", "provider"],
          `unknown provider "${via.provider}"${didYouMean(via.provider, Object.keys(providers))}`,
        );
      }
      links.unshift({ role: "provider", name: via.provider, config: provider });
      return links;
    }
    const next = String(via.identity);
    if (!identities[next]) {
      throw issue(
        ["auth", "identities", name, "via", "identity"],
        `unknown identity "${next}"${didYouMean(next, Object.keys(identities))}`,
      );
    }
    name = next;
  }
}
