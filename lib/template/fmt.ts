/**
 * Go's `fmt` printing for engine values: `Sprint`, `Sprintln`, `Sprintf` and the `%v` form
 * the template engine prints. Hand-written: output must match Go byte for byte (`map[a:1]`,
 * `[a b]`, `<nil>`, `%!d(string=x)`), which no JavaScript formatter does.
 *
 * @module
 */

import { formatFloat } from "./float_format.ts";
import { canBackquote, goQuote, goQuoteRune, isPrint } from "./quote.ts";
import { kindOf, mapValue, sortedKeys, toNumber, typeName, utf8Bytes } from "./value.ts";

/** Flags, width and precision of one `%` directive. */
interface Spec {
  plus: boolean;
  minus: boolean;
  sharp: boolean;
  space: boolean;
  zero: boolean;
  /** `%+v`: plus flag moved off for `v`. */
  plusV: boolean;
  /** `%#v`: Go-syntax representation. */
  sharpV: boolean;
  width: number;
  precision: number;
}

function plainSpec(): Spec {
  return {
    plus: false,
    minus: false,
    sharp: false,
    space: false,
    zero: false,
    plusV: false,
    sharpV: false,
    width: -1,
    precision: -1,
  };
}

const PLAIN: Spec = plainSpec();

/** `%v` of a value with no flags: what `{{ . }}` prints (nil prints `<nil>`). */
export function formatValue(value: unknown): string {
  switch (typeof value) {
    case "string":
      return value;
    case "boolean":
      return value ? "true" : "false";
    case "number":
      return kindOf(value) === "int" ? formatInt(value) : formatFloat(value, "g", -1);
  }
  return printArg(value, "v", PLAIN, 0);
}

function formatInt(value: number | bigint): string {
  return typeof value === "bigint" || Math.abs(value) < 1e21
    ? String(value)
    : BigInt(value).toString();
}

/** Go's `fmt.Sprint`: spaces between operands when neither side is a string. */
export function sprint(args: readonly unknown[]): string {
  let out = "";
  let prevString = false;
  for (let i = 0; i < args.length; i++) {
    const isString = typeof args[i] === "string";
    if (i > 0 && !isString && !prevString) out += " ";
    out += formatValue(args[i]);
    prevString = isString;
  }
  return out;
}

/** Go's `fmt.Sprintln`: spaces between all operands and a trailing newline. */
export function sprintln(args: readonly unknown[]): string {
  return args.map((arg) => formatValue(arg)).join(" ") + "\n";
}

/** Go's `fmt.Sprintf`. */
export function sprintf(format: string, args: readonly unknown[]): string {
  let out = "";
  let argIndex = 0;
  let i = 0;
  while (i < format.length) {
    const pct = format.indexOf("%", i);
    if (pct < 0) {
      out += format.slice(i);
      break;
    }
    out += format.slice(i, pct);
    i = pct + 1;
    const spec = plainSpec();
    i = parseFlags(format, i, spec);
    [i, argIndex] = parseWidth(format, i, spec, args, argIndex);
    [i, argIndex] = parsePrecision(format, i, spec, args, argIndex);
    if (i >= format.length) {
      out += "%!(NOVERB)";
      break;
    }
    const verb = String.fromCodePoint(format.codePointAt(i) as number);
    i += verb.length;
    if (verb === "%") {
      out += "%";
      continue;
    }
    if (argIndex >= args.length) {
      out += "%!" + verb + "(MISSING)";
      continue;
    }
    if (verb === "v") moveVFlags(spec);
    out += printArg(args[argIndex++], verb, spec, 0);
  }
  if (argIndex < args.length) out += extraArgs(args.slice(argIndex));
  return out;
}

function moveVFlags(spec: Spec): void {
  if (spec.sharp) {
    spec.sharp = false;
    spec.sharpV = true;
  }
  if (spec.plus) {
    spec.plus = false;
    spec.plusV = true;
  }
}

function extraArgs(extra: readonly unknown[]): string {
  const parts = extra.map((arg) =>
    arg === undefined || arg === null ? "<nil>" : typeName(arg) + "=" + formatValue(arg)
  );
  return "%!(EXTRA " + parts.join(", ") + ")";
}

function parseFlags(format: string, i: number, spec: Spec): number {
  for (; i < format.length; i++) {
    switch (format[i]) {
      case "#":
        spec.sharp = true;
        break;
      case "0":
        spec.zero = !spec.minus;
        break;
      case "+":
        spec.plus = true;
        break;
      case "-":
        spec.minus = true;
        spec.zero = false;
        break;
      case " ":
        spec.space = true;
        break;
      default:
        return i;
    }
  }
  return i;
}

function parseWidth(
  format: string,
  i: number,
  spec: Spec,
  args: readonly unknown[],
  argIndex: number,
): [number, number] {
  if (format[i] === "*") {
    const n = starArg(args, argIndex);
    if (n < 0) {
      spec.minus = true;
      spec.zero = false;
    }
    spec.width = Math.abs(n);
    return [i + 1, argIndex + 1];
  }
  const [width, next] = parseNumber(format, i);
  if (next > i) spec.width = width;
  return [next, argIndex];
}

function parsePrecision(
  format: string,
  i: number,
  spec: Spec,
  args: readonly unknown[],
  argIndex: number,
): [number, number] {
  if (format[i] !== ".") return [i, argIndex];
  i++;
  if (format[i] === "*") {
    const n = starArg(args, argIndex);
    spec.precision = n < 0 ? -1 : n;
    return [i + 1, argIndex + 1];
  }
  const [precision, next] = parseNumber(format, i);
  spec.precision = next > i ? precision : 0;
  return [next, argIndex];
}

function starArg(args: readonly unknown[], argIndex: number): number {
  const value = args[argIndex];
  return kindOf(value) === "int" ? Number(value) : 0;
}

function parseNumber(format: string, i: number): [number, number] {
  let n = 0;
  let j = i;
  while (j < format.length && format[j] >= "0" && format[j] <= "9") {
    n = n * 10 + (format.charCodeAt(j) - 48);
    j++;
  }
  return [n, j];
}

/** Formats one operand for a verb, as Go's `printArg`/`printValue`. */
function printArg(value: unknown, verb: string, spec: Spec, depth: number): string {
  if (value === undefined || value === null) {
    if (depth > 0) return spec.sharpV ? "interface {}(nil)" : "<nil>";
    if (verb === "v" || verb === "T") return pad("<nil>", spec);
    return badVerb(value, verb, spec);
  }
  if (verb === "T") return pad(truncate(typeName(value), spec), spec);
  switch (kindOf(value)) {
    case "bool":
      return verb === "t" || verb === "v"
        ? pad(value ? "true" : "false", spec)
        : badVerb(value, verb, spec);
    case "int":
      return formatIntVerb(value as number | bigint, verb, spec);
    case "float":
      return formatFloatVerb(toNumber(value), verb, spec, value);
    case "string":
      return formatStringVerb(value as string, verb, spec);
    case "slice":
      return formatSlice(value as unknown[], verb, spec, depth);
    case "map":
      return formatMap(value, verb, spec, depth);
    default:
      return verb === "v" || verb === "p" ? pad("0x0", spec) : badVerb(value, verb, spec);
  }
}

/** `%!z(int=5)`: the operand is printed with `v` and the directive's own flags, as Go does. */
function badVerb(value: unknown, verb: string, spec: Spec): string {
  if (value === undefined || value === null) return "%!" + verb + "(<nil>)";
  return "%!" + verb + "(" + typeName(value) + "=" + printArg(value, "v", spec, 0) + ")";
}

/** Pads to the width: spaces left (or right with `-`), zeros with `0`. */
function pad(text: string, spec: Spec): string {
  if (spec.width < 0) return text;
  const length = [...text].length;
  if (length >= spec.width) return text;
  const fill = (spec.zero ? "0" : " ").repeat(spec.width - length);
  return spec.minus ? text + " ".repeat(spec.width - length) : fill + text;
}

function formatSlice(items: unknown[], verb: string, spec: Spec, depth: number): string {
  if (spec.sharpV) {
    const inner = items.map((item) => printArg(item, verb, spec, depth + 1)).join(", ");
    return "[]interface {}{" + inner + "}";
  }
  const inner = items.map((item) => printArg(item, verb, spec, depth + 1)).join(" ");
  return "[" + inner + "]";
}

function formatMap(map: unknown, verb: string, spec: Spec, depth: number): string {
  const parts = sortedKeys(map).map((key) =>
    printArg(key, verb, spec, depth + 1) + ":" +
    printArg(mapValue(map, key), verb, spec, depth + 1)
  );
  if (spec.sharpV) return "map[string]interface {}{" + parts.join(", ") + "}";
  return "map[" + parts.join(" ") + "]";
}

function formatStringVerb(text: string, verb: string, spec: Spec): string {
  switch (verb) {
    case "v":
      return pad(spec.sharpV ? goQuote(text) : truncate(text, spec), spec);
    case "s":
      return pad(truncate(text, spec), spec);
    case "q":
      return pad(quoteString(truncate(text, spec), spec), spec);
    case "x":
    case "X":
      return pad(hexString(text, verb, spec), spec);
    default:
      return badVerb(text, verb, spec);
  }
}

function truncate(text: string, spec: Spec): string {
  if (spec.precision < 0) return text;
  return [...text].slice(0, spec.precision).join("");
}

function quoteString(text: string, spec: Spec): string {
  if (spec.sharp && canBackquote(text)) return "`" + text + "`";
  return goQuote(text, spec.plus);
}

function hexString(text: string, verb: string, spec: Spec): string {
  const digits = verb === "X" ? "0123456789ABCDEF" : "0123456789abcdef";
  const prefix = verb === "X" ? "0X" : "0x";
  let out = "";
  const all = utf8Bytes(text);
  const bytes = spec.precision >= 0 ? all.subarray(0, spec.precision) : all;
  for (let i = 0; i < bytes.length; i++) {
    if (spec.space && i > 0) out += " ";
    if (spec.sharp && (spec.space || i === 0)) out += prefix;
    out += digits[bytes[i] >> 4] + digits[bytes[i] & 15];
  }
  return out;
}

function formatIntVerb(value: number | bigint, verb: string, spec: Spec): string {
  const big = BigInt(value);
  switch (verb) {
    case "v":
      if (spec.sharpV) return pad(big.toString(), spec);
      return integer(big, 10, spec, "", false);
    case "d":
      return integer(big, 10, spec, "", false);
    case "b":
      return integer(big, 2, spec, spec.sharp ? "0b" : "", false);
    case "o":
      return integer(big, 8, spec, spec.sharp ? "0" : "", false);
    case "O":
      return integer(big, 8, spec, "0o", false);
    case "x":
      return integer(big, 16, spec, spec.sharp ? "0x" : "", false);
    case "X":
      return integer(big, 16, spec, spec.sharp ? "0X" : "", true);
    case "c":
      return pad(String.fromCodePoint(validRune(big)), spec);
    case "q":
      return pad(goQuoteRune(validRune(big), spec.plus), spec);
    case "U":
      return pad(unicodeFormat(big, spec), { ...spec, zero: false });
    default:
      return badVerb(value, verb, spec);
  }
}

function validRune(value: bigint): number {
  const n = Number(value);
  return n < 0 || n > 0x10ffff || (n >= 0xd800 && n < 0xe000) ? 0xfffd : n;
}

function unicodeFormat(value: bigint, spec: Spec): string {
  const width = Math.max(4, spec.precision);
  const unsigned = value < 0n ? value + (1n << 64n) : value;
  const hex = unsigned.toString(16).toUpperCase().padStart(width, "0");
  let out = "U+" + hex;
  const n = Number(value);
  if (spec.sharp && n >= 0 && n <= 0x10ffff && isPrint(n)) {
    out += " '" + String.fromCodePoint(n) + "'";
  }
  return out;
}

/** Go's `fmtInteger`: precision is a minimum digit count, zero padding keeps the sign first. */
function integer(value: bigint, base: number, spec: Spec, prefix: string, upper: boolean): string {
  const negative = value < 0n;
  let digits = (negative ? -value : value).toString(base);
  if (upper) digits = digits.toUpperCase();
  if (spec.precision >= 0) {
    if (spec.precision === 0 && value === 0n) return pad("", { ...spec, zero: false });
    digits = digits.padStart(spec.precision, "0");
  } else if (spec.zero && !spec.minus && spec.width > 0) {
    const signWidth = negative || spec.plus || spec.space ? 1 : 0;
    digits = digits.padStart(spec.width - signWidth, "0");
  }
  if (prefix === "0" && digits.startsWith("0")) prefix = "";
  const sign = negative ? "-" : spec.plus ? "+" : spec.space ? " " : "";
  return pad(sign + prefix + digits, { ...spec, zero: false });
}

function formatFloatVerb(value: number, verb: string, spec: Spec, original: unknown): string {
  let format: string;
  let precision: number;
  switch (verb) {
    case "v":
      format = "g";
      precision = -1;
      break;
    case "b":
    case "g":
    case "G":
    case "x":
    case "X":
      format = verb;
      precision = -1;
      break;
    case "e":
    case "E":
    case "f":
    case "F":
      format = verb === "F" ? "f" : verb;
      precision = 6;
      break;
    default:
      return badVerb(original, verb, spec);
  }
  if (spec.precision >= 0) precision = spec.precision;
  let num = formatFloat(value, format, precision);
  if (spec.sharp && verb !== "b") num = sharpFloat(num, verb, precision);
  return signedFloat(num, spec);
}

/** `#` on floats: always a decimal point, and `%#g` keeps trailing zeros (Go's `fmtFloat`). */
function sharpFloat(num: string, verb: string, precision: number): string {
  if (num.endsWith("Inf") || num.endsWith("NaN")) return num;
  let digits = "vgGx".includes(verb) ? (precision === -1 ? 6 : precision) : 0;
  const sign = num[0] === "-" || num[0] === "+" ? num[0] : "";
  let body = num.slice(sign.length);
  let tail = "";
  const exponent = verb === "x" || verb === "X" ? /[pP]/.exec(body) : /[eEpP]/.exec(body);
  if (exponent) {
    tail = body.slice(exponent.index);
    body = body.slice(0, exponent.index);
  }
  let sawNonzero = false;
  for (const ch of body) {
    if (ch === ".") continue;
    if (ch !== "0") sawNonzero = true;
    if (sawNonzero) digits--;
  }
  if (!body.includes(".")) {
    if (body === "0") digits--;
    body += ".";
  }
  if (digits > 0) body += "0".repeat(digits);
  return sign + body + tail;
}

function signedFloat(num: string, spec: Spec): string {
  let signed = num[0] === "-" || num[0] === "+" ? num : "+" + num;
  if (spec.space && signed[0] === "+" && !spec.plus) signed = " " + signed.slice(1);
  if (signed[1] === "I" || signed[1] === "N") {
    if (signed[1] === "N" && !spec.space && !spec.plus) signed = signed.slice(1);
    return pad(signed, { ...spec, zero: false });
  }
  if (spec.plus || signed[0] !== "+") {
    if (spec.zero && !spec.minus && spec.width > signed.length) {
      return signed[0] + "0".repeat(spec.width - signed.length) + signed.slice(1);
    }
    return pad(signed, spec);
  }
  return pad(signed.slice(1), spec);
}
