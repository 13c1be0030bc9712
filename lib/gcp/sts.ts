/**
 * Google Security Token Service: the RFC 8693 token exchange that turns a federated subject
 * token (an OIDC JWT) into a Google access token for a workload identity pool's principal.
 *
 * @module
 */
import { formPost, googleJson } from "./http.ts";
import { type AccessToken, accessTokenOf } from "./oauth.ts";

/** The token-exchange grant. */
export const TOKEN_EXCHANGE_GRANT = "urn:ietf:params:oauth:grant-type:token-exchange";
/** The token type STS issues. */
export const ACCESS_TOKEN_TYPE = "urn:ietf:params:oauth:token-type:access_token";
/** The subject token type of an OIDC JWT. */
export const JWT_TOKEN_TYPE = "urn:ietf:params:oauth:token-type:jwt";

/** One token exchange. */
export interface ExchangeRequest {
  /** `//iam.googleapis.com/projects/<n>/locations/global/workloadIdentityPools/<pool>/providers/<p>`. */
  audience: string;
  subjectToken: string;
  subjectTokenType?: string;
  scopes: readonly string[];
}

/** Exchanges a subject token at `tokenUrl` (`<sts base>v1/token`). */
export async function exchangeToken(
  tokenUrl: string,
  request: ExchangeRequest,
  now: number,
): Promise<AccessToken> {
  const body = await googleJson(
    tokenUrl,
    formPost({
      grant_type: TOKEN_EXCHANGE_GRANT,
      audience: request.audience,
      scope: request.scopes.join(" "),
      requested_token_type: ACCESS_TOKEN_TYPE,
      subject_token_type: request.subjectTokenType ?? JWT_TOKEN_TYPE,
      subject_token: request.subjectToken,
    }),
    "exchange the federated token at Google STS",
  );
  return accessTokenOf(body, "access_token", now, "Google STS");
}
