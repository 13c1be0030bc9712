/**
 * Credentials passed between the links of an identity chain, as the cloud-neutral core sees
 * them: a `type` tag and an optional expiry. Each cloud defines its own sets (AWS keys in
 * `lib/aws/credential_set.ts`, …); the core only reads `type` and `expiration`. Every set
 * redacts itself when serialised or inspected (built with `sealed` from `lib/redact.ts`).
 *
 * @module
 */
import { REDACTED, sealed } from "../redact.ts";

/** Any credentials a chain link produces. */
export interface CredentialSet {
  /** What the set holds, e.g. `aws`, `oidc`, `sso`, `gcp`, `ambient`. */
  readonly type: string;
  /** When the credentials stop working; absent when they do not expire. */
  readonly expiration?: Date;
  /** The region (or location) the credentials are for, when the cloud has regions. */
  readonly region?: string;
  /** Who the credentials belong to, when the authentication said (an ARN, an e-mail). */
  readonly principal?: string;
}

/** An OIDC identity token (e.g. from GitHub Actions): any cloud can federate with it. */
export interface OidcCredentialSet extends CredentialSet {
  readonly type: "oidc";
  readonly token: string;
  readonly audience?: string;
}

/** No credentials: the ambient environment is used as it is. */
export interface AmbientCredentialSet extends CredentialSet {
  readonly type: "ambient";
  readonly expiration?: undefined;
}

/** Wraps an OIDC token in a self-redacting credential set. */
export function oidcCredentialSet(
  token: string,
  expiration?: Date,
  audience?: string,
): OidcCredentialSet {
  return sealed({ type: "oidc", token, expiration, audience }, (c) => ({
    type: c.type,
    token: REDACTED,
    expiration: c.expiration?.toISOString(),
    audience: c.audience,
  }));
}

/** True when `creds` is an OIDC token set. */
export function isOidcSet(creds: CredentialSet | null | undefined): creds is OidcCredentialSet {
  return creds?.type === "oidc";
}

/** The ambient (empty) credential set. */
export const AMBIENT: AmbientCredentialSet = Object.freeze({ type: "ambient" });

/** Cached credentials need more than this much life left to be reused (the 5-minute rule). */
export const FRESHNESS_BUFFER_MS = 5 * 60 * 1000;

/**
 * True when credentials have more than `bufferMs` of life left (no expiry = valid forever).
 */
export function isFresh(creds: CredentialSet, now: number, bufferMs: number): boolean {
  const expiration = creds.expiration;
  if (!expiration) return true;
  const time = expiration.getTime();
  return Number.isFinite(time) && time - now > bufferMs;
}
