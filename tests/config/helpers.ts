/** Shared helpers for the config tests: temporary file trees and fake environments. */

import { dirname, join } from "node:path";
import type { EnvGetter } from "../../lib/config/yaml.ts";

/** Writes `files` (relative path → content) under a fresh temp dir and returns the dir. */
export async function makeTree(files: Record<string, string>): Promise<string> {
  const root = await Deno.realPath(await Deno.makeTempDir({ prefix: "atmos_config_test_" }));
  for (const [path, content] of Object.entries(files)) {
    const full = join(root, path);
    await Deno.mkdir(dirname(full), { recursive: true });
    await Deno.writeTextFile(full, content);
  }
  return root;
}

/** An env getter over a fixed map (never the real environment). */
export function envOf(vars: Record<string, string> = {}): EnvGetter {
  return { get: (name: string) => vars[name] };
}

/** Removes a temp tree made by {@linkcode makeTree}. */
export async function removeTree(root: string): Promise<void> {
  await Deno.remove(root, { recursive: true });
}

/** Absolute path of a fixture under tests/config/testdata. */
export function fixture(...parts: string[]): string {
  return join(dirname(new URL(import.meta.url).pathname), "testdata", ...parts);
}
