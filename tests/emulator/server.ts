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
import { handleSsoOidc } from "./sso_oidc_handler.ts";
import { handleSsoPortal, isPortalRoute } from "./sso_portal_handler.ts";
import { handleFederation } from "./federation_handler.ts";
import { decide, expireAccessTokens, pendingUserCodes } from "./sso_state.ts";
import type { Emulator, EmulatorOptions } from "./types.ts";
import { queueFault } from "./faults.ts";
import { startFlakyProxy } from "./flaky_proxy.ts";

function githubActionsEnv(state: EmulatorState): Record<string, string> {
  return {
    // Real GitHub request URLs alstate carry a query string; clients append `&audience=…`.
    ACTIONS_ID_TOKEN_REQUEST_URL: `${state.url}/oidc/token?api-version=2.0`,
    ACTIONS_ID_TOKEN_REQUEST_TOKEN: state.oidcRequestToken,
    GITHUB_ACTIONS: "true",
  };
}

function ssoEnv(state: EmulatorState): Record<string, string> {
  return {
    AWS_ENDPOINT_URL_SSO: state.url,
    AWS_ENDPOINT_URL_SSO_OIDC: state.url,
    AWS_ENDPOINT_URL_SIGNIN: state.url,
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
  if (
    request.method === "POST" &&
    (path === "/client/register" || path === "/device_authorization" || path === "/token")
  ) {
    return handleSsoOidc(state, request);
  }
  if (isPortalRoute(request.method, path)) return handleSsoPortal(state, request);
  if (path === "/federation" && request.method === "GET") return handleFederation(state, request);
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
  const flaky = startFlakyProxy(state, port);
  return {
    url,
    flakyUrl: `http://127.0.0.1:${flaky.port}`,
    port,
    stop: async () => {
      await flaky.stop();
      await server.shutdown();
    },
    calls: (action?: string) => callCount(state, action),
    resetCalls: () => state.calls.clear(),
    fail: (spec) => queueFault(state, spec),
    dropConnections: (count) => {
      state.dropConnections += count;
    },
    createUser: (opts) => createUser(state, opts),
    secrets: () => [...state.secrets],
    githubActionsEnv: () => githubActionsEnv(state),
    ssoEnv: () => ssoEnv(state),
    ssoPending: () => pendingUserCodes(state),
    ssoApprove: (userCode) => decide(state, "approved", userCode),
    ssoDeny: (userCode) => decide(state, "denied", userCode),
    ssoExpireAccessTokens: () => expireAccessTokens(state),
    ssoRefreshTokenValid: (token) => state.sso.refreshTokens.has(token),
    signinSession: (token) => {
      const found = state.sso.signinTokens.get(token);
      return found
        ? { arn: found.arn, accessKeyId: found.accessKeyId, sessionDuration: found.sessionDuration }
        : undefined;
    },
  };
}
