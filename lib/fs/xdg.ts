/**
 * Atmos base directories, resolved the way Atmos does (`pkg/xdg/xdg.go`):
 * `ATMOS_XDG_<X>_HOME` → `XDG_<X>_HOME` → `$HOME/.config` or `$HOME/.cache`, then `/atmos`.
 *
 * Relative values are never used as they are: a relative path would put credentials under the
 * working directory of whichever command runs atmos (a different place in every directory).
 * Following the XDG Base Directory spec ("If an implementation encounters a relative path in any
 * of these variables it should consider the path invalid and ignore it"), a relative
 * `XDG_<X>_HOME` is ignored; a relative `ATMOS_XDG_<X>_HOME` or `HOME` is an error (exit 2),
 * since atmos has nothing sensible to fall back to.
 *
 * Hand-written (no `node:path`): joining with `/` is all that is needed and keeps startup cheap.
 *
 * @module
 */

import { AtmosError } from "../errors.ts";
import type { EnvGetter } from "../env.ts";

/** `<ATMOS_XDG_CONFIG_HOME | XDG_CONFIG_HOME | $HOME/.config>/atmos`. */
export function atmosConfigDir(env: EnvGetter): string {
  return baseDir(env, "CONFIG", ".config") + "/atmos";
}

/** `<ATMOS_XDG_CACHE_HOME | XDG_CACHE_HOME | $HOME/.cache>/atmos`. */
export function atmosCacheDir(env: EnvGetter): string {
  return baseDir(env, "CACHE", ".cache") + "/atmos";
}

function baseDir(env: EnvGetter, kind: string, fallback: string): string {
  const atmosName = `ATMOS_XDG_${kind}_HOME`;
  const atmosValue = nonEmpty(env.get(atmosName));
  if (atmosValue !== undefined) return trimTrailingSlash(absolute(atmosName, atmosValue));
  const xdg = nonEmpty(env.get(`XDG_${kind}_HOME`));
  if (xdg !== undefined && isAbsolutePath(xdg)) return trimTrailingSlash(xdg);
  const homeName = nonEmpty(env.get("HOME")) !== undefined ? "HOME" : "USERPROFILE";
  const home = nonEmpty(env.get(homeName));
  if (home === undefined) {
    const ignored = xdg === undefined ? "" : ` (XDG_${kind}_HOME="${xdg}" is relative, so ignored)`;
    throw new AtmosError(
      `Cannot find the ${kind.toLowerCase()} directory: neither XDG_${kind}_HOME nor HOME is set${ignored}`,
      { hint: `set HOME, or XDG_${kind}_HOME to an absolute path`, exitCode: 2 },
    );
  }
  return trimTrailingSlash(absolute(homeName, home)) + "/" + fallback;
}

/** `value` when it is an absolute path, else a usage error naming the variable. */
function absolute(name: string, value: string): string {
  if (isAbsolutePath(value)) return value;
  throw new AtmosError(`${name} must be an absolute path, not "${value}"`, {
    hint: `set ${name} to an absolute path such as "/home/you"`,
    exitCode: 2,
  });
}

/** `/x` on any system; `C:\x`, `C:/x` or `\\server\share` (Windows spellings) too. */
function isAbsolutePath(path: string): boolean {
  return path.startsWith("/") || /^[A-Za-z]:[\\/]/.test(path) || path.startsWith("\\\\");
}

function nonEmpty(value: string | undefined): string | undefined {
  return value === undefined || value === "" ? undefined : value;
}

function trimTrailingSlash(path: string): string {
  // "/" becomes "" so that appending "/atmos" gives "/atmos", not "//atmos".
  return path.replace(/[\\/]+$/, "");
}
