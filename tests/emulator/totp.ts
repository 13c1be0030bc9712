/**
 * RFC 6238 TOTP (HMAC-SHA-1, 30-second steps, 6 digits) over RFC 4648 base32 secrets.
 *
 * Hand-written: a dozen lines over WebCrypto, and the allowed dependencies have no TOTP.
 *
 * @module
 */

import { hmac } from "./crypto_util.ts";
import { BASE32_ALPHABET } from "./ids.ts";

/** Decodes RFC 4648 base32 (case-insensitive; spaces and `=` padding ignored). */
export function decodeBase32(text: string): Uint8Array {
  const clean = text.toUpperCase().replace(/[\s=]/g, "");
  const out: number[] = [];
  let buffer = 0;
  let bits = 0;
  for (const ch of clean) {
    const value = BASE32_ALPHABET.indexOf(ch);
    if (value < 0) throw new Error(`invalid base32 character '${ch}'`);
    buffer = (buffer << 5) | value;
    bits += 5;
    if (bits >= 8) {
      bits -= 8;
      out.push((buffer >> bits) & 0xff);
    }
  }
  return new Uint8Array(out);
}

/** RFC 4226 HOTP value for a counter, as a zero-padded string of `digits` digits. */
export async function hotp(key: Uint8Array, counter: number, digits = 6): Promise<string> {
  const message = new Uint8Array(8);
  new DataView(message.buffer).setBigUint64(0, BigInt(counter));
  const mac = await hmac("SHA-1", key, message);
  const offset = mac[mac.length - 1] & 0x0f;
  const binary = ((mac[offset] & 0x7f) << 24) | (mac[offset + 1] << 16) |
    (mac[offset + 2] << 8) | mac[offset + 3];
  return String(binary % 10 ** digits).padStart(digits, "0");
}

/** RFC 6238 TOTP (SHA-1, 30 s, 6 digits) for a base32 secret at the given time (ms). */
export function totp(base32Secret: string, nowMs: number = Date.now()): Promise<string> {
  return hotp(decodeBase32(base32Secret), Math.floor(nowMs / 1000 / 30));
}

/**
 * Whether `code` is the TOTP for the secret at `nowMs` or one step either side (the usual
 * allowance for clock drift and a code typed just as it rolled over).
 */
export async function verifyTotp(
  base32Secret: string,
  code: string,
  nowMs: number = Date.now(),
): Promise<boolean> {
  if (!/^\d{6}$/.test(code)) return false;
  const key = decodeBase32(base32Secret);
  const step = Math.floor(nowMs / 1000 / 30);
  let ok = false;
  for (const counter of [step - 1, step, step + 1]) {
    if ((await hotp(key, counter)) === code) ok = true;
  }
  return ok;
}
