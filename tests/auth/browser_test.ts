import assert from "node:assert/strict";
import { join } from "node:path";
import { openSecretUrl } from "../../lib/auth/browser.ts";

const SECRET_URL = "https://signin.example.test/federation?Action=login&SigninToken=SECRETTOKEN42";

/**
 * Runs `openSecretUrl` with a stand-in `xdg-open` first on PATH that only records the address it
 * is given (it fetches nothing), and hands that address to `probe`, which plays the browser and
 * any other local process.
 */
async function withLoopbackLink(
  probe: (link: URL) => Promise<void>,
): Promise<Awaited<ReturnType<typeof openSecretUrl>>> {
  const dir = await Deno.makeTempDir();
  const log = join(dir, "opened");
  await Deno.writeTextFile(join(dir, "xdg-open"), `#!/bin/sh\nprintf %s "$1" > ${log}\n`, {
    mode: 0o755,
  });
  const path = Deno.env.get("PATH") ?? "";
  Deno.env.set("PATH", `${dir}:${path}`);
  try {
    const result = openSecretUrl(SECRET_URL, { get: () => undefined }, 20_000);
    let link = "";
    for (let i = 0; i < 200 && link === ""; i++) {
      await new Promise((resolve) => setTimeout(resolve, 25));
      link = await Deno.readTextFile(log).catch(() => "");
    }
    assert.match(
      link,
      /^http:\/\/127\.0\.0\.1:\d+\/[0-9a-f]{32}$/,
      "the browser's argv holds no token",
    );
    await probe(new URL(link));
    return await result;
  } finally {
    Deno.env.set("PATH", path);
    await Deno.remove(dir, { recursive: true });
  }
}

/**
 * `count` GETs of `link` on connections opened before any request is written, so the server
 * has them all in hand at once; returns each raw answer ("" when the connection was closed).
 */
async function racingGets(link: URL, count: number): Promise<string[]> {
  const conns = await Promise.all(
    Array.from({ length: count }, () => Deno.connect({ hostname: "127.0.0.1", port: +link.port })),
  );
  const request = new TextEncoder().encode(
    `GET ${link.pathname} HTTP/1.1\r\nhost: ${link.host}\r\nconnection: close\r\n\r\n`,
  );
  await Promise.all(conns.map((conn) => conn.write(request)));
  return await Promise.all(conns.map(async (conn) => {
    try {
      return new TextDecoder().decode(await new Response(conn.readable).arrayBuffer());
    } catch {
      return "";
    }
  }));
}

/** Status, headers and body of a GET that does not follow redirects. */
async function get(url: string) {
  try {
    const response = await fetch(url, { redirect: "manual" });
    return {
      status: response.status,
      headers: [...response.headers].map(([k, v]) => `${k}: ${v}`).join("\n"),
      body: await response.text(),
    };
  } catch (error) {
    return { status: 0, headers: "", body: (error as Error).name };
  }
}

Deno.test("openSecretUrl(): a wrong path gets 404 with no token, the right one 303 once, then nothing", async () => {
  const result = await withLoopbackLink(async (link) => {
    const base = `${link.origin}`;
    const nonce = link.pathname.slice(1);
    for (
      const wrong of [
        `${base}/`,
        `${base}/${nonce.slice(0, -1)}`,
        `${base}/${nonce}x`,
        `${base}/${nonce.toUpperCase()}`,
        `${base}/${nonce}/`,
        `${base}/favicon.ico`,
      ]
    ) {
      const answer = await get(wrong);
      assert.equal(answer.status, 404, wrong);
      assert.doesNotMatch(answer.headers + answer.body, /SECRETTOKEN|signin\.example|location/i);
    }
    // The wrong guesses did not use the link up; of racing requests, one gets it.
    const answers = await racingGets(link, 3);
    const served = answers.filter((a) => a.startsWith("HTTP/1.1 303"));
    assert.equal(served.length, 1, JSON.stringify(answers));
    assert.match(served[0], new RegExp(`\r\nlocation: ${SECRET_URL.replace(/[?.]/g, "\\$&")}\r\n`));
    assert.match(served[0], /\r\ncache-control: no-store\r\n/);
    assert.match(served[0], /\r\nreferrer-policy: no-referrer\r\n/);
    for (const other of answers.filter((a) => a !== served[0])) {
      assert.ok(other === "" || other.startsWith("HTTP/1.1 404"), other);
      assert.doesNotMatch(other, /SECRETTOKEN/);
    }
  });
  assert.equal(result, "opened");
});

Deno.test("openSecretUrl(): once used, the link is refused (the server is gone)", async () => {
  let link: URL | undefined;
  const result = await withLoopbackLink(async (given) => {
    link = given;
    assert.equal((await get(given.href)).status, 303);
  });
  assert.equal(result, "opened");
  const again = await get(link!.href);
  assert.equal(again.status, 0, "nothing listens any more");
});
