/**
 * Go's `strconv.FormatFloat` for the `e`, `f`, `g`, `x` and `b` formats. Hand-written because Go's
 * rounding (exact value, half to even) and `%g` exponent rules differ from JavaScript's
 * `toFixed`/`toPrecision`; shortest digits come from JavaScript (both are shortest round-trip).
 *
 * @module
 */

/** A decimal number: `0.d1d2d3… × 10^point`; `digits` has no leading or trailing zeros. */
interface Decimal {
  digits: string;
  point: number;
}

/** Shortest digits that read back as `value` (a finite, non-negative number). */
function shortestDecimal(value: number): Decimal {
  if (value === 0) return { digits: "", point: 0 };
  const [mantissa, exponent] = value.toExponential().split("e");
  const digits = mantissa.replace(".", "").replace(/0+$/, "");
  return { digits, point: Number(exponent) + 1 };
}

/** A finite, non-negative double as `mantissa × 2^exp2` (mantissa < 2^53, Go's `mant`). */
function binaryParts(value: number): { mantissa: bigint; exp2: number } {
  const view = new DataView(new ArrayBuffer(8));
  view.setFloat64(0, value);
  const high = view.getUint32(0);
  const low = view.getUint32(4);
  const biased = (high >>> 20) & 0x7ff;
  let mantissa = (BigInt(high & 0xfffff) << 32n) | BigInt(low);
  let exp2 = biased - 1075;
  if (biased === 0) exp2 = -1074;
  else mantissa |= 1n << 52n;
  return { mantissa, exp2 };
}

/** Every digit of a finite, non-negative double (a binary fraction is a finite decimal). */
function exactDecimal(value: number): Decimal {
  if (value === 0) return { digits: "", point: 0 };
  const { mantissa, exp2 } = binaryParts(value);
  let digits: string;
  let point: number;
  if (exp2 >= 0) {
    digits = (mantissa << BigInt(exp2)).toString();
    point = digits.length;
  } else {
    digits = (mantissa * 5n ** BigInt(-exp2)).toString();
    point = digits.length + exp2;
  }
  return trimDecimal(digits, point);
}

function trimDecimal(digits: string, point: number): Decimal {
  const lead = digits.length - digits.replace(/^0+/, "").length;
  const body = digits.slice(lead).replace(/0+$/, "");
  return body === "" ? { digits: "", point: 0 } : { digits: body, point: point - lead };
}

/** Rounds to `count` significant digits, half to even (the digits are exact). */
function roundDecimal(d: Decimal, count: number): Decimal {
  if (count < 0) return { digits: "", point: 0 };
  if (count >= d.digits.length) return d;
  if (!shouldRoundUp(d, count)) return trimDecimal(d.digits.slice(0, count), d.point);
  const kept = d.digits.slice(0, count);
  let i = kept.length - 1;
  while (i >= 0 && kept[i] === "9") i--;
  if (i < 0) return { digits: "1", point: d.point + 1 };
  const bumped = kept.slice(0, i) + String(Number(kept[i]) + 1);
  return trimDecimal(bumped, d.point);
}

function shouldRoundUp(d: Decimal, count: number): boolean {
  const digit = d.digits[count];
  if (digit === "5" && count + 1 === d.digits.length) {
    return count > 0 && Number(d.digits[count - 1]) % 2 === 1;
  }
  return digit >= "5";
}

function formatE(d: Decimal, precision: number, letter: string): string {
  let out = d.digits[0] ?? "0";
  if (precision > 0) {
    out += "." + d.digits.slice(1, 1 + precision).padEnd(precision, "0");
  }
  const exp = d.digits === "" ? 0 : d.point - 1;
  const sign = exp < 0 ? "-" : "+";
  const abs = Math.abs(exp);
  return out + letter + sign + (abs < 10 ? "0" + abs : String(abs));
}

function formatF(d: Decimal, precision: number): string {
  let out = "";
  if (d.point > 0) {
    out = d.digits.slice(0, d.point).padEnd(d.point, "0");
  } else out = "0";
  if (precision > 0) {
    out += ".";
    for (let i = 0; i < precision; i++) {
      const at = d.point + i;
      out += at >= 0 && at < d.digits.length ? d.digits[at] : "0";
    }
  }
  return out;
}

/**
 * Go's `strconv.FormatFloat(value, format, precision, 64)` for `format` in
 * `e E f F g G`; `precision` -1 means the shortest representation.
 */
export function formatFloat(value: number, format: string, precision: number): string {
  if (Number.isNaN(value)) return "NaN";
  if (!Number.isFinite(value)) return value > 0 ? "+Inf" : "-Inf";
  const negative = value < 0 || Object.is(value, -0);
  const body = formatAbs(Math.abs(value), format, precision);
  return negative ? "-" + body : body;
}

function formatAbs(value: number, format: string, precision: number): string {
  const shortest = precision < 0;
  const lower = format.toLowerCase();
  if (lower === "x") return formatHex(value, precision, format);
  if (format === "b") return formatBinary(value);
  let d: Decimal;
  if (shortest) {
    d = shortestDecimal(value);
  } else {
    d = exactDecimal(value);
    if (lower === "e") d = roundDecimal(d, precision + 1);
    else if (lower === "f") d = roundDecimal(d, d.point + precision);
    else d = roundDecimal(d, precision === 0 ? 1 : precision);
  }
  const letter = format === "E" || format === "G" ? "E" : "e";
  if (lower === "e") {
    return formatE(d, shortest ? Math.max(d.digits.length - 1, 0) : precision, letter);
  }
  if (lower === "f") {
    return formatF(d, shortest ? Math.max(d.digits.length - d.point, 0) : precision);
  }
  return formatG(d, shortest, precision, letter);
}

function formatG(d: Decimal, shortest: boolean, precision: number, letter: string): string {
  let prec = shortest ? d.digits.length : precision === 0 ? 1 : precision;
  let eprec = prec;
  if (eprec > d.digits.length && d.digits.length >= d.point) eprec = d.digits.length;
  if (shortest) eprec = 6;
  const exp = d.point - 1;
  if (exp < -4 || exp >= eprec) {
    if (prec > d.digits.length) prec = d.digits.length;
    return formatE(d, Math.max(prec - 1, 0), letter);
  }
  if (prec > d.point) prec = d.digits.length;
  return formatF(d, Math.max(prec - d.point, 0));
}

/** `%b`: decimal mantissa and binary exponent (`4503599627370496p-52`). */
function formatBinary(value: number): string {
  const { mantissa, exp2 } = binaryParts(value);
  return `${mantissa}p${exp2 < 0 ? "-" : "+"}${Math.abs(exp2)}`;
}

const BIT60 = 1n << 60n;
const MASK60 = BIT60 - 1n;

/** `%x`/`%X`: `0x1.8p+01` (Go's `fmtX`; precision rounds the hex digits, half to even). */
function formatHex(value: number, precision: number, format: string): string {
  let { mantissa, exp2 } = binaryParts(value);
  let exp = exp2 + 52;
  if (mantissa === 0n) exp = 0;
  mantissa <<= 8n;
  while (mantissa !== 0n && (mantissa & BIT60) === 0n) {
    mantissa <<= 1n;
    exp--;
  }
  if (precision >= 0 && precision < 15) {
    const shift = BigInt(precision * 4);
    const extra = (mantissa << shift) & MASK60;
    mantissa >>= 60n - shift;
    if ((extra | (mantissa & 1n)) > 1n << 59n) mantissa++;
    mantissa <<= 60n - shift;
    if ((mantissa & (1n << 61n)) !== 0n) {
      mantissa >>= 1n;
      exp++;
    }
  }
  const digits = format === "X" ? "0123456789ABCDEF" : "0123456789abcdef";
  let out = "0" + format + String((mantissa >> 60n) & 1n);
  mantissa = (mantissa << 4n) & ((1n << 64n) - 1n);
  const count = precision < 0 ? (mantissa === 0n ? 0 : -1) : precision;
  if (count !== 0) out += ".";
  for (let i = 0; count < 0 ? mantissa !== 0n : i < count; i++) {
    out += digits[Number((mantissa >> 60n) & 15n)];
    mantissa = (mantissa << 4n) & ((1n << 64n) - 1n);
  }
  const sign = exp < 0 ? "-" : "+";
  return out + (format === "X" ? "P" : "p") + sign + String(Math.abs(exp)).padStart(2, "0");
}
