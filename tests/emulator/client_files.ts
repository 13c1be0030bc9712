/**
 * Writes the credential and configuration files real clients read, in the exact shapes
 * `CLIENTS.md` records as tested: Google `external_account` JSON, a gcloud config dir whose
 * active configuration carries the auth pointers, and an isolated Azure CLI config dir (custom
 * ADFS-shaped cloud, profile, MSAL token cache or service-principal entry) — written directly,
 * without running `az cloud register`, as atmos has to. Files 0600, directories 0700.
 *
 * @module
 */

import { dirname, join } from "node:path";
import type { AzureUserTokens } from "./types.ts";

/** The Azure CLI's public client id. */
export const AZURE_CLI_CLIENT = "04b07795-8ddb-461a-bbee-02f9e1bf7b46";

/** Writes `text` to `path` as 0600, creating missing parent directories as 0700. */
export async function writePrivate(path: string, text: string): Promise<void> {
  await Deno.mkdir(dirname(path), { recursive: true, mode: 0o700 });
  await Deno.writeTextFile(path, text, { mode: 0o600 });
  await Deno.chmod(path, 0o600);
}

/** Where an `external_account` file gets its subject token. */
export type SubjectSource =
  | { file: string }
  | { url: string; headers: Record<string, string>; jsonField: string };

/** Fields of an `external_account` file. */
export interface ExternalAccountOptions {
  audience: string;
  tokenUrl: string;
  /** Omit for the federated token itself (no service account). */
  impersonationUrl?: string;
  source: SubjectSource;
}

/** A Google `external_account` ADC JSON (workload identity federation). */
export function externalAccount(options: ExternalAccountOptions): Record<string, unknown> {
  const source = "file" in options.source ? { file: options.source.file } : {
    url: options.source.url,
    headers: options.source.headers,
    format: { type: "json", subject_token_field_name: options.source.jsonField },
  };
  return {
    type: "external_account",
    audience: options.audience,
    subject_token_type: "urn:ietf:params:oauth:token-type:jwt",
    token_url: options.tokenUrl,
    ...(options.impersonationUrl === undefined ? {} : {
      service_account_impersonation_url: options.impersonationUrl,
      service_account_impersonation: { token_lifetime_seconds: 3600 },
    }),
    credential_source: source,
  };
}

/** INI text of sections of `key = value` lines. */
export function iniText(sections: Record<string, Record<string, string>>): string {
  return Object.entries(sections)
    .map(([name, values]) =>
      `[${name}]\n${Object.entries(values).map(([k, v]) => `${k} = ${v}\n`).join("")}`
    )
    .join("\n");
}

/**
 * A gcloud config dir (`CLOUDSDK_CONFIG`) whose active configuration `name` holds `properties`:
 * `<dir>/active_config` = name, `<dir>/configurations/config_<name>` = the INI.
 */
export async function writeGcloudConfig(
  dir: string,
  properties: Record<string, Record<string, string>>,
  name = "atmos",
): Promise<void> {
  await writePrivate(join(dir, "active_config"), name);
  await writePrivate(join(dir, "configurations", `config_${name}`), iniText(properties));
}

/** The version of the installed Azure CLI (Debian layout), read without running it. */
export function installedAzVersion(): string {
  const text = Deno.readTextFileSync("/usr/lib/python3/dist-packages/azure/cli/core/__init__.py");
  const m = /^__version__ = ["']([^"']+)["']/m.exec(text);
  if (!m) throw new Error("cannot find __version__ of azure-cli core");
  return m[1];
}

/** The account an Azure CLI dir is logged in with. */
export type AzureCliAccount =
  | {
    type: "user";
    username: string;
    /** `<oid>` of the user. */
    oid: string;
    /** Tokens to cache; `accessTokenExpiresOn` (epoch seconds) overrides the AT expiry. */
    tokens: AzureUserTokens;
    accessTokenExpiresOn?: number;
  }
  | { type: "servicePrincipal"; clientId: string; clientAssertion: string };

/** Options of {@linkcode writeAzureCliDir}. */
export interface AzureCliDirOptions {
  /** Custom cloud name (e.g. `AtmosEmu`). */
  cloudName: string;
  /** https origin of the authority; the cloud's AD endpoint is `<authority>/adfs`. */
  authority: string;
  subscriptionId: string;
  account: AzureCliAccount;
  /**
   * Also write `versionCheck.json` naming this az version, which stops az's once-a-day
   * connectivity check to azure.microsoft.com (not auth-related).
   */
  azVersion?: string;
}

/** The `clouds.config` INI of a custom cloud whose AD endpoint is `<authority>/adfs`. */
export function cloudsConfig(name: string, authority: string): string {
  return iniText({
    [name]: {
      endpoint_management: "https://management.core.windows.net/",
      endpoint_resource_manager: `${authority}/arm/`,
      endpoint_active_directory: `${authority}/adfs`,
      endpoint_active_directory_resource_id: "https://management.core.windows.net/",
      endpoint_active_directory_graph_resource_id: "https://graph.windows.net/",
      endpoint_microsoft_graph_resource_id: "https://graph.microsoft.com/",
      suffix_storage_endpoint: "core.windows.net",
      suffix_keyvault_dns: ".vault.azure.net",
    },
  });
}

/** MSAL's token cache for a user, keyed as MSAL Python keys it (environment = host, no port). */
export function msalUserCache(
  host: string,
  realm: string,
  account: Extract<AzureCliAccount, { type: "user" }>,
): Record<string, unknown> {
  const home = `${account.oid}.${realm}`;
  const target = account.tokens.scope;
  const now = Math.floor(Date.now() / 1000);
  const expiresOn = account.accessTokenExpiresOn ?? now + account.tokens.expires_in;
  const key = (...parts: string[]) => parts.join("-").toLowerCase();
  return {
    Account: {
      [key(home, host, realm)]: {
        home_account_id: home,
        environment: host,
        realm,
        local_account_id: account.oid,
        username: account.username,
        authority_type: "MSSTS",
      },
    },
    AccessToken: {
      [key(home, host, "accesstoken", AZURE_CLI_CLIENT, realm, target)]: {
        credential_type: "AccessToken",
        secret: account.tokens.access_token,
        home_account_id: home,
        environment: host,
        client_id: AZURE_CLI_CLIENT,
        target,
        realm,
        token_type: "Bearer",
        cached_at: String(now),
        expires_on: String(expiresOn),
        extended_expires_on: String(expiresOn),
      },
    },
    RefreshToken: {
      [key(home, host, "refreshtoken", "1", "", "")]: {
        credential_type: "RefreshToken",
        secret: account.tokens.refresh_token,
        home_account_id: home,
        environment: host,
        client_id: AZURE_CLI_CLIENT,
        target,
        family_id: "1",
      },
    },
    IdToken: {},
    AppMetadata: {
      [key("appmetadata", host, AZURE_CLI_CLIENT)]: {
        client_id: AZURE_CLI_CLIENT,
        environment: host,
        family_id: "1",
      },
    },
  };
}

/**
 * An isolated Azure CLI config dir (`AZURE_CONFIG_DIR`): `config` (cloud selection, no telemetry),
 * `clouds.config` (the custom cloud), `azureProfile.json` (one default subscription in tenant
 * `adfs`), and `msal_token_cache.json` (user) or `service_principal_entries.json` (service
 * principal).
 */
export async function writeAzureCliDir(dir: string, options: AzureCliDirOptions): Promise<void> {
  const realm = "adfs";
  await writePrivate(
    join(dir, "config"),
    iniText({
      cloud: { name: options.cloudName },
      core: { collect_telemetry: "false", first_run: "false", no_color: "true" },
      output: { show_survey_message: "false" },
    }),
  );
  await writePrivate(
    join(dir, "clouds.config"),
    cloudsConfig(options.cloudName, options.authority),
  );
  const account = options.account;
  const user = account.type === "user"
    ? { name: account.username, type: "user" }
    : { name: account.clientId, type: "servicePrincipal" };
  await writePrivate(
    join(dir, "azureProfile.json"),
    JSON.stringify({
      installationId: "00000000-0000-0000-0000-000000000001",
      subscriptions: [{
        id: options.subscriptionId,
        name: "atmos-sub",
        state: "Enabled",
        user,
        isDefault: true,
        tenantId: realm,
        environmentName: options.cloudName,
        homeTenantId: realm,
        managedByTenants: [],
      }],
    }),
  );
  if (account.type === "user") {
    const host = new URL(options.authority).hostname;
    await writePrivate(
      join(dir, "msal_token_cache.json"),
      JSON.stringify(msalUserCache(host, realm, account)),
    );
  } else {
    await writePrivate(
      join(dir, "service_principal_entries.json"),
      JSON.stringify([{
        client_id: account.clientId,
        tenant: realm,
        client_assertion: account.clientAssertion,
      }]),
    );
  }
  if (options.azVersion !== undefined) {
    const local = { local: options.azVersion };
    await writePrivate(
      join(dir, "versionCheck.json"),
      JSON.stringify({
        versions: { "azure-cli": local, core: local },
        update_time: "2000-01-01 00:00:00.000000",
      }),
    );
  }
}
