/**
 * Generators for AWS-shaped identifiers and secrets: access key IDs, secret keys, session tokens,
 * principal IDs and request IDs.
 *
 * @module
 */

import { randomBytes, randomString, toBase64 } from "./crypto_util.ts";

const ID_ALPHABET = "ABCDEFGHIJKLMNOPQRSTUVWXYZ234567";
const SECRET_ALPHABET = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";

/** A long-lived access key ID: `AKIA` + 16 characters. */
export function newUserAccessKeyId(): string {
  return "AKIA" + randomString(ID_ALPHABET, 16);
}

/** A temporary access key ID: `ASIA` + 16 characters. */
export function newSessionAccessKeyId(): string {
  return "ASIA" + randomString(ID_ALPHABET, 16);
}

/** A 40-character secret access key. */
export function newSecretAccessKey(): string {
  return randomString(SECRET_ALPHABET, 40);
}

/**
 * A session token shaped like real ones: long base64 text that contains `+`, `/` and ends in `=`
 * (useful for catching INI and URL encoding bugs).
 */
export function newSessionToken(): string {
  let token = "";
  // Retry until the token has the awkward characters real tokens carry.
  while (!token.includes("+") || !token.includes("/")) {
    token = "IQoJb3JpZ2luX2VjE" + toBase64(randomBytes(200));
  }
  return token;
}

/** A principal ID with the given prefix (`AIDA` users, `AROA` roles): prefix + 17 characters. */
export function newPrincipalId(prefix: "AIDA" | "AROA"): string {
  return prefix + randomString(ID_ALPHABET, 17);
}

/** A request ID (UUID v4). */
export function newRequestId(): string {
  return crypto.randomUUID();
}

/** The base32 alphabet (RFC 4648) used for TOTP secrets. */
export const BASE32_ALPHABET = ID_ALPHABET;

/** A random base32 TOTP secret of 32 characters (160 bits). */
export function newTotpSecret(): string {
  return randomString(ID_ALPHABET, 32);
}
