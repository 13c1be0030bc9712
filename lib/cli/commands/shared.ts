/**
 * Pieces shared by the `atmos auth` commands: the `--identity` flag and identity selection
 * against the loaded configuration (human-readable session facts are in `session_view.ts`).
 *
 * @module
 */
import type { FlagSpec, Invocation } from "../command.ts";
import type { Runtime } from "../runtime.ts";
import { SELECT_SENTINEL, selectIdentity } from "../../auth/select.ts";
import type { AuthManager } from "../../auth/manager.ts";

/** `-i/--identity [=name]`: bare opens a picker; `false|0|no|off` disables authentication. */
export const IDENTITY_FLAG: FlagSpec = {
  name: "identity",
  short: "i",
  type: "string",
  description:
    "identity to use (bare: choose interactively; false/0/no/off: no authentication; env ATMOS_IDENTITY)",
  optionalValue: SELECT_SENTINEL,
  valueName: "name",
  persistent: true,
  complete: "identity",
};

/** `--mfa-token`: the current TOTP code for identities with an MFA device. */
export const MFA_FLAG: FlagSpec = {
  name: "mfa-token",
  type: "string",
  description:
    "current MFA (TOTP) code, for aws/user identities with mfa_arn (env ATMOS_MFA_TOKEN)",
  valueName: "code",
  persistent: true,
};

/** `--no-browser`: show the sign-in URL without opening a browser. */
export const NO_BROWSER_FLAG: FlagSpec = {
  name: "no-browser",
  type: "boolean",
  description: "never open a browser for an IAM Identity Center sign-in (CI never does)",
  persistent: true,
};

/** `-s/--stack <stack>`, completing stack names; `description` says what the stack selects. */
export function stackFlag(description: string): FlagSpec {
  return {
    name: "stack",
    short: "s",
    type: "string",
    description,
    valueName: "stack",
    complete: "stack",
  };
}

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
