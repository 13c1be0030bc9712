/**
 * Sprig's conversions: `toString toJson toPrettyJson fromJson atoi int int64 float64`.
 * JSON follows Go's `encoding/json`: sorted keys, `<>&` escaped, Go float formatting;
 * numbers read by `fromJson` are float64, as in Go.
 *
 * @module
 */

import { formatFloat } from "../float_format.ts";
import type { FuncSpec } from "../func_spec.ts";
import { goFloat, indirect, kindOf, mapGet, sortedKeys, toNumber } from "../value.ts";
import { strval, toFloat64, toInt64 } from "./cast.ts";

/** Thrown for values Go's encoder rejects (functions, NaN, infinities). */
class Unsupported extends Error {}

/** Go's `json.Marshal` (indent "" keeps it compact, as `MarshalIndent(v, "", indent)` otherwise). */
export function goJson(value: unknown, indent = ""): string {
  return encode(indirect(value), indent, "");
}

function encode(value: unknown, indent: string, prefix: string): string {
  switch (kindOf(value)) {
    case "invalid":
    case "nil":
      return "null";
    case "bool":
      return value ? "true" : "false";
    case "int":
      return String(value);
    case "float":
      return jsonFloat(toNumber(value));
    case "string":
      return jsonString(value as string);
    case "slice":
      return encodeList(value as unknown[], indent, prefix);
    case "map":
      return encodeMap(value, indent, prefix);
  }
  throw new Unsupported();
}

function encodeList(items: unknown[], indent: string, prefix: string): string {
  if (items.length === 0) return "[]";
  const inner = prefix + indent;
  const parts = items.map((item) => encode(item ?? null, indent, inner));
  if (!indent) return "[" + parts.join(",") + "]";
  return "[\n" + parts.map((p) => inner + p).join(",\n") + "\n" + prefix + "]";
}

function encodeMap(map: unknown, indent: string, prefix: string): string {
  const keys = sortedKeys(map);
  if (keys.length === 0) return "{}";
  const inner = prefix + indent;
  const sep = indent ? ": " : ":";
  const parts = keys.map((key) =>
    jsonString(strval(key)) + sep + encode(mapGet(map, key).value, indent, inner)
  );
  if (!indent) return "{" + parts.join(",") + "}";
  return "{\n" + parts.map((p) => inner + p).join(",\n") + "\n" + prefix + "}";
}

function jsonFloat(value: number): string {
  if (!Number.isFinite(value)) throw new Unsupported();
  const abs = Math.abs(value);
  const format = abs !== 0 && (abs < 1e-6 || abs >= 1e21) ? "e" : "f";
  let out = formatFloat(value, format, -1);
  if (format === "e") out = out.replace(/e([+-])0(\d)$/, "e$1$2");
  return out;
}

const JSON_ESCAPES: Record<string, string> = {
  '"': '\\"',
  "\\": "\\\\",
  "\n": "\\n",
  "\r": "\\r",
  "\t": "\\t",
  "\b": "\\b",
  "\f": "\\f",
  "<": "\\u003c",
  ">": "\\u003e",
  "&": "\\u0026",
  "\u2028": "\\u2028",
  "\u2029": "\\u2029",
};

// deno-lint-ignore no-control-regex
const NEEDS_ESCAPE = /["\\<>&\u2028\u2029\u0000-\u001f\ud800-\udfff]/;

/** A JSON string with Go's escaping (HTML-safe; lone surrogates become U+FFFD). */
function jsonString(text: string): string {
  if (!NEEDS_ESCAPE.test(text)) return '"' + text + '"';
  let out = '"';
  for (const ch of text) {
    const known = JSON_ESCAPES[ch];
    const code = ch.codePointAt(0) as number;
    if (known) out += known;
    else if (code < 0x20) out += "\\u00" + code.toString(16).padStart(2, "0");
    else if (code >= 0xd800 && code < 0xe000) out += "\\ufffd";
    else out += ch;
  }
  return out + '"';
}

function toJson(value: unknown, indent: string): string {
  try {
    return goJson(value, indent);
  } catch (error) {
    if (error instanceof Unsupported) return "";
    throw error;
  }
}

/** `fromJson`: the decoded value with float64 numbers; nil when the text is not JSON. */
function fromJson(text: string): unknown {
  let parsed: unknown;
  try {
    parsed = JSON.parse(text);
  } catch {
    return null;
  }
  return floatNumbers(parsed);
}

function floatNumbers(value: unknown): unknown {
  if (typeof value === "number") return goFloat(value);
  if (Array.isArray(value)) return value.map(floatNumbers);
  if (value !== null && typeof value === "object") {
    const out: Record<string, unknown> = {};
    for (const [key, item] of Object.entries(value)) out[key] = floatNumbers(item);
    return out;
  }
  return value;
}

/** `strconv.Atoi`, with errors read as 0 (as Sprig does). */
function atoi(text: string): number {
  return /^[+-]?\d+$/.test(text) ? Number(text) : 0;
}

const TO_STRING: FuncSpec = { params: ["any"], fn: (a) => strval(a[0]) };

/** The conversions group. */
export const CONVERSION_FUNCS: Record<string, FuncSpec> = {
  toString: TO_STRING,
  toJson: { params: ["any"], fn: (a) => toJson(a[0], "") },
  toPrettyJson: { params: ["any"], fn: (a) => toJson(a[0], "  ") },
  fromJson: { params: ["string"], fn: (a) => fromJson(a[0] as string) },
  atoi: { params: ["string"], fn: (a) => atoi(a[0] as string) },
  int: { params: ["any"], fn: (a) => toInt64(a[0]) },
  int64: { params: ["any"], fn: (a) => toInt64(a[0]) },
  float64: { params: ["any"], fn: (a) => goFloat(toFloat64(a[0])) },
};
