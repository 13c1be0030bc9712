/**
 * Sprig's encodings: `b64enc b64dec sha256sum`. `b64dec` returns Go's error text instead of
 * failing, as Sprig does; the input check is hand-written to report Go's byte offsets.
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

/** Offset of the first byte Go's decoder rejects, or -1 (Go's `decodeQuantum` rules). */
function invalidAt(src: string): number {
  let si = 0;
  for (;;) {
    for (let j = 0; j < 4; j++) {
      if (si === src.length) return j === 0 ? -1 : si - j;
      const c = src[si++];
      if (ALPHABET.includes(c)) continue;
      if (c === "\n" || c === "\r") {
        j--;
        continue;
      }
      if (c !== "=" || j < 2) return si - 1;
      return paddingEnd(src, si, j);
    }
  }
}

/** After the first `=` of a quantum: checks the rest of the padding and trailing data. */
function paddingEnd(src: string, si: number, j: number): number {
  if (j === 2) {
    si = skipNewlines(src, si);
    if (si === src.length) return src.length;
    if (src[si] !== "=") return si - 1;
    si++;
  }
  si = skipNewlines(src, si);
  return si < src.length ? si : -1;
}

function skipNewlines(src: string, si: number): number {
  while (si < src.length && (src[si] === "\n" || src[si] === "\r")) si++;
  return si;
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
