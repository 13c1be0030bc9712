/**
 * `atmos auth whoami`: who the identity's credentials belong to (STS GetCallerIdentity),
 * with expiry and file locations. Secrets are never printed.
 *
 * @module
 */
import { AtmosError } from "../../errors.ts";
import type { CommandSpec } from "../command.ts";
import type { Runtime } from "../runtime.ts";
import { sessionVariables } from "../../auth/environment.ts";
import { toJson } from "../output.ts";
import { chooseIdentity } from "./shared.ts";
import { keyValueLines, sessionRows, tildify } from "./session_view.ts";

const SECRET_NAME = /SECRET|TOKEN|PASSWORD|PRIVATE|ACCESS_KEY|SESSION/i;

/** Builds the `auth whoami` command. */
export function authWhoamiCommand(rt: Runtime): CommandSpec {
  return {
    name: "whoami",
    summary: "Show who an identity's credentials belong to",
    flags: [{
      name: "output",
      short: "o",
      type: "string",
      description: "output format",
      choices: ["text", "json"],
    }],
    async run(inv) {
      const { manager, identity } = await chooseIdentity(rt, inv);
      if (!identity) throw new AtmosError("authentication is disabled", { exitCode: 2 });
      const session = await manager.session(identity);
      await rt.sealWrites();
      const facts = await manager.whoami(session);
      const principal = facts.principal ?? session.principal;
      const json = inv.flags.output === "json" || rt.env.ATMOS_AUTH_WHOAMI_OUTPUT === "json";
      if (json) {
        const env = sessionVariables(session);
        const files = Object.entries(session.files);
        rt.out(toJson({
          identity: session.identity,
          kind: session.kind,
          provider: session.root,
          realm: manager.realm || undefined,
          principal,
          ...facts.details,
          region: session.region,
          expiration: session.expiration?.toISOString(),
          files: files.length > 0
            ? Object.fromEntries(files.map(([label, path]) => [label, tildify(path, rt.env)]))
            : undefined,
          environment: Object.fromEntries(
            Object.keys(env).sort().map((
              k,
            ) => [k, SECRET_NAME.test(k) ? "[redacted]" : tildify(env[k], rt.env)]),
          ),
        }));
        return 0;
      }
      const rows = sessionRows(rt, manager, { ...session, principal });
      const after = rows.findIndex((r) => r[0] === "Principal") + 1;
      rows.splice(
        after,
        0,
        ...Object.entries(facts.details).map(([key, value]) => [capitalize(key), value]),
      );
      rt.err(`✓ Current authentication status\n\n${keyValueLines(rows)}`);
      return 0;
    },
  };
}

function capitalize(word: string): string {
  return word.charAt(0).toUpperCase() + word.slice(1);
}
