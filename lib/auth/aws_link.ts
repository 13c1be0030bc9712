/**
 * Lookups shared by the AWS identity kinds: region and endpoint settings walked up a chain.
 *
 * @module
 */
import type { IdentityConfig, ProviderConfig } from "../config/types.ts";
import type { LinkInfo } from "./kind.ts";

type AnyConfig = ProviderConfig | IdentityConfig;

/** Default region when nothing in the chain names one. */
export const DEFAULT_REGION = "us-east-1";

/** `principal.region` of the link, else the nearest upstream one, else the root provider's `region`. */
export function chainRegion(link: LinkInfo<IdentityConfig>): string | undefined {
  const own = stringAt(link.config.principal, "region");
  if (own) return own;
  for (const up of link.upstream) {
    const region = stringAt((up.config as IdentityConfig).principal, "region") ??
      stringAt((up.config as IdentityConfig).credentials, "region") ??
      (typeof (up.config as ProviderConfig).region === "string"
        ? (up.config as ProviderConfig).region
        : undefined);
    if (region) return region;
  }
  return undefined;
}

/** `spec.endpoint_url` of the link, else the nearest upstream one (identity settings win). */
export function chainEndpoint(link: LinkInfo<AnyConfig>): string | undefined {
  return chainSpec(link, "endpoint_url");
}

/** A `spec.<key>` string of the link, else of the nearest upstream link that sets it. */
export function chainSpec(link: LinkInfo<AnyConfig>, key: string): string | undefined {
  const own = stringAt(link.config.spec, key);
  if (own) return own;
  for (const up of link.upstream) {
    const value = stringAt(up.config.spec, key);
    if (value) return value;
  }
  return undefined;
}

/** Reads a non-empty string field from an optional map. */
export function stringAt(map: unknown, key: string): string | undefined {
  if (!map || typeof map !== "object") return undefined;
  const value = (map as Record<string, unknown>)[key];
  if (typeof value === "number") return String(value);
  return typeof value === "string" && value !== "" ? value : undefined;
}

/**
 * Sanitises an STS role session name: `[A-Za-z0-9+=,.@-]`, at most 64 characters, no
 * trailing `-`, falling back to `atmos-session`.
 */
export function sanitizeSessionName(name: string): string {
  const cleaned = name.replace(/[^A-Za-z0-9+=,.@-]/g, "-").slice(0, 64).replace(/-+$/, "");
  return cleaned.length >= 2 ? cleaned : "atmos-session";
}
