/**
 * Finding stack manifests (reference atmos-workflows-commands.md §4.2): the stacks directory is
 * listed once per run; top-level manifests are `stacks.included_paths` minus
 * `stacks.excluded_paths`, both globs relative to the stacks directory (an included pattern
 * without an extension matches `.yaml`, `.yml`, `.yaml.tmpl` and `.yml.tmpl` files). Import
 * resolution asks the same listing whether a file exists, instead of a `stat` per candidate.
 *
 * @module
 */
import { extname, relative, resolve } from "../fs/path.ts";
import { ConfigError } from "../errors.ts";
import { globFiles, listFiles, matchGlob } from "../config/glob.ts";
import { MANIFEST_EXTENSIONS } from "./files.ts";
import type { StackSettings } from "./settings.ts";

/** The files of the stacks directory, listed once. */
export class StackTree {
  readonly dir: string;
  /** Absolute paths of every file under the stacks directory. */
  readonly files: ReadonlySet<string>;

  constructor(dir: string, files: Iterable<string>) {
    this.dir = dir;
    this.files = new Set(files);
  }

  /** True when `path` is a regular file (answered from the listing inside the tree). */
  async isFile(path: string): Promise<boolean> {
    if (this.#inside(path)) return this.files.has(path);
    try {
      return (await Deno.stat(path)).isFile;
    } catch {
      return false;
    }
  }

  /** Files matching a glob relative to `base`, sorted. */
  async glob(base: string, pattern: string): Promise<string[]> {
    const absolute = resolve(base, pattern);
    if (!this.#inside(absolute)) return (await globFiles(base, pattern)).sort();
    const rel = relative(this.dir, absolute);
    return [...this.files].filter((file) => matchGlob(rel, relative(this.dir, file))).sort();
  }

  #inside(path: string): boolean {
    return path.startsWith(this.dir + "/");
  }
}

/** Lists the stacks directory. */
export async function listStackTree(settings: StackSettings): Promise<StackTree> {
  const info = await Deno.stat(settings.stacksDir).catch(() => undefined);
  if (!info?.isDirectory) {
    throw new ConfigError(`stacks directory "${settings.stacksDir}" not found`, {
      hint: "check stacks.base_path in atmos.yaml (it is relative to base_path)",
    });
  }
  return new StackTree(settings.stacksDir, await listFiles(settings.stacksDir));
}

/** Absolute paths of the top-level manifests, sorted. */
export function topLevelManifests(tree: StackTree, settings: StackSettings): string[] {
  const included = settings.included.flatMap(expandPattern);
  const found: string[] = [];
  for (const file of tree.files) {
    const rel = relative(tree.dir, file).split("\\").join("/");
    if (!included.some((pattern) => matchGlob(pattern, rel))) continue;
    if (settings.excluded.some((pattern) => matchGlob(stripDot(pattern), rel))) continue;
    found.push(file);
  }
  return found.sort();
}

function expandPattern(pattern: string): string[] {
  const clean = stripDot(pattern);
  if (extname(clean) !== "") return [clean];
  return MANIFEST_EXTENSIONS.map((ext) => clean + ext);
}

function stripDot(pattern: string): string {
  return pattern.replace(/^\.\//, "");
}
