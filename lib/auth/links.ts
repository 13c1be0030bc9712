/**
 * Facts about the links of a chain that several parts of the manager need: the kind of a link,
 * the directory of the chain's files, and each link as a kind and as its output see it.
 *
 * @module
 */
import { AtmosError } from "../errors.ts";
import type { IdentityConfig, ProviderConfig } from "../config/types.ts";
import { credentialDir, identitySegment } from "../fs/layout.ts";
import type { AuthView } from "./auth_view.ts";
import type { ChainLink, IdentityLink } from "./chain.ts";
import type { IdentityKind, LinkInfo, ProviderKind } from "./kind.ts";
import type { CredentialOutput, OutputLink } from "./output.ts";
import type { KindRegistry } from "./registry/mod.ts";

/** The fixed facts one manager works with. */
export interface AuthScope {
  /** The argv that runs this atmos with the same configuration, when known. */
  readonly atmosCommand?: readonly string[];
  readonly view: AuthView;
  readonly registry: KindRegistry;
  /** `<config>/atmos`. */
  readonly configDir: string;
  /** Realm, empty when none. */
  readonly realm: string;
}

/** The identity kind of a link. */
export function identityKindOf(scope: AuthScope, link: IdentityLink): IdentityKind {
  const kind = scope.registry.identity(link.config.kind);
  if (!kind) throw new AtmosError(`unknown identity kind "${link.config.kind}"`, { exitCode: 2 });
  return kind;
}

/** The provider kind named `kind`. */
export function providerKindOf(scope: AuthScope, kind: string): ProviderKind {
  const found = scope.registry.provider(kind);
  if (!found) throw new AtmosError(`unknown provider kind "${kind}"`, { exitCode: 2 });
  return found;
}

/**
 * Directory name of the chain's files: the root provider's name, or a standalone kind's fixed
 * directory (`aws-user`), else the standalone identity's name as a path segment.
 */
export function rootName(scope: AuthScope, chain: readonly ChainLink[]): string {
  const root = chain[0];
  return root.role === "identity"
    ? identitySegment(scope.registry.rootDirOf(root.config.kind, root.name))
    : root.name;
}

/** True when the chain starts at an ambient provider or identity (never resumed from files). */
export function isAmbientChain(scope: AuthScope, chain: readonly ChainLink[]): boolean {
  const root = chain[0];
  if (root.role === "provider") return scope.registry.provider(root.config.kind)?.ambient ?? false;
  return identityKindOf(scope, root).ambient ?? false;
}

/** Link `index` as a kind sees it. */
export function linkInfo(
  chain: readonly ChainLink[],
  index: number,
): LinkInfo<ProviderConfig | IdentityConfig> {
  return {
    name: chain[index].name,
    config: chain[index].config,
    upstream: chain.slice(0, index).reverse().map((l) => ({ name: l.name, config: l.config })),
  };
}

/** Identity link `index` as its output sees it, with the region to export. */
export function outputLink(
  scope: AuthScope,
  chain: readonly ChainLink[],
  index: number,
  output: CredentialOutput,
  region?: string,
): OutputLink {
  const info = linkInfo(chain, index) as LinkInfo<IdentityConfig>;
  return {
    identity: info.name,
    config: info.config,
    upstream: info.upstream,
    dir: outputDir(scope, output.name, rootName(scope, chain)),
    region,
    atmosCommand: scope.atmosCommand,
  };
}

/** `<config>/atmos/[<realm>/]<output>/<root>`. */
export function outputDir(scope: AuthScope, output: string, root: string): string {
  return credentialDir(scope.configDir, output, root, scope.realm || undefined);
}
