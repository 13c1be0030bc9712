/**
 * The parse of a YAML file as plain JSON data — value, tag occurrences and node positions —
 * and what is done with it without the YAML parser: finding the source position of a config
 * path (the loader puts the tags' results in place of their placeholders). Also the
 * text-position helpers every YAML loader here uses (config and stack manifests).
 *
 * @module
 */

/** The YAML functions of `atmos.yaml`, parsed as markers and evaluated afterwards. */
export const TAG_NAMES: readonly string[] = ["!env", "!exec", "!include", "!include.raw"];

/** How the tags of atmos.yaml are written, for hints. */
export const TAG_USAGE = "write !env NAME [default], !exec <command>, !include <file> [query] " +
  "or !include.raw <file>";

/** The message for a tag atmos does not evaluate in atmos.yaml (`!terraform.output`, a typo). */
export function unknownTagMessage(tag: string): string {
  return `unknown YAML tag ${tag}`;
}

/** The hint for {@linkcode unknownTagMessage}: the tags there are. */
export function unknownTagHint(): string {
  return `atmos.yaml knows ${TAG_NAMES.join(", ")}; quote a value that starts with "!"`;
}

/**
 * Files at least this long (UTF-16 code units, about bytes) are first tried with the fast parse
 * of `yaml_fast.ts` (an `atmos.yaml` of 40,000 identities is 5.8 MB).
 */
export const FAST_PARSE_MIN_BYTES = 1 << 20;

/** The key of a tag placeholder `{ [TAG_KEY]: index }` in a snapshot's value. */
export const TAG_KEY = "\u0000atmos-tag";

/**
 * One tag occurrence: `!env NAME` is `{ tag: "!env", arg: "NAME" }`. Tags other than
 * {@linkcode TAG_NAMES} are recorded too (`!<tag:x>` for a verbatim one): where they are
 * evaluated decides whether they are an error or literal text.
 */
export interface SnapshotTag {
  tag: string;
  arg: string;
  /** 0-based offset of the tag in the text. */
  offset: number;
}

/** One YAML node: a map (`m`), a sequence (`q`) or a scalar (`s`). */
export interface SnapshotNode {
  k: "m" | "q" | "s";
  /** 0-based offset where the node starts. */
  s?: number;
  /** Map entries: key, offset of the key, index of the value node (-1: none). */
  m?: [key: string, keyStart: number | null, value: number][];
  /** `<<` merge sources of a map, in order (node indices). */
  mg?: number[];
  /** Sequence items (node indices). */
  q?: number[];
  /** The tag index when this scalar is a tag. */
  t?: number;
}

/** A parsed YAML file as plain data (see `yaml_parse.ts`). */
export interface YamlSnapshot {
  /** The value; tags are `{ [TAG_KEY]: index into tags }`. */
  value: unknown;
  tags: SnapshotTag[];
  /** All nodes, the document's root first (empty for an empty document). */
  nodes: SnapshotNode[];
  /** False when the value holds something JSON cannot carry (then it is never cached). */
  cacheable: boolean;
}

/** What `locateOffset` found: an offset in this file, or a tag whose file continues the path. */
export type Located =
  | { offset: number | undefined }
  | { offset: number | undefined; tag: number; rest: readonly (string | number)[] };

/**
 * The offset for `path`: a scalar's value, or the key of a map or sequence entry ("via:"),
 * falling back to the nearest existing ancestor. When the path runs into a tag (an `!include`)
 * the caller may continue in the included file with `rest`.
 */
export function locateOffset(
  snapshot: YamlSnapshot,
  path: readonly (string | number)[],
): Located {
  const { nodes } = snapshot;
  let node: SnapshotNode | undefined = nodes[0];
  let best = node?.s;
  for (let i = 0; i < path.length; i++) {
    if (node?.t !== undefined) return { offset: best, tag: node.t, rest: path.slice(i) };
    const step = childOf(nodes, node, path[i], 0);
    if (!step) break;
    node = step.node;
    best = (node?.k === "s" || step.keyStart === undefined)
      ? node?.s ?? step.keyStart
      : step.keyStart;
  }
  return { offset: best };
}

interface Step {
  node: SnapshotNode | undefined;
  keyStart?: number;
}

function childOf(
  nodes: readonly SnapshotNode[],
  node: SnapshotNode | undefined,
  segment: string | number,
  depth: number,
): Step | undefined {
  if (node === undefined || depth > 64) return undefined;
  if (node.k === "q") {
    const items = node.q ?? [];
    const index = typeof segment === "number" ? segment : Number(segment);
    if (!Number.isInteger(index) || index < 0 || index >= items.length) return undefined;
    return { node: nodes[items[index]] };
  }
  if (node.k !== "m") return undefined;
  const entry = entriesOf(node).get(String(segment));
  if (entry) return { node: nodes[entry[2]], keyStart: entry[1] ?? undefined };
  // Not written here: look in `<<` merge sources, in order.
  for (const source of node.mg ?? []) {
    const found = childOf(nodes, nodes[source], segment, depth + 1);
    if (found) return found;
  }
  return undefined;
}

type MapEntry = NonNullable<SnapshotNode["m"]>[number];

/** Map entries by key, built once per map node (one error per entry of a huge map stays linear). */
const entryIndex = new WeakMap<SnapshotNode, Map<string, MapEntry>>();

function entriesOf(node: SnapshotNode): Map<string, MapEntry> {
  let index = entryIndex.get(node);
  if (!index) {
    index = new Map();
    for (const entry of node.m ?? []) if (!index.has(entry[0])) index.set(entry[0], entry);
    entryIndex.set(node, index);
  }
  return index;
}

/** 1-based line and column of a character offset in `text` (lines end at "\n"). */
export function positionAt(text: string, offset: number): { line: number; column: number } {
  let line = 1;
  let start = 0;
  for (let i = text.indexOf("\n"); i >= 0 && i < offset; i = text.indexOf("\n", i + 1)) {
    line++;
    start = i + 1;
  }
  return { line, column: offset - start + 1 };
}

/**
 * {@linkcode positionAt} for many offsets of one text: the line starts are found once (on the
 * first call), then each position is a binary search — a file with thousands of problems is not
 * scanned once per problem.
 */
export function positionFinder(text: string): (offset: number) => { line: number; column: number } {
  let starts: number[] | undefined;
  return (offset) => {
    if (!starts) {
      starts = [0];
      for (let i = text.indexOf("\n"); i >= 0; i = text.indexOf("\n", i + 1)) starts.push(i + 1);
    }
    let low = 0;
    let high = starts.length - 1;
    while (low < high) {
      const mid = (low + high + 1) >> 1;
      if (starts[mid] <= offset) low = mid;
      else high = mid - 1;
    }
    return { line: low + 1, column: offset - starts[low] + 1 };
  };
}

/**
 * Where a tagged scalar starts, tag included (`!env X`): the parser's range begins after the
 * tag. `valueStart` itself when the tag is not right before it.
 */
export function tagOffset(text: string, tag: string, valueStart: number): number {
  const at = text.lastIndexOf(tag, valueStart);
  if (at < 0 || text.slice(at + tag.length, valueStart).trim() !== "") return valueStart;
  return at;
}

const NODE_KINDS = new Set(["m", "q", "s"]);

/** Checks that `data` has the shape of a snapshot (a cache file may be damaged). */
export function isSnapshot(data: unknown): data is YamlSnapshot {
  if (typeof data !== "object" || data === null) return false;
  const s = data as Partial<YamlSnapshot>;
  return Array.isArray(s.tags) && Array.isArray(s.nodes) && s.cacheable === true &&
    s.tags.every((t) =>
      typeof t?.tag === "string" && t.tag.startsWith("!") && typeof t.arg === "string" &&
      typeof t.offset === "number"
    ) &&
    s.nodes.every((n) => n !== null && typeof n === "object" && NODE_KINDS.has(n.k));
}
