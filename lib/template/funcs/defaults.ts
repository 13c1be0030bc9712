/**
 * Sprig's defaults and flow helpers: `default empty coalesce ternary required fail`.
 *
 * @module
 */

import type { FuncSpec } from "../func_spec.ts";
import { isEmpty } from "./cast.ts";

/** `default d x`: x unless empty, else d (also when x is not given). */
function dfault(args: unknown[]): unknown {
  const [fallback, ...given] = args;
  return given.length === 0 || isEmpty(given[0]) ? fallback : given[0];
}

/** `coalesce a b c`: the first non-empty argument, else nil. */
function coalesce(args: unknown[]): unknown {
  return args.find((arg) => !isEmpty(arg)) ?? null;
}

/** `required "msg" x`: x, or the message as an error when x is nil or "". */
function required(warn: string, value: unknown): unknown {
  if (value === undefined || value === null || value === "") throw new Error(warn);
  return value;
}

/** The defaults group. */
export const DEFAULT_FUNCS: Record<string, FuncSpec> = {
  default: { params: ["any"], variadic: "any", fn: dfault },
  empty: { params: ["any"], fn: (a) => isEmpty(a[0]) },
  coalesce: { params: [], variadic: "any", fn: coalesce },
  ternary: { params: ["any", "any", "bool"], fn: (a) => (a[2] ? a[0] : a[1]) },
  required: { params: ["string", "any"], fn: (a) => required(a[0] as string, a[1]) },
  fail: {
    params: ["string"],
    fn: (a) => {
      throw new Error(a[0] as string);
    },
  },
};
