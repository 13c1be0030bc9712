/**
 * Sprig's list functions: `list first last rest initial append concat until seq`.
 *
 * @module
 */

import type { FuncSpec } from "../func_spec.ts";
import { indirect } from "../value.ts";
import { goKind, listItems } from "./cast.ts";

function first(list: unknown): unknown {
  const items = listItems(list, "find first");
  return items.length === 0 ? null : items[0] ?? null;
}

function last(list: unknown): unknown {
  const items = listItems(list, "find last");
  return items.length === 0 ? null : items[items.length - 1] ?? null;
}

function rest(list: unknown): unknown[] {
  return listItems(list, "find rest").slice(1);
}

function initial(list: unknown): unknown[] {
  return listItems(list, "find initial").slice(0, -1);
}

function push(list: unknown, value: unknown): unknown[] {
  return [...listItems(list, "push"), value];
}

function concat(lists: unknown[]): unknown[] {
  const out: unknown[] = [];
  for (const list of lists) {
    const v = indirect(list);
    if (!Array.isArray(v)) {
      if (v === undefined) {
        throw new Error("runtime error: invalid memory address or nil pointer dereference");
      }
      throw new Error(`Cannot concat type ${goKind(v)} as list`);
    }
    out.push(...v);
  }
  return out;
}

/** Sprig's `untilStep`. */
function untilStep(start: number, stop: number, step: number): number[] {
  const out: number[] = [];
  if (stop < start) {
    if (step >= 0) return out;
    for (let i = start; i > stop; i += step) out.push(i);
    return out;
  }
  if (step <= 0) return out;
  for (let i = start; i < stop; i += step) out.push(i);
  return out;
}

/** Sprig's `seq`: like the shell's, space-separated. */
function seq(params: number[]): string {
  let start: number;
  let end: number;
  let step: number | undefined;
  switch (params.length) {
    case 1:
      [start, end] = [1, params[0]];
      break;
    case 2:
      [start, end] = params;
      break;
    case 3:
      [start, step, end] = params;
      break;
    default:
      return "";
  }
  const increment = end < start ? -1 : 1;
  if (step !== undefined && end < start && step > 0) return "";
  return untilStep(start, end + increment, step ?? increment).join(" ");
}

/** The lists group. */
export const LIST_FUNCS: Record<string, FuncSpec> = {
  list: { params: [], variadic: "any", fn: (a) => a },
  first: { params: ["any"], fn: (a) => first(a[0]) },
  last: { params: ["any"], fn: (a) => last(a[0]) },
  rest: { params: ["any"], fn: (a) => rest(a[0]) },
  initial: { params: ["any"], fn: (a) => initial(a[0]) },
  append: { params: ["any", "any"], fn: (a) => push(a[0], a[1]) },
  concat: { params: [], variadic: "any", fn: concat },
  until: {
    params: ["int"],
    fn: (a) => untilStep(0, Number(a[0]), Number(a[0]) < 0 ? -1 : 1),
  },
  seq: { params: [], variadic: "int", fn: (a) => seq(a.map(Number)) },
};
