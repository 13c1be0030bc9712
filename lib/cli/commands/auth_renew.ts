/**
 * `atmos auth renew [identity]`: a new session for the identity now, from what is cached —
 * its own link runs again from the nearest fresh link before it — never prompting and never
 * showing a sign-in. atmos runs it in the background to keep a running child's credential files
 * valid (see lib/auth/background_renewal.ts); it also suits a cron job.
 *
 * Exit 0 when renewed; 3 when a person must act (an MFA code, a browser sign-in), with one line
 * naming the command to run in another terminal; otherwise the usual codes.
 *
 * @module
 */
import { AtmosError, EXIT_NEEDS_PERSON, needsPerson } from "../../errors.ts";
import type { CommandSpec } from "../command.ts";
import type { Runtime } from "../runtime.ts";
import { chooseIdentity } from "./shared.ts";
import { stackFlag } from "./flags.ts";
import type { Invocation } from "../command.ts";
import type { AuthManager } from "../../auth/manager.ts";

/** Builds the `auth renew` command. */
export function authRenewCommand(rt: Runtime): CommandSpec {
  return {
    name: "renew",
    summary: "Renew an identity's session now, without prompting",
    description:
      "Gets a new session for the identity from what is cached (a role is re-assumed from the session before it, an IAM Identity Center token is refreshed), whatever is left of the current one. Never prompts: when a link needs a person (an MFA code, a sign-in), prints the command to run on a terminal and exits 3.",
    args: [{
      name: "identity",
      description: "identity to renew (same as --identity)",
      complete: "identity",
    }],
    flags: [
      {
        name: "component",
        type: "string",
        description: "take the identity from this component's auth in --stack (as atmos terraform)",
        valueName: "component",
        complete: "component",
      },
      stackFlag("the stack of --component"),
    ],
    examples: ["atmos auth renew prod-admin", "atmos auth renew deployer --component vpc -s prod"],
    async run(inv) {
      const { manager, identity } = await chooseIdentity(rt, inv, {
        positional: inv.args.identity as string | undefined,
        manager: await componentManager(rt, inv),
      });
      if (!identity) {
        throw new AtmosError("authentication is disabled; name an identity to renew", {
          exitCode: 2,
        });
      }
      try {
        const session = await manager.renew(identity);
        rt.logger.debug(`renewed "${identity}" until ${session.expiration?.toISOString()}`);
        return 0;
      } catch (error) {
        if (!needsPerson(error)) throw error;
        const expires = manager.storedExpiration(identity);
        const until = expires
          ? ` before ${expires.toISOString().replace("T", " ").replace(/\.\d+Z$/, " UTC")}`
          : "";
        rt.err(
          `atmos: cannot renew "${identity}" without you (${
            (error as Error).message
          }); run "atmos auth login ${identity}" in another terminal${until}\n`,
        );
        return EXIT_NEEDS_PERSON;
      }
    },
  };
}

/** The manager over a component's merged auth, with --component and --stack; else undefined. */
async function componentManager(rt: Runtime, inv: Invocation): Promise<AuthManager | undefined> {
  const component = inv.flags.component as string | undefined;
  const stack = inv.flags.stack as string | undefined;
  if (component === undefined && stack === undefined) return undefined;
  if (!component || !stack) {
    throw new AtmosError("--component and --stack go together", { exitCode: 2 });
  }
  const [{ resolveComponent }, { withComponentAuth }] = await Promise.all([
    import("../../stack/mod.ts"),
    import("./terraform_run.ts"),
  ]);
  const loaded = await rt.config();
  const resolved = await resolveComponent(loaded, {
    component,
    stack,
    env: rt.envLookup,
    cwd: rt.cwd,
    type: "terraform",
  });
  return await rt.managerFor(withComponentAuth(loaded, resolved));
}
