/**
 * The user-facing Entra endpoints: `POST /<tenant>/oauth2/v2.0/devicecode` (device and user
 * codes for a public client) and `GET /<tenant>/oauth2/v2.0/authorize` (authorization code with
 * PKCE for a loopback redirect). An authorization request is held open, like a browser tab waiting
 * for the user, until a test approves or denies it (at once in auto-approve mode); then it
 * redirects to `redirect_uri` with `code` and `state`, or with `error=access_denied`.
 *
 * @module
 */

import { formParams, json } from "./http_util.ts";
import { addAuthorization, addDevice, entraSetting, resolveTenant } from "./entra_state.ts";
import { EntraError, newEntraSecret, parseScope } from "./entra_tokens.ts";
import { newUserCode } from "./sso_state.ts";
import { countCall } from "./state.ts";
import type { EmulatorState } from "./state.ts";

const PATH = /^\/([^/]+)\/oauth2\/v2\.0\/(devicecode|authorize)$/;

/** How long an authorization code can be redeemed, in ms. */
export const CODE_LIFETIME_MS = 10 * 60 * 1000;

/** True for the devicecode and authorize routes. */
export function isEntraAuthorizePath(path: string): boolean {
  return PATH.test(path);
}

function publicClient(state: EmulatorState, clientId: string | null): string {
  if (clientId === null || clientId === "") {
    throw new EntraError(
      "invalid_request",
      900144,
      "The request body must contain the following parameter: 'client_id'.",
    );
  }
  if (!state.entra.publicClients.has(clientId)) {
    throw new EntraError(
      "unauthorized_client",
      700016,
      `Application with identifier '${clientId}' was not found in the directory '${state.entra.tenantId}'.`,
    );
  }
  return clientId;
}

async function deviceCode(state: EmulatorState, request: Request): Promise<Response> {
  countCall(state, "entra.devicecode");
  const params = await formParams(request);
  const clientId = publicClient(state, params.get("client_id"));
  const scope = params.get("scope") ?? "";
  parseScope(scope);
  const lifetime = entraSetting(state, "deviceCodeLifetime");
  const userCode = newUserCode().replace("-", "");
  const verificationUri = `${new URL(request.url).origin}/devicelogin`;
  const device = {
    deviceCode: newEntraSecret(state, "DAQABAAEAAA"),
    userCode,
    clientId,
    scope,
    expiresAtMs: Date.now() + lifetime * 1000,
    status: "pending" as const,
  };
  addDevice(state, device);
  return json(200, {
    user_code: userCode,
    device_code: device.deviceCode,
    verification_uri: verificationUri,
    expires_in: lifetime,
    interval: entraSetting(state, "pollInterval"),
    message: `To sign in, use a web browser to open the page ${verificationUri} and enter the ` +
      `code ${userCode} to authenticate.`,
  });
}

/** True for `http://localhost[:port]/…` and `http://127.0.0.1[:port]/…` (native app redirects). */
export function isLoopbackRedirect(uri: string): boolean {
  try {
    const url = new URL(uri);
    return url.protocol === "http:" && ["localhost", "127.0.0.1", "[::1]"].includes(url.hostname);
  } catch {
    return false;
  }
}

function redirect(uri: string, params: Record<string, string | undefined>): Response {
  const target = new URL(uri);
  for (const [name, value] of Object.entries(params)) {
    if (value !== undefined) target.searchParams.set(name, value);
  }
  return new Response(null, { status: 302, headers: { location: target.toString() } });
}

function authorize(state: EmulatorState, request: Request, tenant: string): Promise<Response> {
  countCall(state, "entra.authorize");
  const query = new URL(request.url).searchParams;
  const clientId = publicClient(state, query.get("client_id"));
  const redirectUri = query.get("redirect_uri") ?? "";
  if (!isLoopbackRedirect(redirectUri)) {
    throw new EntraError(
      "invalid_request",
      50011,
      `The redirect URI '${redirectUri}' specified in the request does not match the redirect URIs configured for the application '${clientId}'.`,
    );
  }
  if (query.get("response_type") !== "code") {
    throw new EntraError("unsupported_response_type", 70005, "The response_type must be 'code'.");
  }
  const challenge = query.get("code_challenge") ?? "";
  const method = query.get("code_challenge_method") ?? "plain";
  if (challenge === "" || method !== "S256") {
    throw new EntraError(
      "invalid_request",
      9002325,
      "Proof Key for Code Exchange (S256 code_challenge) is required.",
    );
  }
  const scope = query.get("scope") ?? "";
  parseScope(scope);
  const requestState = query.get("state") ?? undefined;
  const { promise, resolve } = Promise.withResolvers<Response>();
  addAuthorization(state, {
    clientId,
    redirectUri,
    scope,
    state: requestState,
    decide(decision) {
      if (decision === "denied") {
        resolve(redirect(redirectUri, {
          error: "access_denied",
          error_description: "AADSTS65004: User declined to consent to access the app.",
          state: requestState,
        }));
        return;
      }
      const code = newEntraSecret(state, "1.code.");
      state.entra.codes.set(code, {
        clientId,
        redirectUri,
        scope,
        nonce: query.get("nonce") ?? undefined,
        codeChallenge: challenge,
        codeChallengeMethod: method,
        tenant,
        expiresAtMs: Date.now() + CODE_LIFETIME_MS,
        used: false,
      });
      resolve(redirect(redirectUri, { code, state: requestState }));
    },
  });
  return promise;
}

/** Answers the devicecode and authorize routes. */
export async function handleEntraAuthorize(
  state: EmulatorState,
  request: Request,
): Promise<Response> {
  const [, segment, endpoint] = PATH.exec(new URL(request.url).pathname)!;
  try {
    const tenant = resolveTenant(state, segment);
    if (tenant === undefined) {
      throw new EntraError("invalid_tenant", 90002, `Tenant '${segment}' not found.`);
    }
    if (endpoint === "devicecode") {
      if (request.method !== "POST") {
        throw new EntraError(
          "invalid_request",
          900561,
          "The endpoint only accepts POST requests.",
          405,
        );
      }
      return await deviceCode(state, request);
    }
    if (request.method !== "GET") {
      throw new EntraError(
        "invalid_request",
        900561,
        "The endpoint only accepts GET requests.",
        405,
      );
    }
    return await authorize(state, request, tenant);
  } catch (error) {
    if (error instanceof EntraError) return error.toResponse();
    throw error;
  }
}
