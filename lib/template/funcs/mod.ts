/**
 * The Sprig/gomplate function subset, by name (one file per group).
 *
 * @module
 */

import type { FuncSpec } from "../func_spec.ts";
import { CONVERSION_FUNCS } from "./conversion.ts";
import { DEFAULT_FUNCS } from "./defaults.ts";
import { DICT_FUNCS } from "./dicts.ts";
import { ENCODING_FUNCS } from "./encoding.ts";
import { ENV_FUNCS } from "./env.ts";
import { LIST_FUNCS } from "./lists.ts";
import { MATH_FUNCS } from "./math.ts";
import { REGEX_FUNCS } from "./regex.ts";
import { STRING_FUNCS } from "./strings.ts";

/** All Sprig functions the engine provides. */
export const SPRIG_FUNCS: ReadonlyMap<string, FuncSpec> = new Map<string, FuncSpec>(
  [
    DEFAULT_FUNCS,
    STRING_FUNCS,
    LIST_FUNCS,
    DICT_FUNCS,
    CONVERSION_FUNCS,
    MATH_FUNCS,
    ENCODING_FUNCS,
    REGEX_FUNCS,
    ENV_FUNCS,
  ].flatMap((group) => Object.entries(group)),
);
