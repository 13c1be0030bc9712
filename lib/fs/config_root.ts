/**
 * The check of atmos's own directory (`<config>/atmos`, the writer root) before anything reads
 * from or writes to it. The writer's path guard refuses symlinks *below* the root; this refuses
 * the root itself when it is a symlink (credentials would land wherever it points, and cached
 * ones would be read from there), is not a directory, or belongs to another user (a shared
 * `XDG_CONFIG_HOME` such as one under `/tmp`, where someone else created it first).
 *
 * Symlinked *parents* (`~/.config` → a dotfiles checkout) are followed on purpose: they are the
 * user's own layout, outside the directory atmos owns, and every XDG program follows them.
 *
 * Kept free of imports but `errors.ts`, because it runs on every command that touches the
 * config dir (one `lstat`).
 *
 * @module
 */

import { AtmosError } from "../errors.ts";

/**
 * Throws a usage error (exit 2) when `dir` exists and is a symlink, not a directory, or owned
 * by another user. A missing `dir` is fine (it is created 0700 on first write).
 */
export function checkConfigRoot(dir: string): void {
  let info: Deno.FileInfo;
  try {
    info = Deno.lstatSync(dir);
  } catch (error) {
    if (error instanceof Deno.errors.NotFound) return;
    throw error;
  }
  if (info.isSymlink) {
    throw refused(dir, `is a symbolic link (to "${linkTarget(dir)}")`, "replace the link");
  }
  if (!info.isDirectory) throw refused(dir, "is not a directory", "move it away");
  const uid = currentUid();
  if (uid !== null && info.uid !== null && info.uid !== uid) {
    throw refused(dir, `belongs to another user (uid ${info.uid})`, "move it away");
  }
}

function refused(dir: string, what: string, fix: string): AtmosError {
  return new AtmosError(
    `The atmos config directory "${dir}" ${what}; atmos keeps credentials only in a directory of its own`,
    {
      exitCode: 2,
      hint:
        `${fix} and run again (atmos creates it), or point ATMOS_XDG_CONFIG_HOME at a directory you own`,
    },
  );
}

function linkTarget(path: string): string {
  try {
    return Deno.readLinkSync(path);
  } catch {
    return "?";
  }
}

function currentUid(): number | null {
  try {
    return Deno.uid();
  } catch {
    // Without sys permission (unit tests run with fewer flags) ownership is not checked.
    return null;
  }
}
