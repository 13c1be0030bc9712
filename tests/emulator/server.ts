/**
 * Starts the local AWS emulator: a `Deno.serve` server on 127.0.0.1 that routes STS, OIDC and
 * control requests to their handlers, with all state in memory.
 *
 * @module
 */

import { handleControl } from "./control_handler.ts";
import { randomBytes, toBase64Url } from "./crypto_util.ts";
import { createOidcSigner } from "./jwt.ts";
import { handleJwks, handleOidcToken, handleOpenIdConfiguration } from "./oidc_handler.ts";
import { callCount, createState, createUser } from "./state.ts";
import type { EmulatorState } from "./state.ts";
import { handleSts } from "./sts_handler.ts";
import type { Emulator, EmulatorOptions } from "./types.ts";

function githubActionsEnv(state: EmulatorState): Record<string, string> {
  return {
    // Real GitHub request URLs alstate carry a query string; clients append `&audience=…`.
    ACTIONS_ID_TOKEN_REQUEST_URL: `${state.url}/oidc/token?api-version=2.0`,
    ACTIONS_ID_TOKEN_REQUEST_TOKEN: state.oidcRequestToken,
    GITHUB_ACTIONS: "true",
  };
}

/** Routes one request to the handler for its path. */
export function route(state: EmulatorState, request: Request): Promise<Response> | Response {
  const path = new URL(request.url).pathname;
  if (path === "/" && (request.method === "POST" || request.method === "GET")) {
    return handleSts(state, request);
  }
  if (path === "/oidc/token" && request.method === "GET") return handleOidcToken(state, request);
  if (path === "/oidc/.well-known/jwks" && request.method === "GET") return handleJwks(state);
  if (path === "/oidc/.well-known/openid-configuration" && request.method === "GET") {
    return handleOpenIdConfiguration(state);
  }
  if (path.startsWith("/_emulator/")) {
    return handleControl(state, request, () => githubActionsEnv(state));
  }
  return new Response(JSON.stringify({ message: `no route for ${request.method} ${path}` }), {
    status: 404,
    headers: { "content-type": "application/json" },
  });
}

/** Starts an emulator on 127.0.0.1 (a random port unless `options.port` is set). */
export async function startEmulator(options: EmulatorOptions = {}): Promise<Emulator> {
  const signer = await createOidcSigner();
  const requestToken = toBase64Url(randomBytes(32));
  // The URL is known only once the server listens; no request is handled before it is set,
  // because nothing awaits between Deno.serve() and the assignment.
  const state = createState("", options, signer, requestToken);
  const server = Deno.serve(
    { hostname: "127.0.0.1", port: options.port ?? 0, onListen() {} },
    (request) => route(state, request),
  );
  const port = server.addr.port;
  const url = `http://127.0.0.1:${port}`;
  state.url = url;
  return {
    url,
    port,
    stop: () => server.shutdown(),
    calls: (action?: string) => callCount(state, action),
    resetCalls: () => state.calls.clear(),
    createUser: (opts) => createUser(state, opts),
    secrets: () => [...state.secrets],
    githubActionsEnv: () => githubActionsEnv(state),
  };
}
