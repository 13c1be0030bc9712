/**
 * Azure clouds (`spec.cloud_environment`, as Atmos: `public`, `usgovernment`, `china`) and the
 * authority atmos signs in at: `AZURE_AUTHORITY_HOST` (an https origin, the variable the Azure
 * SDKs read) or the cloud's own login host. From them follows the cloud an isolated Azure CLI
 * config dir selects:
 *
 * - the cloud's own login host → the CLI's built-in cloud (`AzureCloud`, …);
 * - another of Microsoft's login hosts → a custom cloud with that Active Directory endpoint;
 * - any other host (a private or test authority) → a custom cloud whose Active Directory
 *   endpoint is `<host>/adfs`: MSAL Python (inside `az`) skips instance discovery, which would
 *   call `login.microsoftonline.com`, only for ADFS-shaped authorities (reference §4). `az`
 *   then signs in at `<host>/adfs` and keys its token cache under the tenant `adfs`.
 *
 * @module
 */

/** The names `spec.cloud_environment` accepts. */
export const CLOUD_ENVIRONMENTS = ["public", "usgovernment", "china"] as const;

/** One of {@linkcode CLOUD_ENVIRONMENTS}. */
export type CloudEnvironmentName = typeof CLOUD_ENVIRONMENTS[number];

/** The endpoints of one Azure cloud. */
export interface AzureCloud {
  readonly name: CloudEnvironmentName;
  /** The Azure CLI's name for it (also `environmentName` in `azureProfile.json`). */
  readonly cliName: string;
  /** Entra ID login host. */
  readonly loginHost: string;
  /** Resource id of Azure Resource Manager the CLI uses by default (`…core…/`). */
  readonly armResource: string;
  /** Azure Resource Manager endpoint (`https://management.azure.com/`). */
  readonly resourceManager: string;
  readonly graphResource: string;
  /** Key Vault resource id. */
  readonly keyVaultResource: string;
  readonly storageSuffix: string;
  readonly keyVaultDns: string;
  /** The Azure portal. */
  readonly portal: string;
  /** `ARM_ENVIRONMENT` (Terraform azurerm). */
  readonly armEnvironment: string;
  /** `AZURE_ENVIRONMENT` (go-autorest). */
  readonly azureEnvironment: string;
}

const CLOUDS: Record<CloudEnvironmentName, AzureCloud> = {
  public: {
    name: "public",
    cliName: "AzureCloud",
    loginHost: "login.microsoftonline.com",
    armResource: "https://management.core.windows.net/",
    resourceManager: "https://management.azure.com/",
    graphResource: "https://graph.microsoft.com/",
    keyVaultResource: "https://vault.azure.net",
    storageSuffix: "core.windows.net",
    keyVaultDns: ".vault.azure.net",
    portal: "https://portal.azure.com",
    armEnvironment: "public",
    azureEnvironment: "AzurePublicCloud",
  },
  usgovernment: {
    name: "usgovernment",
    cliName: "AzureUSGovernment",
    loginHost: "login.microsoftonline.us",
    armResource: "https://management.core.usgovcloudapi.net/",
    resourceManager: "https://management.usgovcloudapi.net/",
    graphResource: "https://graph.microsoft.us/",
    keyVaultResource: "https://vault.usgovcloudapi.net",
    storageSuffix: "core.usgovcloudapi.net",
    keyVaultDns: ".vault.usgovcloudapi.net",
    portal: "https://portal.azure.us",
    armEnvironment: "usgovernment",
    azureEnvironment: "AzureUSGovernmentCloud",
  },
  china: {
    name: "china",
    cliName: "AzureChinaCloud",
    loginHost: "login.chinacloudapi.cn",
    armResource: "https://management.core.chinacloudapi.cn/",
    resourceManager: "https://management.chinacloudapi.cn/",
    graphResource: "https://microsoftgraph.chinacloudapi.cn/",
    keyVaultResource: "https://vault.azure.cn",
    storageSuffix: "core.chinacloudapi.cn",
    keyVaultDns: ".vault.azure.cn",
    portal: "https://portal.azure.cn",
    armEnvironment: "china",
    azureEnvironment: "AzureChinaCloud",
  },
};

/**
 * Microsoft's login hosts: MSAL Python's well-known hosts (no instance discovery at all) and
 * the aliases instance discovery knows. A custom authority on one of them keeps its plain form.
 */
const MICROSOFT_LOGIN_HOSTS = new Set([
  "login.microsoftonline.com",
  "login.microsoftonline.us",
  "login-us.microsoftonline.com",
  "login.chinacloudapi.cn",
  "login.partner.microsoftonline.cn",
  "login.windows.net",
  "login.microsoft.com",
  "sts.windows.net",
]);

/** The Azure CLI's client id: `az` finds cached tokens only under it. */
export const AZURE_CLI_CLIENT_ID = "04b07795-8ddb-461a-bbee-02f9e1bf7b46";

/** The cloud named by `spec.cloud_environment` (default `public`). */
export function cloudEnvironment(name: string | undefined): AzureCloud {
  return CLOUDS[(name ?? "public") as CloudEnvironmentName] ?? CLOUDS.public;
}

/** The `.default` scope of a resource id, as MSAL and `az` write it. */
export function defaultScope(resource: string): string {
  return `${resource}/.default`;
}

/** Where atmos signs in and which cloud the isolated Azure CLI dir selects. */
export interface Authority {
  readonly cloud: AzureCloud;
  /** `https://<host>[:port]`, no path. */
  readonly origin: string;
  /** The host without port: MSAL's `environment` in cache entries. */
  readonly environment: string;
  readonly tenantId: string;
  /** `<origin>/<tenant>`: atmos's own Entra calls go to `<login>/oauth2/v2.0/…`. */
  readonly login: string;
  /**
   * The authority `az` uses for this cloud: the same as {@linkcode login}, or `<origin>/adfs`
   * for a host that is not Microsoft's. Refresh tokens are redeemed here, so the token cache
   * holds what `az` itself would write.
   */
  readonly cli: string;
  /** MSAL's `realm` of the CLI authority: the tenant id, or `adfs`. */
  readonly realm: string;
  /** The CLI's cloud: built in (no `clouds.config` section) or custom. */
  readonly cliCloud: { name: string; builtIn: boolean; activeDirectory: string };
}

/** Why `AZURE_AUTHORITY_HOST` cannot be used, or undefined when it can. */
export function authorityHostProblem(value: string): string | undefined {
  let url: URL;
  try {
    url = new URL(value);
  } catch {
    return "it is not a URL";
  }
  if (url.protocol !== "https:") return "it must use https (Entra ID clients refuse http)";
  if (url.username || url.password || url.search || url.hash) {
    return "it must be an origin such as https://login.microsoftonline.com";
  }
  if (url.pathname !== "/" && url.pathname !== "") {
    return "it must be an origin such as https://login.microsoftonline.com (no path)";
  }
  return undefined;
}

/**
 * The authority for a tenant in a cloud. `authorityHost` is `AZURE_AUTHORITY_HOST` when set
 * (checked with {@linkcode authorityHostProblem} first).
 */
export function authorityFor(
  cloud: AzureCloud,
  tenantId: string,
  authorityHost?: string,
): Authority {
  const url = new URL(authorityHost ?? `https://${cloud.loginHost}`);
  const origin = url.origin;
  const environment = url.hostname;
  const tenant = tenantId.toLowerCase();
  const login = `${origin}/${tenant}`;
  const builtIn = environment === cloud.loginHost && url.port === "";
  const adfs = !builtIn && !MICROSOFT_LOGIN_HOSTS.has(environment);
  const activeDirectory = adfs ? `${origin}/adfs` : origin;
  return {
    cloud,
    origin,
    environment,
    tenantId: tenant,
    login,
    cli: adfs ? activeDirectory : login,
    realm: adfs ? "adfs" : tenant,
    cliCloud: {
      name: builtIn ? cloud.cliName : `Atmos${cloud.cliName}`,
      builtIn,
      activeDirectory,
    },
  };
}
