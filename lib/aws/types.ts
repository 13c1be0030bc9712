/**
 * AWS credential data shared by the AWS identities and the credential files.
 *
 * @module
 */

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

const REDACTED = "[redacted]";

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

/**
 * Makes `value` print and serialise with the named fields replaced by `[redacted]`
 * (`JSON.stringify`, `console.log`, Deno and Node inspection), without changing the fields
 * themselves. Returns the same object, frozen.
 */
export function redactFields<T extends object>(value: T, secretKeys: readonly (keyof T)[]): T {
  const view = () => {
    const copy: Record<string, unknown> = {};
    for (const [key, field] of Object.entries(value)) {
      copy[key] = field instanceof Date
        ? field.toISOString()
        : secretKeys.includes(key as keyof T) && field !== undefined
        ? REDACTED
        : field;
    }
    return copy;
  };
  Object.defineProperty(value, "toJSON", { value: view, enumerable: false });
  Object.defineProperty(value, Symbol.for("Deno.customInspect"), {
    value: () => JSON.stringify(view()),
    enumerable: false,
  });
  Object.defineProperty(value, Symbol.for("nodejs.util.inspect.custom"), {
    value: view,
    enumerable: false,
  });
  return Object.freeze(value);
}
