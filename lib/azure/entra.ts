/**
 * A small client for the Microsoft Entra ID v2.0 endpoints atmos uses:
 * `POST <authority>/oauth2/v2.0/devicecode` and `POST <authority>/oauth2/v2.0/token` with the
 * device code, authorization code (PKCE), refresh token and client credentials (federated
 * `client_assertion`) grants. Form-encoded requests, JSON answers.
 *
 * Hand-written instead of `@azure/msal-node`: MSAL Node keeps its own cache and reads no file
 * `az` shares, adds start-up time, and atmos needs four requests whose answers it writes into
 * the Azure CLI's cache itself (`msal_cache.ts`). Every answer that holds a token redacts itself
 * when printed; errors carry Entra's `AADSTS` code and message, never a token.
 *
 * @module
 */
import { AtmosError } from "../errors.ts";
import { redactFields } from "../redact.ts";

/** The scopes MSAL adds to every user sign-in: an ID token, a refresh token, the profile. */
export const OIDC_SCOPES = "openid profile offline_access";
/** The device code grant type (RFC 8628). */
export const DEVICE_CODE_GRANT = "urn:ietf:params:oauth:grant-type:device_code";
/** The client assertion type of a federated credential. */
export const JWT_BEARER = "urn:ietf:params:oauth:client-assertion-type:jwt-bearer";

/** A failed Entra request, with the OAuth error (`authorization_pending`) and the AADSTS code. */
export class EntraError extends AtmosError {
  /** The OAuth `error`, e.g. `invalid_grant`; `http_<status>` when the answer had none. */
  readonly error: string;
  /** The first AADSTS code, when Entra gave one. */
  readonly code?: number;
  readonly status: number;

  constructor(action: string, error: string, description: string, status: number, code?: number) {
    super(`Entra ID ${action} failed: ${error}${description ? `: ${description}` : ""}`);
    this.name = "EntraError";
    this.error = error;
    this.code = code;
    this.status = status;
  }
}

/** What the user must do for a device code sign-in; `deviceCode` is secret. */
export interface DeviceCode {
  deviceCode: string;
  userCode: string;
  verificationUri: string;
  /** Seconds until the code expires. */
  expiresIn: number;
  /** Seconds between polls. */
  interval: number;
}

/** A token endpoint answer. The tokens are secret. */
export interface TokenResponse {
  accessToken: string;
  /** Seconds. */
  expiresIn: number;
  extExpiresIn?: number;
  refreshToken?: string;
  idToken?: string;
  /** base64url `{"uid","utid"}`: MSAL's home account. */
  clientInfo?: string;
  /** The scopes the token was issued for (space-separated), when the answer said. */
  scope?: string;
  /** `"1"` for Microsoft's family of client ids. */
  foci?: string;
  tokenType: string;
}

/** Where and how to call the token endpoint. */
export interface EntraTarget {
  /** The authority, `https://<host>/<tenant>` (or `…/adfs`). */
  authority: string;
  /** Request timeout in milliseconds (default 30 s). */
  timeoutMs?: number;
  /** The HTTP client (default the global `fetch`; tests pass one that trusts a test CA). */
  fetch?: (url: string, init: RequestInit) => Promise<Response>;
}

/** Starts a device code sign-in for a public client. */
export async function requestDeviceCode(
  target: EntraTarget,
  clientId: string,
  scope: string,
): Promise<DeviceCode> {
  const body = await post(target, "device code request", "devicecode", {
    client_id: clientId,
    scope,
  });
  const action = "device code request";
  return redactFields({
    deviceCode: stringField(body, "device_code", action),
    userCode: stringField(body, "user_code", action),
    verificationUri: stringField(body, "verification_uri", action),
    expiresIn: numberField(body, "expires_in", action) ?? 900,
    interval: numberField(body, "interval", action) ?? 5,
  }, ["deviceCode"]);
}

/** One poll of a device code sign-in. */
export function redeemDeviceCode(
  target: EntraTarget,
  clientId: string,
  deviceCode: string,
): Promise<TokenResponse> {
  return token(target, "device code sign-in", {
    grant_type: DEVICE_CODE_GRANT,
    client_id: clientId,
    device_code: deviceCode,
    client_info: "1",
  });
}

/** Redeems an authorization code with its PKCE verifier. */
export function redeemAuthorizationCode(
  target: EntraTarget,
  request: {
    clientId: string;
    code: string;
    codeVerifier: string;
    redirectUri: string;
    scope: string;
  },
): Promise<TokenResponse> {
  return token(target, "authorization code sign-in", {
    grant_type: "authorization_code",
    client_id: request.clientId,
    code: request.code,
    code_verifier: request.codeVerifier,
    redirect_uri: request.redirectUri,
    scope: request.scope,
    client_info: "1",
  });
}

/** A token for `scope` from a refresh token (the answer carries a new refresh token). */
export function redeemRefreshToken(
  target: EntraTarget,
  clientId: string,
  refreshToken: string,
  scope: string,
): Promise<TokenResponse> {
  return token(target, "token refresh", {
    grant_type: "refresh_token",
    client_id: clientId,
    refresh_token: refreshToken,
    scope,
    client_info: "1",
  });
}

/** An app token for `scope` by client credentials with a federated assertion (a JWT). */
export function clientCredentials(
  target: EntraTarget,
  clientId: string,
  assertion: string,
  scope: string,
): Promise<TokenResponse> {
  return token(target, "federated credential exchange", {
    grant_type: "client_credentials",
    client_id: clientId,
    client_assertion: assertion,
    client_assertion_type: JWT_BEARER,
    scope,
  });
}

/**
 * What a failed device code poll means, in RFC 8628 terms (for `pollForToken`); `undefined` for
 * any other error.
 */
export function entraPollOutcome(
  error: unknown,
): "authorization_pending" | "slow_down" | "expired_token" | "access_denied" | undefined {
  if (!(error instanceof EntraError)) return undefined;
  switch (error.error) {
    case "authorization_pending":
      return "authorization_pending";
    case "slow_down":
      return "slow_down";
    case "expired_token":
    case "code_expired":
      return "expired_token";
    case "authorization_declined":
    case "access_denied":
      return "access_denied";
    default:
      return undefined;
  }
}

async function token(
  target: EntraTarget,
  action: string,
  form: Record<string, string>,
): Promise<TokenResponse> {
  const body = await post(target, action, "token", form);
  return redactFields({
    accessToken: stringField(body, "access_token", action),
    expiresIn: numberField(body, "expires_in", action) ?? 3600,
    extExpiresIn: numberField(body, "ext_expires_in", action),
    refreshToken: optionalString(body, "refresh_token"),
    idToken: optionalString(body, "id_token"),
    clientInfo: optionalString(body, "client_info"),
    scope: optionalString(body, "scope"),
    foci: optionalString(body, "foci"),
    tokenType: optionalString(body, "token_type") ?? "Bearer",
  }, ["accessToken", "refreshToken", "idToken"]);
}

async function post(
  target: EntraTarget,
  action: string,
  endpoint: "devicecode" | "token",
  form: Record<string, string>,
): Promise<Record<string, unknown>> {
  const url = `${target.authority.replace(/\/+$/, "")}/oauth2/v2.0/${endpoint}`;
  let response: Response;
  try {
    response = await (target.fetch ?? fetch)(url, {
      method: "POST",
      headers: {
        "content-type": "application/x-www-form-urlencoded;charset=utf-8",
        accept: "application/json",
      },
      body: new URLSearchParams(form),
      signal: AbortSignal.timeout(target.timeoutMs ?? 30_000),
    });
  } catch (error) {
    throw new AtmosError(
      `Entra ID ${action} failed: cannot reach ${new URL(url).origin}: ${(error as Error).message}`,
      { cause: error },
    );
  }
  const text = await response.text();
  let body: unknown;
  try {
    body = JSON.parse(text);
  } catch {
    body = undefined;
  }
  const fields = (body && typeof body === "object" ? body : {}) as Record<string, unknown>;
  if (!response.ok) {
    const error = typeof fields.error === "string" ? fields.error : `http_${response.status}`;
    const codes = Array.isArray(fields.error_codes) ? fields.error_codes : [];
    const code = typeof codes[0] === "number" ? codes[0] : undefined;
    throw new EntraError(
      action,
      error,
      describe(fields.error_description),
      response.status,
      code,
    );
  }
  if (body === undefined || typeof body !== "object") {
    throw new EntraError(action, "invalid_response", "the answer is not JSON", response.status);
  }
  return fields;
}

/** Entra's description without its trace and correlation ids and timestamp. */
function describe(value: unknown): string {
  if (typeof value !== "string") return "";
  return value.split(/\s+Trace ID:|\r?\n/)[0].trim();
}

function stringField(body: Record<string, unknown>, name: string, action: string): string {
  const value = body[name];
  if (typeof value !== "string" || value === "") {
    throw new EntraError(action, "invalid_response", `the answer has no ${name}`, 200);
  }
  return value;
}

function optionalString(body: Record<string, unknown>, name: string): string | undefined {
  const value = body[name];
  return typeof value === "string" && value !== "" ? value : undefined;
}

function numberField(
  body: Record<string, unknown>,
  name: string,
  action: string,
): number | undefined {
  const value = body[name];
  if (value === undefined || value === null) return undefined;
  const number = typeof value === "string" ? Number(value) : value;
  if (typeof number !== "number" || !Number.isFinite(number) || number < 0) {
    throw new EntraError(action, "invalid_response", `${name} is not a number`, 200);
  }
  return number;
}
