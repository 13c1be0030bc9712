/**
 * A signed-in Entra ID user's tokens for the `azure/device-code` and `azure/interactive`
 * providers, in order:
 * 1. the provider's sign-in cache (`<config>/atmos/[<realm>/]azure/<provider>/
 *    signin_token_cache.json`, MSAL's format), when its Resource Manager token has more than 5
 *    minutes left (no lock, no network);
 * 2. under that file's cross-process lock, the file again — a process that waited for another
 *    one's refresh or sign-in uses its result;
 * 3. a silent refresh with the newest refresh token of the provider's cache and of its
 *    identities' Azure CLI dirs (where `az` writes the tokens it rotates);
 * 4. the interactive sign-in (device code or browser), only on a terminal or with
 *    `ATMOS_FORCE_TTY=true`.
 * So N parallel callers with an expired token make one refresh, or show one sign-in, between
 * them. `azure/cli` uses steps 1 and 3 on the user's own `az login` cache instead (read only).
 *
 * Tokens are redeemed as `az` would redeem them: refresh grants go to the authority the
 * isolated config dir selects (the same as the sign-in authority, except for a non-Microsoft
 * `AZURE_AUTHORITY_HOST`, where `az` uses `<host>/adfs`), so the cache holds the account, realm
 * and home account id `az` itself finds and writes back. Resource Manager's token is required;
 * Microsoft Graph's and Key Vault's are fetched too (best effort), as Atmos does.
 *
 * @module
 */
import { AtmosError } from "../../errors.ts";
import { join } from "../../fs/path.ts";
import type { AuthContext } from "../kind.ts";
import { type Authority, AZURE_CLI_CLIENT_ID, defaultScope } from "../../azure/clouds.ts";
import {
  EntraError,
  OIDC_SCOPES,
  redeemRefreshToken,
  type TokenResponse,
} from "../../azure/entra.ts";
import { type AzureUserSet, azureUserSet } from "../../azure/credential_set.ts";
import {
  accountCache,
  addTokenResponse,
  emptyCache,
  findAccessToken,
  findAccounts,
  findRefreshTokens,
  mergeAccount,
  type MsalCache,
  newestFirst,
  parseMsalCache,
  type RefreshTokenEntry,
  stringifyMsalCache,
} from "../../azure/msal_cache.ts";
import { CLI_FILES } from "../../azure/cli_dir.ts";

/** A cached Resource Manager token needs more than this much life left to be used. */
export const TOKEN_BUFFER_MS = 5 * 60 * 1000;
/** How long a process waits for another one's sign-in (device codes live 15 minutes). */
export const SIGN_IN_LOCK_TIMEOUT_MS = 20 * 60 * 1000;
/** The provider's own cache file, in its root directory beside its identities' dirs. */
export const SIGN_IN_CACHE = "signin_token_cache.json";

/** What the tokens are for. */
export interface UserTokenRequest {
  /** Provider name, for messages. */
  provider: string;
  authority: Authority;
  clientId: string;
  /** Seed for the identity dirs' `versionCheck.json` (not a secret). */
  cliVersionCheck?: string;
}

/** An interactive sign-in at the login authority, for Resource Manager's scope. */
export type SignIn = () => Promise<TokenResponse>;

/** The scopes atmos caches: Resource Manager (as `az` asks for it), Graph, Key Vault. */
export function resourceScopes(authority: Authority): string[] {
  const cloud = authority.cloud;
  return [cloud.armResource, cloud.graphResource, cloud.keyVaultResource].map(defaultScope);
}

/** The scope a sign-in asks for: Resource Manager plus an ID token and a refresh token. */
export function signInScope(authority: Authority): string {
  return `${resourceScopes(authority)[0]} ${OIDC_SCOPES}`;
}

/** A provider's user tokens (steps 1–4 of the module doc). */
export async function providerUserSet(
  request: UserTokenRequest,
  rootDir: string,
  ctx: AuthContext,
  signIn: SignIn,
): Promise<AzureUserSet> {
  const path = join(rootDir, SIGN_IN_CACHE);
  const fresh = freshUserSet(readCache(path), request, ctx.now());
  if (fresh) return withNewestRefreshToken(fresh, identityCaches(rootDir));
  const writer = await ctx.writer();
  let waiting: ReturnType<AuthContext["progress"]> | undefined;
  const timer = setTimeout(() => {
    waiting = ctx.progress(
      `Waiting for another atmos process to sign in to Entra ID for "${request.provider}"…`,
    );
  }, 1000);
  return await writer.withLock(path, async () => {
    clearTimeout(timer);
    waiting?.stop();
    const current = readCache(path);
    const reread = freshUserSet(current, request, ctx.now());
    if (reread) {
      ctx.debug(`azure "${request.provider}": another process signed in; using its tokens`);
      return withNewestRefreshToken(reread, identityCaches(rootDir));
    }
    const candidates = [current, ...identityCaches(rootDir)].filter((c) => c !== undefined);
    const set = await refreshUserSet(request, candidates, ctx) ??
      await signedInUserSet(request, await signIn(), ctx);
    await writer.writeAtomic(path, stringifyMsalCache(set.cache), 0o600);
    return set;
  }, { timeoutMs: SIGN_IN_LOCK_TIMEOUT_MS }).finally(() => {
    clearTimeout(timer);
    waiting?.stop();
  });
}

/**
 * A set from `cache` when an account of the authority has a Resource Manager token with more
 * than {@linkcode TOKEN_BUFFER_MS} left (preferring `username` when given).
 */
export function freshUserSet(
  cache: MsalCache | undefined,
  request: UserTokenRequest,
  now: number,
  username?: string,
): AzureUserSet | undefined {
  if (!cache) return undefined;
  const { authority, clientId } = request;
  const accounts = findAccounts(cache, {
    environment: authority.environment,
    realm: authority.realm,
    username,
  });
  for (const account of accounts) {
    const at = findAccessToken(cache, {
      homeAccountId: account.home_account_id,
      environment: authority.environment,
      realm: authority.realm,
      clientId,
      scope: resourceScopes(authority)[0],
    });
    const expiresOn = Number(at?.expires_on) * 1000;
    if (!at || !Number.isFinite(expiresOn) || expiresOn - now <= TOKEN_BUFFER_MS) continue;
    return userSet(request, cache, account.home_account_id, new Date(expiresOn));
  }
  return undefined;
}

/**
 * Redeems the refresh tokens of `caches` (newest first) until one works; undefined when none
 * does (none stored, all expired or revoked). Network failures are errors.
 */
export async function refreshUserSet(
  request: UserTokenRequest,
  caches: readonly MsalCache[],
  ctx: AuthContext,
  username?: string,
): Promise<AzureUserSet | undefined> {
  const seen = new Set<string>();
  const candidates: { token: RefreshTokenEntry; cache: MsalCache }[] = [];
  for (const cache of caches) {
    const names = username === undefined ? undefined : new Set(
      findAccounts(cache, { environment: request.authority.environment, username })
        .map((a) => a.home_account_id),
    );
    for (const token of refreshTokensFor(cache, request)) {
      if (seen.has(token.secret) || (names && !names.has(token.home_account_id))) continue;
      seen.add(token.secret);
      candidates.push({ token, cache });
    }
  }
  const ordered = newestFirst(candidates.map((c) => c.token));
  for (const token of ordered) {
    const source = candidates.find((c) => c.token === token)!.cache;
    ctx.debug(`azure "${request.provider}": refreshing at ${request.authority.cli}`);
    try {
      return await collectTokens(
        request,
        accountCache(source, token.home_account_id, request.authority.environment),
        token.secret,
        ctx,
      );
    } catch (error) {
      // A refused refresh token (expired, revoked, rotated elsewhere) means trying the next
      // one, then signing in; network failures and server errors are reported as they are.
      if (error instanceof EntraError && error.status >= 400 && error.status < 500) {
        ctx.debug(`azure "${request.provider}": refresh refused (${error.error})`);
        continue;
      }
      throw error;
    }
  }
  return undefined;
}

/** The tokens after an interactive sign-in, as `az` will find them. */
export async function signedInUserSet(
  request: UserTokenRequest,
  response: TokenResponse,
  ctx: AuthContext,
): Promise<AzureUserSet> {
  if (request.authority.login === request.authority.cli) {
    return await collectTokens(request, emptyCache(), response.refreshToken, ctx, response);
  }
  if (!response.refreshToken) {
    throw new AtmosError(
      `Entra ID returned no refresh token for provider "${request.provider}"`,
      { hint: "the sign-in must allow offline_access" },
    );
  }
  return await collectTokens(request, emptyCache(), response.refreshToken, ctx);
}

/**
 * Adds Resource Manager's token (the sign-in answer, or a refresh) and then Graph's and Key
 * Vault's (refreshed, best effort) to `cache`; each refresh uses the newest refresh token.
 */
async function collectTokens(
  request: UserTokenRequest,
  cache: MsalCache,
  refreshToken: string | undefined,
  ctx: AuthContext,
  armAnswer?: TokenResponse,
): Promise<AzureUserSet> {
  const { authority, clientId } = request;
  const [arm, ...others] = resourceScopes(authority);
  const target = { authority: authority.cli };
  const event = (response: TokenResponse, scope: string) => ({
    response,
    clientId,
    environment: authority.environment,
    realm: authority.realm,
    scopes: [scope],
    now: Math.floor(ctx.now() / 1000),
  });
  let token = refreshToken;
  const armResponse = armAnswer ??
    await redeemRefreshToken(target, clientId, token ?? "", `${arm} ${OIDC_SCOPES}`);
  const homeAccountId = addTokenResponse(cache, event(armResponse, arm));
  if (homeAccountId === undefined) {
    throw new AtmosError(
      `Entra ID named no account in its answer for provider "${request.provider}"`,
      { hint: "sign in with a user account (device code or browser)" },
    );
  }
  token = armResponse.refreshToken ?? token;
  const armExpiry = new Date(ctx.now() + armResponse.expiresIn * 1000);
  for (const scope of others) {
    if (!token) break;
    try {
      const response = await redeemRefreshToken(target, clientId, token, `${scope} ${OIDC_SCOPES}`);
      addTokenResponse(cache, event(response, scope));
      token = response.refreshToken ?? token;
    } catch (error) {
      if (!(error instanceof EntraError)) throw error;
      ctx.debug(`azure "${request.provider}": no token for ${scope} (${error.error})`);
    }
  }
  return userSet(request, cache, homeAccountId, armExpiry);
}

function userSet(
  request: UserTokenRequest,
  cache: MsalCache,
  homeAccountId: string,
  expiration: Date,
): AzureUserSet {
  const environment = request.authority.environment;
  const username = findAccounts(cache, { environment })
    .find((a) => a.home_account_id === homeAccountId)?.username;
  if (!username) {
    throw new AtmosError(
      `Entra ID gave no user name for the account of provider "${request.provider}"`,
      { hint: "the sign-in must include the openid and profile scopes" },
    );
  }
  return azureUserSet({
    authority: request.authority,
    clientId: request.clientId,
    homeAccountId,
    username,
    cache: accountCache(cache, homeAccountId, environment),
    expiration,
    cliVersionCheck: request.cliVersionCheck,
  });
}

/**
 * The set with the newest refresh token of its account found in `caches` (where `az` wrote a
 * rotated one), so the identity dir written next gets a token that still works.
 */
function withNewestRefreshToken(set: AzureUserSet, caches: readonly MsalCache[]): AzureUserSet {
  const cache = accountCache(set.cache, set.homeAccountId, set.authority.environment);
  for (const other of caches) {
    const account = accountCache(other, set.homeAccountId, set.authority.environment);
    account.AccessToken = {};
    mergeAccount(cache, account, set.homeAccountId, set.authority.environment);
  }
  return azureUserSet({ ...set, cache });
}

function refreshTokensFor(cache: MsalCache, request: UserTokenRequest): RefreshTokenEntry[] {
  return findRefreshTokens(cache, {
    environment: request.authority.environment,
    clientId: request.clientId,
    familyId: request.clientId === AZURE_CLI_CLIENT_ID ? "1" : undefined,
  });
}

/** The token caches of the provider's identity dirs (`<root>/<identity>/msal_token_cache.json`). */
function identityCaches(rootDir: string): MsalCache[] {
  const caches: MsalCache[] = [];
  let entries: Deno.DirEntry[];
  try {
    entries = [...Deno.readDirSync(rootDir)];
  } catch {
    return caches;
  }
  for (const entry of entries) {
    if (!entry.isDirectory) continue;
    const cache = readCache(join(rootDir, entry.name, CLI_FILES.tokenCache));
    if (cache) caches.push(cache);
  }
  return caches;
}

/** A cache file, or undefined when missing or unreadable. */
export function readCache(path: string): MsalCache | undefined {
  try {
    return parseMsalCache(Deno.readTextFileSync(path));
  } catch {
    return undefined;
  }
}
