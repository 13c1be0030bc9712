/**
 * Sprig's integer math: `add sub mul div mod max min` (arguments converted with cast's
 * `ToInt64`, so `add "2" 1.9` is 3; division truncates and panics on zero as Go does).
 *
 * @module
 */

import type { FuncSpec } from "../func_spec.ts";
import { toInt64 } from "./cast.ts";

const DIVIDE_BY_ZERO = "runtime error: integer divide by zero";

function div(a: unknown, b: unknown): number {
  const divisor = toInt64(b);
  if (divisor === 0) throw new Error(DIVIDE_BY_ZERO);
  return Math.trunc(toInt64(a) / divisor) || 0;
}

function mod(a: unknown, b: unknown): number {
  const divisor = toInt64(b);
  if (divisor === 0) throw new Error(DIVIDE_BY_ZERO);
  return toInt64(a) % divisor || 0;
}

/** The math group. */
export const MATH_FUNCS: Record<string, FuncSpec> = {
  add: {
    params: [],
    variadic: "any",
    fn: (a) => a.reduce((sum: number, x) => sum + toInt64(x), 0),
  },
  sub: { params: ["any", "any"], fn: (a) => toInt64(a[0]) - toInt64(a[1]) },
  mul: {
    params: ["any"],
    variadic: "any",
    fn: (a) => a.slice(1).reduce((product: number, x) => product * toInt64(x), toInt64(a[0])),
  },
  div: { params: ["any", "any"], fn: (a) => div(a[0], a[1]) },
  mod: { params: ["any", "any"], fn: (a) => mod(a[0], a[1]) },
  max: { params: ["any"], variadic: "any", fn: (a) => Math.max(...a.map(toInt64)) },
  min: { params: ["any"], variadic: "any", fn: (a) => Math.min(...a.map(toInt64)) },
};
