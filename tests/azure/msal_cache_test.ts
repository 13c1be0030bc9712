import assert from "node:assert/strict";
import {
  accountCache,
  addTokenResponse,
  cacheSecrets,
  emptyCache,
  findAccessToken,
  findAccounts,
  findRefreshTokens,
  mergeAccount,
  parseMsalCache,
  stringifyMsalCache,
} from "../../lib/azure/msal_cache.ts";
import type { TokenResponse } from "../../lib/azure/entra.ts";

const CLI = "04b07795-8ddb-461a-bbee-02f9e1bf7b46";
const OID = "44444444-4444-4444-4444-444444444444";
const TENANT = "33333333-3333-3333-3333-333333333333";
const ARM = "https://management.core.windows.net//.default";
const GRAPH = "https://graph.microsoft.com//.default";
const NOW = 1_800_000_000;

function b64(value: unknown): string {
  return btoa(JSON.stringify(value)).replace(/=+$/, "").replace(/\+/g, "-").replace(/\//g, "_");
}

function idToken(claims: Record<string, unknown>): string {
  return `${b64({ alg: "none" })}.${b64(claims)}.sig`;
}

function answer(overrides: Partial<TokenResponse> = {}): TokenResponse {
  return {
    accessToken: "at-1",
    expiresIn: 3600,
    refreshToken: "rt-1",
    idToken: idToken({ oid: OID, sub: "s", preferred_username: "Alice@Example.com" }),
    clientInfo: b64({ uid: OID, utid: TENANT }),
    scope: ARM,
    foci: "1",
    tokenType: "Bearer",
    ...overrides,
  };
}

function add(cache = emptyCache(), response = answer(), now = NOW, scope = ARM) {
  const home = addTokenResponse(cache, {
    response,
    clientId: CLI,
    environment: "login.microsoftonline.com",
    realm: TENANT,
    scopes: [scope],
    now,
  });
  return { cache, home };
}

Deno.test("addTokenResponse() keys and fills entries as MSAL Python does", () => {
  const { cache, home } = add();
  assert.equal(home, `${OID}.${TENANT}`);
  const key = `${OID}.${TENANT}-login.microsoftonline.com`;
  assert.deepEqual(Object.keys(cache.Account), [`${key}-${TENANT}`]);
  assert.deepEqual(cache.Account[`${key}-${TENANT}`], {
    home_account_id: home,
    environment: "login.microsoftonline.com",
    realm: TENANT,
    local_account_id: OID,
    username: "Alice@Example.com",
    authority_type: "MSSTS",
  });
  const atKey = `${key}-accesstoken-${CLI}-${TENANT}-${ARM}`;
  assert.deepEqual(Object.keys(cache.AccessToken), [atKey]);
  assert.deepEqual(cache.AccessToken[atKey], {
    credential_type: "AccessToken",
    secret: "at-1",
    home_account_id: home,
    environment: "login.microsoftonline.com",
    client_id: CLI,
    target: ARM,
    realm: TENANT,
    token_type: "Bearer",
    cached_at: String(NOW),
    expires_on: String(NOW + 3600),
    extended_expires_on: String(NOW + 3600),
  });
  const [rt] = Object.values(cache.RefreshToken);
  assert.deepEqual(Object.keys(cache.RefreshToken), [`${key}-refreshtoken-${CLI}--${ARM}`]);
  assert.equal(rt.family_id, "1");
  assert.equal(rt.last_modification_time, String(NOW));
  assert.deepEqual(cache.AppMetadata, {
    [`appmetadata-login.microsoftonline.com-${CLI}`]: {
      client_id: CLI,
      environment: "login.microsoftonline.com",
      family_id: "1",
    },
  });
});

Deno.test("addTokenResponse() writes ADFS accounts, keeps asked-for scopes and one refresh token", () => {
  const cache = emptyCache();
  addTokenResponse(cache, {
    response: answer({
      clientInfo: b64({ uid: OID, utid: "adfs" }),
      scope: "x/user_impersonation",
    }),
    clientId: CLI,
    environment: "127.0.0.1",
    realm: "adfs",
    scopes: [ARM],
    now: NOW,
  });
  const [account] = Object.values(cache.Account);
  assert.equal(account.authority_type, "ADFS");
  assert.equal(account.home_account_id, `${OID}.adfs`);
  const [at] = Object.values(cache.AccessToken);
  assert.equal(
    at.target,
    `x/user_impersonation ${ARM}`,
    "a later lookup of the asked scope finds it",
  );
  addTokenResponse(cache, {
    response: answer({ clientInfo: b64({ uid: OID, utid: "adfs" }), refreshToken: "rt-2" }),
    clientId: CLI,
    environment: "127.0.0.1",
    realm: "adfs",
    scopes: [GRAPH],
    now: NOW + 1,
  });
  assert.deepEqual(Object.values(cache.RefreshToken).map((t) => t.secret), ["rt-2"]);
});

Deno.test("addTokenResponse() without client_info or ID token adds an app token and no account", () => {
  const cache = emptyCache();
  const home = addTokenResponse(cache, {
    response: answer({ clientInfo: undefined, idToken: undefined, refreshToken: undefined }),
    clientId: "app",
    environment: "login.microsoftonline.com",
    realm: TENANT,
    scopes: [ARM],
    now: NOW,
  });
  assert.equal(home, undefined);
  assert.deepEqual(cache.Account, {});
  assert.deepEqual(cache.RefreshToken, {});
  assert.equal(Object.values(cache.AccessToken)[0].home_account_id, "");
});

Deno.test("findAccessToken() matches account, host, realm, client and scope, latest expiry first", () => {
  const { cache, home } = add();
  add(cache, answer({ accessToken: "at-later" }), NOW + 600);
  const query = {
    homeAccountId: home!,
    environment: "login.microsoftonline.com",
    realm: TENANT,
    clientId: CLI,
    scope: ARM,
  };
  assert.equal(findAccessToken(cache, query)?.secret, "at-later");
  assert.equal(findAccessToken(cache, { ...query, realm: "adfs" }), undefined);
  assert.equal(findAccessToken(cache, { ...query, scope: GRAPH }), undefined);
  assert.equal(findAccessToken(cache, { ...query, clientId: "other" }), undefined);
  assert.equal(findAccessToken(cache, { ...query, environment: "127.0.0.1" }), undefined);
});

Deno.test("findAccounts() matches user names in any case; findRefreshTokens() honours the family", () => {
  const { cache } = add();
  const environment = "login.microsoftonline.com";
  assert.equal(findAccounts(cache, { environment, username: "alice@example.COM" }).length, 1);
  assert.equal(findAccounts(cache, { environment, username: "bob@example.com" }).length, 0);
  assert.equal(findRefreshTokens(cache, { environment, clientId: "another-app" }).length, 0);
  assert.equal(
    findRefreshTokens(cache, { environment, clientId: "another-app", familyId: "1" }).length,
    1,
  );
});

Deno.test("mergeAccount() keeps the newest refresh token and the access token that expires last", () => {
  const mine = add(emptyCache(), answer({ refreshToken: "rt-old" }), NOW).cache;
  const theirs =
    add(emptyCache(), answer({ accessToken: "at-az", refreshToken: "rt-az" }), NOW + 60)
      .cache;
  const home = `${OID}.${TENANT}`;
  const environment = "login.microsoftonline.com";
  const target = structuredClone(theirs);
  mergeAccount(target, mine, home, environment);
  assert.deepEqual(Object.values(target.RefreshToken).map((t) => t.secret), ["rt-az"]);
  assert.deepEqual(Object.values(target.AccessToken).map((t) => t.secret), ["at-az"]);
  const fresher =
    add(emptyCache(), answer({ accessToken: "at-new", refreshToken: "rt-new" }), NOW + 120)
      .cache;
  mergeAccount(target, fresher, home, environment);
  assert.deepEqual(Object.values(target.RefreshToken).map((t) => t.secret), ["rt-new"]);
  assert.deepEqual(Object.values(target.AccessToken).map((t) => t.secret), ["at-new"]);
});

Deno.test("accountCache() keeps one account's entries; parse and stringify round-trip and keep other sections", () => {
  const { cache, home } = add();
  add(cache, answer({ clientInfo: b64({ uid: "other", utid: TENANT }), accessToken: "at-bob" }));
  const only = accountCache(cache, home!, "login.microsoftonline.com");
  assert.deepEqual(Object.values(only.AccessToken).map((t) => t.secret), ["at-1"]);
  assert.equal(Object.keys(only.Account).length, 1);
  const text = stringifyMsalCache({ ...cache, Unknown: { x: { y: 1 } } });
  const back = parseMsalCache(text)!;
  assert.deepEqual(back.Unknown, { x: { y: 1 } });
  assert.deepEqual(back.AccessToken, cache.AccessToken);
  assert.equal(parseMsalCache("not json"), undefined);
  assert.equal(parseMsalCache("[1]"), undefined);
  assert.deepEqual(cacheSecrets(only).sort(), ["at-1", "rt-1"]);
});
