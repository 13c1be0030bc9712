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
  TAG_USAGE,
  tagOffset,
  unknownTagHint,
  unknownTagMessage,
  type YamlSnapshot,
} from "./yaml_snapshot.ts";

const Y = await importYaml();
const { isAlias, isMap, isPair, isScalar, isSeq, parseDocument, visit } = Y;

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
    // The library's own check compares every key with every other (quadratic: minutes for a
    // map of 40,000 identities); firstDuplicateKey() finds duplicates with a set instead.
    uniqueKeys: false,
  });
  const fail = (offset: number, message: string, hint?: string, path?: string): never => {
    const { line, col } = lineCounter.linePos(offset);
    const location = { file: shown, line, column: col, ...(path === undefined ? {} : { path }) };
    throw new ConfigError(message, { hint, location });
  };
  // The first problem in the text: a duplicate key (found here) or what the parser found.
  const duplicate = firstDuplicateKey(doc);
  const problem = firstYamlProblem(Y, doc);
  if (duplicate && (!problem || duplicate.offset <= problem.offset)) {
    fail(
      duplicate.offset,
      `malformed YAML: duplicate key "${duplicate.key}"`,
      "each key may appear only once in a map",
    );
  }
  if (problem) fail(problem.offset, problem.message, problem.hint);

  const found = new Map<TagFound, number>();
  const tags: SnapshotTag[] = [];
  const collection = (node: Node & { tag?: string }, ancestors: readonly unknown[]) => {
    const tag = localTag(node.tag);
    if (tag === undefined) return;
    const offset = tagOffset(text, tag, node.range?.[0] ?? 0);
    const shape = isMap(node) ? "a map" : "a list";
    if (TAG_NAMES.includes(tag)) {
      fail(
        offset,
        `${tag} takes a text argument, not ${shape}`,
        TAG_USAGE,
        pathOf(ancestors, node),
      );
    }
    fail(offset, unknownTagMessage(tag), unknownTagHint(), pathOf(ancestors, node));
  };
  visit(doc, {
    Scalar(_key, node) {
      const unknown = localTag(node.tag);
      if (unknown !== undefined && !(node.value instanceof TagFound)) {
        // Kept as a placeholder: what it means depends on the file (an error in atmos.yaml, the
        // literal text in a workflow manifest), decided when tags are evaluated.
        node.value = new TagFound(unknown, String(node.value ?? "").trim());
      }
      if (node.value instanceof TagFound && !found.has(node.value)) {
        const { tag, arg } = node.value;
        found.set(node.value, tags.length);
        tags.push({ tag, arg, offset: node.range ? tagOffset(text, tag, node.range[0]) : 0 });
      }
    },
    Map: (_key, node, ancestors) => collection(node, ancestors),
    Seq: (_key, node, ancestors) => collection(node, ancestors),
    Alias(_key, node) {
      if (node.resolve(doc) === undefined) {
        fail(
          node.range?.[0] ?? 0,
          `malformed YAML: unknown alias *${node.source}`,
          "an alias names an anchor (&name) set before it",
        );
      }
    },
  });

  let raw: unknown;
  try {
    raw = doc.toJS({ maxAliasCount: 1000 });
  } catch (error) {
    // Aliases expanding too far (an alias bomb): shown at the first alias.
    let first = 0;
    visit(doc, {
      Alias(_key, node) {
        first = node.range?.[0] ?? 0;
        return visit.BREAK;
      },
    });
    fail(first, `malformed YAML: ${errorText(error)}`, "an alias copies its anchor's value");
  }
  const snapshot: YamlSnapshot = { value: null, tags, nodes: [], cacheable: true };
  snapshot.value = plainValue(raw, found, snapshot);
  // Positions are needed only for an error or the cache: found on first use (a large file that
  // validates is not walked once more).
  let nodes: SnapshotNode[] | undefined;
  Object.defineProperty(snapshot, "nodes", {
    enumerable: true,
    get: () => {
      if (!nodes) snapshotNodes(doc, found, nodes = []);
      return nodes;
    },
  });
  return snapshot;
}

/**
 * The duplicate key earliest in the text, if any: keys equal as the YAML library compares them
 * (same type and value), found with a set per map — the library's own check compares every key
 * with every other, minutes for a map of 40,000 identities.
 */
function firstDuplicateKey(doc: Document): { offset: number; key: string } | undefined {
  let first: { offset: number; key: string } | undefined;
  visit(doc, {
    Map(_key, node) {
      const seen = new Set<string>();
      for (const pair of node.items) {
        if (!isScalar(pair.key) || typeof pair.key.value === "symbol") continue;
        const identity = `${typeof pair.key.value}:${String(pair.key.value)}`;
        const offset = pair.key.range?.[0] ?? 0;
        if (seen.has(identity) && (!first || offset < first.offset)) {
          first = { offset, key: String(pair.key.value) };
        }
        seen.add(identity);
      }
    },
  });
  return first;
}

/**
 * A node's tag when it is one atmos.yaml may not carry as is: a local tag (`!name`) other than
 * the non-specific `!`, or a verbatim one (`!<tag:x>`, shown so); `undefined` for no tag and for
 * YAML's own (`!!str`, which the parser resolves to `tag:yaml.org,2002:str`).
 */
function localTag(tag: string | undefined): string | undefined {
  if (tag === undefined || tag === "!" || tag.startsWith("tag:yaml.org,2002:")) return undefined;
  return tag.startsWith("!") ? tag : `!<${tag}>`;
}

/** The dotted config path of `node` from the visitor's ancestors (document, maps, pairs, lists). */
function pathOf(ancestors: readonly unknown[], node: unknown): string {
  const keys: string[] = [];
  const chain = [...ancestors, node];
  for (let i = 0; i < chain.length; i++) {
    const item = chain[i];
    if (isPair(item)) keys.push(isScalar(item.key) ? String(item.key.value) : "?");
    else if (isSeq(item) && i + 1 < chain.length) {
      keys.push(String(item.items.indexOf(chain[i + 1] as never)));
    }
  }
  return keys.join(".");
}

/**
 * The value with tags replaced by `{ [TAG_KEY]: index }`. Marks the snapshot not cacheable
 * when the value holds something JSON cannot carry (`.inf`, `.nan`, a key equal to TAG_KEY).
 * Lists and plain maps (fresh from `toJS`) are changed in place — a large file's value is not
 * copied once more; other objects (`!!set`, `!!binary`) become plain maps, as JSON sees them.
 * An object reached twice (an alias) is changed once.
 */
function plainValue(
  value: unknown,
  found: Map<TagFound, number>,
  snapshot: YamlSnapshot,
  done: WeakSet<object> = new WeakSet(),
): unknown {
  if (value instanceof TagFound) return { [TAG_KEY]: found.get(value) ?? -1 };
  if (typeof value === "object" && value !== null) {
    if (done.has(value)) return value;
    done.add(value);
  }
  if (Array.isArray(value)) {
    for (let i = 0; i < value.length; i++) value[i] = plainValue(value[i], found, snapshot, done);
    return value;
  }
  if (typeof value === "number" && !Number.isFinite(value)) snapshot.cacheable = false;
  if (typeof value === "object" && value !== null) {
    const prototype = Object.getPrototypeOf(value);
    const plain = prototype === Object.prototype || prototype === null;
    const out: Record<string, unknown> = plain ? value as Record<string, unknown> : {};
    for (const [key, item] of Object.entries(value)) {
      if (key === TAG_KEY) snapshot.cacheable = false;
      out[key] = plainValue(item, found, snapshot, done);
    }
    return out;
  }
  return value;
}

/** Flattens the document's nodes (aliases resolved to their anchors) into `nodes`; root first. */
function snapshotNodes(
  doc: Document,
  found: Map<TagFound, number>,
  nodes: SnapshotNode[],
): void {
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
