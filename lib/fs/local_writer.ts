/**
 * The file operations behind every writer, run in the calling thread: the writer worker runs them
 * for the sandboxed writer, unit tests run them directly through {@linkcode directWriter}. Every
 * operation first passes {@linkcode checkWritePath}.
 *
 * @module
 */

import { basename, dirname, join } from "./path.ts";
import { AtmosError } from "../errors.ts";
import { checkWritePath, lstatOrUndefined, refusal, type WriterRoot } from "./guard.ts";
import { acquireLock, DEFAULT_LOCK_TIMEOUT_MS, type HeldLock } from "./lock.ts";

/** Default mode of directories the writer creates. */
export const DEFAULT_DIR_MODE = 0o700;
/** Default mode of files the writer writes. */
export const DEFAULT_FILE_MODE = 0o600;

const IS_WINDOWS = Deno.build.os === "windows";

/** The writer operations with the lock as an explicit handle (what the worker protocol needs). */
export interface LocalWriter {
  readonly root: WriterRoot;
  mkdir(path: string, mode?: number): Promise<void>;
  writeAtomic(path: string, data: string | Uint8Array, mode?: number): Promise<void>;
  remove(path: string, options?: { recursive?: boolean }): Promise<void>;
  /** Takes the exclusive lock on `${path}.lock`, creating its directory when missing. */
  lock(path: string, timeoutMs?: number): Promise<HeldLock>;
}

/** Creates the operations for a root that exists (see {@linkcode WriterRoot}). */
export function localWriter(root: WriterRoot): LocalWriter {
  return {
    root,
    async mkdir(path, mode = DEFAULT_DIR_MODE) {
      await ensureDir(root, await checkWritePath(root, path), mode, path);
    },
    async writeAtomic(path, data, mode = DEFAULT_FILE_MODE) {
      const target = await checkWritePath(root, path);
      if (target === root.real) throw refusal(path, "it is the writer root");
      await ensureDir(root, dirname(target), DEFAULT_DIR_MODE, path);
      await writeViaRename(target, data, mode);
    },
    async remove(path, options = {}) {
      const target = await checkWritePath(root, path);
      if (target === root.real) throw refusal(path, "it is the writer root");
      try {
        await Deno.remove(target, { recursive: options.recursive ?? false });
      } catch (error) {
        if (!(error instanceof Deno.errors.NotFound)) throw error;
      }
    },
    async lock(path, timeoutMs = DEFAULT_LOCK_TIMEOUT_MS) {
      const lockPath = await checkWritePath(root, `${path}.lock`);
      await ensureDir(root, dirname(lockPath), DEFAULT_DIR_MODE, path);
      // Checked again now that the directory exists: it may have been created by someone else.
      await checkWritePath(root, lockPath);
      return await acquireLock(lockPath, timeoutMs);
    },
  };
}

/**
 * Creates `dir` (already checked, spelled under `root.real`) and any missing parents below the
 * root with `mode`, applied with chmod so the umask does not matter. Existing directories that
 * group or others can access are tightened to `mode` (credentials never sit in a readable dir).
 */
async function ensureDir(root: WriterRoot, dir: string, mode: number, shown: string) {
  const rel = dir.slice(root.real.length).split(/[\\/]/).filter((s) => s !== "");
  let current = root.real;
  for (const segment of rel) {
    current = join(current, segment);
    let info = await lstatOrUndefined(current);
    if (info === undefined) {
      try {
        await Deno.mkdir(current, { mode });
        if (!IS_WINDOWS) await Deno.chmod(current, mode);
        continue;
      } catch (error) {
        if (!(error instanceof Deno.errors.AlreadyExists)) throw error;
        info = await Deno.lstat(current);
      }
    }
    if (info.isSymlink) throw refusal(shown, `"${current}" is a symlink`);
    if (!info.isDirectory) throw refusal(shown, `"${current}" is not a directory`);
    if (!IS_WINDOWS && info.mode !== null && (info.mode & 0o077) !== 0) {
      await Deno.chmod(current, mode);
    }
  }
}

async function writeViaRename(target: string, data: string | Uint8Array, mode: number) {
  const bytes = typeof data === "string" ? new TextEncoder().encode(data) : data;
  const temp = join(dirname(target), `.${basename(target)}.${randomSuffix()}.tmp`);
  const file = await Deno.open(temp, { write: true, createNew: true, mode });
  try {
    try {
      if (!IS_WINDOWS) await Deno.chmod(temp, mode);
      let written = 0;
      while (written < bytes.length) written += await file.write(bytes.subarray(written));
      await file.syncData();
    } finally {
      file.close();
    }
    await Deno.rename(temp, target);
  } catch (error) {
    await Deno.remove(temp).catch(() => {});
    if (error instanceof Deno.errors.IsADirectory) {
      throw new AtmosError(`Cannot write "${target}": it is a directory`, { cause: error });
    }
    throw error;
  }
}

function randomSuffix(): string {
  const bytes = crypto.getRandomValues(new Uint8Array(6));
  return Array.from(bytes, (b) => b.toString(16).padStart(2, "0")).join("");
}
