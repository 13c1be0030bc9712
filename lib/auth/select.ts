/**
 * Identity selection, in the precedence of Atmos (reference atmos-auth.md §6):
 * `--identity=false|0|no|off` → `--identity=<name>` → bare `--identity` (picker) →
 * `ATMOS_IDENTITY` (same values) → the one `default: true` identity → picker or error.
 *
 * @module
 */
import { nameList } from "../config/name_list.ts";
import { AtmosError } from "../errors.ts";
import { SELECT_SENTINEL } from "./select_sentinel.ts";
import type { AuthConfig } from "../config/types.ts";

export { SELECT_SENTINEL } from "./select_sentinel.ts";

const DISABLED = new Set(["false", "0", "no", "off"]);

/** Outcome of identity selection. */
export type IdentityChoice =
  | { kind: "identity"; name: string; reason: "flag" | "env" | "default" | "picked" }
  | { kind: "disabled"; reason: "flag" | "env" }
  | { kind: "none" };

/** Inputs to {@linkcode selectIdentity}. */
export interface SelectInput {
  /** `--identity` value when the flag was given (SELECT_SENTINEL when bare). */
  flag?: string;
  /** `ATMOS_IDENTITY`. */
  envValue?: string;
  auth: AuthConfig;
  /** True when a picker can be shown. */
  interactive: boolean;
  /** Shows a picker; only called when `interactive`. */
  pick(message: string, options: string[]): Promise<string>;
  /** When nothing selects an identity: `error` (auth commands) or `none` (optional auth). */
  whenUnset: "error" | "none";
}

/** True for `false`, `0`, `no`, `off` (any case). */
export function isDisabledValue(value: string): boolean {
  return DISABLED.has(value.trim().toLowerCase());
}

/** Applies the precedence rules; names are returned as given (resolve them with the manager). */
export async function selectIdentity(input: SelectInput): Promise<IdentityChoice> {
  const identities = Object.keys(input.auth.identities ?? {}).sort();
  if (input.flag !== undefined) {
    if (input.flag === SELECT_SENTINEL) {
      if (!input.interactive) {
        throw new AtmosError("--identity needs a value when not running on a terminal", {
          exitCode: 2,
          hint: identities.length > 0
            ? `use --identity=<name>; identities: ${nameList(identities)}`
            : "no identities are configured",
        });
      }
      if (identities.length === 0) {
        throw new AtmosError("no identities are configured", {
          exitCode: 2,
          hint: "add identities under auth.identities in atmos.yaml",
        });
      }
      return {
        kind: "identity",
        name: await input.pick("Choose an identity:", identities),
        reason: "picked",
      };
    }
    if (isDisabledValue(input.flag)) return { kind: "disabled", reason: "flag" };
    if (input.flag.trim() === "") {
      throw new AtmosError("--identity needs a name", {
        exitCode: 2,
        hint: "use --identity=<name>",
      });
    }
    return { kind: "identity", name: input.flag, reason: "flag" };
  }
  if (input.envValue !== undefined && input.envValue !== "") {
    if (isDisabledValue(input.envValue)) return { kind: "disabled", reason: "env" };
    return { kind: "identity", name: input.envValue, reason: "env" };
  }
  const defaults = identities.filter((name) => input.auth.identities?.[name]?.default === true);
  if (defaults.length === 1) return { kind: "identity", name: defaults[0], reason: "default" };
  if (input.whenUnset === "none" && defaults.length === 0) return { kind: "none" };
  if (input.interactive && identities.length > 0) {
    const message = defaults.length > 1
      ? "Multiple default identities found. Choose one:"
      : "No default identity configured. Choose an identity:";
    const name = await input.pick(message, defaults.length > 1 ? defaults : identities);
    return { kind: "identity", name, reason: "picked" };
  }
  if (input.whenUnset === "none") return { kind: "none" };
  if (identities.length === 0) {
    throw new AtmosError("no identities are configured", {
      exitCode: 2,
      hint: "add identities under auth.identities in atmos.yaml",
    });
  }
  if (defaults.length > 1) {
    throw new AtmosError(`multiple default identities found: ${nameList(defaults)}`, {
      exitCode: 2,
      hint: "pass --identity=<name>, set ATMOS_IDENTITY, or keep one default: true",
    });
  }
  throw new AtmosError("no default identity configured", {
    exitCode: 2,
    hint: `pass --identity=<name> or set ATMOS_IDENTITY (identities: ${
      nameList(identities)
    }), or mark one identity default: true`,
  });
}
