/**
 * Resolves a target identity into its chain `[root, …, target]`, where the root is a provider
 * or a standalone identity, through the one `via` walk ({@linkcode ViaGraph}). A bad reference
 * or a cycle is the same located configuration error `auth validate` reports.
 *
 * @module
 */
import type { AuthConfig, IdentityConfig, ProviderConfig } from "../config/types.ts";
import type { ConfigIssue } from "../config/issue.ts";
import type { ViaGraph } from "../config/names.ts";
import { chainProblemError } from "../config/validate_auth.ts";

/** One link of a chain. */
export type ChainLink =
  | { role: "provider"; name: string; config: ProviderConfig }
  | { role: "identity"; name: string; config: IdentityConfig };

/** The target (last) link of a chain. */
export type IdentityLink = Extract<ChainLink, { role: "identity" }>;

/**
 * Returns the chain for `target`, a configured identity name.
 *
 * @throws {ConfigError} unknown or ambiguous references, a missing or doubled `via`, a cycle.
 */
export function buildChain(
  auth: AuthConfig,
  graph: ViaGraph,
  target: string,
  issue: ConfigIssue,
): ChainLink[] {
  const result = graph.chain(target);
  if (!result.ok) {
    throw chainProblemError(result.problem, {
      providers: auth.providers ?? {},
      identities: auth.identities ?? {},
    }, issue);
  }
  return result.links.map((link) =>
    link.role === "provider"
      ? { role: "provider", name: link.name, config: auth.providers![link.name] }
      : { role: "identity", name: link.name, config: auth.identities![link.name] }
  );
}

/** The target of a chain. */
export function targetOf(chain: readonly ChainLink[]): IdentityLink {
  return chain[chain.length - 1] as IdentityLink;
}
