/**
 * Sprig's string functions: `upper lower title trim trimPrefix trimSuffix trimAll replace
 * contains hasPrefix hasSuffix quote squote cat indent nindent split splitList join repeat
 * substr trunc abbrev`, with Go's argument order (the string last, for pipelines).
 *
 * @module
 */

import { goQuote } from "../quote.ts";
import type { FuncSpec } from "../func_spec.ts";
import { utf8Length } from "../value.ts";
import { byteSlice, strslice, strval } from "./cast.ts";

/** Go's `unicode.IsSpace` set. */
const GO_SPACE =
  "\\t\\n\\v\\f\\r \\u0085\\u00a0\\u1680\\u2000-\\u200a\\u2028\\u2029\\u202f\\u205f\\u3000";
const TRIM_SPACE = new RegExp(`^[${GO_SPACE}]+|[${GO_SPACE}]+$`, "gu");
const SPACE = new RegExp(`^[${GO_SPACE}]$`, "u");
const LETTER_OR_DIGIT = /^[\p{L}\p{Nd}]$/u;

/** Go's `strings.TrimSpace`. */
export function trimSpace(text: string): string {
  return text.replace(TRIM_SPACE, "");
}

/** Go's `strings.Title`: upper-cases the first letter of each word. */
function title(text: string): string {
  let prev = " ";
  let out = "";
  for (const ch of text) {
    out += isSeparator(prev) ? ch.toUpperCase() : ch;
    prev = ch;
  }
  return out;
}

function isSeparator(ch: string): boolean {
  const c = ch.codePointAt(0) as number;
  if (c < 0x80) return !/[0-9A-Za-z_]/.test(ch);
  if (LETTER_OR_DIGIT.test(ch)) return false;
  return SPACE.test(ch);
}

/** Go's `strings.Trim(s, cutset)`. */
function trimCutset(text: string, cutset: string): string {
  const set = new Set(cutset);
  const chars = [...text];
  let start = 0;
  let end = chars.length;
  while (start < end && set.has(chars[start])) start++;
  while (end > start && set.has(chars[end - 1])) end--;
  return chars.slice(start, end).join("");
}

/** Go's `strings.Repeat` (panics on a negative count). */
function repeat(count: number, text: string): string {
  if (count < 0) throw new Error("strings: negative Repeat count");
  return text.repeat(count);
}

function indent(spaces: number, text: string): string {
  const pad = repeat(spaces, " ");
  return pad + text.replaceAll("\n", "\n" + pad);
}

/** Go's `strings.Split`: an empty separator splits into characters. */
function split(sep: string, text: string): string[] {
  return sep === "" ? [...text] : text.split(sep);
}

function splitMap(sep: string, text: string): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  split(sep, text).forEach((part, i) => {
    out[`_${i}`] = part;
  });
  return out;
}

function notNil(args: unknown[]): unknown[] {
  return args.filter((arg) => arg !== undefined && arg !== null);
}

function substr(start: number, end: number, text: string): string {
  if (start < 0) return byteSlice(text, 0, end);
  if (end < 0 || end > utf8Length(text)) return byteSlice(text, start);
  return byteSlice(text, start, end);
}

function trunc(count: number, text: string): string {
  const length = utf8Length(text);
  if (count < 0 && length + count > 0) return byteSlice(text, length + count);
  if (count >= 0 && length > count) return byteSlice(text, 0, count);
  return text;
}

function abbrev(width: number, text: string): string {
  if (width < 4 || utf8Length(text) <= width) return text;
  return byteSlice(text, 0, width - 3) + "...";
}

const s = (args: unknown[], i: number): string => args[i] as string;
const n = (args: unknown[], i: number): number => Number(args[i]);

/** The strings group. */
export const STRING_FUNCS: Record<string, FuncSpec> = {
  upper: { params: ["string"], fn: (a) => s(a, 0).toUpperCase() },
  lower: { params: ["string"], fn: (a) => s(a, 0).toLowerCase() },
  title: { params: ["string"], fn: (a) => title(s(a, 0)) },
  trim: { params: ["string"], fn: (a) => trimSpace(s(a, 0)) },
  trimPrefix: {
    params: ["string", "string"],
    fn: (a) => (s(a, 1).startsWith(s(a, 0)) ? s(a, 1).slice(s(a, 0).length) : s(a, 1)),
  },
  trimSuffix: {
    params: ["string", "string"],
    fn: (a) =>
      s(a, 0) !== "" && s(a, 1).endsWith(s(a, 0)) ? s(a, 1).slice(0, -s(a, 0).length) : s(a, 1),
  },
  trimAll: { params: ["string", "string"], fn: (a) => trimCutset(s(a, 1), s(a, 0)) },
  replace: {
    params: ["string", "string", "string"],
    fn: (a) => s(a, 2).replaceAll(s(a, 0), s(a, 1)),
  },
  contains: { params: ["string", "string"], fn: (a) => s(a, 1).includes(s(a, 0)) },
  hasPrefix: { params: ["string", "string"], fn: (a) => s(a, 1).startsWith(s(a, 0)) },
  hasSuffix: { params: ["string", "string"], fn: (a) => s(a, 1).endsWith(s(a, 0)) },
  quote: {
    params: [],
    variadic: "any",
    fn: (a) => notNil(a).map((x) => goQuote(strval(x))).join(" "),
  },
  squote: {
    params: [],
    variadic: "any",
    fn: (a) => notNil(a).map((x) => `'${strval(x)}'`).join(" "),
  },
  cat: { params: [], variadic: "any", fn: (a) => notNil(a).map(strval).join(" ") },
  indent: { params: ["int", "string"], fn: (a) => indent(n(a, 0), s(a, 1)) },
  nindent: { params: ["int", "string"], fn: (a) => "\n" + indent(n(a, 0), s(a, 1)) },
  split: { params: ["string", "string"], fn: (a) => splitMap(s(a, 0), s(a, 1)) },
  splitList: { params: ["string", "string"], fn: (a) => split(s(a, 0), s(a, 1)) },
  join: { params: ["string", "any"], fn: (a) => strslice(a[1]).join(s(a, 0)) },
  repeat: { params: ["int", "string"], fn: (a) => repeat(n(a, 0), s(a, 1)) },
  substr: { params: ["int", "int", "string"], fn: (a) => substr(n(a, 0), n(a, 1), s(a, 2)) },
  trunc: { params: ["int", "string"], fn: (a) => trunc(n(a, 0), s(a, 1)) },
  abbrev: { params: ["int", "string"], fn: (a) => abbrev(n(a, 0), s(a, 1)) },
};
