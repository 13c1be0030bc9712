/**
 * Starts the local cloud emulator: `Deno.serve` servers on 127.0.0.1, one plain http and one https
 * (test CA), that route AWS (STS, OIDC, SSO, sign-in), Google (STS, IAM Credentials, OAuth,
 * Cloud Resource Manager), Microsoft Entra (https only) and control requests to their handlers,
 * plus the proxy trap; all state in memory.
 *
 * @module
 */

import { handleControl } from "./control_handler.ts";
import type { ControlContext } from "./control_handler.ts";
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
import { azureApi, gcpApi } from "./cloud_api.ts";
import { handleEcho } from "./echo_handler.ts";
import { handleEntraAuthorize, isEntraAuthorizePath } from "./entra_authorize_handler.ts";
import { handleEntraDiscovery, isEntraDiscoveryPath } from "./entra_discovery_handler.ts";
import { decideAuthorization } from "./entra_state.ts";
import { handleEntraToken, isEntraTokenPath } from "./entra_token_handler.ts";
import { handleGenerateAccessToken, isGenerateAccessTokenPath } from "./gcp_iam_handler.ts";
import {
  GOOGLE_OAUTH_TOKEN_PATH,
  GOOGLE_TOKENINFO_PATHS,
  handleGoogleOAuthToken,
  handleGoogleTokenInfo,
} from "./gcp_oauth_handler.ts";
import { handleGetProject, isProjectPath } from "./gcp_resource_handler.ts";
import { handleGcpSts } from "./gcp_sts_handler.ts";
import { json } from "./http_util.ts";
import { issueOidcJwt } from "./oidc_handler.ts";
import { startProxyTrap, trapEnv } from "./proxy_trap.ts";
import type { ProxyTrap } from "./proxy_trap.ts";
import { GOOGLE_HOSTS, testCa } from "./test_ca.ts";
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

/** Routes a Google request, or undefined when the path is not Google's. */
function routeGoogle(
  state: EmulatorState,
  request: Request,
  path: string,
): Promise<Response> | Response | undefined {
  const method = request.method;
  if (method === "POST" && path === "/v1/token") return handleGcpSts(state, request);
  if (method === "POST" && isGenerateAccessTokenPath(path)) {
    return handleGenerateAccessToken(state, request);
  }
  if (method === "POST" && path === GOOGLE_OAUTH_TOKEN_PATH) {
    return handleGoogleOAuthToken(state, request);
  }
  if ((method === "GET" || method === "POST") && GOOGLE_TOKENINFO_PATHS.includes(path)) {
    return handleGoogleTokenInfo(state, request);
  }
  if (method === "GET" && isProjectPath(path)) return handleGetProject(state, request);
  return undefined;
}

/** Routes an Entra request (https only), or undefined when the path is not Entra's. */
function routeEntra(
  state: EmulatorState,
  request: Request,
  path: string,
  secure: boolean,
): Promise<Response> | Response | undefined {
  const method = request.method;
  const entra = (method === "GET" && isEntraDiscoveryPath(path)) ||
    isEntraAuthorizePath(path) || (method === "POST" && isEntraTokenPath(path));
  if (!entra) return undefined;
  if (!secure) {
    const where = state.httpsUrl === "" ? "(https is off)" : `${state.httpsUrl}${path}`;
    return json(404, { message: `Entra endpoints are served over https only: ${where}` });
  }
  if (isEntraDiscoveryPath(path)) return handleEntraDiscovery(state, request);
  if (isEntraAuthorizePath(path)) return handleEntraAuthorize(state, request);
  return handleEntraToken(state, request);
}

/** Routes one request to the handler for its path; `secure` is true on the TLS listener. */
export function route(
  state: EmulatorState,
  request: Request,
  context: ControlContext,
  secure = false,
): Promise<Response> | Response {
  const url = new URL(request.url);
  const path = url.pathname;
  // Google's own OAuth host (reached through the trap's forwarding): its token path is `/token`.
  if (secure && url.hostname === "oauth2.googleapis.com") {
    if (request.method === "POST" && path === "/token") {
      return handleGoogleOAuthToken(state, request);
    }
    if (path === "/tokeninfo") return handleGoogleTokenInfo(state, request);
  }
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
  if (path === "/echo" && request.method === "GET") return handleEcho(state, request);
  if (path.startsWith("/_emulator/")) return handleControl(state, request, context);
  const answer = routeGoogle(state, request, path) ?? routeEntra(state, request, path, secure);
  if (answer !== undefined) return answer;
  return json(404, { message: `no route for ${request.method} ${path}` });
}

/** Starts an emulator on 127.0.0.1 (random ports unless `options.port` is set for http). */
export async function startEmulator(options: EmulatorOptions = {}): Promise<Emulator> {
  const signer = await createOidcSigner();
  const ca = options.https === false ? undefined : await testCa();
  const requestToken = toBase64Url(randomBytes(32));
  // The URLs are known only once the servers listen; no request is handled before they are set,
  // because nothing awaits between Deno.serve() and the assignments.
  const state = createState("", options, signer, requestToken);
  // The TLS port is known only once it listens; forwarding is asked for after that.
  let tlsPort = 0;
  const googleHosts = options.gcp?.googleHosts === true && ca !== undefined;
  const trap: ProxyTrap = startProxyTrap({
    forward: (target) =>
      googleHosts && (GOOGLE_HOSTS as readonly string[]).includes(target.replace(/:443$/, ""))
        ? tlsPort
        : undefined,
  });
  const context: ControlContext = {
    githubActionsEnv: () => githubActionsEnv(state),
    endpoints: () => ({
      url: state.url,
      httpsUrl: state.httpsUrl,
      caFile: ca?.caFile ?? "",
      trapUrl: trap.url,
    }),
    trapLog: () => trap.log(),
  };
  const server = Deno.serve(
    { hostname: "127.0.0.1", port: options.port ?? 0, onListen() {} },
    (request) => route(state, request, context),
  );
  const tls = ca === undefined ? undefined : Deno.serve(
    { hostname: "127.0.0.1", port: 0, cert: ca.certPem, key: ca.keyPem, onListen() {} },
    (request) => route(state, request, context, true),
  );
  const port = server.addr.port;
  tlsPort = tls?.addr.port ?? 0;
  const url = `http://127.0.0.1:${port}`;
  let stopped: Promise<void> | undefined;
  state.url = url;
  state.httpsUrl = tls ? `https://127.0.0.1:${tls.addr.port}` : "";
  const flaky = startFlakyProxy(state, port);
  return {
    url,
    flakyUrl: `http://127.0.0.1:${flaky.port}`,
    port,
    httpsUrl: state.httpsUrl,
    httpsPort: tls?.addr.port ?? 0,
    caFile: ca?.caFile ?? "",
    trap: {
      url: trap.url,
      log: () => trap.log(),
      forwarded: () => trap.forwarded(),
      env: () => trapEnv(trap.url),
    },
    gcp: gcpApi(state),
    azure: azureApi(state),
    stop: () => {
      // Held authorization requests would keep the servers from shutting down.
      decideAuthorization(state, "denied");
      stopped ??= Promise.all([flaky.stop(), server.shutdown(), tls?.shutdown(), trap.stop()])
        .then(() => {});
      return stopped;
    },
    calls: (action?: string) => callCount(state, action),
    resetCalls: () => state.calls.clear(),
    callers: (action: string) => [...(state.callers.get(action) ?? [])],
    oidcToken: (jwtOptions) => issueOidcJwt(state, jwtOptions),
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
