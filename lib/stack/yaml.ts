/**
 * Parsing stack manifests. YAML function tags are kept as strings (`"!env FOO"`,
 * `"!terraform.output vpc id"`) until the functions phase, as Atmos does; `!include` and
 * `!include.raw` are resolved here, relative to the including file (reference
 * atmos-workflows-commands.md §4.3 step 4, §5.6). A tag Atmos does not know is an error with
 * its position.
 *
 * Source positions are computed only when asked for (errors): the text is re-parsed then, so
 * the common path keeps no YAML document trees around.
 *
 * @module
 */
import type { Document, ScalarTag } from "yaml";
import { dirname, isAbsolute, join, normalize, relative, resolve } from "../fs/path.ts";
import { ConfigError, type SourceLocation } from "../errors.ts";
import { importYaml } from "../config/yaml_lib.ts";
import {
  decodeIncluded,
  includeFormat,
  queryIncluded,
  splitIncludeArgs,
} from "../config/include_file.ts";
import { positionAt, tagOffset } from "../config/yaml_snapshot.ts";
import { firstYamlProblem } from "../config/yaml_problems.ts";

const Y = await importYaml();

/** Function tags kept as `"<tag> <argument>"` strings for the functions phase. */
export const DEFERRED_TAGS: readonly string[] = [
  "!env",
  "!exec",
  "!template",
  "!terraform.output",
  "!terraform.state",
  "!store",
  "!store.get",
  "!secret",
  "!cel",
  "!repo-root",
  "!git.root",
  "!git.sha",
  "!git.branch",
  "!git.ref",
  "!git.repository",
  "!git.owner",
  "!git.name",
  "!git.host",
  "!git.url",
  "!cwd",
  "!random",
  "!aws.account_id",
  "!aws.caller_identity_arn",
  "!aws.caller_identity_user_id",
  "!aws.region",
  "!aws.organization_id",
  "!emulator",
  "!version",
  "!tags",
  "!labels",
  "!labels.keys",
  "!labels.values",
];

/** Tags Atmos knows that change merging itself; not supported here. */
const UNSUPPORTED_TAGS = ["!append", "!unset"];

/** A marker for `!include`/`!include.raw`, replaced after parsing. */
class Include {
  constructor(readonly tag: string, readonly arg: string) {}
}

const CUSTOM_TAGS: ScalarTag[] = [
  ...DEFERRED_TAGS.map((tag) => ({
    tag,
    resolve: (value: string) => `${tag} ${value.trim()}`.trim(),
  })),
  { tag: "!include", resolve: (value: string) => new Include("!include", value.trim()) },
  { tag: "!include.raw", resolve: (value: string) => new Include("!include.raw", value.trim()) },
  // `!literal` values are kept as written (Atmos also skips templates for them; we do not).
  { tag: "!literal", resolve: (value: string) => value },
];

/** A parsed stack manifest. */
export interface ParsedYaml {
  /** The top-level map (`{}` for an empty file). */
  value: Record<string, unknown>;
  /** Where the node at `path` is (1-based), falling back to the nearest ancestor. */
  locate(path: readonly (string | number)[]): SourceLocation | undefined;
}

/** Options for {@linkcode parseStackYaml}. */
export interface ParseOptions {
  /** Absolute path of the file (for `!include`). */
  file: string;
  /** The file as shown in errors. */
  shown: string;
  /** Project base path: `!include` paths that are not `./`-relative are tried here too. */
  basePath: string;
  /** Files being included, outermost first (include cycles). */
  including?: string[];
}

/** Parses manifest text; throws {@linkcode ConfigError} with `file:line:col` on bad YAML. */
export async function parseStackYaml(text: string, options: ParseOptions): Promise<ParsedYaml> {
  const doc = parse(text);
  const where = (offset: number): SourceLocation => ({
    file: options.shown,
    ...positionAt(text, offset),
  });
  checkDocument(doc, text, options.shown);
  for (const warning of doc.warnings) {
    if (warning.code !== "TAG_RESOLVE_FAILED") continue;
    const tag = /tag: (\S+)/.exec(warning.message)?.[1] ?? "?";
    throw new ConfigError(tagProblem(tag), {
      hint:
        "supported here: !env, !exec, !template, !include, !include.raw (others are kept as text)",
      location: where(warning.pos[0]),
    });
  }
  let raw: unknown;
  try {
    raw = doc.toJS({ maxAliasCount: 1000 });
  } catch (error) {
    throw new ConfigError(`malformed YAML: ${error instanceof Error ? error.message : error}`, {
      location: { file: options.shown },
    });
  }
  if (raw === null || raw === undefined) raw = {};
  if (typeof raw !== "object" || Array.isArray(raw)) {
    throw new ConfigError("a stack manifest must be a map at the top level", {
      location: { file: options.shown, line: 1, column: 1 },
    });
  }
  const value = text.includes("!include")
    ? await resolveIncludes(raw, options, text)
    : raw as Record<string, unknown>;
  return { value: value as Record<string, unknown>, locate: locator(text, options.shown) };
}

function parse(text: string): Document {
  return Y.parseDocument(text, {
    merge: true,
    customTags: CUSTOM_TAGS,
    prettyErrors: false,
    logLevel: "silent",
    uniqueKeys: true,
  });
}

/**
 * Throws the first parse error or structural problem of `doc` (an unclosed quote at its
 * opening, an alias inside its own anchor, nesting too deep) at its `file:line:col`.
 */
function checkDocument(doc: Document, text: string, shown: string): void {
  const problem = firstYamlProblem(Y, doc);
  if (problem) {
    throw new ConfigError(problem.message, {
      hint: problem.hint,
      location: { file: shown, ...positionAt(text, problem.offset) },
    });
  }
}

function tagProblem(tag: string): string {
  if (UNSUPPORTED_TAGS.includes(tag)) return `YAML function ${tag} is not supported by this atmos`;
  if (DEFERRED_TAGS.includes(tag) || tag.startsWith("!include")) {
    return `YAML function ${tag} takes a single text argument, not a map or list`;
  }
  return `unsupported YAML tag ${tag}`;
}

async function resolveIncludes(
  value: unknown,
  options: ParseOptions,
  text: string,
): Promise<unknown> {
  if (value instanceof Include) return await include(value, options, text);
  if (Array.isArray(value)) {
    const out: unknown[] = [];
    for (const item of value) out.push(await resolveIncludes(item, options, text));
    return out;
  }
  if (typeof value === "object" && value !== null) {
    const out: Record<string, unknown> = {};
    for (const [key, item] of Object.entries(value)) {
      out[key] = await resolveIncludes(item, options, text);
    }
    return out;
  }
  return value;
}

async function include(
  marker: Include,
  options: ParseOptions,
  text: string,
): Promise<unknown> {
  const offset = text.indexOf(`${marker.tag} ${marker.arg}`);
  const location: SourceLocation = offset >= 0
    ? { file: options.shown, ...positionAt(text, offset) }
    : { file: options.shown };
  const args = splitIncludeArgs(marker.arg);
  if (!args) throw new ConfigError(`${marker.tag} needs a file path`, { location });
  if (/^[a-z][a-z0-9+.-]*:\/\//i.test(args.path) || args.path.includes("::")) {
    throw new ConfigError(`${marker.tag} "${args.path}": remote includes are not supported`, {
      hint: "download the file into the repository and include it by path",
      location,
    });
  }
  const target = await includeTarget(args.path, options);
  if (!target) {
    throw new ConfigError(`${marker.tag} "${args.path}": file not found`, {
      hint: "./ paths are relative to the including file, others to it or the base path",
      location,
    });
  }
  const including = options.including ?? [options.file];
  if (including.includes(target)) {
    throw new ConfigError(`${marker.tag} "${args.path}" includes itself`, { location });
  }
  const content = await Deno.readTextFile(target);
  const site = { tag: marker.tag, path: args.path, location };
  const format = includeFormat(target, marker.tag === "!include.raw");
  const value = format === "yaml"
    ? await parseAny(content, {
      ...options,
      file: target,
      shown: args.path,
      including: [...including, target],
    })
    : await decodeIncluded(content, format, shownPath(target, options), site);
  return args.query === undefined ? value : await queryIncluded(value, args.query, site);
}

/** An included file as errors show it: beside the including file as that one is shown. */
function shownPath(target: string, options: ParseOptions): string {
  return normalize(join(dirname(options.shown), relative(dirname(options.file), target)));
}

/** An included YAML file may be a scalar or list as well as a map. */
async function parseAny(text: string, options: ParseOptions): Promise<unknown> {
  const doc = parse(text);
  checkDocument(doc, text, options.shown);
  return await resolveIncludes(doc.toJS({ maxAliasCount: 1000 }), options, text);
}

async function includeTarget(path: string, options: ParseOptions): Promise<string | undefined> {
  const dir = dirname(options.file);
  const candidates = isAbsolute(path)
    ? [path]
    : /^\.\.?[\\/]/.test(path)
    ? [resolve(dir, path)]
    : [resolve(dir, path), resolve(options.basePath, path)];
  for (const candidate of candidates) {
    try {
      if ((await Deno.stat(candidate)).isFile) return candidate;
    } catch {
      // Try the next candidate.
    }
  }
  return undefined;
}

/** Builds a lazy position lookup over `text` (the text is re-parsed on first use). */
function locator(text: string, shown: string): ParsedYaml["locate"] {
  let doc: Document | undefined;
  return (path) => {
    doc ??= parse(text);
    const offset = offsetOf(doc.contents, path, text);
    if (offset === undefined) return undefined;
    return { file: shown, ...positionAt(text, offset) };
  };
}

function offsetOf(
  root: unknown,
  path: readonly (string | number)[],
  text: string,
): number | undefined {
  let node = root;
  let best = rangeStart(node);
  for (const segment of path) {
    if (Y.isSeq(node)) {
      const item = node.items[Number(segment)];
      if (item === undefined) break;
      node = item;
      best = rangeStart(node) ?? best;
      continue;
    }
    if (!Y.isMap(node)) break;
    const pair = node.items.find((p) =>
      Y.isScalar(p.key) ? String(p.key.value) === String(segment) : false
    );
    if (!pair) break;
    node = pair.value;
    // Point at a scalar's value (or its tag), at the key of a map or list.
    best = (Y.isScalar(node) ? tagStart(node, text) : rangeStart(pair.key)) ?? best;
  }
  return best;
}

/** Where a scalar starts, including its tag (`!env X`): the range begins after the tag. */
function tagStart(node: { tag?: string; range?: [number, number, number] | null }, text: string) {
  const start = rangeStart(node);
  if (start === undefined || !node.tag?.startsWith("!")) return start;
  return tagOffset(text, node.tag, start);
}

function rangeStart(node: unknown): number | undefined {
  const range = (node as { range?: [number, number, number] } | null)?.range;
  return range ? range[0] : undefined;
}
