/**
 * Go's `strconv` quoting: `Quote`, `QuoteToASCII`, `QuoteRune`, `Unquote` and `UnquoteChar`,
 * written here because template literals and `%q` must follow Go's escape rules exactly.
 *
 * @module
 */

import { utf8Bytes, utf8Decode } from "./value.ts";

/** strconv's syntax error text. */
export const INVALID_SYNTAX = "invalid syntax";

const PRINTABLE = /^[\p{L}\p{M}\p{N}\p{P}\p{S}]$/u;

/** Go's `unicode.IsPrint`: letters, marks, numbers, punctuation, symbols and ASCII space. */
export function isPrint(codePoint: number): boolean {
  if (codePoint < 0x80) return codePoint >= 0x20 && codePoint < 0x7f;
  return PRINTABLE.test(String.fromCodePoint(codePoint));
}

/** Go's `strconv.Quote` (`asciiOnly`: `QuoteToASCII`). */
export function goQuote(text: string, asciiOnly = false): string {
  return quoteWith(text, '"', asciiOnly);
}

/** Go's `strconv.QuoteRune`. */
export function goQuoteRune(codePoint: number, asciiOnly = false): string {
  if (codePoint > 0x10ffff || (codePoint >= 0xd800 && codePoint < 0xe000)) codePoint = 0xfffd;
  return quoteWith(String.fromCodePoint(codePoint), "'", asciiOnly);
}

/** Go's `strconv.CanBackquote`. */
export function canBackquote(text: string): boolean {
  for (const ch of text) {
    const c = ch.codePointAt(0) as number;
    if (c === 0xfeff) return false;
    if ((c < 0x20 && c !== 0x09) || c === 0x60 || c === 0x7f) return false;
  }
  return true;
}

function quoteWith(text: string, quote: string, asciiOnly: boolean): string {
  let out = quote;
  for (const ch of text) {
    out += escapeRune(ch, quote, asciiOnly);
  }
  return out + quote;
}

function escapeRune(ch: string, quote: string, asciiOnly: boolean): string {
  const c = ch.codePointAt(0) as number;
  if (ch === quote || ch === "\\") return "\\" + ch;
  if (c >= 0xd800 && c < 0xe000) return "\\ufffd";
  if (asciiOnly ? c < 0x80 && isPrint(c) : isPrint(c)) return ch;
  switch (c) {
    case 0x07:
      return "\\a";
    case 0x08:
      return "\\b";
    case 0x0c:
      return "\\f";
    case 0x0a:
      return "\\n";
    case 0x0d:
      return "\\r";
    case 0x09:
      return "\\t";
    case 0x0b:
      return "\\v";
  }
  if (c < 0x20 || c === 0x7f) return "\\x" + hex(c, 2);
  if (c < 0x10000) return "\\u" + hex(c, 4);
  return "\\U" + hex(c, 8);
}

function hex(value: number, width: number): string {
  return value.toString(16).padStart(width, "0");
}

/** Result of decoding one (possibly escaped) character of a Go literal. */
interface Decoded {
  /** A code point, or a raw byte when `isByte`. */
  value: number;
  /** True for `\x` and octal escapes, which denote bytes rather than code points. */
  isByte: boolean;
  /** Index just after the character. */
  next: number;
}

/** Thrown when a literal is malformed; its message is strconv's. */
export class SyntaxError_ extends Error {}

function syntaxError(): never {
  throw new SyntaxError_(INVALID_SYNTAX);
}

/** Decodes the character at `i` of a Go quoted literal (`quote` is `"` or `'`). */
function decodeChar(text: string, i: number, quote: string): Decoded {
  const c = text.codePointAt(i);
  if (c === undefined) syntaxError();
  const ch = String.fromCodePoint(c);
  if (ch === quote && (quote === "'" || quote === '"')) syntaxError();
  if (ch !== "\\") return { value: c, isByte: false, next: i + ch.length };
  const esc = text[i + 1];
  if (esc === undefined) syntaxError();
  const simple = SIMPLE_ESCAPES[esc];
  if (simple !== undefined) return { value: simple, isByte: false, next: i + 2 };
  if (esc === "\\") return { value: 0x5c, isByte: false, next: i + 2 };
  if (esc === "'" || esc === '"') {
    if (esc !== quote) syntaxError();
    return { value: esc.charCodeAt(0), isByte: false, next: i + 2 };
  }
  if (esc === "x" || esc === "u" || esc === "U") return decodeHexEscape(text, i, esc);
  if (esc >= "0" && esc <= "7") return decodeOctal(text, i);
  syntaxError();
}

const SIMPLE_ESCAPES: Record<string, number> = {
  a: 0x07,
  b: 0x08,
  f: 0x0c,
  n: 0x0a,
  r: 0x0d,
  t: 0x09,
  v: 0x0b,
};

function decodeHexEscape(text: string, i: number, esc: string): Decoded {
  const width = esc === "x" ? 2 : esc === "u" ? 4 : 8;
  const digits = text.slice(i + 2, i + 2 + width);
  if (digits.length !== width || !/^[0-9a-fA-F]+$/.test(digits)) syntaxError();
  const value = parseInt(digits, 16);
  if (esc === "x") return { value, isByte: true, next: i + 2 + width };
  if (value > 0x10ffff || (value >= 0xd800 && value < 0xe000)) syntaxError();
  return { value, isByte: false, next: i + 2 + width };
}

function decodeOctal(text: string, i: number): Decoded {
  const digits = text.slice(i + 1, i + 4);
  if (!/^[0-7]{3}$/.test(digits)) syntaxError();
  const value = parseInt(digits, 8);
  if (value > 255) syntaxError();
  return { value, isByte: true, next: i + 4 };
}

/**
 * Go's `strconv.Unquote` for `"…"` and `` `…` `` literals; throws {@linkcode SyntaxError_}
 * with strconv's message.
 */
export function goUnquote(literal: string): string {
  const quote = literal[0];
  if (literal.length < 2 || literal[literal.length - 1] !== quote) syntaxError();
  const body = literal.slice(1, -1);
  if (quote === "`") {
    if (body.includes("`")) syntaxError();
    return body.replaceAll("\r", "");
  }
  if (quote !== '"') syntaxError();
  if (!body.includes("\\") && !body.includes('"') && !body.includes("\n")) return body;
  if (body.includes("\n")) syntaxError();
  return decodeBody(body);
}

function decodeBody(body: string): string {
  const bytes: number[] = [];
  let out = "";
  let byteMode = false;
  for (let i = 0; i < body.length;) {
    const d = decodeChar(body, i, '"');
    i = d.next;
    if (d.isByte && !byteMode) {
      byteMode = true;
      bytes.push(...utf8Bytes(out));
    }
    if (!byteMode) out += String.fromCodePoint(d.value);
    else if (d.isByte) bytes.push(d.value);
    else bytes.push(...utf8Bytes(String.fromCodePoint(d.value)));
  }
  return byteMode ? utf8Decode(new Uint8Array(bytes)) : out;
}

/**
 * Go's `strconv.UnquoteChar` applied to a `'…'` literal: returns the code point and the
 * text left after it (which must be `'` for a well-formed literal).
 */
export function goUnquoteChar(literal: string): { value: number; tail: string } {
  const d = decodeChar(literal, 1, "'");
  return { value: d.value, tail: literal.slice(d.next) };
}
