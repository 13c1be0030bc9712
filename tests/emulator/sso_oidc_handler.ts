/**
 * SSO OIDC (REST-JSON, unsigned): `POST /client/register`, `POST /device_authorization` and
 * `POST /token` with the device-code and refresh-token grants. Errors carry the exception name
 * in `x-amzn-errortype` and the OAuth `error` / `error_description` in the body, as AWS does.
 * A poll that comes sooner than the interval answers `slow_down`.
 *
 * @module
 */

import { constantTimeEqual } from "./crypto_util.ts";
import { countCall } from "./state.ts";
import { takeFault } from "./faults.ts";
import type { EmulatorState } from "./state.ts";
import {
  issueTokens,
  newSecretToken,
  newUserCode,
  type SsoClient,
  ssoSetting,
} from "./sso_state.ts";

/** Grant type of the device flow. */
export const DEVICE_CODE_GRANT = "urn:ietf:params:oauth:grant-type:device_code";

/** Slack allowed on the poll interval (request arrival jitter). */
const POLL_SLACK_MS = 150;

class OidcFault extends Error {
  constructor(
    readonly type: string,
    readonly error: string,
    readonly status: number,
    message: string,
  ) {
    super(message);
  }
}

/** Throws the fault injected for this call, if any, in the OAuth error shape. */
function injectedFault(state: EmulatorState, call: string): void {
  const fault = takeFault(state, call);
  if (fault) {
    const error = fault.status >= 500 ? "server_error" : "invalid_request";
    throw new OidcFault(fault.code, error, fault.status, fault.message);
  }
}

function json(status: number, value: unknown, headers: Record<string, string> = {}): Response {
  return new Response(JSON.stringify(value), {
    status,
    headers: { "content-type": "application/json", ...headers },
  });
}

function faultResponse(fault: OidcFault): Response {
  return json(fault.status, { error: fault.error, error_description: fault.message }, {
    "x-amzn-errortype": `${fault.type}:http://internal.amazon.com/coral/com.amazonaws.ssooidc/`,
  });
}

async function body(request: Request): Promise<Record<string, unknown>> {
  try {
    const value = await request.json();
    if (typeof value === "object" && value !== null) return value;
  } catch {
    // fall through
  }
  throw new OidcFault("InvalidRequestException", "invalid_request", 400, "body must be JSON");
}

function text(value: unknown, name: string): string {
  if (typeof value === "string" && value !== "") return value;
  throw new OidcFault("InvalidRequestException", "invalid_request", 400, `${name} is required`);
}

function client(state: EmulatorState, input: Record<string, unknown>): SsoClient {
  const found = state.sso.clients.get(text(input.clientId, "clientId"));
  const secret = text(input.clientSecret, "clientSecret");
  if (!found || !constantTimeEqual(secret, found.clientSecret)) {
    throw new OidcFault("InvalidClientException", "invalid_client", 401, "Invalid client");
  }
  if (found.expiresAtMs <= Date.now()) {
    throw new OidcFault("InvalidClientException", "invalid_client", 401, "Client expired");
  }
  return found;
}

function registerClient(state: EmulatorState, input: Record<string, unknown>): Response {
  text(input.clientName, "clientName");
  if (input.clientType !== "public") {
    throw new OidcFault("InvalidRequestException", "invalid_request", 400, "clientType");
  }
  const scopes = Array.isArray(input.scopes) ? input.scopes : [];
  if (!scopes.includes("sso:account:access")) {
    // Identity Center issues no refresh token without scopes (a "legacy" client).
    throw new OidcFault("InvalidScopeException", "invalid_scope", 400, "sso:account:access");
  }
  const now = Math.floor(Date.now() / 1000);
  const registered: SsoClient = {
    clientId: `cli${newUserCode().replace("-", "")}${now}`,
    clientSecret: newSecretToken(state, "cls"),
    expiresAtMs: (now + ssoSetting(state, "registrationLifetime")) * 1000,
  };
  state.sso.clients.set(registered.clientId, registered);
  return json(200, {
    clientId: registered.clientId,
    clientSecret: registered.clientSecret,
    clientIdIssuedAt: now,
    clientSecretExpiresAt: registered.expiresAtMs / 1000,
  });
}

function startDeviceAuthorization(state: EmulatorState, input: Record<string, unknown>): Response {
  const owner = client(state, input);
  const startUrl = text(input.startUrl, "startUrl");
  const lifetime = ssoSetting(state, "deviceCodeLifetime");
  const interval = ssoSetting(state, "pollInterval");
  const deviceCode = newSecretToken(state, "dvc");
  const userCode = newUserCode();
  state.sso.devices.set(deviceCode, {
    deviceCode,
    userCode,
    clientId: owner.clientId,
    startUrl,
    expiresAtMs: Date.now() + lifetime * 1000,
    status: "pending",
    intervalSeconds: interval,
  });
  const verificationUri = `${state.url}/device`;
  return json(200, {
    deviceCode,
    userCode,
    verificationUri,
    verificationUriComplete: `${verificationUri}?user_code=${userCode}`,
    expiresIn: lifetime,
    interval,
  });
}

function createToken(state: EmulatorState, input: Record<string, unknown>): Response {
  const grant = text(input.grantType, "grantType");
  if (grant === DEVICE_CODE_GRANT) {
    countCall(state, "sso-oidc.CreateToken.device_code");
    injectedFault(state, "sso-oidc.CreateToken.device_code");
    return deviceCodeToken(state, client(state, input), text(input.deviceCode, "deviceCode"));
  }
  if (grant === "refresh_token") {
    countCall(state, "sso-oidc.CreateToken.refresh_token");
    injectedFault(state, "sso-oidc.CreateToken.refresh_token");
    return refreshToken(state, client(state, input), text(input.refreshToken, "refreshToken"));
  }
  throw new OidcFault("UnsupportedGrantTypeException", "unsupported_grant_type", 400, grant);
}

function deviceCodeToken(state: EmulatorState, owner: SsoClient, deviceCode: string): Response {
  const device = state.sso.devices.get(deviceCode);
  if (!device || device.clientId !== owner.clientId || device.status === "used") {
    throw new OidcFault("InvalidGrantException", "invalid_grant", 400, "Invalid device code");
  }
  const now = state.options.now?.() ?? Date.now();
  if (device.expiresAtMs <= now) {
    throw new OidcFault("ExpiredTokenException", "expired_token", 400, "Device code expired");
  }
  const early = device.lastPollMs !== undefined &&
    now - device.lastPollMs < device.intervalSeconds * 1000 - POLL_SLACK_MS;
  device.lastPollMs = now;
  if (device.status === "denied") {
    throw new OidcFault("AccessDeniedException", "access_denied", 400, "Denied by the user");
  }
  if (device.status === "pending") {
    if (early || state.sso.slowDowns > 0) {
      if (!early) state.sso.slowDowns--;
      device.intervalSeconds += ssoSetting(state, "slowDownStep");
      throw new OidcFault("SlowDownException", "slow_down", 400, "Client is polling too fast");
    }
    throw new OidcFault(
      "AuthorizationPendingException",
      "authorization_pending",
      400,
      "Authorization is still pending",
    );
  }
  device.status = "used";
  const tokens = issueTokens(state, owner.clientId, device.startUrl);
  return json(200, { ...tokens, tokenType: "Bearer" });
}

function refreshToken(state: EmulatorState, owner: SsoClient, token: string): Response {
  const found = state.sso.refreshTokens.get(token);
  if (!found || found.clientId !== owner.clientId) {
    throw new OidcFault("InvalidGrantException", "invalid_grant", 400, "Invalid refresh token");
  }
  // Rotation: the old refresh token stops working.
  state.sso.refreshTokens.delete(token);
  const tokens = issueTokens(state, owner.clientId, found.startUrl);
  return json(200, { ...tokens, tokenType: "Bearer" });
}

/** Routes one SSO OIDC request; `path` is one of the three OIDC paths. */
export async function handleSsoOidc(state: EmulatorState, request: Request): Promise<Response> {
  const path = new URL(request.url).pathname;
  try {
    const input = await body(request);
    switch (path) {
      case "/client/register":
        countCall(state, "sso-oidc.RegisterClient");
        injectedFault(state, "sso-oidc.RegisterClient");
        return registerClient(state, input);
      case "/device_authorization":
        countCall(state, "sso-oidc.StartDeviceAuthorization");
        injectedFault(state, "sso-oidc.StartDeviceAuthorization");
        return startDeviceAuthorization(state, input);
      default:
        return createToken(state, input);
    }
  } catch (error) {
    if (error instanceof OidcFault) return faultResponse(error);
    throw error;
  }
}
