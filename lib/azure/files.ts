/**
 * One identity's isolated Azure CLI config dir, `<config>/atmos/[<realm>/]azure/<root>/<identity>/`
 * (0700, every file 0600, written atomically through the sandboxed writer): the cloud selection,
 * the profile with the identity's subscription as default, and either the MSAL token cache of the
 * signed-in user (shared with `az`, which refreshes it and writes back) or an application's
 * federated token and client assertion. Reading it back needs no network.
 *
 * @module
 */
import { join } from "../fs/path.ts";
import type { FileWriter } from "../fs/writer.ts";
import { type Authority, authorityFor, AZURE_CLI_CLIENT_ID, defaultScope } from "./clouds.ts";
import {
  CLI_FILES,
  cliConfigText,
  cloudsConfigText,
  parseProfile,
  type Profile,
  profileText,
  servicePrincipalEntriesText,
} from "./cli_dir.ts";
import {
  type AzureAppSet,
  azureAppSet,
  type AzureCredentialSet,
  type AzureUserSet,
  azureUserSet,
} from "./credential_set.ts";
import type { AzureSettings } from "./link.ts";
import {
  accountCache,
  emptyCache,
  findAccessToken,
  findAccounts,
  mergeAccount,
  parseMsalCache,
  stringifyMsalCache,
} from "./msal_cache.ts";
import { jwtExpiration } from "./jwt.ts";

/** The federated token file of an application identity (atmos's own name). */
export const FEDERATED_TOKEN_FILE = "federated_token";

/** The paths of an identity dir. */
export interface IdentityPaths {
  dir: string;
  config: string;
  clouds: string;
  profile: string;
  tokenCache: string;
  servicePrincipals: string;
  federatedToken: string;
  versionCheck: string;
}

/** The paths of the identity dir `dir`. */
export function identityPaths(dir: string): IdentityPaths {
  return {
    dir,
    config: join(dir, CLI_FILES.config),
    clouds: join(dir, CLI_FILES.clouds),
    profile: join(dir, CLI_FILES.profile),
    tokenCache: join(dir, CLI_FILES.tokenCache),
    servicePrincipals: join(dir, CLI_FILES.servicePrincipals),
    federatedToken: join(dir, FEDERATED_TOKEN_FILE),
    versionCheck: join(dir, CLI_FILES.versionCheck),
  };
}

/** What the identity dir's profile says about the subscription. */
export interface DirIdentity {
  /** The identity's name (the profile's subscription name). */
  name: string;
  settings: AzureSettings;
}

/** Writes the dir of a signed-in user: cloud, profile, and the account merged into the cache. */
export async function writeUserDir(
  writer: FileWriter,
  paths: IdentityPaths,
  set: AzureUserSet,
  identity: DirIdentity,
): Promise<void> {
  await writeCommon(writer, paths, set.authority, identity, { name: set.username, type: "user" });
  await writer.withLock(paths.tokenCache, async () => {
    const existing = parseMsalCache(readText(paths.tokenCache) ?? "") ?? emptyCache();
    const { homeAccountId } = set;
    const environment = set.authority.environment;
    // Only this account stays: a different user signed in earlier leaves no token behind.
    const cache = accountCache(existing, homeAccountId, environment);
    mergeAccount(cache, set.cache, homeAccountId, environment);
    await writer.writeAtomic(paths.tokenCache, stringifyMsalCache(cache), 0o600);
  });
  for (const path of [paths.servicePrincipals, paths.federatedToken]) {
    if (readText(path) !== undefined) await writer.remove(path);
  }
  await seedVersionCheck(writer, paths, set.cliVersionCheck);
}

/** Writes the dir of an application: cloud, profile, federated token and client assertion. */
export async function writeAppDir(
  writer: FileWriter,
  paths: IdentityPaths,
  set: AzureAppSet,
  identity: DirIdentity,
): Promise<void> {
  await writeCommon(writer, paths, set.authority, identity, {
    name: set.clientId,
    type: "servicePrincipal",
  });
  if (set.assertionFile === undefined) {
    await writer.writeAtomic(paths.federatedToken, set.assertion, 0o600);
  } else if (readText(paths.federatedToken) !== undefined) {
    await writer.remove(paths.federatedToken);
  }
  await writer.writeAtomic(
    paths.servicePrincipals,
    servicePrincipalEntriesText(set.clientId, set.authority.tenantId, set.assertion),
    0o600,
  );
  // A user signed in to this identity earlier leaves no refresh token behind.
  const cache = parseMsalCache(readText(paths.tokenCache) ?? "");
  if (cache && Object.keys(cache.RefreshToken).length > 0) await writer.remove(paths.tokenCache);
  await seedVersionCheck(writer, paths, set.cliVersionCheck);
}

/**
 * The identity's credentials as last written (with what `az` refreshed since), or undefined.
 * A user's expiry is the Resource Manager access token's; an application's that of its
 * federated token.
 */
export function readIdentityDir(
  paths: IdentityPaths,
  settings: AzureSettings,
): AzureCredentialSet | undefined {
  const profile = readProfile(paths);
  if (!profile) return undefined;
  const authority = readAuthority(paths, settings);
  if (!authority) return undefined;
  if (profile.user.type === "servicePrincipal") {
    const file = settings.tokenFilePath ?? paths.federatedToken;
    const assertion = readText(file)?.trim();
    const expiration = assertion ? jwtExpiration(assertion) : undefined;
    if (!assertion || !expiration) return undefined;
    return azureAppSet({
      authority,
      clientId: profile.user.name,
      assertion,
      assertionFile: settings.tokenFilePath,
      expiration,
    });
  }
  const cache = parseMsalCache(readText(paths.tokenCache) ?? "");
  if (!cache) return undefined;
  const clientId = settings.clientId ?? AZURE_CLI_CLIENT_ID;
  for (
    const account of findAccounts(cache, {
      environment: authority.environment,
      username: profile.user.name,
    })
  ) {
    const at = findAccessToken(cache, {
      homeAccountId: account.home_account_id,
      environment: authority.environment,
      realm: authority.realm,
      clientId,
      scope: defaultScope(authority.cloud.armResource),
    });
    const expiresOn = Number(at?.expires_on);
    if (!at || !Number.isFinite(expiresOn)) continue;
    return azureUserSet({
      authority,
      clientId,
      homeAccountId: account.home_account_id,
      username: account.username,
      cache: accountCache(cache, account.home_account_id, authority.environment),
      expiration: new Date(expiresOn * 1000),
    });
  }
  return undefined;
}

/** The dir's profile, or undefined when missing or unreadable. */
export function readProfile(paths: IdentityPaths): Profile | undefined {
  const text = readText(paths.profile);
  return text === undefined ? undefined : parseProfile(text);
}

/**
 * The authority the dir was written for: the built-in cloud's login host, or the custom cloud's
 * Active Directory endpoint (without `/adfs`).
 */
export function readAuthority(
  paths: IdentityPaths,
  settings: AzureSettings,
): Authority | undefined {
  const name = iniValue(readText(paths.config) ?? "", "cloud", "name");
  if (!name) return undefined;
  if (name === settings.cloud.cliName) return authorityFor(settings.cloud, settings.tenantId);
  const endpoint = iniValue(readText(paths.clouds) ?? "", name, "endpoint_active_directory");
  if (!endpoint) return undefined;
  try {
    return authorityFor(settings.cloud, settings.tenantId, new URL(endpoint).origin);
  } catch {
    return undefined;
  }
}

/** Synchronous: small files, read on every warm run. */
export function readText(path: string): string | undefined {
  try {
    return Deno.readTextFileSync(path);
  } catch {
    return undefined;
  }
}

async function writeCommon(
  writer: FileWriter,
  paths: IdentityPaths,
  authority: Authority,
  identity: DirIdentity,
  user: { name: string; type: "user" | "servicePrincipal" },
): Promise<void> {
  await writer.mkdir(paths.dir, 0o700);
  await writer.writeAtomic(paths.config, cliConfigText(authority), 0o600);
  const clouds = cloudsConfigText(authority);
  if (clouds !== undefined) await writer.writeAtomic(paths.clouds, clouds, 0o600);
  else if (readText(paths.clouds) !== undefined) await writer.remove(paths.clouds);
  const subscriptionId = identity.settings.subscriptionId ?? "";
  await writer.writeAtomic(
    paths.profile,
    profileText(authority, {
      subscriptionId,
      name: identity.name,
      tenantId: authority.tenantId,
      user,
      installationId: readProfile(paths)?.installationId ?? crypto.randomUUID(),
    }),
    0o600,
  );
}

async function seedVersionCheck(
  writer: FileWriter,
  paths: IdentityPaths,
  seed: string | undefined,
): Promise<void> {
  if (seed === undefined || readText(paths.versionCheck) !== undefined) return;
  await writer.writeAtomic(paths.versionCheck, seed, 0o600);
}

/** One value of a simple INI text (`[section]` then `key = value` lines). */
function iniValue(text: string, section: string, key: string): string | undefined {
  let current: string | undefined;
  for (const raw of text.split(/\r?\n/)) {
    const line = raw.trim();
    const header = /^\[(.+)\]$/.exec(line);
    if (header) {
      current = header[1].trim();
      continue;
    }
    if (current !== section) continue;
    const match = /^([^=:]+?)\s*[=:]\s*(.*)$/.exec(line);
    if (match && match[1] === key) return match[2].trim();
  }
  return undefined;
}
