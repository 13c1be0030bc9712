/**
 * Settings of an Azure chain, read from its configuration alone (no environment, no files): the
 * root provider's `spec` (tenant, cloud, client, token file) and the identity's `principal`
 * (subscription, location, resource group), the identity's own value winning.
 *
 * @module
 */
import type { IdentityConfig, ProviderConfig } from "../config/types.ts";
import { stringAt } from "../config/values.ts";
import { type AzureCloud, cloudEnvironment } from "./clouds.ts";

/** A chain link's configuration with the links before it, nearest first. */
export interface AzureLinkSettings {
  readonly config: ProviderConfig | IdentityConfig;
  readonly upstream: readonly { readonly config: ProviderConfig | IdentityConfig }[];
}

/** What an Azure chain is configured with. */
export interface AzureSettings {
  /** The root provider's kind, e.g. `azure/oidc`. */
  rootKind: string;
  /** Lower-case tenant id (empty when the configuration has none: validation reports it). */
  tenantId: string;
  cloud: AzureCloud;
  subscriptionId?: string;
  location?: string;
  resourceGroup?: string;
  /** `spec.client_id` of the root provider, when set. */
  clientId?: string;
  /** `spec.token_file_path` of an `azure/oidc` root. */
  tokenFilePath?: string;
}

/** The chain's root configuration (the link itself when it has no upstream). */
export function rootConfig(link: AzureLinkSettings): ProviderConfig | IdentityConfig {
  return link.upstream.length > 0 ? link.upstream[link.upstream.length - 1].config : link.config;
}

/** The settings of the chain ending at `link`. */
export function azureSettings(link: AzureLinkSettings): AzureSettings {
  const root = rootConfig(link);
  const spec = root.spec;
  const chain = [link.config, ...link.upstream.map((u) => u.config)];
  const nearest = (key: string) => {
    for (const config of chain) {
      const value = stringAt((config as IdentityConfig).principal, key) ??
        stringAt(config.spec, key);
      if (value) return value;
    }
    return undefined;
  };
  return {
    rootKind: root.kind,
    tenantId: (stringAt(spec, "tenant_id") ?? "").toLowerCase(),
    cloud: cloudEnvironment(stringAt(spec, "cloud_environment")),
    subscriptionId: nearest("subscription_id")?.toLowerCase(),
    location: nearest("location"),
    resourceGroup: nearest("resource_group"),
    clientId: stringAt(spec, "client_id")?.toLowerCase(),
    tokenFilePath: stringAt(spec, "token_file_path"),
  };
}

/** True when the chain signs in as an application (workload identity federation). */
export function isAppChain(settings: AzureSettings): boolean {
  return settings.rootKind === "azure/oidc";
}
