import assert from "node:assert/strict";
import { requestLine, startProxyTrap, trapEnv } from "./proxy_trap.ts";
import { startEmulator } from "./mod.ts";

Deno.test("the proxy trap refuses and logs a CONNECT, so an https request off loopback fails", async () => {
  const trap = startProxyTrap();
  const client = Deno.createHttpClient({ proxy: { url: trap.url } });
  try {
    await assert.rejects(fetch("https://login.microsoftonline.com/common/discovery/instance", {
      client,
    } as RequestInit));
    assert.deepEqual(trap.log(), ["CONNECT login.microsoftonline.com:443"]);
  } finally {
    client.close();
    await trap.stop();
  }
});

Deno.test("the proxy trap answers a proxied plain-http request 403 and logs its absolute URL", async () => {
  const trap = startProxyTrap();
  const client = Deno.createHttpClient({ proxy: { url: trap.url } });
  try {
    const response = await fetch("http://169.254.169.254/computeMetadata/v1/instance", {
      client,
    } as RequestInit);
    assert.equal(response.status, 403);
    assert.match(await response.text(), /no traffic off loopback/);
    assert.deepEqual(trap.log(), ["GET http://169.254.169.254/computeMetadata/v1/instance"]);
  } finally {
    client.close();
    await trap.stop();
  }
});

Deno.test("requestLine() keeps the method and target of a request head", () => {
  const head = new TextEncoder().encode(
    "CONNECT oauth2.googleapis.com:443 HTTP/1.1\r\nHost: x\r\n\r\n",
  );
  assert.equal(requestLine(head), "CONNECT oauth2.googleapis.com:443");
});

Deno.test("trapEnv() sets both spellings of the proxy variables and exempts loopback", () => {
  assert.deepEqual(trapEnv("http://127.0.0.1:9"), {
    HTTPS_PROXY: "http://127.0.0.1:9",
    HTTP_PROXY: "http://127.0.0.1:9",
    https_proxy: "http://127.0.0.1:9",
    http_proxy: "http://127.0.0.1:9",
    NO_PROXY: "127.0.0.1,localhost",
    no_proxy: "127.0.0.1,localhost",
  });
});

Deno.test("the emulator's https listener is trusted through its test CA, and only through it", async () => {
  const emu = await startEmulator();
  const client = Deno.createHttpClient({ caCerts: [await Deno.readTextFile(emu.caFile)] });
  try {
    assert.match(emu.httpsUrl, /^https:\/\/127\.0\.0\.1:\d+$/);
    for (const origin of [emu.httpsUrl, `https://localhost:${emu.httpsPort}`]) {
      const response = await fetch(`${origin}/echo`, { client } as RequestInit);
      assert.equal(response.status, 200);
      await response.body?.cancel();
    }
    await assert.rejects(fetch(`${emu.httpsUrl}/echo`), (error: Error) => {
      assert.match(String(error.cause ?? error), /UnknownIssuer|certificate/i);
      return true;
    });
    const endpoints = await (await fetch(`${emu.url}/_emulator/endpoints`)).json();
    assert.deepEqual(endpoints, {
      url: emu.url,
      httpsUrl: emu.httpsUrl,
      caFile: emu.caFile,
      trapUrl: emu.trap.url,
    });
    assert.deepEqual(await (await fetch(`${emu.url}/_emulator/trap`)).json(), []);
  } finally {
    client.close();
    await emu.stop();
  }
});

Deno.test("startEmulator({ https: false }) needs no openssl and serves no https", async () => {
  const emu = await startEmulator({ https: false });
  try {
    assert.deepEqual([emu.httpsUrl, emu.httpsPort, emu.caFile], ["", 0, ""]);
    const entra = await fetch(`${emu.url}/adfs/.well-known/openid-configuration`);
    assert.equal(entra.status, 404);
    assert.match((await entra.json()).message, /https is off/);
  } finally {
    await emu.stop();
  }
});
