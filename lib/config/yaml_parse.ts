/**
 * Parses YAML text into a {@linkcode YamlSnapshot}: the value with its tags as placeholders,
 * plus the node positions `locate` needs, all as plain JSON data. Being plain data, a snapshot
 * can be cached on disk and reused while the text is unchanged, so a warm run never loads or
 * runs the YAML parser (see `yaml_cache.ts`).
 *
 * The config loader reaches `yaml` only through this module, and imports it only when a file
 * has no usable snapshot.
 *
 * @module
 */

import type { Document, Node, ScalarTag } from "yaml";
import { importYaml } from "./yaml_lib.ts";
import { ConfigError } from "../errors.ts";
import { firstYamlProblem } from "./yaml_problems.ts";
import {
  type SnapshotNode,
  type SnapshotTag,
  TAG_KEY,
  TAG_NAMES,
  tagOffset,
  type YamlSnapshot,
} from "./yaml_snapshot.ts";

const Y = await importYaml();
const { isAlias, isMap, isScalar, isSeq, parseDocument, visit } = Y;

/** A tag occurrence found while parsing, replaced by a placeholder in the snapshot's value. */
class TagFound {
  constructor(readonly tag: string, readonly arg: string) {}
}

const CUSTOM_TAGS: ScalarTag[] = TAG_NAMES.map((tag) => ({
  tag,
  resolve: (value: string) => new TagFound(tag, value.trim()),
}));

/**
 * Parses `text` (shown in errors as `shown`). Throws {@linkcode ConfigError} for malformed
 * YAML (with the position of the first error), a self-referencing alias or too deep nesting.
 */
export function parseYamlSnapshot(text: string, shown: string): YamlSnapshot {
  const lineCounter = new Y.LineCounter();
  const doc = parseDocument(text, {
    lineCounter,
    merge: true,
    customTags: CUSTOM_TAGS,
    prettyErrors: false,
    logLevel: "error",
  });
  const problem = firstYamlProblem(Y, doc);
  if (problem) {
    const { line, col } = lineCounter.linePos(problem.offset);
    throw new ConfigError(problem.message, {
      hint: problem.hint,
      location: { file: shown, line, column: col },
    });
  }

  const found = new Map<TagFound, number>();
  const tags: SnapshotTag[] = [];
  visit(doc, {
    Scalar(_key, node) {
      if (node.value instanceof TagFound && !found.has(node.value)) {
        const { tag, arg } = node.value;
        found.set(node.value, tags.length);
        tags.push({ tag, arg, offset: node.range ? tagOffset(text, tag, node.range[0]) : 0 });
      }
    },
  });

  let raw: unknown;
  try {
    raw = doc.toJS({ maxAliasCount: 1000 });
  } catch (error) {
    throw new ConfigError(`malformed YAML: ${errorText(error)}`, {
      location: { file: shown },
      cause: error,
    });
  }
  const snapshot: YamlSnapshot = { value: null, tags, nodes: [], cacheable: true };
  snapshot.value = plainValue(raw, found, snapshot);
  snapshotNodes(doc, found, snapshot.nodes);
  return snapshot;
}

/**
 * The value with tags replaced by `{ [TAG_KEY]: index }`. Marks the snapshot not cacheable
 * when the value holds something JSON cannot carry (`.inf`, `.nan`, a key equal to TAG_KEY).
 */
function plainValue(value: unknown, found: Map<TagFound, number>, snapshot: YamlSnapshot): unknown {
  if (value instanceof TagFound) return { [TAG_KEY]: found.get(value) ?? -1 };
  if (Array.isArray(value)) return value.map((item) => plainValue(item, found, snapshot));
  if (typeof value === "number" && !Number.isFinite(value)) snapshot.cacheable = false;
  if (typeof value === "object" && value !== null) {
    const out: Record<string, unknown> = {};
    for (const [key, item] of Object.entries(value)) {
      if (key === TAG_KEY) snapshot.cacheable = false;
      out[key] = plainValue(item, found, snapshot);
    }
    return out;
  }
  return value;
}

/** Flattens the document's nodes (aliases resolved to their anchors) into `nodes`; root first. */
function snapshotNodes(doc: Document, found: Map<TagFound, number>, nodes: SnapshotNode[]): void {
  const index = new Map<unknown, number>();
  const add = (node: unknown): number => {
    const target = isAlias(node) ? node.resolve(doc) : node;
    if (target === undefined || target === null) return -1;
    const known = index.get(target);
    if (known !== undefined) return known;
    const at = nodes.length;
    const entry: SnapshotNode = { k: "s" };
    const start = (target as Node).range?.[0];
    if (start !== undefined) entry.s = start;
    nodes.push(entry);
    index.set(target, at);
    if (isMap(target)) {
      entry.k = "m";
      entry.m = [];
      for (const pair of target.items) {
        const key = isScalar(pair.key) ? pair.key.value : pair.key;
        if (typeof key === "symbol") {
          if (key.description === "<<") (entry.mg ??= []).push(...mergeSources(pair.value));
          continue;
        }
        if (!isScalar(pair.key)) continue;
        entry.m.push([String(key), (pair.key as Node).range?.[0] ?? null, add(pair.value)]);
      }
    } else if (isSeq(target)) {
      entry.k = "q";
      entry.q = target.items.map((item) => add(item));
    } else if (isScalar(target) && target.value instanceof TagFound) {
      entry.t = found.get(target.value);
    }
    return at;
  };
  const mergeSources = (value: unknown): number[] => {
    const source = isAlias(value) ? value.resolve(doc) : value;
    return isSeq(source) ? source.items.map((item) => add(item)) : [add(source)];
  };
  add(doc.contents);
}

function errorText(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}
