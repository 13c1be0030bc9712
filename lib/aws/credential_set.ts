/**
 * The AWS credential sets chain links pass on: AWS keys (long-lived or a session) and an IAM
 * Identity Center access token. Both redact themselves when printed or serialised.
 *
 * @module
 */
import { REDACTED, sealed } from "../redact.ts";
import { type AwsCredentials, redactAwsCredentials } from "./types.ts";

/** AWS keys (long-lived or session). */
export interface AwsCredentialSet {
  readonly type: "aws";
  readonly aws: AwsCredentials;
  /** The same as `aws.expiration`, where the cloud-neutral core reads it. */
  readonly expiration?: Date;
  /** The same as `aws.region`. */
  readonly region?: string;
  /** The principal ARN when STS told us (AssumeRole). */
  readonly principal?: string;
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

/** Wraps AWS keys in a self-redacting credential set. */
export function awsCredentialSet(aws: AwsCredentials, arn?: string): AwsCredentialSet {
  const keys = sealed({ ...aws }, redactAwsCredentials);
  const set = {
    type: "aws" as const,
    aws: keys,
    expiration: aws.expiration,
    region: aws.region,
    principal: arn,
  };
  return sealed(set, (c) => ({
    type: c.type,
    aws: redactAwsCredentials(c.aws),
    principal: c.principal,
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

/** True when `creds` holds AWS keys. */
export function isAwsSet(creds: { type: string } | null | undefined): creds is AwsCredentialSet {
  return creds?.type === "aws";
}

/** True when `creds` is an IAM Identity Center token. */
export function isSsoSet(creds: { type: string } | null | undefined): creds is SsoCredentialSet {
  return creds?.type === "sso";
}
