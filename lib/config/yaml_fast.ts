/**
 * A faster first parse for very large YAML files (at least {@linkcode FAST_PARSE_MIN_BYTES}:
 * an `atmos.yaml` of 40,000 identities is 5.8 MB). The `yaml` package, which atmos otherwise
 * parses with and which stays the reference for values, errors and positions, takes about 3 s
 * on such a file; `js-yaml` (5.x, a YAML 1.2 parser checked against the YAML test suite) takes
 * about 0.4 s. So a large file is read with `js-yaml` when nothing in it could be read
 * differently by the two:
 *
 * - the text is screened first ({@linkcode RISKY}): anchors, aliases, merge keys, explicit
 *   (`?`) or collection keys, block scalars, directives and document markers, tags other than
 *   atmos's, `__proto__`, tabs, carriage returns and control characters each send it to the
 *   `yaml` parse;
 * - plain scalars are resolved with the `yaml` package's core-schema rules, restated below
 *   (`js-yaml`'s own differ at the edges, e.g. integers too large for a double);
 * - the value is checked after the parse: a key `null` (the two write a null key differently)
 *   or nesting near {@linkcode MAX_YAML_DEPTH} also go to the `yaml` parse, as does
 *   any `js-yaml` error — the `yaml` parse then reports it with its position.
 *
 * Positions are needed only to report an error: a fast snapshot finds its nodes and tag
 * offsets with the `yaml` parse on first use. It is never cached (a cached parse would need the
 * positions), so a large file is parsed on every run — still faster than a cached `yaml` parse
 * of that size is loaded. `tests/config/yaml_fast_test.ts` compares both parsers' values on
 * every YAML file of the repository and on generated documents.
 *
 * @module
 */
import { defineScalarTag, FAILSAFE_SCHEMA, load, NOT_RESOLVED, Schema } from "js-yaml";
import { MAX_YAML_DEPTH } from "./yaml_problems.ts";
import { type SnapshotTag, TAG_KEY, TAG_NAMES, type YamlSnapshot } from "./yaml_snapshot.ts";

/**
 * What sends a text to the `yaml` parse: anchors and aliases (`&a`, `*a` starting a token),
 * merge keys, `__proto__`, explicit keys (`? `), a collection used as a key (`]:`/`}:`), block
 * scalar headers (`|`, `>-` ending a line), directives and document markers, tags other than
 * atmos's (a token starting with `!`), tabs, carriage returns (the two differ on a lone CR), and
 * characters YAML does not allow in a stream.
 */
export const RISKY = new RegExp(
  [
    String.raw`(?:^|[\s,\[{])[&*][^\s,\[\]{}]`,
    "<<",
    "__proto__",
    String.raw`(?:^|[\s,\[{])\?(?:\s|$)`,
    String.raw`[\]}]\s*:(?:\s|$)`,
    String.raw`(?:^|\s)[|>][-+0-9]*\s*(?:#.*)?$`,
    String.raw`^(?:%|---|\.\.\.)`,
    String.raw`(?:^|[\s,\[{])!(?!(?:env|exec|include\.raw|include)(?=[\s,\]}]|$))`,
    "[\\t\\r\\x00-\\x08\\x0b\\x0c\\x0e-\\x1f\\x7f\\ufeff\\ufffe\\uffff]",
  ].join("|"),
  "m",
);

/** A tag occurrence: its index among the file's tags, in document order (as `yaml_parse.ts`). */
class TagFound {
  constructor(readonly index: number) {}
}

/** The tags of the parse under way (js-yaml resolves tagged scalars in document order). */
let parsing: SnapshotTag[] = [];

// The `yaml` package's core schema (yaml/dist/schema/core), as it resolves plain scalars.
// Load-only tags: `identify` (which picks a tag when dumping) never matches.
const LOAD_ONLY = { identify: () => false };
const nullTag = defineScalarTag("tag:yaml.org,2002:null", {
  ...LOAD_ONLY,
  implicit: true,
  resolve: (s) => /^(?:~|[Nn]ull|NULL)?$/.test(s) ? null : NOT_RESOLVED,
});
const boolTag = defineScalarTag("tag:yaml.org,2002:bool", {
  ...LOAD_ONLY,
  implicit: true,
  resolve: (s) =>
    /^(?:[Tt]rue|TRUE|[Ff]alse|FALSE)$/.test(s) ? s[0] === "t" || s[0] === "T" : NOT_RESOLVED,
});
const intTag = defineScalarTag("tag:yaml.org,2002:int", {
  ...LOAD_ONLY,
  implicit: true,
  resolve: (s) => {
    if (/^0o[0-7]+$/.test(s)) return parseInt(s.slice(2), 8);
    if (/^0x[0-9a-fA-F]+$/.test(s)) return parseInt(s.slice(2), 16);
    return /^[-+]?[0-9]+$/.test(s) ? parseInt(s, 10) : NOT_RESOLVED;
  },
});
const floatTag = defineScalarTag("tag:yaml.org,2002:float", {
  ...LOAD_ONLY,
  implicit: true,
  resolve: (s) => {
    if (/^(?:[-+]?\.(?:inf|Inf|INF)|\.nan|\.NaN|\.NAN)$/.test(s)) {
      if (s.slice(-3).toLowerCase() === "nan") return NaN;
      return s[0] === "-" ? Number.NEGATIVE_INFINITY : Number.POSITIVE_INFINITY;
    }
    const exp = /^[-+]?(?:\.[0-9]+|[0-9]+(?:\.[0-9]*)?)[eE][-+]?[0-9]+$/;
    const plain = /^[-+]?(?:\.[0-9]+|[0-9]+\.[0-9]*)$/;
    return exp.test(s) || plain.test(s) ? parseFloat(s) : NOT_RESOLVED;
  },
});
const atmosTags = TAG_NAMES.map((name) =>
  defineScalarTag(name, {
    ...LOAD_ONLY,
    resolve: (source) =>
      new TagFound(parsing.push({ tag: name, arg: source.trim() } as SnapshotTag) - 1),
  })
);

const SCHEMA = new Schema([
  ...FAILSAFE_SCHEMA.tags,
  nullTag,
  boolTag,
  intTag,
  floatTag,
  ...atmosTags,
]);

/**
 * The fast parse of `text` as a snapshot, or `undefined` when the text must be read by the
 * `yaml` parse. `reference` is that parse (memoised by the caller): a fast snapshot asks it for
 * positions when they are first needed.
 */
export function fastSnapshot(
  text: string,
  reference: () => YamlSnapshot,
): YamlSnapshot | undefined {
  if (RISKY.test(text)) return undefined;
  let parsed: unknown;
  const tags: SnapshotTag[] = parsing = [];
  try {
    parsed = load(text, { schema: SCHEMA, maxDepth: MAX_YAML_DEPTH });
  } catch {
    return undefined;
  } finally {
    parsing = [];
  }
  const seen = new Set<number>();
  const value = plainValue(parsed ?? null, seen, 0);
  // Each tag resolved once and found once in the value, or the order cannot be trusted.
  if (value === UNSURE || seen.size !== tags.length) return undefined;
  for (const [index, tag] of tags.entries()) {
    Object.defineProperty(tag, "offset", {
      enumerable: true,
      get: () => reference().tags[index]?.offset ?? 0,
    });
  }
  const snapshot = { value, tags, cacheable: false } as YamlSnapshot;
  Object.defineProperty(snapshot, "nodes", { enumerable: true, get: () => reference().nodes });
  return snapshot;
}

const UNSURE = Symbol("unsure");

/**
 * The value with tags replaced by placeholders (`seen` collects their indices), or
 * {@linkcode UNSURE} when the two parsers could read it differently.
 */
function plainValue(value: unknown, seen: Set<number>, depth: number): unknown {
  if (value instanceof TagFound) {
    if (seen.has(value.index)) return UNSURE;
    seen.add(value.index);
    return { [TAG_KEY]: value.index };
  }
  if (typeof value !== "object" || value === null) return value;
  if (depth >= MAX_YAML_DEPTH - 1) return UNSURE;
  if (Array.isArray(value)) {
    for (let i = 0; i < value.length; i++) {
      const item = plainValue(value[i], seen, depth + 1);
      if (item === UNSURE) return UNSURE;
      value[i] = item;
    }
    return value;
  }
  const map = value as Record<string, unknown>;
  for (const key of Object.keys(map)) {
    if (key === "null" || key === TAG_KEY) return UNSURE;
    const item = plainValue(map[key], seen, depth + 1);
    if (item === UNSURE) return UNSURE;
    map[key] = item;
  }
  return map;
}
