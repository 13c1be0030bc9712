/**
 * The files of an isolated Azure CLI config dir (`AZURE_CONFIG_DIR`) other than the token cache,
 * in the shapes `az` 2.45 reads (tests/emulator/CLIENTS.md): `config` (the cloud, no telemetry,
 * no first-run prompts), `clouds.config` (a custom cloud's endpoints, what `az cloud register`
 * writes), `azureProfile.json` (exactly one subscription, the default) and
 * `service_principal_entries.json` (an application's client assertion). Pure text builders.
 *
 * @module
 */
import type { Authority } from "./clouds.ts";

/** The file names `az` reads in its config dir. */
export const CLI_FILES = {
  config: "config",
  clouds: "clouds.config",
  profile: "azureProfile.json",
  tokenCache: "msal_token_cache.json",
  servicePrincipals: "service_principal_entries.json",
  versionCheck: "versionCheck.json",
} as const;

/** The legacy Azure AD Graph resource per cloud (the CLI still wants it in a cloud definition). */
const AAD_GRAPH: Record<string, string> = {
  public: "https://graph.windows.net/",
  usgovernment: "https://graph.windows.net/",
  china: "https://graph.chinacloudapi.cn/",
};

/** `config`: the cloud selection and no telemetry, survey or first-run prompts. */
export function cliConfigText(authority: Authority): string {
  return iniText({
    cloud: { name: authority.cliCloud.name },
    core: { collect_telemetry: "false", first_run: "false" },
    output: { show_survey_message: "false" },
  });
}

/**
 * `clouds.config` with the custom cloud of `authority` (what `az cloud register` writes), or
 * undefined for a built-in cloud.
 */
export function cloudsConfigText(authority: Authority): string | undefined {
  if (authority.cliCloud.builtIn) return undefined;
  const cloud = authority.cloud;
  return iniText({
    [authority.cliCloud.name]: {
      endpoint_management: cloud.armResource,
      endpoint_resource_manager: cloud.resourceManager,
      endpoint_active_directory: authority.cliCloud.activeDirectory,
      endpoint_active_directory_resource_id: cloud.armResource,
      endpoint_active_directory_graph_resource_id: AAD_GRAPH[cloud.name],
      endpoint_microsoft_graph_resource_id: cloud.graphResource,
      suffix_storage_endpoint: cloud.storageSuffix,
      suffix_keyvault_dns: cloud.keyVaultDns,
    },
  });
}

/** Who `azureProfile.json` says is signed in. */
export interface ProfileUser {
  /** The user principal name, or the application (client) id. */
  name: string;
  type: "user" | "servicePrincipal";
}

/** One subscription of `azureProfile.json`. */
export interface ProfileSubscription {
  subscriptionId: string;
  /** The name `az account show` prints. */
  name: string;
  tenantId: string;
  user: ProfileUser;
  installationId: string;
}

/** `azureProfile.json` with exactly one subscription, the default. */
export function profileText(authority: Authority, sub: ProfileSubscription): string {
  return JSON.stringify({
    installationId: sub.installationId,
    subscriptions: [{
      id: sub.subscriptionId,
      name: sub.name,
      state: "Enabled",
      user: sub.user,
      isDefault: true,
      tenantId: sub.tenantId,
      environmentName: authority.cliCloud.name,
      homeTenantId: sub.tenantId,
      managedByTenants: [],
    }],
  });
}

/** What `readProfile` finds in `azureProfile.json`. */
export interface Profile {
  installationId?: string;
  subscriptionId: string;
  tenantId: string;
  user: ProfileUser;
  environmentName?: string;
}

/** The default subscription of an `azureProfile.json` text (BOM tolerated, as `az` does). */
export function parseProfile(text: string): Profile | undefined {
  let data: unknown;
  try {
    data = JSON.parse(text.replace(/^\uFEFF/, ""));
  } catch {
    return undefined;
  }
  const record = data as { installationId?: unknown; subscriptions?: unknown };
  if (!record || !Array.isArray(record.subscriptions)) return undefined;
  const subs = record.subscriptions as Record<string, unknown>[];
  const sub = subs.find((s) => s?.isDefault === true) ?? subs[0];
  const user = sub?.user as { name?: unknown; type?: unknown } | undefined;
  if (
    typeof sub?.id !== "string" || typeof sub.tenantId !== "string" ||
    typeof user?.name !== "string" || (user.type !== "user" && user.type !== "servicePrincipal")
  ) {
    return undefined;
  }
  return {
    installationId: typeof record.installationId === "string" ? record.installationId : undefined,
    subscriptionId: sub.id,
    tenantId: sub.tenantId,
    user: { name: user.name, type: user.type },
    environmentName: typeof sub.environmentName === "string" ? sub.environmentName : undefined,
  };
}

/** `service_principal_entries.json` with the application's client assertion (a secret). */
export function servicePrincipalEntriesText(
  clientId: string,
  tenantId: string,
  assertion: string,
): string {
  return JSON.stringify([{ client_id: clientId, tenant: tenantId, client_assertion: assertion }]);
}

/**
 * The `versions` and `update_time` of a user's own `versionCheck.json`, to seed a new dir with
 * (so `az` skips its first-run connectivity check); undefined when the text has none.
 */
export function versionCheckSeed(text: string): string | undefined {
  let data: unknown;
  try {
    data = JSON.parse(text);
  } catch {
    return undefined;
  }
  const record = data as { versions?: unknown; update_time?: unknown };
  const versions = record?.versions as Record<string, { local?: unknown }> | undefined;
  if (!versions || typeof versions !== "object" || typeof versions.core?.local !== "string") {
    return undefined;
  }
  return JSON.stringify({
    versions,
    update_time: typeof record.update_time === "string" ? record.update_time : "",
  });
}

/** INI text of sections of `key = value` lines, as the Azure CLI writes them. */
function iniText(sections: Record<string, Record<string, string>>): string {
  return Object.entries(sections)
    .map(([name, values]) =>
      `[${name}]\n${Object.entries(values).map(([k, v]) => `${k} = ${v}\n`).join("")}`
    )
    .join("\n");
}
