/**
 * The browser half of Entra ID's authorization code flow for a public client, as `az login`
 * runs it: a PKCE pair (S256), the authorize URL, and a one-shot loopback listener on
 * `http://localhost:<port>` that receives the redirect with `code` and `state`. The code is
 * redeemed by `entra.ts`.
 *
 * Hand-written: MSAL Node's loopback client is Node-only, and this is one listener and one URL.
 *
 * @module
 */
import { AtmosError } from "../errors.ts";

/** A PKCE verifier (secret) and its S256 challenge. */
export interface Pkce {
  verifier: string;
  challenge: string;
}

/** A new PKCE pair (RFC 7636, 32 random bytes). */
export async function pkcePair(): Promise<Pkce> {
  const verifier = base64Url(crypto.getRandomValues(new Uint8Array(32)));
  const digest = await crypto.subtle.digest("SHA-256", new TextEncoder().encode(verifier));
  return { verifier, challenge: base64Url(new Uint8Array(digest)) };
}

/** A random `state` value. */
export function randomState(): string {
  return base64Url(crypto.getRandomValues(new Uint8Array(16)));
}

/** The authorize URL at `<authority>/oauth2/v2.0/authorize`. */
export function authorizeUrl(request: {
  authority: string;
  clientId: string;
  redirectUri: string;
  scope: string;
  state: string;
  challenge: string;
}): string {
  const url = new URL(`${request.authority.replace(/\/+$/, "")}/oauth2/v2.0/authorize`);
  for (
    const [name, value] of Object.entries({
      client_id: request.clientId,
      response_type: "code",
      redirect_uri: request.redirectUri,
      scope: request.scope,
      state: request.state,
      code_challenge: request.challenge,
      code_challenge_method: "S256",
      response_mode: "query",
      prompt: "select_account",
      client_info: "1",
    })
  ) {
    url.searchParams.set(name, value);
  }
  return url.toString();
}

/** A loopback listener waiting for one redirect. */
export interface RedirectListener {
  /** `http://localhost:<port>`: the `redirect_uri`. */
  redirectUri: string;
  /**
   * Resolves with the code of the first redirect carrying `state`; rejects on an error
   * redirect, when `signal` aborts (exit 130), or after `timeoutMs`.
   */
  code(state: string, signal: AbortSignal, timeoutMs: number): Promise<string>;
  close(): Promise<void>;
}

/** Starts a listener on a free loopback port. */
export function listenForRedirect(): RedirectListener {
  const received = Promise.withResolvers<URLSearchParams>();
  let done = false;
  const server = Deno.serve({ hostname: "127.0.0.1", port: 0, onListen() {} }, (request) => {
    const url = new URL(request.url);
    const params = url.searchParams;
    if (done || url.pathname !== "/" || (!params.has("code") && !params.has("error"))) {
      return new Response("not found\n", { status: 404 });
    }
    done = true;
    received.resolve(params);
    const ok = params.has("code");
    return new Response(page(ok), {
      status: ok ? 200 : 400,
      headers: { "content-type": "text/html; charset=utf-8", "cache-control": "no-store" },
    });
  });
  return {
    redirectUri: `http://localhost:${server.addr.port}`,
    async code(state, signal, timeoutMs) {
      let timer: ReturnType<typeof setTimeout> | undefined;
      const stop = new Promise<never>((_, reject) => {
        timer = setTimeout(
          () =>
            reject(
              new AtmosError("the browser sign-in did not finish in time", {
                hint: `run the command again and sign in within ${
                  Math.round(timeoutMs / 60_000)
                } minutes`,
              }),
            ),
          timeoutMs,
        );
        signal.addEventListener(
          "abort",
          () => reject(new AtmosError("sign-in cancelled", { exitCode: 130 })),
          { once: true },
        );
      });
      stop.catch(() => {}); // a late cancel or timeout after the redirect is not an error
      try {
        const params = await Promise.race([received.promise, stop]);
        const error = params.get("error");
        if (error) {
          const description = (params.get("error_description") ?? "").split(/\r?\n/)[0];
          throw new AtmosError(
            `the browser sign-in failed: ${error}${description ? `: ${description}` : ""}`,
            { hint: "run the command again and approve the sign-in" },
          );
        }
        if (params.get("state") !== state) {
          throw new AtmosError("the browser sign-in answered with a different state", {
            hint: "run the command again; close other sign-in tabs first",
          });
        }
        return params.get("code")!;
      } finally {
        clearTimeout(timer);
      }
    },
    close: () => server.shutdown(),
  };
}

function page(ok: boolean): string {
  const text = ok
    ? "Signed in to Microsoft Entra ID. You can close this window and return to atmos."
    : "The sign-in did not succeed. Return to atmos for details.";
  return `<!doctype html><html><head><meta charset="utf-8"><title>atmos</title></head>` +
    `<body><p>${text}</p></body></html>\n`;
}

function base64Url(bytes: Uint8Array): string {
  let binary = "";
  for (const byte of bytes) binary += String.fromCharCode(byte);
  return btoa(binary).replace(/\+/g, "-").replace(/\//g, "_").replace(/=+$/, "");
}
