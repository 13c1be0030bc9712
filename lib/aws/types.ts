/**
 * AWS credential data shared by the AWS identities and the credential files.
 *
 * @module
 */
import { REDACTED } from "../redact.ts";

/** Temporary or long-lived AWS credentials. Never log these: use {@linkcode redactAwsCredentials}. */
export interface AwsCredentials {
  accessKeyId: string;
  secretAccessKey: string;
  sessionToken?: string;
  expiration?: Date;
  region?: string;
}

/** A display-safe view of {@linkcode AwsCredentials}. */
export interface RedactedAwsCredentials {
  /** Masked, e.g. `ASIA…WXYZ`. */
  accessKeyId: string;
  secretAccessKey: "[redacted]";
  sessionToken?: "[redacted]";
  /** RFC 3339. */
  expiration?: string;
  region?: string;
}

/** Returns a copy safe to print or log: secrets replaced, the access key ID masked. */
export function redactAwsCredentials(creds: AwsCredentials): RedactedAwsCredentials {
  const out: RedactedAwsCredentials = {
    accessKeyId: maskAccessKeyId(creds.accessKeyId),
    secretAccessKey: REDACTED,
  };
  if (creds.sessionToken !== undefined) out.sessionToken = REDACTED;
  if (creds.expiration !== undefined) out.expiration = creds.expiration.toISOString();
  if (creds.region !== undefined) out.region = creds.region;
  return out;
}

/** `ASIAABCDEFGHWXYZ` → `ASIA…WXYZ`; IDs too short to mask safely become `[redacted]`. */
export function maskAccessKeyId(accessKeyId: string): string {
  if (accessKeyId.length < 16) return REDACTED;
  return `${accessKeyId.slice(0, 4)}…${accessKeyId.slice(-4)}`;
}
