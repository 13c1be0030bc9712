import assert from "node:assert/strict";
import { startEmulator } from "../emulator/mod.ts";
import type { Emulator } from "../emulator/mod.ts";
import {
  clientCredentials,
  EntraError,
  entraPollOutcome,
  type EntraTarget,
  redeemAuthorizationCode,
  redeemDeviceCode,
  redeemRefreshToken,
  requestDeviceCode,
} from "../../lib/azure/entra.ts";
import { authorizeUrl, pkcePair, randomState } from "../../lib/azure/authorization_code.ts";

const CLI = "04b07795-8ddb-461a-bbee-02f9e1bf7b46";
const APP = "22222222-2222-2222-2222-222222222222";
const ARM = "https://management.core.windows.net//.default";

/** An emulator and a target at its tenant whose fetch trusts the test CA. */
async function withEntra(fn: (emu: Emulator, target: EntraTarget) => Promise<void>) {
  const emu = await startEmulator({ azure: { apps: [{ clientId: APP }] } });
  const client = Deno.createHttpClient({ caCerts: [await Deno.readTextFile(emu.caFile)] });
  try {
    await fn(emu, {
      authority: `${emu.azure.authorityHost}/${emu.azure.tenantId}`,
      fetch: (url, init) => fetch(url, { ...init, client } as RequestInit),
    });
  } finally {
    client.close();
    await emu.stop();
  }
}

/** The error a call rejects with. */
async function failure(call: Promise<unknown>): Promise<EntraError> {
  const error = await call.then(() => undefined, (e) => e);
  assert.ok(error instanceof EntraError, String(error));
  return error;
}

Deno.test("requestDeviceCode() and redeemDeviceCode(): pending, then tokens once approved; the code redacts itself", async () => {
  await withEntra(async (emu, target) => {
    const code = await requestDeviceCode(target, CLI, `${ARM} openid profile offline_access`);
    assert.match(code.verificationUri, /\/devicelogin$/);
    assert.ok(!JSON.stringify(code).includes(code.deviceCode));
    const pending = await failure(redeemDeviceCode(target, CLI, code.deviceCode));
    assert.equal(pending.error, "authorization_pending");
    assert.equal(pending.code, 70016);
    assert.equal(entraPollOutcome(pending), "authorization_pending");
    assert.doesNotMatch(pending.message, /Trace ID|Correlation ID/);
    emu.azure.approveDevice(code.userCode);
    const tokens = await redeemDeviceCode(target, CLI, code.deviceCode);
    assert.equal(emu.azure.tokenInfo(tokens.accessToken)?.grant, "device_code");
    assert.ok(tokens.refreshToken && tokens.idToken && tokens.clientInfo);
    assert.equal(tokens.foci, "1");
    const shown = JSON.stringify(tokens);
    for (const secret of [tokens.accessToken, tokens.refreshToken, tokens.idToken]) {
      assert.ok(!shown.includes(secret!), "a token shows when printed");
    }
  });
});

Deno.test("entraPollOutcome() maps a declined sign-in to access_denied and other errors to none", async () => {
  await withEntra(async (emu, target) => {
    const code = await requestDeviceCode(target, CLI, ARM);
    emu.azure.denyDevice(code.userCode);
    const denied = await failure(redeemDeviceCode(target, CLI, code.deviceCode));
    assert.equal(entraPollOutcome(denied), "access_denied");
    const bad = await failure(redeemDeviceCode(target, CLI, "not-a-code"));
    assert.equal(bad.error, "invalid_grant");
    assert.equal(entraPollOutcome(bad), undefined);
    assert.equal(entraPollOutcome(new Error("x")), undefined);
  });
});

Deno.test("redeemRefreshToken() rotates the refresh token; a spent one is refused with status 400", async () => {
  await withEntra(async (emu, target) => {
    const first = await emu.azure.issueUserTokens({ scope: ARM });
    const next = await redeemRefreshToken(
      target,
      CLI,
      first.refresh_token,
      "https://vault.azure.net/.default",
    );
    assert.equal(emu.azure.tokenInfo(next.accessToken)?.audience, "https://vault.azure.net");
    assert.ok(emu.azure.refreshTokenValid(next.refreshToken!));
    const spent = await failure(redeemRefreshToken(target, CLI, first.refresh_token, ARM));
    assert.deepEqual([spent.error, spent.status], ["invalid_grant", 400]);
    assert.ok(!spent.message.includes(first.refresh_token));
  });
});

Deno.test("clientCredentials() exchanges a federated token for an app token", async () => {
  await withEntra(async (emu, target) => {
    const assertion = await emu.oidcToken({ audience: "api://AzureADTokenExchange" });
    const app = await clientCredentials(
      target,
      APP,
      assertion,
      "https://management.azure.com/.default",
    );
    assert.deepEqual(
      [emu.azure.tokenInfo(app.accessToken)?.kind, emu.azure.tokenInfo(app.accessToken)?.clientId],
      ["app", APP],
    );
    const wrongAudience = await emu.oidcToken({ audience: "sts.amazonaws.com" });
    const refused = await failure(
      clientCredentials(target, APP, wrongAudience, "https://management.azure.com/.default"),
    );
    assert.equal(refused.code, 700212);
  });
});

Deno.test("redeemAuthorizationCode() needs the PKCE verifier of the authorize request", async () => {
  await withEntra(async (emu, target) => {
    const pkce = await pkcePair();
    const state = randomState();
    const redirectUri = "http://localhost:1";
    const url = authorizeUrl({
      authority: target.authority,
      clientId: CLI,
      redirectUri,
      scope: `${ARM} openid profile offline_access`,
      state,
      challenge: pkce.challenge,
    });
    const client = Deno.createHttpClient({ caCerts: [await Deno.readTextFile(emu.caFile)] });
    try {
      const held = fetch(url, { redirect: "manual", client } as RequestInit);
      const request = await emu.azure.nextAuthorization();
      assert.equal(request.state, state);
      emu.azure.approveAuthorization(state);
      const location = new URL((await held).headers.get("location")!);
      const code = location.searchParams.get("code")!;
      const wrong = await failure(redeemAuthorizationCode(target, {
        clientId: CLI,
        code,
        codeVerifier: (await pkcePair()).verifier,
        redirectUri,
        scope: ARM,
      }));
      assert.equal(wrong.code, 50148);
    } finally {
      client.close();
    }
  });
});

Deno.test("an unreachable authority is one plain error naming the origin", async () => {
  const error = await requestDeviceCode({ authority: "https://127.0.0.1:1/t" }, CLI, ARM)
    .then(() => undefined, (e) => e as Error);
  assert.match(error!.message, /cannot reach https:\/\/127\.0\.0\.1:1/);
});
