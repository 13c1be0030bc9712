/**
 * Azure portal links for `auth console`: the cloud's portal in the identity's tenant
 * (`#@<tenant>`), on the subscription's overview by default. The portal signs in with the
 * browser's own Entra session, so unlike AWS no token is in the link. `--destination` takes a
 * page alias (as Atmos: `home`, `subscription`, `resourcegroups`, `vm`, …) or an https URL of
 * the same portal.
 *
 * @module
 */
import type { AzureSettings } from "./link.ts";

const BROWSE = "blade/HubsExtension/BrowseResource/resourceType";

/** Page aliases and their paths below `#@<tenant>/`. */
const PAGES: Record<string, string> = {
  home: "",
  resourcegroups: "blade/HubsExtension/BrowseResourceGroups",
  rg: "blade/HubsExtension/BrowseResourceGroups",
  vm: `${BROWSE}/Microsoft.Compute%2FVirtualMachines`,
  virtualmachines: `${BROWSE}/Microsoft.Compute%2FVirtualMachines`,
  storage: `${BROWSE}/Microsoft.Storage%2FStorageAccounts`,
  storageaccounts: `${BROWSE}/Microsoft.Storage%2FStorageAccounts`,
  network: `${BROWSE}/Microsoft.Network%2FVirtualNetworks`,
  vnet: `${BROWSE}/Microsoft.Network%2FVirtualNetworks`,
  keyvault: `${BROWSE}/Microsoft.KeyVault%2FVaults`,
  kv: `${BROWSE}/Microsoft.KeyVault%2FVaults`,
  aks: `${BROWSE}/Microsoft.ContainerService%2FManagedClusters`,
  kubernetes: `${BROWSE}/Microsoft.ContainerService%2FManagedClusters`,
  sql: `${BROWSE}/Microsoft.Sql%2FServers`,
  cosmosdb: `${BROWSE}/Microsoft.DocumentDb%2FDatabaseAccounts`,
  monitor: "blade/Microsoft_Azure_Monitoring/AzureMonitoringBrowseBlade",
  functions: `${BROWSE}/Microsoft.Web%2FSites/kind/functionapp`,
  webapps: `${BROWSE}/Microsoft.Web%2FSites`,
};

const SUBSCRIPTION_ALIASES = new Set(["subscription", "sub"]);
const PORTAL_HOSTS = new Set(["portal.azure.com", "portal.azure.us", "portal.azure.cn"]);

/** Why a `--destination` cannot be used, or undefined when it can. */
export function portalUrlProblem(destination: string | undefined): string | undefined {
  if (destination === undefined) return undefined;
  const alias = destination.toLowerCase();
  if (alias in PAGES || SUBSCRIPTION_ALIASES.has(alias)) return undefined;
  try {
    const url = new URL(destination);
    if (url.protocol === "https:" && PORTAL_HOSTS.has(url.hostname)) return undefined;
  } catch {
    // not a URL: an unknown alias
  }
  return `use an Azure portal https:// URL or one of: subscription, ${
    Object.keys(PAGES).join(", ")
  }`;
}

/**
 * The portal link: the subscription's overview (its resource group's with
 * `principal.resource_group`) unless `destination` names another page.
 */
export function portalUrl(settings: AzureSettings, destination?: string): string {
  if (destination !== undefined && /^https:/i.test(destination)) return destination;
  const base = `${settings.cloud.portal}/#@${settings.tenantId}`;
  const alias = destination?.toLowerCase();
  if (alias !== undefined && alias in PAGES) {
    return PAGES[alias] === "" ? base : `${base}/${PAGES[alias]}`;
  }
  const subscription = `${base}/resource/subscriptions/${settings.subscriptionId}`;
  if (alias === undefined && settings.resourceGroup) {
    return `${subscription}/resourceGroups/${encodeURIComponent(settings.resourceGroup)}/overview`;
  }
  return `${subscription}/overview`;
}
