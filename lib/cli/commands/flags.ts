/**
 * Flags several commands share (`--identity`, `--mfa-token`, `--no-browser`, `--stack`). Kept
 * apart from `shared.ts` so that naming a command that needs no identity selection (the
 * `auth credential-process` fast path, which SDKs run before requests) loads no selection code.
 *
 * @module
 */
import type { FlagSpec } from "../command.ts";
import { SELECT_SENTINEL } from "../../auth/select_sentinel.ts";

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
