/**
 * IAM Credentials `generateAccessToken`: a service account's access token for a caller that may
 * impersonate it (`roles/iam.serviceAccountTokenCreator`), directly or through `delegates`.
 *
 * @module
 */
import { GoogleCallError, googleJson } from "./http.ts";
import type { AccessToken } from "./oauth.ts";
import { impersonationUrl } from "./endpoints.ts";
import { delegateName } from "./adc.ts";

/** One impersonation. */
export interface ImpersonationRequest {
  /** The service account to become. */
  email: string;
  /** The caller's access token. */
  bearer: string;
  scopes: readonly string[];
  /** Service accounts between the caller and `email`, in order. */
  delegates?: readonly string[];
  lifetimeSeconds?: number;
}

/** Calls generateAccessToken at `iamBase` (`<base>v1/projects/-/serviceAccounts/…`). */
export async function generateAccessToken(
  iamBase: string,
  request: ImpersonationRequest,
): Promise<AccessToken> {
  const body = await googleJson(
    impersonationUrl(iamBase, request.email),
    {
      method: "POST",
      headers: { authorization: `Bearer ${request.bearer}`, "content-type": "application/json" },
      body: JSON.stringify({
        scope: request.scopes,
        delegates: (request.delegates ?? []).map(delegateName),
        ...(request.lifetimeSeconds === undefined
          ? {}
          : { lifetime: `${request.lifetimeSeconds}s` }),
      }),
    },
    `impersonate ${request.email}`,
  ).catch((error) => {
    if (error instanceof GoogleCallError && error.status === 403) {
      throw new GoogleCallError(
        error.message,
        error.status,
        error.code,
        `grant the caller roles/iam.serviceAccountTokenCreator on ${request.email}`,
      );
    }
    throw error;
  });
  const token = body.accessToken;
  const expiration = new Date(String(body.expireTime));
  if (typeof token !== "string" || token === "" || Number.isNaN(expiration.getTime())) {
    throw new GoogleCallError(
      `Cannot impersonate ${request.email}: IAM answered without a token and expiry`,
      200,
    );
  }
  return { token, expiration };
}
