/**
 * Go number literals in templates (`42`, `0x1F`, `0o17`, `017`, `1_000`, `1e3`, `0x1p-2`,
 * `'a'`), parsed as Go's `parse.NumberNode` does: every type that can hold the value is
 * recorded, so `3` can be passed where an int, a float64 or an interface is expected.
 *
 * @module
 */

import { goQuote, goUnquoteChar, INVALID_SYNTAX } from "./quote.ts";

/** The value of a number literal under each type that can represent it. */
export interface NumberValue {
  isInt: boolean;
  isUint: boolean;
  isFloat: boolean;
  isComplex: boolean;
  int: bigint;
  float: number;
  /** The literal as written. */
  text: string;
}

const INT64_MIN = -(2n ** 63n);
const INT64_MAX = 2n ** 63n - 1n;
const UINT64_MAX = 2n ** 64n - 1n;

/** Parses a number or character literal; throws an Error carrying Go's message. */
export function parseNumber(text: string, isChar: boolean, isComplex: boolean): NumberValue {
  const n: NumberValue = {
    isInt: false,
    isUint: false,
    isFloat: false,
    isComplex: false,
    int: 0n,
    float: 0,
    text,
  };
  if (isChar) return charConstant(n);
  if (isComplex || text.endsWith("i")) {
    throw new Error(`complex constant ${text} is not supported`);
  }
  const asInt = parseGoInt(text);
  if (asInt !== undefined) {
    n.isInt = asInt >= INT64_MIN && asInt <= INT64_MAX;
    n.isUint = asInt >= 0n && asInt <= UINT64_MAX && !/^[+-]/.test(text);
    if (asInt === 0n) n.isUint = true;
    if (n.isInt || n.isUint) {
      n.int = asInt;
      n.isFloat = true;
      n.float = Number(asInt);
      return n;
    }
  }
  const f = parseGoFloat(text);
  if (f !== undefined) {
    if (!/[.eEpP]/.test(text)) throw new Error(`integer overflow: ${goQuote(text)}`);
    n.isFloat = true;
    n.float = f;
    if (Number.isInteger(f) && Math.abs(f) < 2 ** 63) {
      n.isInt = true;
      n.int = BigInt(f);
      n.isUint = f >= 0;
    }
    return n;
  }
  throw new Error(`illegal number syntax: ${goQuote(text)}`);
}

function charConstant(n: NumberValue): NumberValue {
  let decoded: { value: number; tail: string };
  try {
    decoded = goUnquoteChar(n.text);
  } catch {
    throw new Error(INVALID_SYNTAX);
  }
  if (decoded.tail !== "'") throw new Error(`malformed character constant: ${n.text}`);
  n.isInt = n.isUint = n.isFloat = true;
  n.int = BigInt(decoded.value);
  n.float = decoded.value;
  return n;
}

/** Go's `underscoreOK`: underscores only between digits or after a base prefix. */
function underscoreOK(text: string): boolean {
  let s = text;
  if (s[0] === "+" || s[0] === "-") s = s.slice(1);
  let saw = "^";
  let i = 0;
  let hex = false;
  if (s.length >= 2 && s[0] === "0" && /[bBoOxX]/.test(s[1])) {
    i = 2;
    saw = "0";
    hex = s[1] === "x" || s[1] === "X";
  }
  for (; i < s.length; i++) {
    const ch = s[i];
    if ((ch >= "0" && ch <= "9") || (hex && /[a-fA-F]/.test(ch))) {
      saw = "0";
      continue;
    }
    if (ch === "_") {
      if (saw !== "0") return false;
      saw = "_";
      continue;
    }
    if (saw === "_") return false;
    saw = "!";
  }
  return saw !== "_";
}

/** `strconv.ParseInt(text, 0, …)` without the range check; undefined on bad syntax. */
function parseGoInt(text: string): bigint | undefined {
  let s = text;
  let negative = false;
  if (s[0] === "+" || s[0] === "-") {
    negative = s[0] === "-";
    s = s.slice(1);
  }
  let base = 10;
  let digits = s;
  if (/^0[xX]/.test(s)) [base, digits] = [16, s.slice(2)];
  else if (/^0[oO]/.test(s)) [base, digits] = [8, s.slice(2)];
  else if (/^0[bB]/.test(s)) [base, digits] = [2, s.slice(2)];
  else if (s.length > 1 && s[0] === "0") [base, digits] = [8, s.slice(1)];
  if (digits.includes("_")) {
    if (!underscoreOK(text)) return undefined;
    digits = digits.replaceAll("_", "");
  }
  if (digits === "" || !DIGITS[base].test(digits)) return undefined;
  const prefix = base === 16 ? "0x" : base === 8 ? "0o" : base === 2 ? "0b" : "";
  const value = BigInt(prefix + digits);
  return negative ? -value : value;
}

const DIGITS: Record<number, RegExp> = {
  2: /^[01]+$/,
  8: /^[0-7]+$/,
  10: /^[0-9]+$/,
  16: /^[0-9a-fA-F]+$/,
};

const DECIMAL_FLOAT = /^[+-]?(\d+\.?\d*|\.\d+)([eE][+-]?\d+)?$/;
const HEX_FLOAT = /^([+-]?)0[xX]([0-9a-fA-F]*)\.?([0-9a-fA-F]*)[pP]([+-]?\d+)$/;

/** `strconv.ParseFloat(text, 64)`; undefined on bad syntax or overflow. */
function parseGoFloat(text: string): number | undefined {
  let s = text;
  if (s.includes("_")) {
    if (!underscoreOK(s)) return undefined;
    s = s.replaceAll("_", "");
  }
  let value: number;
  if (DECIMAL_FLOAT.test(s)) {
    value = Number(s);
  } else {
    const hex = HEX_FLOAT.exec(s);
    if (!hex || (hex[2] === "" && hex[3] === "")) return undefined;
    const mantissa = parseInt((hex[2] + hex[3]) || "0", 16);
    value = mantissa * 2 ** (Number(hex[4]) - 4 * hex[3].length);
    if (hex[1] === "-") value = -value;
  }
  return Number.isFinite(value) ? value : undefined;
}
