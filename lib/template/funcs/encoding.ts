/**
 * Sprig's encodings: `b64enc b64dec sha256sum`. `b64dec` returns Go's error text instead of
 * failing, as Sprig does.
 *
 * @module
 */

import { createHash } from "node:crypto";
import type { FuncSpec } from "../func_spec.ts";
import { utf8Bytes, utf8Decode } from "../value.ts";

const ALPHABET = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";

function b64enc(text: string): string {
  const bytes = utf8Bytes(text);
  let binary = "";
  for (const byte of bytes) binary += String.fromCharCode(byte);
  return btoa(binary);
}

/** Go's `base64.StdEncoding.DecodeString`; newlines are skipped, padding is required. */
function b64dec(text: string): string {
  const bad = invalidAt(text);
  if (bad >= 0) return `illegal base64 data at input byte ${bad}`;
  const binary = atob(text.replace(/[\r\n]/g, ""));
  const bytes = new Uint8Array(binary.length);
  for (let i = 0; i < binary.length; i++) bytes[i] = binary.charCodeAt(i);
  return utf8Decode(bytes);
}

/** Offset of the first byte Go's decoder rejects, or -1. */
function invalidAt(text: string): number {
  const chars: number[] = [];
  for (let i = 0; i < text.length; i++) {
    if (text[i] !== "\r" && text[i] !== "\n") chars.push(i);
  }
  for (let q = 0; q < chars.length; q += 4) {
    const quantum = chars.slice(q, q + 4).map((i) => text[i]);
    const bad = invalidQuantum(quantum, q === chars.length - 4 || q + 4 >= chars.length);
    if (bad >= 0) return chars[q + bad] ?? chars[q] ?? text.length;
  }
  return -1;
}

function invalidQuantum(quantum: string[], last: boolean): number {
  if (quantum.length < 4) return 0;
  for (let j = 0; j < 4; j++) {
    if (quantum[j] === "=") {
      if (j < 2 || !last) return j;
      if (j === 2 && quantum[3] !== "=") return 3;
      return -1;
    }
    if (!ALPHABET.includes(quantum[j])) return j;
  }
  return -1;
}

function sha256sum(text: string): string {
  return createHash("sha256").update(utf8Bytes(text)).digest("hex");
}

/** The encodings group. */
export const ENCODING_FUNCS: Record<string, FuncSpec> = {
  b64enc: { params: ["string"], fn: (a) => b64enc(a[0] as string) },
  b64dec: { params: ["string"], fn: (a) => b64dec(a[0] as string) },
  sha256sum: { params: ["string"], fn: (a) => sha256sum(a[0] as string) },
};
