import assert from "node:assert/strict";
import { createOidcSigner, signJwt } from "./jwt.ts";
import { startEmulator } from "./mod.ts";
import type { Emulator, EmulatorOptions } from "./mod.ts";

const SA = "deployer@my-proj.iam.gserviceaccount.com";
const SA2 = "reader@my-proj.iam.gserviceaccount.com";
const POOL =
  "principalSet://iam.googleapis.com/projects/123456/locations/global/workloadIdentityPools/pool/*";
const SUBJECT = "repo:acme/infra:ref:refs/heads/main";
const FEDERATED = "principal://iam.googleapis.com/projects/123456/locations/global/" +
  `workloadIdentityPools/pool/subject/${SUBJECT}`;
const CLOUD = "https://www.googleapis.com/auth/cloud-platform";

async function withEmulator(
  options: EmulatorOptions,
  fn: (emu: Emulator) => Promise<void> | void,
) {
  const emu = await startEmulator(options);
  try {
    await fn(emu);
  } finally {
    await emu.stop();
  }
}

async function postForm(url: string, form: Record<string, string>, headers = {}) {
  const response = await fetch(url, {
    method: "POST",
    headers: { "content-type": "application/x-www-form-urlencoded", ...headers },
    body: new URLSearchParams(form),
  });
  return { status: response.status, body: await response.json() };
}

async function postJson(url: string, body: unknown, token?: string) {
  const response = await fetch(url, {
    method: "POST",
    headers: {
      "content-type": "application/json",
      ...(token ? { authorization: `Bearer ${token}` } : {}),
    },
    body: JSON.stringify(body),
  });
  return { status: response.status, body: await response.json() };
}

async function getJson(url: string, token?: string) {
  const response = await fetch(url, {
    headers: token ? { authorization: `Bearer ${token}` } : {},
  });
  return { status: response.status, body: await response.json() };
}

function exchangeForm(emu: Emulator, subjectToken: string, audience = emu.gcp.audience()) {
  return {
    grant_type: "urn:ietf:params:oauth:grant-type:token-exchange",
    audience,
    scope: CLOUD,
    requested_token_type: "urn:ietf:params:oauth:token-type:access_token",
    subject_token_type: "urn:ietf:params:oauth:token-type:jwt",
    subject_token: subjectToken,
  };
}

async function federatedToken(emu: Emulator): Promise<string> {
  const jwt = await emu.oidcToken({ audience: emu.gcp.audience() });
  const answer = await postForm(emu.gcp.tokenUrl(), exchangeForm(emu, jwt));
  assert.equal(answer.status, 200, JSON.stringify(answer.body));
  return answer.body.access_token;
}

const WITH_SA: EmulatorOptions = { gcp: { serviceAccounts: [{ email: SA, members: [POOL] }] } };

Deno.test("Google STS exchanges a JWT of the emulator's issuer for a federated token of its subject", async () => {
  await withEmulator({}, async (emu) => {
    const jwt = await emu.oidcToken({ audience: emu.gcp.audience() });
    const answer = await postForm(emu.gcp.tokenUrl(), exchangeForm(emu, jwt));
    assert.equal(answer.status, 200);
    assert.equal(answer.body.issued_token_type, "urn:ietf:params:oauth:token-type:access_token");
    assert.equal(answer.body.token_type, "Bearer");
    assert.equal(answer.body.expires_in, 3600);
    const info = emu.gcp.tokenInfo(answer.body.access_token)!;
    assert.equal(info.kind, "federated");
    assert.equal(info.principal, FEDERATED);
    assert.deepEqual(info.scopes, [CLOUD]);
    assert.ok(emu.secrets().includes(answer.body.access_token));
    assert.equal(emu.calls("gcp.sts.token"), 1);
  });
});

Deno.test("Google STS refuses an expired subject JWT with Google's 'stale to sign-in' error", async () => {
  await withEmulator({}, async (emu) => {
    const jwt = await emu.oidcToken({ audience: emu.gcp.audience(), lifetime: -30 });
    const answer = await postForm(emu.gcp.tokenUrl(), exchangeForm(emu, jwt));
    assert.equal(answer.status, 400);
    assert.equal(answer.body.error, "invalid_grant");
    assert.match(answer.body.error_description, /^ID Token issued at \d+ is stale to sign-in\.$/);
  });
});

Deno.test("Google STS refuses a JWT whose aud is not the requested audience", async () => {
  await withEmulator({}, async (emu) => {
    const jwt = await emu.oidcToken({ audience: "sts.amazonaws.com" });
    const answer = await postForm(emu.gcp.tokenUrl(), exchangeForm(emu, jwt));
    assert.equal(answer.status, 400);
    assert.equal(answer.body.error, "invalid_grant");
    assert.match(answer.body.error_description, /does not match the expected audience/);
  });
});

Deno.test("Google STS refuses an audience that is not a configured provider (invalid_target)", async () => {
  await withEmulator({}, async (emu) => {
    const other =
      "//iam.googleapis.com/projects/123456/locations/global/workloadIdentityPools/pool/providers/other";
    const jwt = await emu.oidcToken({ audience: other });
    const answer = await postForm(emu.gcp.tokenUrl(), exchangeForm(emu, jwt, other));
    assert.equal(answer.status, 400);
    assert.equal(answer.body.error, "invalid_target");
  });
});

Deno.test("Google STS refuses a JWT signed by another key", async () => {
  await withEmulator({}, async (emu) => {
    const now = Math.floor(Date.now() / 1000);
    const forged = await signJwt(await createOidcSigner(), {
      iss: `${emu.url}/oidc`,
      sub: SUBJECT,
      aud: emu.gcp.audience(),
      iat: now,
      exp: now + 300,
    });
    const answer = await postForm(emu.gcp.tokenUrl(), exchangeForm(emu, forged));
    assert.equal(answer.status, 400);
    assert.equal(answer.body.error, "invalid_grant");
  });
});

Deno.test("Google STS refuses other grant types", async () => {
  await withEmulator({}, async (emu) => {
    const jwt = await emu.oidcToken({ audience: emu.gcp.audience() });
    const answer = await postForm(emu.gcp.tokenUrl(), {
      ...exchangeForm(emu, jwt),
      grant_type: "client_credentials",
    });
    assert.equal(answer.status, 400);
    assert.equal(answer.body.error, "unsupported_grant_type");
  });
});

Deno.test("generateAccessToken mints a token of the service account with expireTime in whole seconds", async () => {
  await withEmulator(WITH_SA, async (emu) => {
    const sts = await federatedToken(emu);
    const before = Date.now();
    const answer = await postJson(emu.gcp.impersonationUrl(SA), {
      scope: [CLOUD],
      lifetime: "600s",
    }, sts);
    assert.equal(answer.status, 200, JSON.stringify(answer.body));
    assert.match(answer.body.expireTime, /^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ$/);
    const expiresIn = Date.parse(answer.body.expireTime) - before;
    assert.ok(expiresIn > 598_000 && expiresIn <= 600_000, `expires in ${expiresIn} ms`);
    const info = emu.gcp.tokenInfo(answer.body.accessToken)!;
    assert.equal(info.principal, `serviceAccount:${SA}`);
    assert.equal(info.email, SA);
    assert.ok(emu.secrets().includes(answer.body.accessToken));
  });
});

Deno.test("generateAccessToken refuses a missing, unknown or expired bearer with 401 UNAUTHENTICATED", async () => {
  await withEmulator(WITH_SA, async (emu) => {
    const sts = await federatedToken(emu);
    for (const token of [undefined, "ya29.not-issued-here"]) {
      const answer = await postJson(emu.gcp.impersonationUrl(SA), { scope: [CLOUD] }, token);
      assert.equal(answer.status, 401);
      assert.equal(answer.body.error.status, "UNAUTHENTICATED");
    }
    emu.gcp.expireTokens();
    const expired = await postJson(emu.gcp.impersonationUrl(SA), { scope: [CLOUD] }, sts);
    assert.equal(expired.status, 401);
  });
});

Deno.test("generateAccessToken refuses a principal that is not a token creator on the account", async () => {
  await withEmulator({
    gcp: {
      serviceAccounts: [{
        email: SA,
        members: [FEDERATED.replace(SUBJECT, "repo:acme/other:ref:refs/heads/main")],
      }],
    },
  }, async (emu) => {
    const sts = await federatedToken(emu);
    const answer = await postJson(emu.gcp.impersonationUrl(SA), { scope: [CLOUD] }, sts);
    assert.equal(answer.status, 403);
    assert.equal(answer.body.error.status, "PERMISSION_DENIED");
    const unknown = await postJson(emu.gcp.impersonationUrl(SA2), { scope: [CLOUD] }, sts);
    assert.equal(unknown.status, 403);
  });
});

Deno.test("generateAccessToken follows a delegates chain, each hop a member of the next", async () => {
  await withEmulator({
    gcp: {
      serviceAccounts: [
        { email: SA, members: [FEDERATED] },
        { email: SA2, members: [`serviceAccount:${SA}`] },
      ],
    },
  }, async (emu) => {
    const sts = await federatedToken(emu);
    const direct = await postJson(emu.gcp.impersonationUrl(SA2), { scope: [CLOUD] }, sts);
    assert.equal(direct.status, 403);
    const chained = await postJson(emu.gcp.impersonationUrl(SA2), {
      scope: [CLOUD],
      delegates: [`projects/-/serviceAccounts/${SA}`],
    }, sts);
    assert.equal(chained.status, 200, JSON.stringify(chained.body));
    assert.equal(emu.gcp.tokenInfo(chained.body.accessToken)!.email, SA2);
  });
});

Deno.test("generateAccessToken refuses a lifetime over 3600s and an empty scope", async () => {
  await withEmulator(WITH_SA, async (emu) => {
    const sts = await federatedToken(emu);
    const long = await postJson(emu.gcp.impersonationUrl(SA), {
      scope: [CLOUD],
      lifetime: "3601s",
    }, sts);
    assert.equal(long.status, 400);
    assert.equal(long.body.error.status, "INVALID_ARGUMENT");
    const noScope = await postJson(emu.gcp.impersonationUrl(SA), { scope: [] }, sts);
    assert.equal(noScope.status, 400);
  });
});

Deno.test("the gcp tokenLifetime option makes every Google token short-lived", async () => {
  await withEmulator({ gcp: { ...WITH_SA.gcp, tokenLifetime: 30 } }, async (emu) => {
    const jwt = await emu.oidcToken({ audience: emu.gcp.audience() });
    const sts = await postForm(emu.gcp.tokenUrl(), exchangeForm(emu, jwt));
    assert.equal(sts.body.expires_in, 30);
    const before = Date.now();
    const sa = await postJson(emu.gcp.impersonationUrl(SA), {
      scope: [CLOUD],
      lifetime: "3600s",
    }, sts.body.access_token);
    const expiresIn = Date.parse(sa.body.expireTime) - before;
    assert.ok(expiresIn > 28_000 && expiresIn <= 30_000, `expires in ${expiresIn} ms`);
  });
});

Deno.test("Google OAuth refreshes an authorized_user's token at /google/oauth2/token", async () => {
  await withEmulator({}, async (emu) => {
    const user = emu.gcp.createUser("alice@example.com");
    assert.equal(user.type, "authorized_user");
    const answer = await postForm(emu.gcp.oauthTokenUrl(), {
      grant_type: "refresh_token",
      client_id: user.client_id,
      client_secret: user.client_secret,
      refresh_token: user.refresh_token,
    });
    assert.equal(answer.status, 200);
    assert.equal(answer.body.token_type, "Bearer");
    assert.equal(answer.body.expires_in, 3600);
    assert.equal(emu.gcp.tokenInfo(answer.body.access_token)!.principal, "user:alice@example.com");
    assert.ok(emu.secrets().includes(user.client_secret));
    assert.ok(emu.secrets().includes(user.refresh_token));
    // Client authentication as HTTP Basic works too.
    const basic = await postForm(emu.gcp.oauthTokenUrl(), {
      grant_type: "refresh_token",
      refresh_token: user.refresh_token,
    }, { authorization: `Basic ${btoa(`${user.client_id}:${user.client_secret}`)}` });
    assert.equal(basic.status, 200);
    assert.equal(emu.calls("gcp.oauth.refresh_token"), 2);
    // /token stays AWS SSO OIDC's.
    const sso = await fetch(`${emu.url}/token`, { method: "POST", body: "{}" });
    assert.equal(sso.status, 400);
    assert.equal((await sso.json()).error, "invalid_request");
  });
});

Deno.test("Google OAuth refuses a wrong client secret and an unknown refresh token", async () => {
  await withEmulator({}, async (emu) => {
    const user = emu.gcp.createUser("alice@example.com");
    const form = {
      grant_type: "refresh_token",
      client_id: user.client_id,
      client_secret: user.client_secret,
      refresh_token: user.refresh_token,
    };
    const badSecret = await postForm(emu.gcp.oauthTokenUrl(), { ...form, client_secret: "nope" });
    assert.deepEqual([badSecret.status, badSecret.body.error], [401, "invalid_client"]);
    const badToken = await postForm(emu.gcp.oauthTokenUrl(), { ...form, refresh_token: "1//0x" });
    assert.deepEqual([badToken.status, badToken.body.error], [400, "invalid_grant"]);
  });
});

Deno.test("tokeninfo tells the e-mail of user and service-account tokens, in both Google shapes", async () => {
  await withEmulator(WITH_SA, async (emu) => {
    const sts = await federatedToken(emu);
    const sa = await postJson(emu.gcp.impersonationUrl(SA), { scope: [CLOUD] }, sts);
    const v3 = await getJson(`${emu.url}/tokeninfo?access_token=${sa.body.accessToken}`);
    assert.equal(v3.status, 200);
    assert.equal(v3.body.email, SA);
    assert.equal(v3.body.scope, CLOUD);
    const v2 = await postForm(`${emu.url}/oauth2/v2/tokeninfo`, {
      access_token: sa.body.accessToken,
    });
    assert.equal(v2.body.email, SA);
    assert.equal(v2.body.verified_email, true);
    assert.ok(v2.body.expires_in > 3590);
    const federated = await getJson(`${emu.url}/tokeninfo?access_token=${sts}`);
    assert.deepEqual([federated.status, federated.body.error], [400, "invalid_token"]);
  });
});

Deno.test("Cloud Resource Manager describes a project to any valid token and records the caller", async () => {
  await withEmulator(WITH_SA, async (emu) => {
    const sts = await federatedToken(emu);
    const sa = await postJson(emu.gcp.impersonationUrl(SA), { scope: [CLOUD] }, sts);
    const byId = await getJson(`${emu.url}/v1/projects/my-proj`, sa.body.accessToken);
    assert.equal(byId.status, 200);
    assert.deepEqual(
      [byId.body.projectId, byId.body.projectNumber, byId.body.lifecycleState],
      ["my-proj", "123456", "ACTIVE"],
    );
    const byNumber = await getJson(`${emu.url}/v1/projects/123456`, sts);
    assert.equal(byNumber.body.projectId, "my-proj");
    assert.deepEqual(emu.callers("gcp.projects.get"), [`serviceAccount:${SA}`, FEDERATED]);
    const unknown = await getJson(`${emu.url}/v1/projects/other`, sts);
    assert.equal(unknown.status, 403);
    const anonymous = await getJson(`${emu.url}/v1/projects/my-proj`);
    assert.equal(anonymous.status, 401);
  });
});

Deno.test("GET /echo answers the Authorization header and whom the token stands for", async () => {
  await withEmulator({}, async (emu) => {
    const user = emu.gcp.createUser("bob@example.com");
    const token = (await postForm(emu.gcp.oauthTokenUrl(), {
      grant_type: "refresh_token",
      client_id: user.client_id,
      client_secret: user.client_secret,
      refresh_token: user.refresh_token,
    })).body.access_token;
    const echo = await getJson(`${emu.url}/echo`, token);
    assert.deepEqual(echo.body, {
      authorization: `Bearer ${token}`,
      principal: "user:bob@example.com",
    });
    const anonymous = await getJson(`${emu.url}/echo`);
    assert.deepEqual(anonymous.body, { authorization: null, principal: null });
    assert.deepEqual(emu.callers("echo"), ["user:bob@example.com"]);
  });
});

Deno.test("the gcp control routes tell whom a token stands for and create users", async () => {
  await withEmulator({}, async (emu) => {
    const user = await postJson(`${emu.url}/_emulator/gcp/users`, { email: "carol@example.com" });
    assert.equal(user.status, 200);
    const token = (await postForm(emu.gcp.oauthTokenUrl(), {
      grant_type: "refresh_token",
      client_id: user.body.client_id,
      client_secret: user.body.client_secret,
      refresh_token: user.body.refresh_token,
    })).body.access_token;
    const info = await postJson(`${emu.url}/_emulator/gcp/tokeninfo`, { token });
    assert.equal(info.body.principal, "user:carol@example.com");
    const unknown = await postJson(`${emu.url}/_emulator/gcp/tokeninfo`, { token: "x" });
    assert.equal(unknown.status, 404);
    const expire = await postJson(`${emu.url}/_emulator/gcp/expire-tokens`, {});
    assert.equal(expire.status, 200);
    assert.equal((await getJson(`${emu.url}/echo`, token)).body.principal, null);
  });
});

Deno.test("gcp.env() points gcloud's endpoint overrides and token host at the emulator", async () => {
  await withEmulator({}, (emu) => {
    assert.deepEqual(emu.gcp.env(), {
      CLOUDSDK_API_ENDPOINT_OVERRIDES_STS: `${emu.url}/`,
      CLOUDSDK_API_ENDPOINT_OVERRIDES_IAMCREDENTIALS: `${emu.url}/`,
      CLOUDSDK_API_ENDPOINT_OVERRIDES_CLOUDRESOURCEMANAGER: `${emu.url}/`,
      CLOUDSDK_AUTH_TOKEN_HOST: `${emu.url}/google/oauth2/token`,
    });
    assert.equal(
      emu.gcp.impersonationUrl(SA, { https: true }),
      `${emu.httpsUrl}/v1/projects/-/serviceAccounts/${SA}:generateAccessToken`,
    );
  });
});
