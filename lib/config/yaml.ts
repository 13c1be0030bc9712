/**
 * YAML loading with source positions and the Atmos YAML functions usable in `atmos.yaml`
 * (`!env`, `!exec`, `!include`, `!include.raw`).
 *
 * Parsing (`yaml_parse.ts`, the loader's only use of the `yaml` package) yields a plain-data
 * snapshot with the tags as placeholders; a cache may supply the snapshot of an unchanged file
 * instead, so a warm run never loads the parser. Tags are then evaluated in a second,
 * asynchronous pass that receives its context (env getter, cwd, the file's directory) explicitly,
 * so nothing here reads `process.env`, and nothing evaluated is ever cached. Every tag's argument
 * is text of a given shape (a variable name, a command, a path); a tag on a map or list, and a tag
 * atmos does not know (`!terraform.output`, a typo), are located errors — except where the caller
 * keeps tags as text (`tags`, workflow manifests), where they are the literal `"!tag args"`.
 *
 * @module
 */

import { dirname, isAbsolute, relative, resolve } from "../fs/path.ts";
import { ConfigError, describeSystemError, type SourceLocation } from "../errors.ts";
import {
  FAST_PARSE_MIN_BYTES,
  locateOffset,
  positionFinder,
  type SnapshotTag,
  TAG_KEY,
  TAG_NAMES,
  unknownTagHint,
  unknownTagMessage,
  type YamlSnapshot,
} from "./yaml_snapshot.ts";

import { type EnvGetter, envNameProblem } from "../env.ts";
export type { EnvGetter };

/**
 * Keeps parses of unchanged files between runs (`yaml_cache.ts`). `get` returns the snapshot
 * stored for exactly this text, if any; `put` offers a fresh one.
 */
export interface YamlParseCache {
  get(file: string, text: string): YamlSnapshot | undefined;
  put(file: string, text: string, snapshot: YamlSnapshot): void;
}

/** Options for {@linkcode loadYamlFile} and {@linkcode parseYamlText}. */
export interface LoadYamlOptions {
  /** Environment used by `!env`. */
  env: EnvGetter;
  /** Working directory: `!exec` runs here, and error locations are shown relative to it. */
  cwd: string;
  /**
   * The tags to evaluate (default: all of `!env`, `!exec`, `!include`, `!include.raw`); any
   * other of them is kept as the literal string `"!tag args"`, as Atmos does in workflow files.
   */
  tags?: readonly string[];
  /** Where parses are kept between runs (none by default). Tags are always evaluated anew. */
  cache?: YamlParseCache;
}

/** A parsed YAML file with its tags evaluated, and a way back to source positions. */
export interface YamlFile {
  /** The plain JavaScript value (maps are objects, sequences arrays; `null` for an empty file). */
  value: unknown;
  /** Absolute path of the file. */
  file: string;
  /**
   * Where the node at `path` is (1-based line/column), falling back to the nearest existing
   * ancestor; paths that run into an `!include`d YAML file continue inside that file.
   */
  locate(path: readonly (string | number)[]): SourceLocation | undefined;
}

/** A tag occurrence; evaluated with context after parsing. */
class TagMarker {
  /** The evaluated value, cached so aliases do not run `!exec` twice. */
  result?: Promise<unknown>;
  /** The parsed file when this was an `!include` of YAML (used by `locate`). */
  included?: YamlFile;
  readonly tag: string;
  readonly arg: string;

  constructor(readonly source: SnapshotTag) {
    this.tag = source.tag;
    this.arg = source.arg;
  }

  /** Offset of the tag in its file (read only for an error: a fast parse finds it late). */
  get offset(): number {
    return this.source.offset;
  }
}

/** Reads, parses and evaluates a YAML file; throws {@linkcode ConfigError} on any problem. */
export async function loadYamlFile(path: string, options: LoadYamlOptions): Promise<YamlFile> {
  const file = resolve(options.cwd, path);
  return await loadWithStack(file, options, []);
}

/** Parses and evaluates YAML text as if it were the content of `file`. */
export async function parseYamlText(
  text: string,
  file: string,
  options: LoadYamlOptions,
): Promise<YamlFile> {
  return await parseWithStack(text, resolve(options.cwd, file), options, []);
}

/** Renders `file` as the user would recognise it: relative to `cwd` when inside it. */
export function displayPath(file: string, cwd: string): string {
  const rel = relative(cwd, file);
  if (rel === "" || rel.startsWith("..") || isAbsolute(rel)) return file;
  return rel;
}

async function loadWithStack(
  file: string,
  options: LoadYamlOptions,
  stack: string[],
): Promise<YamlFile> {
  let text: string;
  try {
    text = Deno.readTextFileSync(file); // small files; the async op costs ~0.2 ms more
  } catch (error) {
    const why = error instanceof Deno.errors.NotFound
      ? "file not found"
      : describeSystemError(error as Error) ?? errorText(error);
    throw new ConfigError(`cannot read "${displayPath(file, options.cwd)}": ${why}`, {
      cause: error,
    });
  }
  // Invalid UTF-8 was replaced by U+FFFD while reading; only then are the bytes looked at.
  if (text.includes("\uFFFD")) assertUtf8(file, displayPath(file, options.cwd));
  return await parseWithStack(text, file, options, stack);
}

/**
 * Refuses a file that is not UTF-8 (YAML's encoding, and what Atmos's parser requires), at the
 * first byte that is not, instead of reading it with replacement characters.
 */
function assertUtf8(file: string, shown: string): void {
  const bytes = Deno.readFileSync(file);
  const decodes = (length: number, stream: boolean) => {
    try {
      new TextDecoder("utf-8", { fatal: true }).decode(bytes.subarray(0, length), { stream });
      return true;
    } catch {
      return false;
    }
  };
  if (decodes(bytes.length, false)) return; // a U+FFFD written in the file itself
  // The first bad byte: the longest prefix that decodes (a sequence cut at its end is fine).
  let good = 0;
  let bad = bytes.length;
  while (bad - good > 1) {
    const mid = (good + bad) >> 1;
    if (decodes(mid, true)) good = mid;
    else bad = mid;
  }
  // Streaming leaves out a sequence begun at the end: the text before the bad one.
  const before = new TextDecoder().decode(bytes.subarray(0, good), { stream: true });
  throw new ConfigError(`"${shown}" is not UTF-8 text`, {
    hint: "save it as UTF-8",
    location: { file: shown, ...positionFinder(before)(before.length) },
  });
}

async function parseWithStack(
  text: string,
  file: string,
  options: LoadYamlOptions,
  stack: string[],
): Promise<YamlFile> {
  const shown = displayPath(file, options.cwd);
  const snapshot = await snapshotOf(text, file, shown, options);
  const markers = snapshot.tags.map((t) => new TagMarker(t));
  const position = positionFinder(text);
  const where = (offset: number): SourceLocation => ({ file: shown, ...position(offset) });
  const context: EvalContext = { options, dir: dirname(file), stack: [...stack, file], where };
  const value = await resolveTags(snapshot.value, markers, context);

  return {
    value,
    file,
    locate(path) {
      const found = locateOffset(snapshot, path);
      if ("tag" in found) {
        const included = markers[found.tag]?.included;
        const inner = included?.locate(found.rest);
        if (inner) return inner;
      }
      return found.offset === undefined ? undefined : where(found.offset);
    },
  };
}

/** The file's parse: from the cache when the text is unchanged, else fresh (and offered). */
async function snapshotOf(
  text: string,
  file: string,
  shown: string,
  options: LoadYamlOptions,
): Promise<YamlSnapshot> {
  const cached = options.cache?.get(file, text);
  if (cached) return cached;
  const { parseYamlSnapshot } = await import("./yaml_parse.ts");
  if (text.length >= FAST_PARSE_MIN_BYTES) {
    let reference: YamlSnapshot | undefined;
    const { fastSnapshot } = await import("./yaml_fast.ts");
    const fast = fastSnapshot(text, () => reference ??= parseYamlSnapshot(text, shown));
    if (fast) return fast;
  }
  const snapshot = parseYamlSnapshot(text, shown);
  if (snapshot.cacheable) options.cache?.put(file, text, snapshot);
  return snapshot;
}

interface EvalContext {
  options: LoadYamlOptions;
  /** Directory of the file being evaluated (for relative `!include`). */
  dir: string;
  /** Files being included, outermost first (to stop include cycles). */
  stack: string[];
  where(offset: number): SourceLocation;
}

/**
 * The value with every tag placeholder replaced by the tag's result. Tags are evaluated one at a
 * time in document order (an `!exec` runs once even when an alias repeats it); only the maps and
 * lists on the way to a tag are copied, so a large file with a few tags is walked, not rebuilt.
 */
async function resolveTags(
  value: unknown,
  markers: readonly TagMarker[],
  context: EvalContext,
): Promise<unknown> {
  const sites: { path: (string | number)[]; marker: TagMarker }[] = [];
  findTags(value, [], markers, sites);
  if (sites.length === 0) return value;
  const results: unknown[] = [];
  for (const { path, marker } of sites) {
    marker.result ??= evaluateTag(marker, context, path);
    results.push(await marker.result);
  }
  const copies = new Map<object, Record<string | number, unknown>>();
  const made = new Set<object>();
  const copyOf = (node: unknown): Record<string | number, unknown> => {
    const original = node as Record<string | number, unknown>;
    if (made.has(original)) return original;
    let copy = copies.get(original);
    if (!copy) {
      copy = (Array.isArray(original) ? [...original] : { ...original }) as typeof original;
      copies.set(original, copy);
      made.add(copy);
    }
    return copy;
  };
  let root = value;
  sites.forEach(({ path }, i) => {
    if (path.length === 0) {
      root = results[i];
      return;
    }
    const top = copyOf(root);
    let node = top;
    for (const key of path.slice(0, -1)) node = node[key] = copyOf(node[key]);
    node[path[path.length - 1]] = results[i];
    root = top;
  });
  return root;
}

/** Collects the tag placeholders of `value` with their paths, in document order. */
function findTags(
  value: unknown,
  path: (string | number)[],
  markers: readonly TagMarker[],
  sites: { path: (string | number)[]; marker: TagMarker }[],
): void {
  if (typeof value !== "object" || value === null) return;
  if (Array.isArray(value)) {
    for (let i = 0; i < value.length; i++) {
      path.push(i);
      findTags(value[i], path, markers, sites);
      path.pop();
    }
    return;
  }
  if (!isPlainObject(value)) return; // a !!binary or !!set value holds no tag
  const record = value;
  if (Object.hasOwn(record, TAG_KEY)) {
    const marker = markers[record[TAG_KEY] as number];
    if (marker === undefined) throw new Error("snapshot refers to a missing tag");
    sites.push({ path: [...path], marker });
    return;
  }
  for (const key in record) {
    path.push(key);
    findTags(record[key], path, markers, sites);
    path.pop();
  }
}

async function evaluateTag(
  marker: TagMarker,
  context: EvalContext,
  path: readonly (string | number)[],
): Promise<unknown> {
  const allowed = context.options.tags;
  if (allowed && !allowed.includes(marker.tag)) return `${marker.tag} ${marker.arg}`.trimEnd();
  const location = deferredLocation(() => ({
    ...context.where(marker.offset),
    path: path.join("."),
  }));
  if (!TAG_NAMES.includes(marker.tag)) {
    throw new ConfigError(unknownTagMessage(marker.tag), { hint: unknownTagHint(), location });
  }
  if (marker.arg.includes("\0")) {
    throw new ConfigError(`${marker.tag}'s argument holds a NUL character`, {
      hint: "remove it: no variable, command or path can contain one",
      location,
    });
  }
  switch (marker.tag) {
    case "!env":
      return evaluateEnv(marker, context, location);
    case "!exec":
      return await evaluateExec(marker, context, location);
    default:
      return await evaluateInclude(marker, context, location);
  }
}

function evaluateEnv(marker: TagMarker, context: EvalContext, location: SourceLocation): unknown {
  const args = splitArgs(marker.arg);
  if (args.length < 1 || args.length > 2) {
    throw new ConfigError(
      `!env takes a variable name and an optional default, got "${marker.arg}"`,
      {
        hint: "write !env NAME or !env NAME default; quote a default that has spaces",
        location,
      },
    );
  }
  const nameProblem = envNameProblem(args[0]);
  if (nameProblem) {
    throw new ConfigError(`!env: "${args[0]}" ${nameProblem}`, {
      hint: "write !env NAME or !env NAME default",
      location,
    });
  }
  const found = context.options.env.get(args[0]);
  if (found !== undefined) return found;
  return args.length === 2 ? args[1] : null;
}

async function evaluateExec(
  marker: TagMarker,
  context: EvalContext,
  location: SourceLocation,
): Promise<unknown> {
  if (marker.arg === "") {
    throw new ConfigError("!exec needs a command", { location });
  }
  let output: Deno.CommandOutput;
  try {
    output = await new Deno.Command("bash", {
      args: ["-c", marker.arg],
      cwd: context.options.cwd,
      stdin: "null",
      stdout: "piped",
      stderr: "piped",
    }).output();
  } catch (error) {
    throw new ConfigError(`!exec could not start bash: ${errorText(error)}`, {
      location,
      cause: error,
    });
  }
  if (!output.success) {
    const stderr = new TextDecoder().decode(output.stderr).trim().split("\n").at(-1) ?? "";
    throw new ConfigError(
      `!exec command "${shorten(marker.arg)}" failed with exit code ${output.code}`,
      { hint: stderr === "" ? undefined : shorten(stderr), location },
    );
  }
  const stdout = new TextDecoder().decode(output.stdout).trim();
  return decodeJsonCollection(stdout);
}

async function evaluateInclude(
  marker: TagMarker,
  context: EvalContext,
  location: SourceLocation,
): Promise<unknown> {
  // Loaded only for a configuration that includes files (its query evaluator is not small).
  const { decodeIncluded, includeFormat, queryIncluded, splitIncludeArgs } = await import(
    "./include_file.ts"
  );
  const args = splitIncludeArgs(marker.arg);
  if (!args) throw new ConfigError(`${marker.tag} needs a file path`, { location });
  const target = resolve(context.dir, args.path);
  if (context.stack.includes(target)) {
    throw new ConfigError(`${marker.tag} "${args.path}" includes itself`, { location });
  }
  const site = { tag: marker.tag, path: args.path, location };
  const format = includeFormat(target, marker.tag === "!include.raw");
  let value: unknown;
  if (format === "yaml") {
    await assertReadable(target, marker, location);
    const included = await loadWithStack(target, context.options, context.stack);
    // Positions inside the included file are only meaningful for the whole file.
    if (args.query === undefined) marker.included = included;
    value = included.value;
  } else {
    let text: string;
    try {
      text = await Deno.readTextFile(target);
    } catch (error) {
      throw includeReadError(error, marker, location);
    }
    value = await decodeIncluded(text, format, displayPath(target, context.options.cwd), site);
  }
  return args.query === undefined ? value : await queryIncluded(value, args.query, site);
}

async function assertReadable(target: string, marker: TagMarker, location: SourceLocation) {
  try {
    await Deno.stat(target);
  } catch (error) {
    throw includeReadError(error, marker, location);
  }
}

function includeReadError(error: unknown, marker: TagMarker, location: SourceLocation) {
  const why = error instanceof Deno.errors.NotFound ? "file not found" : errorText(error);
  return new ConfigError(`${marker.tag} "${marker.arg}": ${why}`, {
    hint: "relative paths are resolved from the including file's directory",
    location,
    cause: error,
  });
}

/** Decodes `text` as JSON when it is a JSON object or array; otherwise returns it unchanged. */
function decodeJsonCollection(text: string): unknown {
  if (!text.startsWith("{") && !text.startsWith("[")) return text;
  try {
    const parsed = JSON.parse(text);
    return typeof parsed === "object" && parsed !== null ? parsed : text;
  } catch {
    return text;
  }
}

/** Splits tag arguments on whitespace, honouring single and double quotes. */
export function splitArgs(text: string): string[] {
  const args: string[] = [];
  const pattern = /"((?:[^"\\]|\\.)*)"|'([^']*)'|(\S+)/g;
  for (const match of text.matchAll(pattern)) {
    if (match[1] !== undefined) args.push(match[1].replace(/\\(.)/g, "$1"));
    else if (match[2] !== undefined) args.push(match[2]);
    else args.push(match[3]);
  }
  return args;
}

function isPlainObject(value: unknown): value is Record<string, unknown> {
  return typeof value === "object" && value !== null && !Array.isArray(value) &&
    Object.getPrototypeOf(value) === Object.prototype;
}

function shorten(text: string): string {
  return text.length > 120 ? `${text.slice(0, 117)}...` : text;
}

function errorText(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}

/**
 * A location worked out when one of its fields is first read: the tag offsets of a fast parse
 * (`yaml_fast.ts`) cost a second parse, which only an error should pay for.
 */
function deferredLocation(compute: () => SourceLocation): SourceLocation {
  let value: SourceLocation | undefined;
  const field = (name: keyof SourceLocation) => ({
    enumerable: true,
    get: () => (value ??= compute())[name],
  });
  return Object.defineProperties({} as SourceLocation, {
    file: field("file"),
    line: field("line"),
    column: field("column"),
    path: field("path"),
  });
}
