/**
 * GitHub-Actions-style OIDC endpoints: `GET /oidc/token?audience=…` (bearer request token),
 * `GET /oidc/.well-known/jwks` and `GET /oidc/.well-known/openid-configuration`.
 *
 * @module
 */

import { constantTimeEqual } from "./crypto_util.ts";
import { signJwt } from "./jwt.ts";
import { countCall, recordSecret } from "./state.ts";
import type { EmulatorState } from "./state.ts";

/** Default `sub` claim, as GitHub issues it for a push to main. */
export const DEFAULT_OIDC_SUBJECT = "repo:acme/infra:ref:refs/heads/main";

/** Default JWT lifetime in seconds. */
export const DEFAULT_OIDC_LIFETIME = 300;

function json(status: number, value: unknown): Response {
  return new Response(JSON.stringify(value), {
    status,
    headers: { "content-type": "application/json" },
  });
}

/** The issuer URL (`iss` claim) of an emulator. */
export function issuerUrl(state: EmulatorState): string {
  return `${state.url}/oidc`;
}

/** What {@linkcode issueOidcJwt} signs. */
export interface OidcJwtOptions {
  /** `aud` claim (default `https://github.com/acme`, GitHub's default audience shape). */
  audience?: string;
  /** Seconds until `exp`; negative for an already expired JWT (default: the emulator's `oidcTokenLifetime`). */
  lifetime?: number;
  /** `sub` claim (default: the emulator's `oidcSubject`). */
  subject?: string;
}

/** Signs a GitHub-Actions-shaped JWT with the emulator's issuer key and records it as secret. */
export async function issueOidcJwt(
  state: EmulatorState,
  options: OidcJwtOptions = {},
): Promise<string> {
  const now = Math.floor(Date.now() / 1000);
  const lifetime = options.lifetime ?? state.options.oidcTokenLifetime ?? DEFAULT_OIDC_LIFETIME;
  const jwt = await signJwt(state.oidc, {
    jti: crypto.randomUUID(),
    sub: options.subject ?? state.options.oidcSubject ?? DEFAULT_OIDC_SUBJECT,
    aud: options.audience ?? "https://github.com/acme",
    ref: "refs/heads/main",
    repository: "acme/infra",
    repository_owner: "acme",
    event_name: "push",
    iss: issuerUrl(state),
    nbf: Math.min(now - 5, now + lifetime - 5),
    iat: Math.min(now, now + lifetime - 1),
    exp: now + lifetime,
  });
  recordSecret(state, jwt);
  return jwt;
}

/** Issues a JWT for the audience in the query; requires `Authorization: bearer <request token>`. */
export async function handleOidcToken(state: EmulatorState, request: Request): Promise<Response> {
  countCall(state, "oidc.token");
  const header = request.headers.get("authorization") ?? "";
  const m = /^bearer\s+(\S+)$/i.exec(header.trim());
  if (!m || !constantTimeEqual(m[1], state.oidcRequestToken)) {
    return json(401, { message: "Bad credentials" });
  }
  const audience = new URL(request.url).searchParams.get("audience") || undefined;
  const jwt = await issueOidcJwt(state, { audience });
  return json(200, { count: 1, value: jwt });
}

/** The issuer's public keys. */
export function handleJwks(state: EmulatorState): Response {
  return json(200, { keys: [state.oidc.publicJwk] });
}

/** Minimal OpenID discovery document. */
export function handleOpenIdConfiguration(state: EmulatorState): Response {
  return json(200, {
    issuer: issuerUrl(state),
    jwks_uri: `${issuerUrl(state)}/.well-known/jwks`,
    subject_types_supported: ["public"],
    response_types_supported: ["id_token"],
    id_token_signing_alg_values_supported: ["RS256"],
    claims_supported: ["sub", "aud", "exp", "iat", "iss", "jti", "nbf", "ref", "repository"],
  });
}
