import assert from "node:assert/strict";
import { startEmulator } from "./mod.ts";
import type { Emulator, EmulatorOptions } from "./mod.ts";
import { stsCall, xmlField } from "./testing.ts";

const START_URL = "https://acme.awsapps.com/start";

async function withEmulator(options: EmulatorOptions, fn: (emu: Emulator) => Promise<void>) {
  const emu = await startEmulator(options);
  try {
    await fn(emu);
  } finally {
    await emu.stop();
  }
}

async function post(emu: Emulator, path: string, body: unknown) {
  const response = await fetch(`${emu.url}${path}`, {
    method: "POST",
    headers: { "content-type": "application/json" },
    body: JSON.stringify(body),
  });
  return {
    status: response.status,
    type: response.headers.get("x-amzn-errortype")?.split(":")[0],
    body: await response.json().catch(() => ({})),
  };
}

async function startFlow(emu: Emulator) {
  const client = (await post(emu, "/client/register", {
    clientName: "t",
    clientType: "public",
    scopes: ["sso:account:access"],
  })).body;
  const device = (await post(emu, "/device_authorization", {
    clientId: client.clientId,
    clientSecret: client.clientSecret,
    startUrl: START_URL,
  })).body;
  const poll = () =>
    post(emu, "/token", {
      clientId: client.clientId,
      clientSecret: client.clientSecret,
      grantType: "urn:ietf:params:oauth:grant-type:device_code",
      deviceCode: device.deviceCode,
    });
  return { client, device, poll };
}

Deno.test("emulator: RegisterClient without the sso:account:access scope is refused", async () => {
  await withEmulator({}, async (emu) => {
    const answer = await post(emu, "/client/register", { clientName: "t", clientType: "public" });
    assert.equal(answer.status, 400);
    assert.equal(answer.body.error, "invalid_scope");
  });
});

Deno.test("emulator: polling faster than the interval answers slow_down, then pending, then the token once", async () => {
  await withEmulator({ sso: { slowDownStep: 0 } }, async (emu) => {
    const flow = await startFlow(emu);
    assert.equal(flow.device.interval, 1);
    const first = await flow.poll();
    assert.deepEqual([first.status, first.type, first.body.error], [
      400,
      "AuthorizationPendingException",
      "authorization_pending",
    ]);
    const early = await flow.poll();
    assert.deepEqual([early.type, early.body.error], ["SlowDownException", "slow_down"]);
    await new Promise((resolve) => setTimeout(resolve, 1000));
    assert.equal((await flow.poll()).type, "AuthorizationPendingException");
    // Approved through the control endpoint, as another process would.
    const pending = await (await fetch(`${emu.url}/_emulator/sso/pending`)).json();
    assert.deepEqual(pending, [flow.device.userCode]);
    const approved = await fetch(`${emu.url}/_emulator/sso/approve`, {
      method: "POST",
      body: JSON.stringify({ userCode: flow.device.userCode }),
    });
    assert.deepEqual(await approved.json(), { count: 1 });
    await new Promise((resolve) => setTimeout(resolve, 1000));
    const token = await flow.poll();
    assert.equal(token.status, 200);
    assert.ok(emu.secrets().includes(token.body.accessToken));
    assert.ok(emu.secrets().includes(token.body.refreshToken));
    assert.ok(emu.secrets().includes(flow.client.clientSecret));
    assert.ok(emu.secrets().includes(flow.device.deviceCode));
    await new Promise((resolve) => setTimeout(resolve, 1000));
    assert.equal((await flow.poll()).type, "InvalidGrantException", "a device code is used once");
  });
});

Deno.test("emulator: the option slowDown forces slow_down answers and the expire-tokens control ends access tokens", async () => {
  await withEmulator({ sso: { slowDown: 1, slowDownStep: 0 } }, async (emu) => {
    const flow = await startFlow(emu);
    assert.equal((await flow.poll()).type, "SlowDownException");
    emu.ssoApprove();
    await new Promise((resolve) => setTimeout(resolve, 1000));
    const token = (await flow.poll()).body.accessToken;
    const list = () =>
      fetch(`${emu.url}/assignment/accounts`, { headers: { "x-amz-sso_bearer_token": token } })
        .then(async (r) => (await r.body?.cancel(), r.status));
    assert.equal(await list(), 200);
    await fetch(`${emu.url}/_emulator/sso/expire-tokens`, { method: "POST" }).then((r) =>
      r.body?.cancel()
    );
    assert.equal(await list(), 401);
  });
});

Deno.test("emulator: getSigninToken accepts role sessions only and a sign-in token logs in once", async () => {
  await withEmulator({}, async (emu) => {
    const user = emu.createUser({ name: "bob" });
    const session = await stsCall(emu.url, { Action: "GetSessionToken" }, user);
    const userSession = {
      sessionId: xmlField(session.body, "AccessKeyId"),
      sessionKey: xmlField(session.body, "SecretAccessKey"),
      sessionToken: xmlField(session.body, "SessionToken"),
    };
    const signin = (s: unknown, extra = "") =>
      fetch(
        `${emu.url}/federation?Action=getSigninToken${extra}&Session=${
          encodeURIComponent(JSON.stringify(s))
        }`,
      );
    const refused = await signin(userSession);
    await refused.body?.cancel();
    assert.equal(refused.status, 400, "IAM user sessions cannot sign in to the console");
    const role = await stsCall(emu.url, {
      Action: "AssumeRole",
      RoleArn: "arn:aws:iam::123456789012:role/Console",
      RoleSessionName: "bob",
    }, user);
    const roleSession = {
      sessionId: xmlField(role.body, "AccessKeyId"),
      sessionKey: xmlField(role.body, "SecretAccessKey"),
      sessionToken: xmlField(role.body, "SessionToken"),
    };
    const bad = await signin({ ...roleSession, sessionKey: "wrong" });
    await bad.body?.cancel();
    assert.equal(bad.status, 400);
    const tooLong = await signin(roleSession, "&SessionDuration=50000");
    await tooLong.body?.cancel();
    assert.equal(tooLong.status, 400);
    const { SigninToken } = await (await signin(roleSession, "&SessionDuration=3600")).json();
    assert.ok(emu.secrets().includes(SigninToken));
    assert.deepEqual(emu.signinSession(SigninToken), {
      arn: "arn:aws:sts::123456789012:assumed-role/Console/bob",
      accessKeyId: roleSession.sessionId,
      sessionDuration: 3600,
    });
    const login = () =>
      fetch(
        `${emu.url}/federation?Action=login&Issuer=t&Destination=${
          encodeURIComponent("https://console.aws.amazon.com/")
        }&SigninToken=${SigninToken}`,
        { redirect: "manual" },
      ).then(async (r) => (await r.body?.cancel(), r.status));
    assert.equal(await login(), 302);
    assert.equal(await login(), 400);
  });
});
