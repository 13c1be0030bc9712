/**
 * Deep merge for stack manifests (reference atmos-workflows-commands.md §4.3): maps merge key by
 * key, anything else in the higher layer replaces the lower value — including `null` and type
 * changes — and lists follow `settings.list_merge_strategy`: `replace` (default), `append`, or
 * `merge` (element-wise: maps at the same index merge, other lower elements are kept, extra
 * higher elements are added).
 *
 * Inputs are never modified; untouched subtrees are shared between input and output, so merged
 * values must be treated as read-only.
 *
 * @module
 */
import type { ListMergeStrategy } from "./settings.ts";

/** A YAML map. */
export type Section = Record<string, unknown>;

/** True for plain objects (YAML maps). */
export function isSection(value: unknown): value is Section {
  return typeof value === "object" && value !== null && !Array.isArray(value);
}

/** Merges `higher` over `lower`. */
export function deepMerge(
  lower: unknown,
  higher: unknown,
  strategy: ListMergeStrategy = "replace",
): unknown {
  if (higher === undefined) return lower;
  if (isSection(lower) && isSection(higher)) return mergeSections(lower, higher, strategy);
  if (strategy !== "replace" && Array.isArray(lower) && Array.isArray(higher)) {
    return strategy === "append" ? [...lower, ...higher] : mergeLists(lower, higher, strategy);
  }
  return higher;
}

/** Merges maps left to right (later wins); non-map entries (`undefined`, `null`) are skipped. */
export function mergeAll(layers: unknown[], strategy: ListMergeStrategy = "replace"): Section {
  let out: Section = {};
  let first = true;
  for (const layer of layers) {
    if (!isSection(layer)) continue;
    if (first) {
      out = layer;
      first = false;
    } else {
      out = mergeSections(out, layer, strategy);
    }
  }
  return out;
}

function mergeSections(lower: Section, higher: Section, strategy: ListMergeStrategy): Section {
  const keys = Object.keys(higher);
  if (keys.length === 0) return lower;
  const out: Section = { ...lower };
  for (const key of keys) {
    const value = higher[key];
    out[key] = Object.hasOwn(lower, key) ? deepMerge(lower[key], value, strategy) : value;
  }
  return out;
}

function mergeLists(lower: unknown[], higher: unknown[], strategy: ListMergeStrategy): unknown[] {
  const out: unknown[] = [];
  for (let i = 0; i < Math.max(lower.length, higher.length); i++) {
    if (i >= lower.length) out.push(higher[i]);
    else if (i >= higher.length) out.push(lower[i]);
    else if (isSection(lower[i]) && isSection(higher[i])) {
      out.push(mergeSections(lower[i] as Section, higher[i] as Section, strategy));
    } else out.push(lower[i]);
  }
  return out;
}

/** The map at `key` of `section`, or `{}` when absent or not a map. */
export function sectionAt(section: unknown, key: string): Section {
  if (!isSection(section)) return {};
  const value = section[key];
  return isSection(value) ? value : {};
}
