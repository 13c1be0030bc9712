/**
 * Go's template comparison builtins `eq ne lt le gt ge`: basic kinds only, no implicit
 * int/float conversion, Go's error texts ("incompatible types for comparison: …").
 *
 * @module
 */

import { sprintf } from "./fmt.ts";
import { compareStrings, indirect, kindOf, toNumber, typeName } from "./value.ts";

type BasicKind = "bool" | "int" | "float" | "string" | "invalid";

function basicKind(value: unknown): BasicKind {
  const kind = kindOf(value);
  return kind === "bool" || kind === "int" || kind === "float" || kind === "string"
    ? kind
    : "invalid";
}

const BAD_TYPE = "invalid type for comparison";

function incompatible(a: unknown, b: unknown): Error {
  return new Error(`incompatible types for comparison: ${typeName(a)} and ${typeName(b)}`);
}

function intEqual(a: unknown, b: unknown): boolean {
  if (typeof a === "number" && typeof b === "number") return a === b;
  return BigInt(a as number) === BigInt(b as number);
}

function intLess(a: unknown, b: unknown): boolean {
  if (typeof a === "number" && typeof b === "number") return a < b;
  return BigInt(a as number) < BigInt(b as number);
}

/** `eq a b c…`: true when a equals any of the others. */
export function eq(first: unknown, ...others: unknown[]): boolean {
  const a = indirect(first);
  if (others.length === 0) throw new Error("missing argument for comparison");
  const k1 = basicKind(a);
  for (const other of others) {
    const b = indirect(other);
    if (equalPair(a, k1, b)) return true;
  }
  return false;
}

function equalPair(a: unknown, k1: BasicKind, b: unknown): boolean {
  const k2 = basicKind(b);
  if (k1 !== k2) {
    if (a !== undefined && b !== undefined) throw incompatible(a, b);
    return false;
  }
  switch (k1) {
    case "bool":
    case "string":
      return a === b;
    case "int":
      return intEqual(a, b);
    case "float":
      return toNumber(a) === toNumber(b);
  }
  return equalOther(a, b);
}

/** Equality of non-basic values: only nil compares; maps, slices and funcs are errors. */
function equalOther(a: unknown, b: unknown): boolean {
  const ka = kindOf(a);
  const kb = kindOf(b);
  if (ka !== kb && a !== undefined && b !== undefined) {
    throw new Error(
      `non-comparable types ${sprintf("%s", [a])}: ${typeName(a)}, ${typeName(b)}: ${
        sprintf("%v", [b])
      }`,
    );
  }
  if (a === undefined || b === undefined) return a === b;
  throw new Error(`non-comparable type ${sprintf("%s", [b])}: ${typeName(b)}`);
}

/** `ne a b`. */
export function ne(a: unknown, b: unknown): boolean {
  return !eq(a, b);
}

/** `lt a b`. */
export function lt(first: unknown, second: unknown): boolean {
  const a = indirect(first);
  const k1 = basicKind(a);
  if (k1 === "invalid") throw new Error(BAD_TYPE);
  const b = indirect(second);
  const k2 = basicKind(b);
  if (k2 === "invalid") throw new Error(BAD_TYPE);
  if (k1 !== k2) throw incompatible(a, b);
  switch (k1) {
    case "bool":
      throw new Error(BAD_TYPE);
    case "int":
      return intLess(a, b);
    case "float":
      return toNumber(a) < toNumber(b);
    default:
      return compareStrings(a as string, b as string) < 0;
  }
}

/** `le a b`. */
export function le(a: unknown, b: unknown): boolean {
  return lt(a, b) || eq(a, b);
}

/** `gt a b`. */
export function gt(a: unknown, b: unknown): boolean {
  return !le(a, b);
}

/** `ge a b`. */
export function ge(a: unknown, b: unknown): boolean {
  return !lt(a, b);
}
