/**
 * Google OAuth for users: the `refresh_token` grant of an `authorized_user` file at the token
 * host (`CLOUDSDK_AUTH_TOKEN_HOST`, else `https://oauth2.googleapis.com/token`), and token
 * information (`…/tokeninfo` next to the token endpoint) for the e-mail a token stands for.
 *
 * @module
 */
import { formPost, GoogleCallError, googleJson } from "./http.ts";
import { tokenInfoUrl } from "./endpoints.ts";

/** An access token and when it expires. */
export interface AccessToken {
  readonly token: string;
  readonly expiration: Date;
}

/** The client and refresh token of an `authorized_user` file. */
export interface UserCredentials {
  readonly client_id: string;
  readonly client_secret: string;
  readonly refresh_token: string;
}

/**
 * Refreshes a user's access token.
 *
 * @throws {GoogleCallError} with a hint to log in again when Google refuses the refresh token.
 */
export async function refreshUserToken(
  tokenHost: string,
  user: UserCredentials,
  now: number,
): Promise<AccessToken> {
  let body: Record<string, unknown>;
  try {
    body = await googleJson(
      tokenHost,
      formPost({
        grant_type: "refresh_token",
        client_id: user.client_id,
        client_secret: user.client_secret,
        refresh_token: user.refresh_token,
      }),
      "refresh the user's Google token",
    );
  } catch (error) {
    if (error instanceof GoogleCallError && error.code === "invalid_grant") {
      throw new GoogleCallError(
        error.message,
        error.status,
        error.code,
        "your Application Default Credentials are no longer valid: run `gcloud auth application-default login`",
      );
    }
    throw error;
  }
  return accessTokenOf(body, "access_token", now, "the token endpoint");
}

/** What tokeninfo says about a token. */
export interface TokenInfo {
  /** The e-mail of the user or service account, when the token has one. */
  email?: string;
  expiration?: Date;
}

/** Asks the tokeninfo endpoint next to `tokenHost` who `token` stands for. */
export async function tokenInfo(tokenHost: string, token: string): Promise<TokenInfo> {
  const body = await googleJson(
    tokenInfoUrl(tokenHost),
    formPost({ access_token: token }),
    "read the token's information",
  );
  const exp = Number(body.exp);
  return {
    email: typeof body.email === "string" ? body.email : undefined,
    expiration: Number.isFinite(exp) && exp > 0 ? new Date(exp * 1000) : undefined,
  };
}

/**
 * Reads a token answer: the token in `field`, expiry from `expires_in` (seconds from `now`).
 *
 * @throws {GoogleCallError} when the answer holds no token.
 */
export function accessTokenOf(
  body: Record<string, unknown>,
  field: string,
  now: number,
  who: string,
): AccessToken {
  const token = body[field];
  if (typeof token !== "string" || token === "") {
    throw new GoogleCallError(`${who} answered without an access token`, 200);
  }
  const seconds = Number(body.expires_in);
  return {
    token,
    expiration: new Date(now + (Number.isFinite(seconds) && seconds > 0 ? seconds : 3600) * 1000),
  };
}
