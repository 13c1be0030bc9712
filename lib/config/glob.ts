/**
 * Finding config fragments: recursive listing of YAML files and a tiny glob matcher
 * (`*`, `?`, `**`) for `import:` entries.
 *
 * Hand-written: `@std/fs`'s `expandGlob` is unreachable (no JSR) and the need is small.
 *
 * @module
 */

import { isAbsolute, join, relative, resolve, sep } from "../fs/path.ts";

/** True when `pattern` contains a glob metacharacter (`*`, `?`, `[`). */
export function isGlob(pattern: string): boolean {
  return /[*?[]/.test(pattern);
}

/** True for file names ending in `.yaml` or `.yml` (any case). */
export function isYamlName(name: string): boolean {
  return /\.ya?ml$/i.test(name);
}

/**
 * Lists every `*.yaml`/`*.yml` file under `dir` recursively, sorted by depth, then by path.
 * Returns `[]` when `dir` does not exist.
 */
export async function listYamlFiles(dir: string): Promise<string[]> {
  const files = (await walkFiles(dir)).filter((file) => isYamlName(file));
  return sortByDepthThenName(files, dir);
}

/**
 * Expands a glob `pattern` (relative to `dir`, or absolute) to existing files, sorted by depth
 * then path. `*` and `?` stay within one path segment; `**` spans any number of segments.
 */
export async function globFiles(dir: string, pattern: string): Promise<string[]> {
  const absolute = isAbsolute(pattern) ? pattern : resolve(dir, pattern);
  const segments = absolute.split(/[\\/]+/);
  const firstGlob = segments.findIndex((segment) => isGlob(segment));
  if (firstGlob < 0) return (await isFile(absolute)) ? [absolute] : [];
  const base = segments.slice(0, firstGlob).join(sep) || sep;
  const rest = segments.slice(firstGlob).map(segmentMatcher);
  const matches = (await walkFiles(base)).filter((file) =>
    matchSegments(rest, relative(base, file).split(sep))
  );
  return sortByDepthThenName(matches, base);
}

/**
 * True when `path` (relative, `/`-separated) matches the glob `pattern` (same syntax as
 * {@linkcode globFiles}: `*` and `?` within a segment, `**` across segments).
 */
export function matchGlob(pattern: string, path: string): boolean {
  const matchers = pattern.split(/[\\/]+/).filter((s) => s !== "").map(segmentMatcher);
  return matchSegments(matchers, path.split(/[\\/]+/).filter((s) => s !== ""));
}

/** Every regular file under `dir` (following file symlinks, not directory symlinks), unsorted. */
export async function listFiles(dir: string): Promise<string[]> {
  return await walkFiles(dir);
}

type Matcher = RegExp | "**";

function segmentMatcher(segment: string): Matcher {
  if (segment === "**") return "**";
  let source = "";
  for (const char of segment) {
    if (char === "*") source += "[^/]*";
    else if (char === "?") source += "[^/]";
    else source += char.replace(/[.+^${}()|[\]\\]/g, "\\$&");
  }
  return new RegExp(`^${source}$`);
}

function matchSegments(pattern: Matcher[], path: string[]): boolean {
  if (pattern.length === 0) return path.length === 0;
  const [head, ...tail] = pattern;
  if (head === "**") {
    for (let skip = 0; skip <= path.length; skip++) {
      if (matchSegments(tail, path.slice(skip))) return true;
    }
    return false;
  }
  return path.length > 0 && head.test(path[0]) && matchSegments(tail, path.slice(1));
}

async function walkFiles(dir: string): Promise<string[]> {
  const out: string[] = [];
  let entries: Deno.DirEntry[];
  try {
    entries = await Array.fromAsync(Deno.readDir(dir));
  } catch (error) {
    if (error instanceof Deno.errors.NotFound || error instanceof Deno.errors.NotADirectory) {
      return out;
    }
    throw error;
  }
  for (const entry of entries) {
    const path = join(dir, entry.name);
    let isDir = entry.isDirectory;
    let isRegular = entry.isFile;
    if (entry.isSymlink) {
      const info = await Deno.stat(path).catch(() => undefined);
      isDir = info?.isDirectory ?? false;
      isRegular = info?.isFile ?? false;
    }
    if (isDir && !entry.isSymlink) out.push(...await walkFiles(path));
    else if (isRegular) out.push(path);
  }
  return out;
}

async function isFile(path: string): Promise<boolean> {
  try {
    return (await Deno.stat(path)).isFile;
  } catch {
    return false;
  }
}

function sortByDepthThenName(files: string[], base: string): string[] {
  const keyed = files.map((file) => {
    const rel = relative(base, file);
    return { file, rel, depth: rel.split(sep).length };
  });
  keyed.sort((a, b) => a.depth - b.depth || (a.rel < b.rel ? -1 : a.rel > b.rel ? 1 : 0));
  return keyed.map((item) => item.file);
}
