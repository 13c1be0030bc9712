/**
 * MSAL's unified token cache (`msal_token_cache.json`), the file `az` reads and writes in its
 * config dir, as MSAL Python 1.21 keys it (`msal/token_cache.py`): sections `Account`,
 * `AccessToken`, `RefreshToken`, `IdToken`, `AppMetadata`; keys lower-cased (except
 * `AppMetadata`); times as epoch seconds in strings; `environment` the authority host without
 * port; `home_account_id` `<uid>.<utid>` from the answer's `client_info`.
 *
 * Atmos adds token answers the way MSAL does (so `az` finds them and, after refreshing, writes
 * its own next to them) and reads them back for the caching rule. Pure functions over plain
 * data: reading and writing the file is the output's job.
 *
 * @module
 */
import type { TokenResponse } from "./entra.ts";
import { base64UrlJson, jwtClaims } from "./jwt.ts";

/** An `Account` entry. */
export interface AccountEntry {
  home_account_id: string;
  environment: string;
  realm: string;
  local_account_id: string;
  username: string;
  authority_type: string;
}

/** An `AccessToken` entry (`secret` is the token). */
export interface AccessTokenEntry {
  credential_type: "AccessToken";
  secret: string;
  home_account_id: string;
  environment: string;
  client_id: string;
  target: string;
  realm: string;
  token_type: string;
  cached_at: string;
  expires_on: string;
  extended_expires_on: string;
}

/** A `RefreshToken` entry (`secret` is the token). */
export interface RefreshTokenEntry {
  credential_type: "RefreshToken";
  secret: string;
  home_account_id: string;
  environment: string;
  client_id: string;
  target: string;
  family_id?: string;
  last_modification_time?: string;
}

/** An `AppMetadata` entry. */
export interface AppMetadataEntry {
  client_id: string;
  environment: string;
  family_id?: string;
}

/** The cache file's content (other sections are kept as they are). */
export interface MsalCache {
  Account: Record<string, AccountEntry>;
  AccessToken: Record<string, AccessTokenEntry>;
  RefreshToken: Record<string, RefreshTokenEntry>;
  IdToken: Record<string, unknown>;
  AppMetadata: Record<string, AppMetadataEntry>;
  [section: string]: Record<string, unknown>;
}

/** An empty cache. */
export function emptyCache(): MsalCache {
  return { Account: {}, AccessToken: {}, RefreshToken: {}, IdToken: {}, AppMetadata: {} };
}

/** Parses a cache file's text; undefined when it is not a JSON object. */
export function parseMsalCache(text: string): MsalCache | undefined {
  let data: unknown;
  try {
    data = JSON.parse(text);
  } catch {
    return undefined;
  }
  if (!isObject(data)) return undefined;
  const cache = emptyCache();
  for (const [section, entries] of Object.entries(data)) {
    if (isObject(entries)) cache[section] = { ...entries };
  }
  return cache;
}

/** The file's text (MSAL writes compact JSON; so do we). */
export function stringifyMsalCache(cache: MsalCache): string {
  return JSON.stringify(cache);
}

/** What a token answer is about, as MSAL's `add()` receives it. */
export interface TokenEvent {
  response: TokenResponse;
  clientId: string;
  /** The authority host without port. */
  environment: string;
  /** The authority's tenant segment (a tenant id, or `adfs`). */
  realm: string;
  /** The resource scopes asked for (without `openid profile offline_access`). */
  scopes: readonly string[];
  /** Epoch seconds. */
  now: number;
}

/**
 * Adds a token answer to the cache as MSAL Python does: the access token, the refresh token
 * (replacing the account's older ones), the account (from the ID token) and the app metadata.
 *
 * @returns the home account id, or undefined when the answer names no account (client
 *   credentials), in which case only the access token and app metadata are added.
 */
export function addTokenResponse(cache: MsalCache, event: TokenEvent): string | undefined {
  const { response, clientId, environment, realm, now } = event;
  const idClaims = response.idToken ? jwtClaims(response.idToken) ?? {} : {};
  const homeAccountId = homeAccountIdOf(response, idClaims);
  const target = targetOf(response.scope, event.scopes);
  const expiresOn = now + Math.floor(response.expiresIn);
  const at: AccessTokenEntry = {
    credential_type: "AccessToken",
    secret: response.accessToken,
    home_account_id: homeAccountId ?? "",
    environment,
    client_id: clientId,
    target,
    realm,
    token_type: response.tokenType,
    cached_at: String(now),
    expires_on: String(expiresOn),
    extended_expires_on: String(now + Math.floor(response.extExpiresIn ?? response.expiresIn)),
  };
  cache.AccessToken[accessTokenKey(at)] = at;
  if (homeAccountId !== undefined && (response.clientInfo || response.idToken)) {
    const username = stringClaim(idClaims, "preferred_username") ??
      stringClaim(idClaims, "upn") ?? stringClaim(idClaims, "email");
    const account: AccountEntry = {
      home_account_id: homeAccountId,
      environment,
      realm,
      local_account_id: stringClaim(idClaims, "oid") ?? stringClaim(idClaims, "sub") ??
        homeAccountId.split(".")[0],
      username: username ?? existingUsername(cache, homeAccountId, environment) ?? "",
      authority_type: realm === "adfs" ? "ADFS" : "MSSTS",
    };
    cache.Account[accountKey(account)] = account;
  }
  if (response.refreshToken && homeAccountId !== undefined) {
    removeRefreshTokens(cache, homeAccountId, environment);
    const rt: RefreshTokenEntry = {
      credential_type: "RefreshToken",
      secret: response.refreshToken,
      home_account_id: homeAccountId,
      environment,
      client_id: clientId,
      target,
      last_modification_time: String(now),
      ...(response.foci ? { family_id: response.foci } : {}),
    };
    cache.RefreshToken[refreshTokenKey(rt)] = rt;
  }
  const app: AppMetadataEntry = {
    client_id: clientId,
    environment,
    ...(response.foci ? { family_id: response.foci } : {}),
  };
  cache.AppMetadata[`appmetadata-${environment}-${clientId}`] = app;
  return homeAccountId;
}

/** Accounts of an authority host, optionally only those of one user name (any case). */
export function findAccounts(
  cache: MsalCache,
  query: { environment: string; username?: string; realm?: string },
): AccountEntry[] {
  return Object.values(cache.Account).filter((a) =>
    isObject(a) && a.environment === query.environment &&
    (query.username === undefined ||
      String(a.username).toLowerCase() === query.username.toLowerCase()) &&
    (query.realm === undefined || a.realm === query.realm)
  );
}

/** The account's access token for `scope` that expires last, if any. */
export function findAccessToken(
  cache: MsalCache,
  query: {
    homeAccountId: string;
    environment: string;
    realm: string;
    clientId: string;
    scope: string;
  },
): AccessTokenEntry | undefined {
  const matches = Object.values(cache.AccessToken).filter((t) =>
    isObject(t) && t.home_account_id === query.homeAccountId &&
    t.environment === query.environment && t.realm === query.realm &&
    t.client_id === query.clientId && typeof t.secret === "string" &&
    String(t.target ?? "").split(/\s+/).includes(query.scope)
  );
  return matches.sort((a, b) => Number(b.expires_on) - Number(a.expires_on))[0];
}

/**
 * Refresh tokens of an account (every account of the host without `homeAccountId`), newest
 * first: with `clientId`, only those that client may redeem (its own, or its family's).
 */
export function findRefreshTokens(
  cache: MsalCache,
  query: { homeAccountId?: string; environment: string; clientId?: string; familyId?: string },
): RefreshTokenEntry[] {
  return newestFirst(
    Object.values(cache.RefreshToken).filter((t) =>
      isObject(t) && typeof t.secret === "string" && t.environment === query.environment &&
      (query.homeAccountId === undefined || t.home_account_id === query.homeAccountId) &&
      (query.clientId === undefined || t.client_id === query.clientId ||
        (query.familyId !== undefined && t.family_id === query.familyId))
    ),
  );
}

/** Refresh tokens by `last_modification_time`, newest first (MSAL tries them in this order). */
export function newestFirst(tokens: RefreshTokenEntry[]): RefreshTokenEntry[] {
  return [...tokens].sort((a, b) =>
    Number(b.last_modification_time ?? 0) - Number(a.last_modification_time ?? 0)
  );
}

/** A cache holding only one account's entries (of one authority host). */
export function accountCache(
  cache: MsalCache,
  homeAccountId: string,
  environment: string,
): MsalCache {
  const mine = (entry: unknown) =>
    isObject(entry) && entry.home_account_id === homeAccountId &&
    entry.environment === environment;
  const out = emptyCache();
  for (const section of ["Account", "AccessToken", "RefreshToken"] as const) {
    for (const [key, entry] of Object.entries(cache[section])) {
      if (mine(entry)) (out[section] as Record<string, unknown>)[key] = entry;
    }
  }
  for (const [key, entry] of Object.entries(cache.AppMetadata)) {
    if (isObject(entry) && entry.environment === environment) out.AppMetadata[key] = entry;
  }
  return out;
}

/**
 * Copies one account's entries from `source` into `target`: of both caches' refresh tokens for
 * the account only the newest stays (a rotated one replaces the old), of two access tokens for
 * the same resource the one that expires last; other entries are added or replaced key by key,
 * so tokens `az` cached for other resources stay.
 */
export function mergeAccount(
  target: MsalCache,
  source: MsalCache,
  homeAccountId: string,
  environment: string,
): void {
  const incoming = accountCache(source, homeAccountId, environment);
  const query = { homeAccountId, environment };
  const [newest] = newestFirst([
    ...findRefreshTokens(incoming, query),
    ...findRefreshTokens(target, query),
  ]);
  removeRefreshTokens(target, homeAccountId, environment);
  if (newest) target.RefreshToken[refreshTokenKey(newest)] = newest;
  for (const [key, at] of Object.entries(incoming.AccessToken)) {
    const current = target.AccessToken[key];
    if (!current || Number(at.expires_on) >= Number(current.expires_on)) {
      target.AccessToken[key] = at;
    }
  }
  for (const section of ["Account", "IdToken", "AppMetadata"] as const) {
    Object.assign(target[section], incoming[section]);
  }
}

/** Every secret (token) the cache holds. */
export function cacheSecrets(cache: MsalCache): string[] {
  const out: string[] = [];
  for (const section of ["AccessToken", "RefreshToken", "IdToken"] as const) {
    for (const entry of Object.values(cache[section])) {
      if (isObject(entry) && typeof entry.secret === "string") out.push(entry.secret);
    }
  }
  return out;
}

/** MSAL's key of an access token. */
export function accessTokenKey(at: AccessTokenEntry): string {
  return [at.home_account_id, at.environment, "accesstoken", at.client_id, at.realm, at.target]
    .join("-").toLowerCase();
}

/** MSAL's key of a refresh token. */
export function refreshTokenKey(rt: RefreshTokenEntry): string {
  return [rt.home_account_id, rt.environment, "refreshtoken", rt.client_id, "", rt.target]
    .join("-").toLowerCase();
}

/** MSAL's key of an account. */
export function accountKey(account: AccountEntry): string {
  return [account.home_account_id, account.environment, account.realm].join("-").toLowerCase();
}

function removeRefreshTokens(cache: MsalCache, homeAccountId: string, environment: string): void {
  for (const [key, entry] of Object.entries(cache.RefreshToken)) {
    if (entry.home_account_id === homeAccountId && entry.environment === environment) {
      delete cache.RefreshToken[key];
    }
  }
}

/** `<uid>.<utid>` from `client_info`, else the ID token's `sub` (MSAL's `__parse_account`). */
function homeAccountIdOf(
  response: TokenResponse,
  idClaims: Record<string, unknown>,
): string | undefined {
  if (response.clientInfo) {
    const info = base64UrlJson(response.clientInfo);
    if (isObject(info) && typeof info.uid === "string" && typeof info.utid === "string") {
      return `${info.uid}.${info.utid}`;
    }
  }
  return stringClaim(idClaims, "sub");
}

/**
 * The answer's scopes (what MSAL writes), with any asked-for scope the answer left out, so a
 * later lookup of the same scope finds it.
 */
function targetOf(answered: string | undefined, asked: readonly string[]): string {
  const scopes = (answered ?? "").split(/\s+/).filter((s) => s !== "");
  for (const scope of asked) if (!scopes.includes(scope)) scopes.push(scope);
  return scopes.join(" ");
}

function existingUsername(
  cache: MsalCache,
  homeAccountId: string,
  environment: string,
): string | undefined {
  return Object.values(cache.Account).find((a) =>
    a.home_account_id === homeAccountId && a.environment === environment && a.username
  )?.username;
}

function stringClaim(claims: Record<string, unknown>, name: string): string | undefined {
  const value = claims[name];
  return typeof value === "string" && value !== "" ? value : undefined;
}

function isObject(value: unknown): value is Record<string, unknown> {
  return typeof value === "object" && value !== null && !Array.isArray(value);
}
