/**
 * Google Security Token Service, `POST /v1/token` (RFC 8693 token exchange, as
 * `sts.googleapis.com` serves it): verifies that `subject_token` is a JWT signed by the
 * emulator's GitHub-style issuer whose `aud` is the requested `audience`, a configured workload
 * identity provider, and answers a federated access token for
 * `principal://…/workloadIdentityPools/<pool>/subject/<sub>`. Errors use Google's OAuth shape
 * `{"error","error_description"}`.
 *
 * @module
 */

import { fromBase64Url } from "./crypto_util.ts";
import { formParams, json } from "./http_util.ts";
import { JwtError, verifyJwt } from "./jwt.ts";
import { issuerUrl } from "./oidc_handler.ts";
import { federatedPrincipal, issueGcpToken, providerAudience } from "./gcp_state.ts";
import { countCall, recordSecret } from "./state.ts";
import type { EmulatorState } from "./state.ts";

/** The token-exchange grant. */
export const TOKEN_EXCHANGE_GRANT = "urn:ietf:params:oauth:grant-type:token-exchange";
/** The token type STS issues. */
export const ACCESS_TOKEN_TYPE = "urn:ietf:params:oauth:token-type:access_token";
const SUBJECT_TOKEN_TYPES = new Set([
  "urn:ietf:params:oauth:token-type:jwt",
  "urn:ietf:params:oauth:token-type:id_token",
]);

function oauthError(status: number, error: string, description: string): Response {
  return json(status, { error, error_description: description });
}

/** Answers `POST /v1/token`. */
export async function handleGcpSts(state: EmulatorState, request: Request): Promise<Response> {
  countCall(state, "gcp.sts.token");
  const params = await formParams(request);
  const grant = params.get("grant_type");
  if (grant !== TOKEN_EXCHANGE_GRANT) {
    return oauthError(400, "unsupported_grant_type", `Invalid value for "grant_type": ${grant}`);
  }
  if (params.get("requested_token_type") !== ACCESS_TOKEN_TYPE) {
    return oauthError(400, "invalid_request", 'Invalid value for "requested_token_type".');
  }
  if (!SUBJECT_TOKEN_TYPES.has(params.get("subject_token_type") ?? "")) {
    return oauthError(400, "invalid_request", 'Invalid value for "subject_token_type".');
  }
  const audience = params.get("audience") ?? "";
  const provider = state.gcp.providers.find((p) => providerAudience(p) === audience);
  if (provider === undefined) {
    return oauthError(
      400,
      "invalid_target",
      'The target service indicated by the "audience" parameters is invalid. This might either ' +
        "be because the pool or provider is disabled or deleted or because it doesn't exist.",
    );
  }
  const subjectToken = params.get("subject_token") ?? "";
  if (subjectToken === "") {
    return oauthError(400, "invalid_request", 'Missing required parameter: "subject_token".');
  }
  recordSecret(state, subjectToken);
  let claims: Record<string, unknown>;
  try {
    claims = await verifyJwt(state.oidc, subjectToken, issuerUrl(state));
  } catch (error) {
    if (error instanceof JwtError && error.reason === "expired") {
      const iat = issuedAt(subjectToken);
      return oauthError(400, "invalid_grant", `ID Token issued at ${iat} is stale to sign-in.`);
    }
    return oauthError(400, "invalid_grant", `Invalid ID Token: ${(error as Error).message}.`);
  }
  const aud = Array.isArray(claims.aud) ? claims.aud : [claims.aud];
  if (!aud.includes(audience)) {
    return oauthError(
      400,
      "invalid_grant",
      `The audience in ID Token [${
        aud.join(", ")
      }] does not match the expected audience ${audience}.`,
    );
  }
  const scopes = (params.get("scope") ?? "").split(/\s+/).filter((s) => s !== "");
  const issued = issueGcpToken(state, {
    kind: "federated",
    principal: federatedPrincipal(provider, String(claims.sub)),
    scopes,
  });
  return json(200, {
    access_token: issued.token,
    issued_token_type: ACCESS_TOKEN_TYPE,
    token_type: "Bearer",
    expires_in: issued.lifetime,
  });
}

/** The `iat` claim of a JWT without checking it (for the error message), or `unknown`. */
function issuedAt(jwt: string): string {
  try {
    const iat = JSON.parse(new TextDecoder().decode(fromBase64Url(jwt.split(".")[1]))).iat;
    return typeof iat === "number" ? String(iat) : "unknown";
  } catch {
    return "unknown";
  }
}
