/**
 * The fast path of a warm `auth exec` or `auth shell`: the identity's session from the plan its
 * last login or renewal kept (lib/auth/session_plan.ts), so the child starts without loading the
 * auth manager, the kinds or the validation of the `auth:` section. Taken only when the
 * identity is chosen without a picker (`--identity <name>`, `ATMOS_IDENTITY`, the default
 * identity) and named exactly as configured; anything else — no plan, another configuration,
 * no fresh session in the files, any error at all — leaves the full path to decide, and to
 * report problems as it always does.
 *
 * @module
 */
import type { Invocation } from "../command.ts";
import type { Runtime } from "../runtime.ts";
import type { Session } from "../../auth/session.ts";
import { SELECT_SENTINEL } from "../../auth/select_sentinel.ts";
import { selectIdentity } from "../../auth/select.ts";
import { plannedSession, valuesAt } from "../../auth/session_plan.ts";
import { registry } from "../../auth/registry/table.ts";
import { storePassword } from "../../auth/secrets.ts";
import { realmSetting } from "../../auth/realm.ts";

/** A session from its plan, and the secret values its children must not receive. */
export interface PlannedSession {
  session: Session;
  secrets: string[];
}

/** The planned session of the identity the command line chooses, or `undefined`. */
export async function plannedSessionFor(
  rt: Runtime,
  inv: Invocation,
  positional?: string,
): Promise<PlannedSession | undefined> {
  try {
    const flag = positional ??
      (inv.given.has("identity") ? String(inv.flags.identity ?? SELECT_SENTINEL) : undefined);
    if (flag === SELECT_SENTINEL) return undefined;
    const auth = (await rt.config()).config.auth;
    if (!auth?.identities || typeof auth.identities !== "object") return undefined;
    const choice = await selectIdentity({
      flag,
      envValue: rt.env.ATMOS_IDENTITY,
      auth,
      interactive: false,
      pick: () => Promise.reject(new Error("no picker on the fast path")),
      whenUnset: "error",
    });
    if (choice.kind !== "identity") return undefined;
    const found = await plannedSession({
      configDir: rt.configDir,
      realm: realmSetting(rt.envLookup, auth).realm,
      identity: choice.name,
      auth,
      atmosCommand: rt.atmosCommand(),
      registry,
      now: Date.now(),
    });
    if (!found.session) {
      rt.logger.debug(`session plan of "${choice.name}" not used: ${found.reason}`);
      return undefined;
    }
    rt.logger.debug(`session plan of "${choice.name}" used (its files hold a fresh session)`);
    return {
      session: found.session,
      secrets: [...storePassword(auth, rt.envLookup), ...valuesAt(auth, found.secretPaths)],
    };
  } catch (error) {
    rt.logger.debug(`session plan not used: ${(error as Error).message}`);
    return undefined;
  }
}
