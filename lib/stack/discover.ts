/**
 * Finding top-level stack manifests (reference atmos-workflows-commands.md §4.2):
 * `stacks.included_paths` minus `stacks.excluded_paths`, both globs relative to the stacks
 * directory; an included pattern without an extension matches `.yaml`, `.yml`, `.yaml.tmpl`
 * and `.yml.tmpl` files.
 *
 * @module
 */
import { extname, relative } from "node:path";
import { ConfigError } from "../errors.ts";
import { listFiles, matchGlob } from "../config/glob.ts";
import { MANIFEST_EXTENSIONS } from "./files.ts";
import type { StackSettings } from "./settings.ts";

/** Absolute paths of the top-level manifests, sorted. */
export async function discoverManifests(settings: StackSettings): Promise<string[]> {
  const info = await Deno.stat(settings.stacksDir).catch(() => undefined);
  if (!info?.isDirectory) {
    throw new ConfigError(`stacks directory "${settings.stacksDir}" not found`, {
      hint: "check stacks.base_path in atmos.yaml (it is relative to base_path)",
    });
  }
  const included = settings.included.flatMap(expandPattern);
  const files = await listFiles(settings.stacksDir);
  const found: string[] = [];
  for (const file of files) {
    const rel = relative(settings.stacksDir, file).split("\\").join("/");
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
