/**
 * Pieces shared by the `atmos auth` commands: the `--identity` flag, identity selection
 * against the loaded configuration, and human-readable session facts.
 *
 * @module
 */
import type { FlagSpec, Invocation } from "../command.ts";
import type { Runtime } from "../runtime.ts";
import { SELECT_SENTINEL, selectIdentity } from "../../auth/select.ts";
import type { Session } from "../../auth/session.ts";
import type { AuthManager } from "../../auth/manager.ts";
import { formatDuration } from "../output.ts";

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
  options: { positional?: string; whenUnset?: "error" | "none" } = {},
): Promise<Chosen> {
  const manager = await rt.manager();
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

/** Replaces the home directory with `~` for display. */
export function tildify(path: string, env: Record<string, string>): string {
  const home = env.HOME;
  return home && path.startsWith(home + "/") ? `~${path.slice(home.length)}` : path;
}

/** Formats an expiry as `2026-08-20 18:04:05 UTC (59m 12s)`. */
export function formatExpiry(expiration: Date | undefined, now = Date.now()): string {
  if (!expiration) return "never";
  const iso = expiration.toISOString().replace("T", " ").replace(/\.\d+Z$/, " UTC");
  return `${iso} (${formatDuration(expiration.getTime() - now)})`;
}

/** Key/value rows describing a session, for aligned display. */
export function sessionRows(rt: Runtime, manager: AuthManager, session: Session): string[][] {
  const rows: string[][] = [];
  if (manager.realm) rows.push(["Realm", manager.realm]);
  rows.push(["Identity", `${session.identity} (${session.kind})`]);
  rows.push(["Provider", session.root]);
  if (session.principal) rows.push(["Principal", session.principal]);
  if (session.region) rows.push(["Region", session.region]);
  const files = Object.values(session.files);
  if (files.length > 0) {
    rows.push(["Expires", formatExpiry(session.expiration)]);
    rows.push(["Files", tildify(files[0], rt.env)]);
  }
  return rows;
}

/** Renders `[key, value]` rows as indented, aligned lines. */
export function keyValueLines(rows: string[][]): string {
  const width = Math.max(...rows.map((r) => r[0].length));
  return rows.map(([k, v]) => `  ${k.padEnd(width)}  ${v}`).join("\n") + "\n";
}
