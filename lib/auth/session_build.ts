/**
 * Building the {@linkcode Session} of a chain's target: its files, the child environment's
 * changes (identity `env:` entries, then the output's pointers and `ATMOS_IDENTITY`; for an
 * isolating output every registered cloud's credential variables removed), region and expiry.
 *
 * @module
 */
import type { IdentityConfig } from "../config/types.ts";
import { type ChainLink, targetOf } from "./chain.ts";
import type { CredentialSet } from "./credentials.ts";
import type { LinkInfo } from "./kind.ts";
import { type AuthScope, identityKindOf, linkInfo, outputLink, rootName } from "./links.ts";
import type { OutputLink } from "./output.ts";
import type { Session } from "./session.ts";
import { identityEnvironment } from "./identity_env.ts";

/** The target's session from its credentials (`undefined` for planned and ambient sessions). */
export function buildSession(
  scope: AuthScope,
  chain: readonly ChainLink[],
  creds: CredentialSet | undefined,
  source: Session["source"],
): Session {
  const target = targetOf(chain);
  const link = targetOutputLink(scope, chain, creds);
  const output = identityKindOf(scope, target).output;
  const pointers = output.env(link);
  const set: Record<string, string> = {
    ...identityEnvironment(target.config),
    ...pointers.set,
    ATMOS_IDENTITY: target.name,
  };
  const removed = output.isolates
    ? [...pointers.unset, ...scope.registry.credentialVariables()]
    : pointers.unset;
  return {
    identity: target.name,
    kind: target.config.kind,
    output: output.name,
    root: rootName(scope, chain),
    files: output.files(link),
    env: { set, unset: [...new Set(removed)].filter((name) => !(name in set)) },
    isolated: output.isolates,
    region: link.region,
    expiration: creds?.expiration,
    principal: creds?.principal,
    source,
  };
}

/** The target as its output sees it, with the region the session exports. */
export function targetOutputLink(
  scope: AuthScope,
  chain: readonly ChainLink[],
  creds?: CredentialSet,
): OutputLink {
  const index = chain.length - 1;
  const kind = identityKindOf(scope, targetOf(chain));
  const region = kind.region?.(linkInfo(chain, index) as LinkInfo<IdentityConfig>) ??
    creds?.region;
  return outputLink(scope, chain, index, kind.output, region);
}
