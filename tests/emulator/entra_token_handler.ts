/**
 * The Entra token endpoint, `POST /<tenant>/oauth2/v2.0/token` (also `/adfs/oauth2/v2.0/token`),
 * with four grants, each counted as `entra.token.<grant>`:
 *
 * - `client_credentials` with a `client_assertion`: a JWT from the emulator's GitHub-style issuer
 *   (signature, expiry), `aud` `api://AzureADTokenExchange`, `sub` one of the app's federated
 *   subjects, for a configured app;
 * - `urn:ietf:params:oauth:grant-type:device_code`: pending, declined, expired, used or approved;
 * - `refresh_token`: rotating (the redeemed token stops working), shared by family clients;
 * - `authorization_code` with PKCE: `code_verifier` must hash (S256) to the `code_challenge`.
 *
 * @module
 */

import { constantTimeEqual, toBase64Url } from "./crypto_util.ts";
import { formParams, json } from "./http_util.ts";
import { JwtError, verifyJwt } from "./jwt.ts";
import { issuerUrl } from "./oidc_handler.ts";
import { isFamilyClient, resolveTenant } from "./entra_state.ts";
import { DEVICE_CODE_GRANT } from "./sso_oidc_handler.ts";
import { EntraError, issueAppToken, issueUserTokens, parseScope } from "./entra_tokens.ts";
import { countCall, recordSecret } from "./state.ts";
import type { EmulatorState } from "./state.ts";

/** The audience Entra requires of federated client assertions. */
export const TOKEN_EXCHANGE_AUDIENCE = "api://AzureADTokenExchange";
/** The only client assertion type. */
export const JWT_BEARER = "urn:ietf:params:oauth:client-assertion-type:jwt-bearer";

const PATH = /^\/([^/]+)\/oauth2\/v2\.0\/token$/;

/** True for the token route. */
export function isEntraTokenPath(path: string): boolean {
  return PATH.test(path);
}

/** One token request: its form, the origin it came to and the tenant its path names. */
interface GrantRequest {
  state: EmulatorState;
  params: URLSearchParams;
  origin: string;
  /** The tenant id, or `adfs`. */
  tenant: string;
}

function required(params: URLSearchParams, name: string): string {
  const value = params.get(name);
  if (value === null || value === "") {
    throw new EntraError(
      "invalid_request",
      900144,
      `The request body must contain the following parameter: '${name}'.`,
    );
  }
  return value;
}

async function clientCredentials(
  { state, params, origin, tenant }: GrantRequest,
): Promise<Response> {
  const clientId = required(params, "client_id");
  const app = state.entra.apps.get(clientId);
  if (app === undefined) {
    throw new EntraError(
      "unauthorized_client",
      700016,
      `Application with identifier '${clientId}' was not found in the directory '${state.entra.tenantId}'.`,
    );
  }
  if (params.get("client_assertion") === null) {
    throw new EntraError(
      "invalid_client",
      7000218,
      "The request body must contain the following parameter: 'client_assertion' or 'client_secret'.",
      401,
    );
  }
  if (params.get("client_assertion_type") !== JWT_BEARER) {
    throw new EntraError("invalid_request", 50027, "Invalid client_assertion_type.");
  }
  const assertion = required(params, "client_assertion");
  recordSecret(state, assertion);
  let claims: Record<string, unknown>;
  try {
    claims = await verifyJwt(state.oidc, assertion, issuerUrl(state));
  } catch (error) {
    if (error instanceof JwtError && error.reason === "expired") {
      throw new EntraError(
        "invalid_client",
        700024,
        "Client assertion is not within its valid time range.",
      );
    }
    throw new EntraError(
      "invalid_client",
      700027,
      `Client assertion failed signature validation: ${(error as Error).message}.`,
    );
  }
  const aud = Array.isArray(claims.aud) ? claims.aud : [claims.aud];
  if (!aud.includes(TOKEN_EXCHANGE_AUDIENCE)) {
    throw new EntraError(
      "invalid_client",
      700212,
      `No matching federated identity record found for presented assertion audience '${
        aud.join(",")
      }'.`,
    );
  }
  if (!app.subjects.includes(String(claims.sub))) {
    throw new EntraError(
      "invalid_client",
      700213,
      `No matching federated identity record found for presented assertion subject '${claims.sub}'.`,
    );
  }
  const scope = parseScope(required(params, "scope"));
  if (scope.permissions.some((p) => p !== ".default")) {
    throw new EntraError(
      "invalid_scope",
      1002012,
      "The provided value for scope is not valid. Client credential flows must have a scope value with /.default suffixed to the resource identifier.",
    );
  }
  return json(200, await issueAppToken(state, origin, tenant, app, scope));
}

async function deviceCodeGrant({ state, params, origin, tenant }: GrantRequest): Promise<Response> {
  const clientId = required(params, "client_id");
  const code = params.get("device_code") ?? params.get("code") ?? "";
  const device = state.entra.devices.get(code);
  if (device === undefined || device.clientId !== clientId) {
    throw new EntraError("invalid_grant", 70019, "Verification code is not valid.");
  }
  if (device.status === "used") {
    throw new EntraError("invalid_grant", 54005, "OAuth2 Authorization code was already redeemed.");
  }
  if (device.expiresAtMs <= Date.now()) {
    throw new EntraError(
      "expired_token",
      70020,
      "The provided value for the input parameter 'device_code' is not valid. This device code has expired.",
    );
  }
  if (device.status === "denied") {
    throw new EntraError("authorization_declined", 70000, "The user declined the sign-in request.");
  }
  if (device.status === "pending") {
    throw new EntraError(
      "authorization_pending",
      70016,
      "OAuth 2.0 device flow error. Authorization is pending. Continue polling.",
    );
  }
  device.status = "used";
  const scope = parseScope(params.get("scope") ?? device.scope);
  return json(
    200,
    await issueUserTokens(state, { origin, tenant, clientId, scope, grant: "device_code" }),
  );
}

async function refreshGrant({ state, params, origin, tenant }: GrantRequest): Promise<Response> {
  const clientId = required(params, "client_id");
  const token = required(params, "refresh_token");
  const found = state.entra.refreshTokens.get(token);
  const sameClient = found !== undefined &&
    (found.clientId === clientId || (found.family === "1" && isFamilyClient(clientId)));
  if (!sameClient) {
    throw new EntraError(
      "invalid_grant",
      9002313,
      "Invalid request. Request is malformed or invalid.",
    );
  }
  if (found.expiresAtMs <= Date.now()) {
    throw new EntraError(
      "invalid_grant",
      700082,
      "The refresh token has expired due to inactivity.",
    );
  }
  // Rotation: the redeemed refresh token stops working.
  state.entra.refreshTokens.delete(token);
  const scope = parseScope(params.get("scope") ?? "");
  return json(
    200,
    await issueUserTokens(state, { origin, tenant, clientId, scope, grant: "refresh_token" }),
  );
}

async function s256(verifier: string): Promise<string> {
  const digest = await crypto.subtle.digest("SHA-256", new TextEncoder().encode(verifier));
  return toBase64Url(new Uint8Array(digest));
}

async function authorizationCodeGrant(
  { state, params, origin }: GrantRequest,
): Promise<Response> {
  const clientId = required(params, "client_id");
  const code = state.entra.codes.get(required(params, "code"));
  if (code === undefined || code.clientId !== clientId) {
    throw new EntraError(
      "invalid_grant",
      70008,
      "The provided authorization code or refresh token has expired due to inactivity.",
    );
  }
  if (code.used) {
    throw new EntraError("invalid_grant", 54005, "OAuth2 Authorization code was already redeemed.");
  }
  if (code.expiresAtMs <= Date.now()) {
    throw new EntraError("invalid_grant", 70008, "The provided authorization code has expired.");
  }
  if (params.get("redirect_uri") !== code.redirectUri) {
    throw new EntraError(
      "invalid_grant",
      50011,
      "The redirect URI does not match the one of the authorization request.",
    );
  }
  const verifier = required(params, "code_verifier");
  if (!constantTimeEqual(await s256(verifier), code.codeChallenge)) {
    throw new EntraError(
      "invalid_grant",
      50148,
      "The code_verifier does not match the code_challenge supplied in the authorization request for PKCE.",
    );
  }
  code.used = true;
  const scope = parseScope(params.get("scope") ?? code.scope);
  return json(
    200,
    await issueUserTokens(state, {
      origin,
      tenant: code.tenant,
      clientId,
      scope,
      grant: "authorization_code",
      nonce: code.nonce,
    }),
  );
}

/** Answers `POST /<tenant>/oauth2/v2.0/token`. */
export async function handleEntraToken(state: EmulatorState, request: Request): Promise<Response> {
  const url = new URL(request.url);
  const segment = PATH.exec(url.pathname)![1];
  try {
    const params = await formParams(request);
    const grant = params.get("grant_type") ?? "";
    const short = grant === DEVICE_CODE_GRANT ? "device_code" : grant || "none";
    countCall(state, `entra.token.${short}`);
    const tenant = resolveTenant(state, segment);
    if (tenant === undefined) {
      throw new EntraError("invalid_tenant", 90002, `Tenant '${segment}' not found.`);
    }
    const grantRequest = { state, params, origin: url.origin, tenant };
    switch (short) {
      case "client_credentials":
        return await clientCredentials(grantRequest);
      case "device_code":
        return await deviceCodeGrant(grantRequest);
      case "refresh_token":
        return await refreshGrant(grantRequest);
      case "authorization_code":
        return await authorizationCodeGrant(grantRequest);
      default:
        throw new EntraError(
          "unsupported_grant_type",
          70003,
          `The app requested an unsupported grant type '${grant}'.`,
        );
    }
  } catch (error) {
    if (error instanceof EntraError) return error.toResponse();
    throw error;
  }
}
