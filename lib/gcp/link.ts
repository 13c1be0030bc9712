/**
 * Settings of a Google chain link read from the configuration alone (no files, no network), so
 * a planned or cached session knows them too: the project, region and zone children get, and
 * the scopes of tokens. An identity's own setting wins over its upstream links' (nearest first);
 * providers keep theirs under `spec`, identities under `principal`.
 *
 * @module
 */
import type { IdentityConfig, ProviderConfig } from "../config/types.ts";
import { stringAt } from "../config/values.ts";

/** A chain link's configuration with the links before it, nearest first. */
export interface GcpLinkSettings {
  readonly config: ProviderConfig | IdentityConfig;
  readonly upstream: readonly { readonly config: ProviderConfig | IdentityConfig }[];
}

/** The scope every Google client asks for by default. */
export const CLOUD_PLATFORM_SCOPE = "https://www.googleapis.com/auth/cloud-platform";

/** The kind of a service-account identity (its project defaults to the e-mail's). */
const SERVICE_ACCOUNT_KIND = "gcp/service-account";

/** The project of a service account's e-mail (`name@<project>.iam.gserviceaccount.com`). */
export function projectOfEmail(email: string): string | undefined {
  return /^[^@]+@([a-z][a-z0-9-]*[a-z0-9])\.iam\.gserviceaccount\.com$/.exec(email)?.[1];
}

/** The project children get: the nearest link's `project_id` (a service account's e-mail's). */
export function chainProject(link: GcpLinkSettings): string | undefined {
  for (const config of linksOf(link)) {
    const own = stringAt(settingsOf(config), "project_id");
    if (own) return own;
    if (config.kind === SERVICE_ACCOUNT_KIND) {
      const email = stringAt(settingsOf(config), "service_account_email");
      const derived = email ? projectOfEmail(email) : undefined;
      if (derived) return derived;
    }
  }
  return undefined;
}

/** The region children get: the nearest link's `region`. */
export function chainRegion(link: GcpLinkSettings): string | undefined {
  return nearest(link, (settings) => stringAt(settings, "region"));
}

/** The zone children get: the nearest link's `zone` (or `location`, as Atmos reads it). */
export function chainZone(link: GcpLinkSettings): string | undefined {
  return nearest(link, (settings) => stringAt(settings, "zone") ?? stringAt(settings, "location"));
}

/** The nearest link's `scopes`, else the cloud-platform scope. */
export function chainScopes(link: GcpLinkSettings): string[] {
  for (const config of linksOf(link)) {
    const settings = settingsOf(config);
    if (settings.scopes !== undefined && settings.scopes !== null) return scopesOf(settings);
  }
  return [CLOUD_PLATFORM_SCOPE];
}

/** The link's own `scopes`, else the cloud-platform scope. */
export function scopesOf(settings: unknown): string[] {
  const scopes = (settings as Record<string, unknown> | undefined)?.scopes;
  if (Array.isArray(scopes) && scopes.length > 0) return scopes.map(String);
  if (typeof scopes === "string" && scopes !== "") return [scopes];
  return [CLOUD_PLATFORM_SCOPE];
}

/** A link's settings section: `principal` for identities, `spec` for providers. */
export function settingsOf(config: ProviderConfig | IdentityConfig): Record<string, unknown> {
  const identity = config as IdentityConfig;
  return identity.principal ?? config.spec ?? {};
}

function nearest(
  link: GcpLinkSettings,
  read: (settings: Record<string, unknown>) => string | undefined,
): string | undefined {
  for (const config of linksOf(link)) {
    const value = read(settingsOf(config));
    if (value) return value;
  }
  return undefined;
}

function linksOf(link: GcpLinkSettings): (ProviderConfig | IdentityConfig)[] {
  return [link.config, ...link.upstream.map((up) => up.config)];
}
