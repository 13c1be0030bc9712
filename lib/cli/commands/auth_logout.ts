/**
 * `atmos auth logout`: removes cached session credentials (file sections or whole provider
 * directories). Long-lived keys in the credential store are kept.
 *
 * @module
 */
import { AtmosError, UsageError } from "../../errors.ts";
import type { CommandSpec } from "../command.ts";
import type { Runtime } from "../runtime.ts";
import { findName } from "../../config/names.ts";
import { didYouMean } from "../../config/suggest.ts";
import type { AuthManager } from "../../auth/manager.ts";
import { tildify } from "./session_view.ts";

/** Builds the `auth logout` command. */
export function authLogoutCommand(rt: Runtime): CommandSpec {
  return {
    name: "logout",
    summary: "Remove cached credentials of an identity, a provider, or all",
    args: [{
      name: "identity",
      description: "identity to log out (same as --identity)",
      complete: "identity",
    }],
    flags: [
      {
        name: "provider",
        short: "p",
        type: "string",
        description: "log out every identity of this provider",
        valueName: "name",
        complete: "provider",
      },
      { name: "all", type: "boolean", description: "log out every identity and provider" },
      {
        name: "dry-run",
        type: "boolean",
        description: "show what would be removed, remove nothing",
      },
    ],
    async run(inv) {
      const manager = await rt.manager();
      manager.assertValid();
      const dryRun = inv.flags["dry-run"] === true;
      const named = (inv.args.identity as string | undefined) ??
        (inv.given.has("identity") ? String(inv.flags.identity) : undefined);
      const provider = inv.flags.provider as string | undefined;
      const chosen = [named !== undefined, provider !== undefined, inv.flags.all === true].filter(
        Boolean,
      );
      if (chosen.length !== 1) {
        throw new UsageError(
          chosen.length === 0
            ? "nothing to log out"
            : "choose one of an identity, --provider or --all",
          { hint: "atmos auth logout <identity> | --provider <name> | --all" },
        );
      }
      let removed: string[] = [];
      if (named !== undefined) {
        removed = await manager.logoutIdentity(named, { dryRun });
      } else if (provider !== undefined) {
        removed = await manager.logoutRoot(logoutRootName(manager, provider), { dryRun });
      } else {
        const roots = new Set([
          ...manager.configuredRoots(),
          ...Object.keys(manager.auth.providers ?? {}),
        ]);
        for (const root of [...roots].sort()) {
          removed.push(...await manager.logoutRoot(root, { dryRun }));
        }
      }
      const verb = dryRun ? "Would remove" : "Removed";
      if (removed.length === 0) rt.err("Nothing to remove: no cached credentials found\n");
      for (const item of removed) rt.err(`${verb} ${tildify(item, rt.env)}\n`);
      return 0;
    },
  };
}

/**
 * The root `--provider` names: a configured provider (exact, then case-insensitive), or the
 * directory of configured chains or of a standalone kind (e.g. `aws-user`).
 */
function logoutRootName(manager: AuthManager, provider: string): string {
  const configured = findName(manager.auth.providers ?? {}, provider);
  if (configured) return configured;
  const roots = [...manager.configuredRoots(), ...manager.fixedRoots()];
  if (roots.includes(provider)) return provider;
  throw new AtmosError(
    `unknown provider "${provider}"${
      didYouMean(provider, [...roots, ...Object.keys(manager.auth.providers ?? {})])
    }`,
    { exitCode: 2 },
  );
}
