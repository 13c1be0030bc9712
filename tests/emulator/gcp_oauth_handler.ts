/**
 * Google OAuth for users: `POST /google/oauth2/token` with the `refresh_token` grant of an
 * `authorized_user` file (client id/secret in the form or as HTTP Basic), and token information,
 * `GET|POST /tokeninfo` and `/google/oauth2/tokeninfo` (the `oauth2.googleapis.com/tokeninfo`
 * shape, the latter next to the token path as on Google's host) and
 * `GET|POST /oauth2/v2/tokeninfo` (the `www.googleapis.com/oauth2/v2/tokeninfo` shape Atmos reads
 * the e-mail from). `/token` itself belongs to AWS SSO OIDC, hence the `/google` prefix; gcloud
 * takes the full URL in `CLOUDSDK_AUTH_TOKEN_HOST`.
 *
 * @module
 */

import { constantTimeEqual } from "./crypto_util.ts";
import { basicCredentials, formParams, json } from "./http_util.ts";
import { issueGcpToken, validGcpToken } from "./gcp_state.ts";
import { countCall } from "./state.ts";
import type { EmulatorState } from "./state.ts";

/** The OAuth token path. */
export const GOOGLE_OAUTH_TOKEN_PATH = "/google/oauth2/token";

/** The token information paths (v3 shape, v3 next to the token path, v2 shape). */
export const GOOGLE_TOKENINFO_PATHS = [
  "/tokeninfo",
  "/google/oauth2/tokeninfo",
  "/oauth2/v2/tokeninfo",
];

/** Scopes a user token carries when the refresh asks for none (what gcloud's login grants). */
export const DEFAULT_USER_SCOPES = [
  "openid",
  "https://www.googleapis.com/auth/userinfo.email",
  "https://www.googleapis.com/auth/cloud-platform",
];

function oauthError(status: number, error: string, description: string): Response {
  return json(status, { error, error_description: description });
}

/** Answers `POST /google/oauth2/token`. */
export async function handleGoogleOAuthToken(
  state: EmulatorState,
  request: Request,
): Promise<Response> {
  const params = await formParams(request);
  const grant = params.get("grant_type");
  countCall(state, `gcp.oauth.${grant ?? "none"}`);
  if (grant !== "refresh_token") {
    return oauthError(400, "unsupported_grant_type", `Invalid grant_type: ${grant}`);
  }
  const basic = basicCredentials(request);
  const clientId = params.get("client_id") ?? basic?.id ?? "";
  const clientSecret = params.get("client_secret") ?? basic?.secret ?? "";
  const user = state.gcp.users.get(params.get("refresh_token") ?? "");
  const knownClient = [...state.gcp.users.values()].find((u) => u.clientId === clientId);
  if (knownClient === undefined || !constantTimeEqual(clientSecret, knownClient.clientSecret)) {
    return oauthError(401, "invalid_client", "The OAuth client was not found.");
  }
  if (user === undefined || user.clientId !== clientId) {
    return oauthError(400, "invalid_grant", "Bad Request");
  }
  const asked = (params.get("scope") ?? "").split(/\s+/).filter((s) => s !== "");
  const scopes = asked.length > 0 ? asked : DEFAULT_USER_SCOPES;
  const issued = issueGcpToken(state, {
    kind: "user",
    principal: `user:${user.email}`,
    email: user.email,
    scopes,
  });
  return json(200, {
    access_token: issued.token,
    expires_in: issued.lifetime,
    scope: scopes.join(" "),
    token_type: "Bearer",
  });
}

/** Answers the v3-shaped token information paths and `/oauth2/v2/tokeninfo` (v2 shape). */
export async function handleGoogleTokenInfo(
  state: EmulatorState,
  request: Request,
): Promise<Response> {
  countCall(state, "gcp.tokeninfo");
  const params = await formParams(request);
  const token = params.get("access_token") ?? undefined;
  const info = validGcpToken(state, token);
  // Google cannot introspect federated (STS) tokens here either.
  if (info === undefined || info.email === undefined) {
    return oauthError(400, "invalid_token", "Invalid Value");
  }
  const expiresIn = Math.max(0, Math.floor((info.expiresAtMs - Date.now()) / 1000));
  const clientId = info.kind === "user"
    ? [...state.gcp.users.values()].find((u) => u.email === info.email)?.clientId ?? ""
    : info.email;
  if (new URL(request.url).pathname === "/oauth2/v2/tokeninfo") {
    return json(200, {
      issued_to: clientId,
      audience: clientId,
      user_id: info.principal,
      scope: info.scopes.join(" "),
      expires_in: expiresIn,
      email: info.email,
      verified_email: true,
      access_type: "online",
    });
  }
  return json(200, {
    azp: clientId,
    aud: clientId,
    sub: info.principal,
    scope: info.scopes.join(" "),
    exp: String(Math.floor(info.expiresAtMs / 1000)),
    expires_in: String(expiresIn),
    email: info.email,
    email_verified: "true",
    access_type: "online",
  });
}
