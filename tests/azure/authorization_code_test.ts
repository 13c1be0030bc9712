import assert from "node:assert/strict";
import { AtmosError } from "../../lib/errors.ts";
import {
  authorizeUrl,
  listenForRedirect,
  pkcePair,
  randomState,
} from "../../lib/azure/authorization_code.ts";

Deno.test("pkcePair() makes an S256 challenge of a 43-character verifier", async () => {
  const pkce = await pkcePair();
  assert.match(pkce.verifier, /^[A-Za-z0-9_-]{43}$/);
  const digest = await crypto.subtle.digest("SHA-256", new TextEncoder().encode(pkce.verifier));
  const expected = btoa(String.fromCharCode(...new Uint8Array(digest)))
    .replace(/\+/g, "-").replace(/\//g, "_").replace(/=+$/, "");
  assert.equal(pkce.challenge, expected);
  assert.notEqual(randomState(), randomState());
});

Deno.test("authorizeUrl() asks for a code with PKCE on the given redirect", () => {
  const url = new URL(authorizeUrl({
    authority: "https://login.microsoftonline.com/t/",
    clientId: "c",
    redirectUri: "http://localhost:1234",
    scope: "s openid",
    state: "st",
    challenge: "ch",
  }));
  assert.equal(
    url.origin + url.pathname,
    "https://login.microsoftonline.com/t/oauth2/v2.0/authorize",
  );
  assert.deepEqual(
    ["response_type", "code_challenge", "code_challenge_method", "redirect_uri", "state"]
      .map((k) => url.searchParams.get(k)),
    ["code", "ch", "S256", "http://localhost:1234", "st"],
  );
});

Deno.test("listenForRedirect() hands over the code of the redirect with the right state, once", async () => {
  const listener = listenForRedirect();
  try {
    assert.match(listener.redirectUri, /^http:\/\/localhost:\d+$/);
    const port = new URL(listener.redirectUri).port;
    const waiting = listener.code("st", new AbortController().signal, 5_000);
    const other = await fetch(`http://127.0.0.1:${port}/favicon.ico`);
    assert.equal(other.status, 404);
    await other.body?.cancel();
    const page = await fetch(`http://127.0.0.1:${port}/?code=abc&state=st`);
    assert.equal(page.status, 200);
    assert.match(await page.text(), /Signed in/);
    assert.equal(await waiting, "abc");
    const again = await fetch(`http://127.0.0.1:${port}/?code=def&state=st`);
    assert.equal(again.status, 404, "a second redirect is refused");
    await again.body?.cancel();
  } finally {
    await listener.close();
  }
});

async function failed(
  redirect: string | undefined,
  signal = new AbortController().signal,
  timeoutMs = 5_000,
): Promise<AtmosError> {
  const listener = listenForRedirect();
  try {
    const waiting = listener.code("st", signal, timeoutMs).then(() => undefined, (e) => e);
    if (redirect !== undefined) {
      const port = new URL(listener.redirectUri).port;
      await (await fetch(`http://127.0.0.1:${port}/?${redirect}`)).body?.cancel();
    }
    const error = await waiting;
    assert.ok(error instanceof AtmosError, String(error));
    return error;
  } finally {
    await listener.close();
  }
}

Deno.test("listenForRedirect() fails on an error redirect, a different state, a cancel (130) and a timeout", async () => {
  assert.match(
    (await failed("error=access_denied&error_description=AADSTS65004%3A+declined&state=st"))
      .message,
    /the browser sign-in failed: access_denied: AADSTS65004: declined/,
  );
  assert.match((await failed("code=abc&state=other")).message, /different state/);
  const abort = new AbortController();
  setTimeout(() => abort.abort(), 50);
  const cancelled = await failed(undefined, abort.signal);
  assert.equal(cancelled.exitCode, 130);
  assert.match(
    (await failed(undefined, new AbortController().signal, 50)).message,
    /did not finish in time/,
  );
});
