/**
 * Atmos base directories, resolved the way Atmos does (`pkg/xdg/xdg.go`):
 * `ATMOS_XDG_<X>_HOME` → `XDG_<X>_HOME` → `$HOME/.config` or `$HOME/.cache`, then `/atmos`.
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
  const explicit = nonEmpty(env.get(`ATMOS_XDG_${kind}_HOME`)) ??
    nonEmpty(env.get(`XDG_${kind}_HOME`));
  if (explicit !== undefined) return trimTrailingSlash(explicit);
  const home = nonEmpty(env.get("HOME")) ?? nonEmpty(env.get("USERPROFILE"));
  if (home === undefined) {
    throw new AtmosError(
      `Cannot find the ${kind.toLowerCase()} directory: neither XDG_${kind}_HOME nor HOME is set`,
      { hint: `set HOME or XDG_${kind}_HOME` },
    );
  }
  return trimTrailingSlash(home) + "/" + fallback;
}

function nonEmpty(value: string | undefined): string | undefined {
  return value === undefined || value === "" ? undefined : value;
}

function trimTrailingSlash(path: string): string {
  // "/" becomes "" so that appending "/atmos" gives "/atmos", not "//atmos".
  return path.replace(/[\\/]+$/, "");
}
