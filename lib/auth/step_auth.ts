/**
 * Authentication for runs of several steps (workflows, custom commands): the `--identity` flag
 * of those commands, up-front checks of every identity a run will use (no network), and the
 * hook that applies a session to a step's environment. Each distinct identity is authenticated
 * at most once per run — {@linkcode AuthManager.session} reuses the in-process session while it
 * has more than 5 minutes left and otherwise the on-disk cache — and re-checked before every
 * step that uses it, so a long run re-authenticates only when a session is about to expire.
 *
 * @module
 */
import { AtmosError } from "../errors.ts";
import type { AuthManager } from "./manager.ts";
import { childEnvironment } from "./environment.ts";
import { isDisabledValue, SELECT_SENTINEL } from "./select.ts";

/** What an `--identity` flag of a workflow or custom command asks for. */
export type IdentityFlag =
  | { kind: "identity"; name: string }
  | { kind: "disabled" }
  | { kind: "unset" };

/**
 * Interprets an `--identity` value: absent → unset, `false|0|no|off` → disabled, bare →
 * a picker on a terminal (an error listing the identities otherwise), else the name.
 * `ATMOS_IDENTITY` and `default: true` identities are not consulted (Atmos does not either).
 */
export async function identityFromFlag(
  value: string | undefined,
  options: {
    identities: string[];
    interactive: boolean;
    pick(message: string, options: string[]): Promise<string>;
  },
): Promise<IdentityFlag> {
  if (value === undefined) return { kind: "unset" };
  if (value === SELECT_SENTINEL) {
    if (!options.interactive || options.identities.length === 0) {
      throw new AtmosError("--identity needs a value when not running on a terminal", {
        exitCode: 2,
        hint: options.identities.length > 0
          ? `use --identity=<name>; identities: ${options.identities.join(", ")}`
          : "no identities are configured under auth.identities",
      });
    }
    return {
      kind: "identity",
      name: await options.pick("Choose an identity:", options.identities),
    };
  }
  if (isDisabledValue(value)) return { kind: "disabled" };
  if (value.trim() === "") {
    throw new AtmosError("--identity needs a name", { exitCode: 2, hint: "use --identity=<name>" });
  }
  return { kind: "identity", name: value };
}

/** Applies sessions to step environments for one run. */
export interface StepAuth {
  /**
   * Validates the identity's configuration and returns its configured name (no network).
   *
   * @throws {AtmosError} exit code 2 for an unknown identity or a broken chain.
   */
  check(identity: string): string;
  /** `env` with the identity's session applied (authenticating when needed). */
  withIdentity(identity: string, env: Record<string, string>): Promise<Record<string, string>>;
}

/** The {@linkcode StepAuth} of a manager. */
export function stepAuth(manager: AuthManager): StepAuth {
  return {
    check(identity) {
      manager.assertValid();
      return manager.resolveIdentity(identity);
    },
    async withIdentity(identity, env) {
      const session = await manager.session(identity);
      return childEnvironment(env, session, manager.configSecrets());
    },
  };
}
