/**
 * A processed top-level manifest: its layers (imports then itself), the names of everything it
 * imports, and the deep merge of all layers.
 *
 * @module
 */
import { ConfigError, type SourceLocation } from "../errors.ts";
import type { StackFile } from "./files.ts";
import { type ImportProcessor, type Layer, noOverrides } from "./imports.ts";
import { isSection, type Section } from "./merge.ts";

/** A processed top-level manifest. */
export interface Manifest {
  /** Absolute path. */
  path: string;
  /** Relative to the stacks directory, no extension (`atmos_stack_file`). */
  name: string;
  file: StackFile;
  /** Lowest first. */
  layers: Layer[];
  /** Every imported file's name, sorted, without duplicates. */
  imports: string[];
  /** All layers deep-merged. */
  config: Section;
}

/** Processes the manifest at `path`. */
export async function loadManifest(processor: ImportProcessor, path: string): Promise<Manifest> {
  const result = await processor.process(path, { parentInline: noOverrides(), chain: [] });
  const file = result.layers[result.layers.length - 1].file;
  return {
    path,
    name: file.name,
    file,
    layers: result.layers,
    imports: [...new Set(result.imports)].sort(),
    config: result.merged,
  };
}

/** The value at `path` in a layer's content, or `undefined`. */
export function valueAt(value: unknown, path: readonly (string | number)[]): unknown {
  let node = value;
  for (const key of path) {
    if (Array.isArray(node)) node = node[Number(key)];
    else if (isSection(node)) node = node[String(key)];
    else return undefined;
    if (node === undefined) return undefined;
  }
  return node;
}

/**
 * Where `path` is defined in the manifest: the highest-priority layer that has it (falling back
 * to the nearest ancestor path that some layer has, and finally to the manifest itself).
 */
export function locateIn(
  manifest: Manifest,
  path: readonly (string | number)[],
): SourceLocation | undefined {
  for (let length = path.length; length > 0; length--) {
    const prefix = path.slice(0, length);
    for (let i = manifest.layers.length - 1; i >= 0; i--) {
      const layer = manifest.layers[i];
      if (valueAt(layer.file.value, prefix) !== undefined) return layer.file.locate(path);
    }
  }
  return { file: manifest.file.shown };
}

/** A {@linkcode ConfigError} at `path` of the manifest, with the dotted path shown. */
export function manifestIssue(
  manifest: Manifest,
  path: readonly (string | number)[],
  message: string,
  hint?: string,
): ConfigError {
  const location = locateIn(manifest, path);
  return new ConfigError(message, {
    hint,
    location: location ? { ...location, path: path.join(".") } : undefined,
  });
}

/** Where the first of `candidates` that some layer defines is (else the manifest file). */
export function locateFirst(
  manifest: Manifest,
  candidates: (string | number)[][],
): SourceLocation | undefined {
  for (const path of candidates) {
    for (let i = manifest.layers.length - 1; i >= 0; i--) {
      const layer = manifest.layers[i];
      if (valueAt(layer.file.value, path) !== undefined) {
        const location = layer.file.locate(path);
        return location ? { ...location, path: path.join(".") } : undefined;
      }
    }
  }
  return { file: manifest.file.shown };
}

/** Where a string value (e.g. a YAML function's text) is written in the manifest's files. */
export function locateText(manifest: Manifest, text: string): SourceLocation | undefined {
  for (let i = manifest.layers.length - 1; i >= 0; i--) {
    const file = manifest.layers[i].file;
    const path = findString(file.value, text, []);
    if (path) {
      const location = file.locate(path);
      return location ? { ...location, path: path.join(".") } : undefined;
    }
  }
  return { file: manifest.file.shown };
}

function findString(
  value: unknown,
  text: string,
  path: (string | number)[],
): (string | number)[] | undefined {
  if (value === text) return path;
  if (Array.isArray(value)) {
    for (let i = 0; i < value.length; i++) {
      const found = findString(value[i], text, [...path, i]);
      if (found) return found;
    }
  } else if (isSection(value)) {
    for (const [key, item] of Object.entries(value)) {
      const found = findString(item, text, [...path, key]);
      if (found) return found;
    }
  }
  return undefined;
}
