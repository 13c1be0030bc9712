/**
 * How JavaScript values stand in for Go values inside the template engine.
 *
 * - `undefined` is Go's invalid `reflect.Value` (a missing key, no data);
 * - `null` is a nil `interface{}` held in a map or slice (JSON/YAML `null`);
 * - booleans are `bool`, strings are `string`;
 * - integral numbers (and bigints) are `int`; other numbers and {@linkcode GoFloat} are `float64`;
 * - arrays are `[]interface {}`; plain objects and `Map`s are `map[string]interface {}`;
 * - functions are Go funcs (only `call` can invoke them).
 *
 * @module
 */

/**
 * A Go `float64` whose value happens to be integral (`1.0`, `1e6`): JavaScript cannot tell
 * it from an int, Go prints and compares it differently (`1e+06`, `eq 1.0 1` is an error).
 */
export class GoFloat {
  /** The number. */
  readonly value: number;
  constructor(value: number) {
    this.value = value;
  }
}

/** The basic kinds the engine distinguishes (Go's `reflect.Kind`, reduced). */
export type Kind =
  | "invalid"
  | "nil"
  | "bool"
  | "int"
  | "float"
  | "string"
  | "slice"
  | "map"
  | "func";

/** Largest magnitude a Go int64 holds; larger integral numbers are float64. */
const INT64_LIMIT = 2 ** 63;

/** Returns the Go kind of an engine value. */
export function kindOf(value: unknown): Kind {
  switch (typeof value) {
    case "undefined":
      return "invalid";
    case "boolean":
      return "bool";
    case "string":
      return "string";
    case "number":
      return isIntNumber(value) ? "int" : "float";
    case "bigint":
      return "int";
    case "function":
      return "func";
  }
  if (value === null) return "nil";
  if (value instanceof GoFloat) return "float";
  if (Array.isArray(value)) return "slice";
  return "map";
}

/** True for a JavaScript number that stands for a Go int. */
export function isIntNumber(value: number): boolean {
  return Number.isInteger(value) && Math.abs(value) < INT64_LIMIT;
}

/** Wraps a float64 result so that an integral value stays a float64. */
export function goFloat(value: number): number | GoFloat {
  return isIntNumber(value) ? new GoFloat(value) : value;
}

/** The numeric value of an int or float64 engine value. */
export function toNumber(value: unknown): number {
  if (value instanceof GoFloat) return value.value;
  if (typeof value === "bigint") return Number(value);
  return value as number;
}

/** Go's type name of a value, as `reflect.Type.String()` prints it. */
export function typeName(value: unknown): string {
  switch (kindOf(value)) {
    case "invalid":
      return "<nil>";
    case "nil":
      return "interface {}";
    case "bool":
      return "bool";
    case "int":
      return "int";
    case "float":
      return "float64";
    case "string":
      return "string";
    case "slice":
      return "[]interface {}";
    case "map":
      return "map[string]interface {}";
    case "func":
      return "func(...interface {}) interface {}";
  }
}

/** True when the value is a map (plain object or `Map`). */
export function isMap(value: unknown): value is Record<string, unknown> | Map<unknown, unknown> {
  return kindOf(value) === "map";
}

/** Result of a map lookup: `found` is false for a missing key. */
export interface Lookup {
  found: boolean;
  /** The element; `null` stands for a present nil element. */
  value: unknown;
}

const NOT_FOUND: Lookup = { found: false, value: undefined };

/** Looks a key up in a map value; present `undefined`/`null` elements become `null`. */
export function mapGet(map: unknown, key: unknown): Lookup {
  if (map === null || map === undefined) return NOT_FOUND;
  if (map instanceof Map) {
    if (!map.has(key)) return NOT_FOUND;
    return { found: true, value: map.get(key) ?? null };
  }
  const record = map as Record<string, unknown>;
  if (typeof key !== "string" || !Object.hasOwn(record, key)) return NOT_FOUND;
  return { found: true, value: record[key] ?? null };
}

/** Number of entries of a map value. */
export function mapSize(map: unknown): number {
  return map instanceof Map ? map.size : Object.keys(map as object).length;
}

/** The keys of a map value in Go's printing order (`internal/fmtsort`). */
export function sortedKeys(map: unknown): unknown[] {
  if (map === null || map === undefined) return [];
  const keys = map instanceof Map ? [...map.keys()] : Object.keys(map as object);
  return keys.sort(compareKeys);
}

/** Orders map keys as Go's fmtsort does for the kinds we meet: numbers, then strings. */
export function compareKeys(a: unknown, b: unknown): number {
  if (typeof a === "string" && typeof b === "string") return compareStrings(a, b);
  const ka = kindOf(a);
  const kb = kindOf(b);
  if ((ka === "int" || ka === "float") && (kb === "int" || kb === "float")) {
    return toNumber(a) - toNumber(b);
  }
  if (ka !== kb) return ka < kb ? -1 : 1;
  return compareStrings(String(a), String(b));
}

/** Compares strings by code point, which is Go's byte-wise UTF-8 order. */
export function compareStrings(a: string, b: string): number {
  if (a === b) return 0;
  const n = Math.min(a.length, b.length);
  for (let i = 0; i < n; i++) {
    if (a.charCodeAt(i) !== b.charCodeAt(i)) {
      return (a.codePointAt(i) as number) - (b.codePointAt(i) as number);
    }
  }
  return a.length - b.length;
}

/** The element of a map value for a key (`undefined` when absent). */
export function mapValue(map: unknown, key: unknown): unknown {
  return mapGet(map, key).value;
}

/** Go's truth of a value (`if`, `with`, `and`, `or`, `not`). */
export function isTrue(value: unknown): boolean {
  switch (kindOf(value)) {
    case "invalid":
    case "nil":
      return false;
    case "bool":
      return value as boolean;
    case "int":
    case "float":
      return typeof value === "bigint" ? value !== 0n : toNumber(value) !== 0;
    case "string":
      return (value as string).length > 0;
    case "slice":
      return (value as unknown[]).length > 0;
    case "map":
      return mapSize(value) > 0;
    case "func":
      return true;
  }
}

/** Go's `indirectInterface`: a nil interface becomes the invalid value. */
export function indirect(value: unknown): unknown {
  return value === null ? undefined : value;
}

/** Byte length of a string in UTF-8, which is what Go's `len` counts. */
export function utf8Length(text: string): number {
  let bytes = 0;
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    if (c < 0x80) bytes += 1;
    else if (c < 0x800) bytes += 2;
    else if (c >= 0xd800 && c < 0xdc00 && i + 1 < text.length) {
      bytes += 4;
      i++;
    } else bytes += 3;
  }
  return bytes;
}

/** True when every character is ASCII (byte offsets equal string offsets). */
export function isAscii(text: string): boolean {
  for (let i = 0; i < text.length; i++) {
    if (text.charCodeAt(i) >= 0x80) return false;
  }
  return true;
}

const encoder = new TextEncoder();
const decoder = new TextDecoder();

/** UTF-8 bytes of a string. */
export function utf8Bytes(text: string): Uint8Array {
  return encoder.encode(text);
}

/** Decodes UTF-8 bytes (invalid sequences become U+FFFD, as Go prints them). */
export function utf8Decode(bytes: Uint8Array): string {
  return decoder.decode(bytes);
}

/** Converts a value handed to or returned by a caller's function into engine form. */
export function fromHost(value: unknown): unknown {
  return value === undefined ? null : value;
}

/** Converts an engine value into what a caller's function expects (plain JS). */
export function toHost(value: unknown): unknown {
  if (value === undefined) return null;
  if (value instanceof GoFloat) return value.value;
  return value;
}
