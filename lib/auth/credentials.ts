/**
 * Credentials passed between the links of an identity chain.
 *
 * Every variant redacts itself when serialised or inspected, so a stray `console.log` or
 * `JSON.stringify` can never print a secret.
 *
 * @module
 */
import type { AwsCredentials } from "../aws/types.ts";

const REDACTED = "[redacted]";

/** AWS keys (long-lived or session). */
export interface AwsCredentialSet {
  readonly type: "aws";
  readonly aws: AwsCredentials;
  /** The principal ARN when STS told us (AssumeRole). */
  readonly arn?: string;
}

/** An OIDC identity token (e.g. from GitHub Actions). */
export interface OidcCredentialSet {
  readonly type: "oidc";
  readonly token: string;
  readonly expiration?: Date;
  readonly audience?: string;
}

/** An IAM Identity Center (SSO) access token: the bearer token for the SSO portal API. */
export interface SsoCredentialSet {
  readonly type: "sso";
  readonly accessToken: string;
  readonly expiration: Date;
  /** Region of the Identity Center instance. */
  readonly region: string;
  readonly startUrl: string;
}

/** No credentials: the ambient environment is used as it is. */
export interface AmbientCredentialSet {
  readonly type: "ambient";
  readonly expiration?: undefined;
}

/** Any credentials a chain link produces. */
export type CredentialSet =
  | AwsCredentialSet
  | OidcCredentialSet
  | SsoCredentialSet
  | AmbientCredentialSet;

/** Wraps AWS keys in a self-redacting credential set. */
export function awsCredentialSet(aws: AwsCredentials, arn?: string): AwsCredentialSet {
  return sealed({ type: "aws", aws: sealed({ ...aws }, redactAws), arn }, (c) => ({
    type: c.type,
    aws: redactAws(c.aws),
    arn: c.arn,
  }));
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

/** Wraps an IAM Identity Center access token in a self-redacting credential set. */
export function ssoCredentialSet(
  token: { accessToken: string; expiration: Date; region: string; startUrl: string },
): SsoCredentialSet {
  return sealed({ type: "sso", ...token }, (c) => ({
    type: c.type,
    accessToken: REDACTED,
    expiration: c.expiration.toISOString(),
    region: c.region,
    startUrl: c.startUrl,
  }));
}

/** The ambient (empty) credential set. */
export const AMBIENT: AmbientCredentialSet = { type: "ambient" };

/** Expiry of a credential set, if it has one. */
export function expirationOf(creds: CredentialSet): Date | undefined {
  return creds.type === "aws" ? creds.aws.expiration : creds.expiration;
}

/**
 * True when credentials have more than `bufferMs` of life left (no expiry = valid forever).
 */
export function isFresh(creds: CredentialSet, now: number, bufferMs: number): boolean {
  const expiration = expirationOf(creds);
  if (!expiration) return true;
  const time = expiration.getTime();
  return Number.isFinite(time) && time - now > bufferMs;
}

/** Masks an access key id as `ASIA…WXYZ`. */
export function maskAccessKeyId(id: string): string {
  return id.length <= 8 ? REDACTED : `${id.slice(0, 4)}…${id.slice(-4)}`;
}

function redactAws(aws: AwsCredentials): Record<string, unknown> {
  return {
    accessKeyId: maskAccessKeyId(aws.accessKeyId),
    secretAccessKey: REDACTED,
    sessionToken: aws.sessionToken ? REDACTED : undefined,
    expiration: aws.expiration?.toISOString(),
    region: aws.region,
  };
}

function sealed<T extends object>(value: T, view: (value: T) => unknown): T {
  Object.defineProperty(value, "toJSON", { value: () => view(value), enumerable: false });
  Object.defineProperty(value, Symbol.for("Deno.customInspect"), {
    value: () => JSON.stringify(view(value)),
    enumerable: false,
  });
  Object.defineProperty(value, Symbol.for("nodejs.util.inspect.custom"), {
    value: () => view(value),
    enumerable: false,
  });
  return Object.freeze(value);
}
