/**
 * Sprig's `env`: reads the getter the caller passed in the render options, never the
 * process environment (callers decide what a template may see).
 *
 * @module
 */

import type { FuncSpec } from "../func_spec.ts";

/** The environment group. */
export const ENV_FUNCS: Record<string, FuncSpec> = {
  env: { params: ["string"], fn: (a, ctx) => ctx.getenv(a[0] as string) ?? "" },
};
