/**
 * Sprig's value helpers (`strval`, `strslice`, `empty`) and the `spf13/cast` conversions it
 * uses for numbers (`ToInt64`, `ToFloat64`), shared by the function groups.
 *
 * @module
 */

import { formatValue } from "../fmt.ts";
import { indirect, isTrue, kindOf, toNumber, utf8Bytes, utf8Decode } from "../value.ts";

/** Sprig's `strval`: strings as is, everything else as Go's `%v`. */
export function strval(value: unknown): string {
  if (typeof value === "string") return value;
  return value === undefined || value === null ? "<nil>" : formatValue(value);
}

/** Sprig's `strslice`: list elements (nil dropped) or the value itself, as strings. */
export function strslice(value: unknown): string[] {
  const v = indirect(value);
  if (Array.isArray(v)) return v.filter((x) => x !== undefined && x !== null).map(strval);
  return v === undefined ? [] : [strval(v)];
}

/** Sprig's `empty`: nil, zero numbers, false, and empty strings, lists and maps. */
export function isEmpty(value: unknown): boolean {
  return !isTrue(indirect(value));
}

/** The elements of a list value, or an error naming the Go kind (`Cannot find first on type string`). */
export function listItems(value: unknown, action: string): unknown[] {
  const v = indirect(value);
  if (Array.isArray(v)) return v;
  if (v === undefined) {
    throw new Error("runtime error: invalid memory address or nil pointer dereference");
  }
  throw new Error(`Cannot ${action} on type ${goKind(v)}`);
}

/** Go's `reflect.Kind` name of a value. */
export function goKind(value: unknown): string {
  switch (kindOf(value)) {
    case "float":
      return "float64";
    case "slice":
      return "slice";
    case "func":
      return "func";
    case "map":
      return "map";
    default:
      return kindOf(value);
  }
}

/** Removes a trailing `.000` as cast's `trimZeroDecimal` does (`"10.0"` → `"10"`). */
function trimZeroDecimal(text: string): string {
  const dot = text.indexOf(".");
  if (dot < 0 || !/^\.0+$/.test(text.slice(dot))) return text;
  return dot === 0 ? text : text.slice(0, dot);
}

/** cast's `ToInt64`: ints, truncated floats, bools, numeric strings (base prefixes); else 0. */
export function toInt64(value: unknown): number {
  const v = indirect(value);
  switch (kindOf(v)) {
    case "int":
    case "float":
      return Math.trunc(toNumber(v)) || 0;
    case "bool":
      return v ? 1 : 0;
    case "string":
      return parseCastInt(trimZeroDecimal(v as string));
  }
  return 0;
}

const CAST_INT = /^[+-]?(0[xX][0-9a-fA-F_]+|0[oO][0-7_]+|0[bB][01_]+|0[0-7_]*|[1-9][0-9_]*)$/;

function parseCastInt(text: string): number {
  if (!CAST_INT.test(text)) return 0;
  const negative = text.startsWith("-");
  const body = text.replace(/^[+-]/, "").replaceAll("_", "");
  let value: number;
  if (/^0[xXoObB]/.test(body)) value = Number(body.toLowerCase());
  else if (body.length > 1 && body[0] === "0") value = parseInt(body.slice(1), 8);
  else value = Number(body);
  return negative ? -value : value;
}

/** cast's `ToFloat64`: numbers, bools, `strconv.ParseFloat` of strings; else 0. */
export function toFloat64(value: unknown): number {
  const v = indirect(value);
  switch (kindOf(v)) {
    case "int":
    case "float":
      return toNumber(v);
    case "bool":
      return v ? 1 : 0;
    case "string": {
      const text = (v as string).trim() === v ? (v as string) : "";
      const n = /^[+-]?(\d+\.?\d*|\.\d+)([eE][+-]?\d+)?$/.test(text) ? Number(text) : NaN;
      return Number.isNaN(n) ? 0 : n;
    }
  }
  return 0;
}

/** Go's `s[lo:hi]` on a string's bytes, with Go's panic text when out of range. */
export function byteSlice(text: string, lo: number, hi?: number): string {
  const bytes = utf8Bytes(text);
  const end = hi ?? bytes.length;
  if (end < 0 || end > bytes.length) {
    throw new Error(
      `runtime error: slice bounds out of range [:${end}] with length ${bytes.length}`,
    );
  }
  if (lo < 0 || lo > end) {
    throw new Error(`runtime error: slice bounds out of range [${lo}:${end}]`);
  }
  return utf8Decode(bytes.subarray(lo, end));
}
