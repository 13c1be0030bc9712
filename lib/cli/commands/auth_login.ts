/**
 * `atmos auth login [identity]`: authenticates an identity and writes its credential files.
 *
 * @module
 */
import { AtmosError, UsageError } from "../../errors.ts";
import type { CommandSpec } from "../command.ts";
import type { Runtime } from "../runtime.ts";
import { chooseIdentity } from "./shared.ts";
import { formatExpiry, keyValueLines, sessionRows } from "./session_view.ts";

/** Builds the `auth login` command. */
export function authLoginCommand(rt: Runtime): CommandSpec {
  return {
    name: "login",
    summary: "Authenticate an identity and write its short-lived credentials",
    description:
      "Authenticates the identity (from the argument, --identity, ATMOS_IDENTITY or the default) and writes its session to 0600 files under the atmos config dir. Cached credentials with more than 5 minutes left are reused unless --force is given.",
    args: [{
      name: "identity",
      description: "identity to log in (same as --identity)",
      complete: "identity",
    }],
    flags: [{
      name: "force",
      type: "boolean",
      description: "re-authenticate even when cached credentials are valid",
    }, {
      name: "provider",
      short: "p",
      type: "string",
      description:
        "sign in to a provider only (e.g. IAM Identity Center; discovers identities with auto_provision_identities)",
      valueName: "name",
      complete: "provider",
    }],
    examples: [
      "atmos auth login prod-admin",
      "atmos auth login -i dev --mfa-token 123456",
      "atmos auth login --provider company-sso",
    ],
    async run(inv) {
      const named = inv.args.identity !== undefined || inv.given.has("identity");
      let provider = inv.flags.provider as string | undefined;
      if (provider !== undefined && named) {
        throw new UsageError("choose an identity or --provider, not both");
      }
      if (provider === undefined && !named && !rt.env.ATMOS_IDENTITY) {
        provider = await bootstrapProvider(rt);
      }
      if (provider !== undefined) {
        const manager = await rt.manager();
        const name = manager.resolveProvider(provider);
        const expiration = await manager.loginProvider(name);
        rt.err(
          `✓ Signed in to provider "${name}"\n\n${
            keyValueLines([["Provider", name], ["Expires", formatExpiry(expiration)]])
          }`,
        );
        return 0;
      }
      const { manager, identity } = await chooseIdentity(rt, inv, {
        positional: inv.args.identity as string | undefined,
      });
      if (!identity) {
        throw new AtmosError(
          "authentication is disabled (--identity=false or ATMOS_IDENTITY=false)",
          {
            exitCode: 2,
            hint: "name an identity to log in",
          },
        );
      }
      const session = await manager.session(identity, { force: inv.flags.force === true });
      // A session found cached gets its plan too (a login writes its own).
      if (session.source === "cache") await manager.keepPlan(identity);
      const note = session.source === "cache" ? " (cached credentials are still valid)" : "";
      rt.err(
        `✓ Authentication successful${note}\n\n${keyValueLines(sessionRows(rt, manager, session))}`,
      );
      return 0;
    },
  };
}

/**
 * With no identity configured and exactly one provider (typically IAM Identity Center with
 * `auto_provision_identities`), `auth login` signs in to that provider, as Atmos does.
 */
async function bootstrapProvider(rt: Runtime): Promise<string | undefined> {
  const manager = await rt.manager();
  const providers = Object.keys(manager.auth.providers ?? {});
  if (manager.identityNames().length > 0 || providers.length !== 1) return undefined;
  return providers[0];
}
