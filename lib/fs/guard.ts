/**
 * The path check shared by the writer worker and {@linkcode directWriter}: a write target must lie
 * inside the writer root, and no existing component between the root and the target (nor the
 * target itself) may be a symlink. Deno's permission check looks at the literal path only, so a
 * symlink inside the root that points elsewhere would otherwise let a write escape.
 *
 * @module
 */

import { isAbsolute, join, relative, resolve, sep } from "./path.ts";
import { AtmosError } from "../errors.ts";

/** The writer root, as the caller spelled it and as the file system resolves it. */
export interface WriterRoot {
  /** Absolute, normalised path as given (may contain symlinked parents such as `~/.config`). */
  readonly given: string;
  /** `Deno.realPath` of the root; all operations use this spelling. */
  readonly real: string;
}

/** Builds a {@linkcode WriterRoot} from a path that exists. */
export function writerRoot(given: string, real: string): WriterRoot {
  return { given: resolve(given), real: resolve(real) };
}

/**
 * Returns the segments of `path` below the root (empty for the root itself), or throws
 * `Refusing to write "<path>": <reason>` when the path leaves the root. Relative paths are taken
 * relative to the root. Pure: touches no file.
 */
export function segmentsInsideRoot(root: WriterRoot, path: string): string[] {
  if (path === "" || path.includes("\0")) throw refusal(path, "not a valid path");
  const absolute = resolve(root.real, path);
  const rel = relativeInside(root.given, absolute) ?? relativeInside(root.real, absolute);
  if (rel === undefined) throw refusal(path, `it is outside "${root.given}"`);
  return rel === "" ? [] : rel.split(sep);
}

/**
 * Checks a write target and returns its path spelled under `root.real`. Throws
 * `Refusing to write "<path>": <reason>` when the target is outside the root, when an existing
 * component below the root is a symlink or not a directory, or when the existing target is a
 * symlink.
 */
export async function checkWritePath(root: WriterRoot, path: string): Promise<string> {
  const segments = segmentsInsideRoot(root, path);
  let current = root.real;
  for (let i = 0; i < segments.length; i++) {
    current = join(current, segments[i]);
    const info = await lstatOrUndefined(current);
    if (info === undefined) break;
    const isTarget = i === segments.length - 1;
    if (info.isSymlink) {
      throw refusal(path, isTarget ? "it is a symlink" : `"${current}" is a symlink`);
    }
    if (!isTarget && !info.isDirectory) throw refusal(path, `"${current}" is not a directory`);
  }
  return join(root.real, ...segments);
}

/** The error every refused write throws. */
export function refusal(path: string, reason: string): AtmosError {
  return new AtmosError(`Refusing to write "${path}": ${reason}`);
}

/** `Deno.lstat`, with `undefined` for a missing path. */
export async function lstatOrUndefined(path: string): Promise<Deno.FileInfo | undefined> {
  try {
    return await Deno.lstat(path);
  } catch (error) {
    if (error instanceof Deno.errors.NotFound) return undefined;
    throw error;
  }
}

function relativeInside(base: string, absolute: string): string | undefined {
  const rel = relative(base, absolute);
  if (rel === "") return "";
  if (isAbsolute(rel) || rel === ".." || rel.startsWith(".." + sep)) return undefined;
  return rel;
}
