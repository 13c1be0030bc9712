import assert from "node:assert/strict";
import { toBase64Url } from "./crypto_util.ts";
import { createOidcSigner, signJwt } from "./jwt.ts";
import { startEmulator } from "./mod.ts";
import type { Emulator, EmulatorOptions } from "./mod.ts";

const APP = "22222222-2222-2222-2222-222222222222";
const TENANT = "33333333-3333-3333-3333-333333333333";
const AZ = "04b07795-8ddb-461a-bbee-02f9e1bf7b46";
const ARM = "https://management.azure.com/.default";
const ARM_LEGACY = "https://management.core.windows.net//.default";
const EXCHANGE = "api://AzureADTokenExchange";

// deno-lint-ignore no-explicit-any
type Json = Record<string, any>;

/** An emulator and a fetch that trusts its test CA. */
interface Entra {
  emu: Emulator;
  /** POSTs a form to `<httpsUrl><path>`. */
  post(path: string, form: Record<string, string>): Promise<{ status: number; body: Json }>;
  get(path: string, init?: RequestInit): Promise<Response>;
}

async function withEntra(options: EmulatorOptions, fn: (entra: Entra) => Promise<void>) {
  const emu = await startEmulator(options);
  const client = Deno.createHttpClient({ caCerts: [await Deno.readTextFile(emu.caFile)] });
  const get = (path: string, init: RequestInit = {}) =>
    fetch(`${emu.httpsUrl}${path}`, { ...init, client } as RequestInit);
  const post = async (path: string, form: Record<string, string>) => {
    const response = await get(path, { method: "POST", body: new URLSearchParams(form) });
    return { status: response.status, body: await response.json() };
  };
  try {
    await fn({ emu, get, post });
  } finally {
    client.close();
    await emu.stop();
  }
}

function claims(jwt: string): Json {
  const part = jwt.split(".")[1].replaceAll("-", "+").replaceAll("_", "/");
  return JSON.parse(atob(part + "=".repeat((4 - part.length % 4) % 4)));
}

function assertEntraError(answer: { status: number; body: Json }, error: string, code: number) {
  assert.equal(answer.body.error, error, JSON.stringify(answer.body));
  assert.deepEqual(answer.body.error_codes, [code]);
  assert.match(answer.body.error_description, new RegExp(`^AADSTS${code}: `));
}

async function assertionForm(emu: Emulator, options: Parameters<Emulator["oidcToken"]>[0] = {}) {
  return {
    client_id: APP,
    grant_type: "client_credentials",
    scope: ARM,
    client_assertion_type: "urn:ietf:params:oauth:client-assertion-type:jwt-bearer",
    client_assertion: await emu.oidcToken({ audience: EXCHANGE, ...options }),
  };
}

const WITH_APP: EmulatorOptions = { azure: { apps: [{ clientId: APP }] } };

Deno.test("Entra discovery documents point back at the https origin, with each tenant's issuer", async () => {
  await withEntra({}, async ({ emu, get }) => {
    const v2 = await (await get(`/${TENANT}/v2.0/.well-known/openid-configuration`)).json();
    assert.equal(v2.token_endpoint, `${emu.httpsUrl}/${TENANT}/oauth2/v2.0/token`);
    assert.equal(v2.authorization_endpoint, `${emu.httpsUrl}/${TENANT}/oauth2/v2.0/authorize`);
    assert.equal(
      v2.device_authorization_endpoint,
      `${emu.httpsUrl}/${TENANT}/oauth2/v2.0/devicecode`,
    );
    assert.equal(v2.issuer, `${emu.httpsUrl}/${TENANT}/v2.0`);
    const adfs = await (await get("/adfs/.well-known/openid-configuration")).json();
    assert.equal(adfs.token_endpoint, `${emu.httpsUrl}/adfs/oauth2/v2.0/token`);
    assert.equal(adfs.issuer, `${emu.httpsUrl}/adfs`);
    const v1 = await (await get(`/${TENANT}/.well-known/openid-configuration`)).json();
    assert.equal(v1.issuer, `${emu.httpsUrl}/${TENANT}/v2.0`);
    const organizations = await (await get("/organizations/v2.0/.well-known/openid-configuration"))
      .json();
    assert.equal(organizations.token_endpoint, `${emu.httpsUrl}/organizations/oauth2/v2.0/token`);
    const keys = await (await get(`/${TENANT}/discovery/v2.0/keys`)).json();
    assert.equal(keys.keys[0].kty, "RSA");
    const instance = await (await get("/common/discovery/instance")).json();
    assert.equal(instance["api-version"], "1.1");
    assert.equal(emu.calls("entra.openid-configuration"), 4);
  });
});

Deno.test("Entra refuses an unknown tenant and is not served over plain http", async () => {
  await withEntra({}, async ({ emu, get }) => {
    const unknown = await get(
      "/44444444-0000-0000-0000-000000000000/v2.0/.well-known/openid-configuration",
    );
    assert.equal(unknown.status, 400);
    assertEntraError({ status: 400, body: await unknown.json() }, "invalid_tenant", 90002);
    const plain = await fetch(`${emu.url}/${TENANT}/v2.0/.well-known/openid-configuration`);
    assert.equal(plain.status, 404);
    assert.match((await plain.json()).message, /https only/);
  });
});

Deno.test("client_credentials with a federated assertion issues an app token for the resource", async () => {
  await withEntra(WITH_APP, async ({ emu, post }) => {
    const form = await assertionForm(emu);
    const answer = await post(`/${TENANT}/oauth2/v2.0/token`, form);
    assert.equal(answer.status, 200, JSON.stringify(answer.body));
    assert.deepEqual(
      [answer.body.token_type, answer.body.expires_in, answer.body.ext_expires_in],
      ["Bearer", 3600, 3600],
    );
    assert.equal(answer.body.refresh_token, undefined);
    const token = claims(answer.body.access_token);
    assert.deepEqual(
      [token.aud, token.tid, token.appid, token.idtyp],
      ["https://management.azure.com", TENANT, APP, "app"],
    );
    const info = emu.azure.tokenInfo(answer.body.access_token)!;
    assert.deepEqual([info.kind, info.clientId, info.grant], ["app", APP, "client_credentials"]);
    assert.ok(emu.secrets().includes(answer.body.access_token));
    assert.ok(emu.secrets().includes(form.client_assertion));
    assert.equal(emu.calls("entra.token.client_credentials"), 1);
  });
});

Deno.test("client_credentials refuses expired, mis-addressed, foreign and unknown assertions", async () => {
  await withEntra(WITH_APP, async ({ emu, post }) => {
    const path = `/${TENANT}/oauth2/v2.0/token`;
    assertEntraError(
      await post(path, await assertionForm(emu, { lifetime: -10 })),
      "invalid_client",
      700024,
    );
    assertEntraError(
      await post(path, await assertionForm(emu, { audience: "sts.amazonaws.com" })),
      "invalid_client",
      700212,
    );
    assertEntraError(
      await post(path, await assertionForm(emu, { subject: "repo:evil/repo:ref:refs/heads/main" })),
      "invalid_client",
      700213,
    );
    const now = Math.floor(Date.now() / 1000);
    const forged = await signJwt(await createOidcSigner(), {
      iss: `${emu.url}/oidc`,
      sub: "repo:acme/infra:ref:refs/heads/main",
      aud: EXCHANGE,
      iat: now,
      exp: now + 300,
    });
    assertEntraError(
      await post(path, { ...await assertionForm(emu), client_assertion: forged }),
      "invalid_client",
      700027,
    );
    assertEntraError(
      await post(path, { ...await assertionForm(emu), client_id: AZ }),
      "unauthorized_client",
      700016,
    );
    assertEntraError(
      await post(path, {
        ...await assertionForm(emu),
        scope: "https://graph.microsoft.com/User.Read",
      }),
      "invalid_scope",
      1002012,
    );
  });
});

async function deviceFlow(entra: Entra, tenant = TENANT) {
  const started = await entra.post(`/${tenant}/oauth2/v2.0/devicecode`, {
    client_id: AZ,
    scope: `${ARM_LEGACY} offline_access openid profile`,
  });
  assert.equal(started.status, 200, JSON.stringify(started.body));
  const poll = () =>
    entra.post(`/${tenant}/oauth2/v2.0/token`, {
      client_id: AZ,
      grant_type: "urn:ietf:params:oauth:grant-type:device_code",
      device_code: started.body.device_code,
    });
  return { started: started.body, poll };
}

Deno.test("device code: pending until approved, then the user's tokens once", async () => {
  await withEntra({}, async (entra) => {
    const { emu } = entra;
    const waiting = emu.azure.nextDeviceCode();
    const { started, poll } = await deviceFlow(entra);
    assert.equal(await waiting, started.user_code);
    assert.equal(started.verification_uri, `${emu.httpsUrl}/devicelogin`);
    assert.equal(started.interval, 1);
    assert.match(started.message, new RegExp(started.user_code));
    assertEntraError(await poll(), "authorization_pending", 70016);
    assert.deepEqual(emu.azure.pendingDeviceCodes(), [started.user_code]);
    assert.equal(emu.azure.approveDevice(started.user_code), 1);
    const tokens = await poll();
    assert.equal(tokens.status, 200);
    assert.equal(tokens.body.foci, "1");
    assert.equal(tokens.body.scope, ARM_LEGACY);
    const access = claims(tokens.body.access_token);
    assert.deepEqual(
      [access.aud, access.upn, access.oid, access.tid, access.scp, access.appid],
      [
        "https://management.core.windows.net/",
        "alice@example.com",
        emu.azure.user.oid,
        TENANT,
        ".default",
        AZ,
      ],
    );
    const id = claims(tokens.body.id_token);
    assert.deepEqual([id.aud, id.iss, id.preferred_username], [
      AZ,
      `${emu.httpsUrl}/${TENANT}/v2.0`,
      "alice@example.com",
    ]);
    const info = JSON.parse(
      atob(tokens.body.client_info.replaceAll("-", "+").replaceAll("_", "/")),
    );
    assert.deepEqual(info, { uid: emu.azure.user.oid, utid: TENANT });
    for (
      const secret of [
        tokens.body.access_token,
        tokens.body.refresh_token,
        tokens.body.id_token,
        started.device_code,
      ]
    ) {
      assert.ok(emu.secrets().includes(secret));
    }
    assertEntraError(await poll(), "invalid_grant", 54005);
    assert.equal(emu.calls("entra.token.device_code"), 3);
    assert.equal(emu.calls("entra.devicecode"), 1);
  });
});

Deno.test("device code: a declined code answers authorization_declined, an expired one expired_token", async () => {
  await withEntra({ azure: { deviceCodeLifetime: 0 } }, async (entra) => {
    const expired = await deviceFlow(entra);
    assertEntraError(await expired.poll(), "expired_token", 70020);
  });
  await withEntra({}, async (entra) => {
    const declined = await deviceFlow(entra);
    assert.equal(entra.emu.azure.denyDevice(), 1);
    assertEntraError(await declined.poll(), "authorization_declined", 70000);
  });
});

Deno.test("device code through /adfs: client_info's utid is adfs and the id_token issuer the ADFS one", async () => {
  await withEntra({ azure: { autoApprove: true } }, async (entra) => {
    const { poll } = await deviceFlow(entra, "adfs");
    const tokens = await poll();
    assert.equal(tokens.status, 200, JSON.stringify(tokens.body));
    assert.equal(claims(tokens.body.id_token).iss, `${entra.emu.httpsUrl}/adfs`);
    const info = JSON.parse(
      atob(tokens.body.client_info.replaceAll("-", "+").replaceAll("_", "/")),
    );
    assert.equal(info.utid, "adfs");
  });
});

Deno.test("refresh_token rotates: the redeemed token stops working, family clients share it", async () => {
  await withEntra(
    { azure: { publicClients: ["66666666-6666-6666-6666-666666666666"] } },
    async (entra) => {
      const { emu, post } = entra;
      const first = await emu.azure.issueUserTokens({ scope: ARM_LEGACY });
      const refresh = (token: string, clientId = AZ) =>
        post(`/${TENANT}/oauth2/v2.0/token`, {
          client_id: clientId,
          grant_type: "refresh_token",
          refresh_token: token,
          scope: `${ARM} offline_access openid profile`,
        });
      // A client outside the family cannot redeem the Azure CLI's refresh token.
      assertEntraError(
        await refresh(first.refresh_token, "66666666-6666-6666-6666-666666666666"),
        "invalid_grant",
        9002313,
      );
      const second = await refresh(first.refresh_token);
      assert.equal(second.status, 200);
      assert.notEqual(second.body.refresh_token, first.refresh_token);
      assert.equal(claims(second.body.access_token).aud, "https://management.azure.com");
      assert.equal(emu.azure.refreshTokenValid(first.refresh_token), false);
      assert.equal(emu.azure.refreshTokenValid(second.body.refresh_token), true);
      assertEntraError(await refresh(first.refresh_token), "invalid_grant", 9002313);
      assert.equal(emu.azure.tokenInfo(second.body.access_token)!.grant, "refresh_token");
      assert.equal(emu.calls("entra.token.refresh_token"), 3);
    },
  );
});

Deno.test("refresh_token refuses an expired refresh token", async () => {
  await withEntra({ azure: { refreshTokenLifetime: 0 } }, async ({ emu, post }) => {
    const first = await emu.azure.issueUserTokens({ scope: ARM_LEGACY });
    const answer = await post(`/${TENANT}/oauth2/v2.0/token`, {
      client_id: AZ,
      grant_type: "refresh_token",
      refresh_token: first.refresh_token,
    });
    assertEntraError(answer, "invalid_grant", 700082);
  });
});

async function pkce() {
  const verifier = toBase64Url(crypto.getRandomValues(new Uint8Array(32)));
  const digest = await crypto.subtle.digest("SHA-256", new TextEncoder().encode(verifier));
  return { verifier, challenge: toBase64Url(new Uint8Array(digest)) };
}

function authorizeQuery(challenge: string, extra: Record<string, string> = {}) {
  return new URLSearchParams({
    client_id: AZ,
    response_type: "code",
    redirect_uri: "http://localhost:8400/",
    scope: `${ARM} offline_access openid profile`,
    state: "st-1",
    nonce: "n-1",
    code_challenge: challenge,
    code_challenge_method: "S256",
    ...extra,
  });
}

Deno.test("authorization code: the request waits for the user, then redirects with code and state", async () => {
  await withEntra({}, async (entra) => {
    const { emu, get, post } = entra;
    const { verifier, challenge } = await pkce();
    const waiting = emu.azure.nextAuthorization();
    const browser = get(`/${TENANT}/oauth2/v2.0/authorize?${authorizeQuery(challenge)}`, {
      redirect: "manual",
    });
    const pending = await waiting;
    assert.deepEqual(pending, {
      clientId: AZ,
      redirectUri: "http://localhost:8400/",
      scope: `${ARM} offline_access openid profile`,
      state: "st-1",
    });
    assert.equal(emu.azure.approveAuthorization("st-1"), 1);
    const response = await browser;
    assert.equal(response.status, 302);
    const location = new URL(response.headers.get("location")!);
    assert.equal(`${location.origin}${location.pathname}`, "http://localhost:8400/");
    assert.equal(location.searchParams.get("state"), "st-1");
    const code = location.searchParams.get("code")!;
    const form = {
      client_id: AZ,
      grant_type: "authorization_code",
      code,
      redirect_uri: "http://localhost:8400/",
      code_verifier: verifier,
      scope: `${ARM} offline_access openid profile`,
    };
    const wrongVerifier = await post(`/${TENANT}/oauth2/v2.0/token`, {
      ...form,
      code_verifier: (await pkce()).verifier,
    });
    assertEntraError(wrongVerifier, "invalid_grant", 50148);
    const tokens = await post(`/${TENANT}/oauth2/v2.0/token`, form);
    assert.equal(tokens.status, 200, JSON.stringify(tokens.body));
    assert.equal(claims(tokens.body.id_token).nonce, "n-1");
    assert.equal(emu.azure.tokenInfo(tokens.body.access_token)!.grant, "authorization_code");
    assert.ok(emu.secrets().includes(code));
    assertEntraError(await post(`/${TENANT}/oauth2/v2.0/token`, form), "invalid_grant", 54005);
  });
});

Deno.test("authorization code: a denied request redirects with access_denied; stop() releases a held one", async () => {
  await withEntra({}, async ({ emu, get }) => {
    const { challenge } = await pkce();
    const browser = get(`/${TENANT}/oauth2/v2.0/authorize?${authorizeQuery(challenge)}`, {
      redirect: "manual",
    });
    await emu.azure.nextAuthorization();
    assert.equal(emu.azure.denyAuthorization(), 1);
    const location = new URL((await browser).headers.get("location")!);
    assert.equal(location.searchParams.get("error"), "access_denied");
    assert.equal(location.searchParams.get("state"), "st-1");
    assert.equal(location.searchParams.get("code"), null);
    // Left pending: stopping the emulator answers it (denied) instead of hanging.
    const held = get(`/${TENANT}/oauth2/v2.0/authorize?${authorizeQuery(challenge)}`, {
      redirect: "manual",
    });
    await emu.azure.nextAuthorization();
    const stopping = emu.stop();
    const released = await held;
    assert.equal(
      new URL(released.headers.get("location")!).searchParams.get("error"),
      "access_denied",
    );
    await stopping;
  });
});

Deno.test("authorization code: auto-approve redirects at once; no PKCE or a non-loopback redirect is refused", async () => {
  await withEntra({ azure: { autoApprove: true } }, async ({ get }) => {
    const { challenge } = await pkce();
    const at = (query: URLSearchParams) =>
      get(`/${TENANT}/oauth2/v2.0/authorize?${query}`, { redirect: "manual" });
    const approved = await at(authorizeQuery(challenge));
    assert.equal(approved.status, 302);
    assert.ok(new URL(approved.headers.get("location")!).searchParams.get("code"));
    const noPkce = await at(authorizeQuery("", { code_challenge_method: "" }));
    assertEntraError(
      { status: noPkce.status, body: await noPkce.json() },
      "invalid_request",
      9002325,
    );
    const remote = await at(authorizeQuery(challenge, { redirect_uri: "https://evil.example/cb" }));
    assertEntraError(
      { status: remote.status, body: await remote.json() },
      "invalid_request",
      50011,
    );
  });
});

Deno.test("the azure control routes approve device codes and authorizations and tell whom a token stands for", async () => {
  await withEntra({}, async (entra) => {
    const { emu } = entra;
    const control = async (path: string, body: unknown = {}) =>
      await (await fetch(`${emu.url}/_emulator/azure/${path}`, {
        method: "POST",
        body: JSON.stringify(body),
      })).json();
    const { started, poll } = await deviceFlow(entra);
    assert.deepEqual(await (await fetch(`${emu.url}/_emulator/azure/devices`)).json(), [
      started.user_code,
    ]);
    assert.deepEqual(await control("devices/approve", { userCode: started.user_code }), {
      count: 1,
    });
    const tokens = await poll();
    const info = await control("tokeninfo", { token: tokens.body.access_token });
    assert.equal(info.upn, "alice@example.com");
    await control("expire-tokens");
    assert.equal(emu.azure.tokenInfo(tokens.body.access_token)!.expiresAtMs <= Date.now(), true);
    const { challenge } = await pkce();
    const browser = entra.get(`/${TENANT}/oauth2/v2.0/authorize?${authorizeQuery(challenge)}`, {
      redirect: "manual",
    });
    await emu.azure.nextAuthorization();
    assert.equal(
      (await (await fetch(`${emu.url}/_emulator/azure/authorizations`)).json()).length,
      1,
    );
    assert.deepEqual(await control("authorizations/approve", { state: "st-1" }), { count: 1 });
    assert.equal((await browser).status, 302);
  });
});

Deno.test("GET /echo attributes Entra tokens to the user or the app", async () => {
  await withEntra(WITH_APP, async ({ emu, post }) => {
    const app = await post(`/${TENANT}/oauth2/v2.0/token`, await assertionForm(emu));
    const user = await emu.azure.issueUserTokens({ scope: ARM });
    for (const token of [app.body.access_token, user.access_token]) {
      const echo = await fetch(`${emu.url}/echo`, {
        headers: { authorization: `Bearer ${token}` },
      });
      await echo.body?.cancel();
    }
    assert.deepEqual(emu.callers("echo"), [`app:${APP}`, "user:alice@example.com"]);
  });
});
