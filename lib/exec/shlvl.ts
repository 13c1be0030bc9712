/**
 * `ATMOS_SHLVL`: how deeply atmos processes are nested (a workflow running atmos running a
 * workflow …). Every child gets the parent's level plus one; past {@linkcode MAX_SHLVL} atmos
 * refuses, which stops a workflow or custom command that calls itself.
 *
 * @module
 */
import { UsageError } from "../errors.ts";

/** Maximum nesting of atmos shells and subprocesses. */
export const MAX_SHLVL = 10;

/**
 * The `ATMOS_SHLVL` value for children of a process whose environment is `env`.
 *
 * @throws {UsageError} when that level would exceed {@linkcode MAX_SHLVL}.
 */
export function nextShellLevel(env: Record<string, string | undefined>): number {
  const level = Number(env.ATMOS_SHLVL ?? "0");
  const next = (Number.isFinite(level) && level >= 0 ? Math.floor(level) : 0) + 1;
  if (next > MAX_SHLVL) {
    throw new UsageError(
      `ATMOS_SHLVL exceeds the maximum nesting depth (current=${next}, max=${MAX_SHLVL})`,
      { hint: "a workflow, custom command or shell is probably calling itself" },
    );
  }
  return next;
}
