/**
 * Identity selection against the loaded configuration, shared by the `atmos auth` commands (their
 * flags are in `flags.ts`, human-readable session facts in `session_view.ts`).
 *
 * @module
 */
import type { Invocation } from "../command.ts";
import type { Runtime } from "../runtime.ts";
import { SELECT_SENTINEL, selectIdentity } from "../../auth/select.ts";
import type { AuthManager } from "../../auth/manager.ts";

/** The chosen identity, `null` when authentication is disabled. */
export interface Chosen {
  manager: AuthManager;
  identity: string | null;
}

/**
 * Chooses the identity for a command: a positional name (when the command takes one) wins
 * over `--identity`, then the usual precedence.
 */
export async function chooseIdentity(
  rt: Runtime,
  inv: Invocation,
  options: { positional?: string; whenUnset?: "error" | "none"; manager?: AuthManager } = {},
): Promise<Chosen> {
  const manager = options.manager ?? await rt.manager();
  manager.assertValid();
  const flag = options.positional ??
    (inv.given.has("identity") ? String(inv.flags.identity ?? SELECT_SENTINEL) : undefined);
  const choice = await selectIdentity({
    flag,
    envValue: rt.env.ATMOS_IDENTITY,
    auth: manager.auth,
    interactive: rt.interactive,
    pick: rt.pick,
    whenUnset: options.whenUnset ?? "error",
  });
  if (choice.kind !== "identity") return { manager, identity: null };
  return { manager, identity: manager.resolveIdentity(choice.name) };
}
