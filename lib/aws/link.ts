/**
 * Lookups shared by the AWS identity kinds and the AWS credential output: region and endpoint
 * settings walked up a chain, and the STS role-session-name rules.
 *
 * @module
 */
import type { IdentityConfig, ProviderConfig } from "../config/types.ts";
import { chainSpec, stringAt } from "../config/values.ts";

/** Default region when nothing in the chain names one (as Atmos). */
export const DEFAULT_REGION = "us-east-1";

/** A chain link's configuration with the links before it, nearest first. */
export interface AwsLinkSettings {
  readonly config: ProviderConfig | IdentityConfig;
  readonly upstream: readonly { readonly config: ProviderConfig | IdentityConfig }[];
}

/** `principal.region` of the link, else the nearest upstream one, else the root provider's `region`. */
export function chainRegion(link: AwsLinkSettings): string | undefined {
  const own = stringAt((link.config as IdentityConfig).principal, "region");
  if (own) return own;
  for (const up of link.upstream) {
    const region = stringAt((up.config as IdentityConfig).principal, "region") ??
      stringAt((up.config as IdentityConfig).credentials, "region") ??
      stringAt(up.config, "region");
    if (region) return region;
  }
  return undefined;
}

/** `spec.endpoint_url` of the link, else the nearest upstream one (identity settings win). */
export function chainEndpoint(link: AwsLinkSettings): string | undefined {
  return chainSpec(link, "endpoint_url");
}

/**
 * Sanitises an STS role session name: `[A-Za-z0-9+=,.@-]`, at most 64 characters, no
 * trailing `-`, falling back to `atmos-session`.
 */
export function sanitizeSessionName(name: string): string {
  const cleaned = name.replace(/[^A-Za-z0-9+=,.@-]/g, "-").slice(0, 64).replace(/-+$/, "");
  return cleaned.length >= 2 ? cleaned : "atmos-session";
}
