/**
 * Sprig's dictionary functions: `dict get set hasKey keys values`. Go map order is random;
 * `keys` and `values` follow sorted key order here so output is stable.
 *
 * @module
 */

import type { FuncSpec } from "../func_spec.ts";
import { mapGet, sortedKeys } from "../value.ts";
import { strval } from "./cast.ts";

/** `dict "k1" v1 "k2" v2`; a key without value gets "". */
function dict(args: unknown[]): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (let i = 0; i < args.length; i += 2) {
    out[strval(args[i])] = i + 1 < args.length ? args[i + 1] : "";
  }
  return out;
}

function get(map: unknown, key: string): unknown {
  const found = mapGet(map, key);
  return found.found ? found.value : "";
}

/** `set d k v` updates d in place (as Go does) and returns it. */
function set(map: unknown, key: string, value: unknown): unknown {
  if (map === null) throw new Error("assignment to entry in nil map");
  if (map instanceof Map) map.set(key, value);
  else (map as Record<string, unknown>)[key] = value;
  return map;
}

function keys(maps: unknown[]): unknown[] {
  return maps.flatMap((map) => sortedKeys(map));
}

function values(map: unknown): unknown[] {
  return sortedKeys(map).map((key) => mapGet(map, key).value);
}

/** The dictionaries group. */
export const DICT_FUNCS: Record<string, FuncSpec> = {
  dict: { params: [], variadic: "any", fn: dict },
  get: { params: ["map", "string"], fn: (a) => get(a[0], a[1] as string) },
  set: { params: ["map", "string", "any"], fn: (a) => set(a[0], a[1] as string, a[2]) },
  hasKey: { params: ["map", "string"], fn: (a) => mapGet(a[0], a[1]).found },
  keys: { params: [], variadic: "map", fn: keys },
  values: { params: ["map"], fn: (a) => values(a[0]) },
};
