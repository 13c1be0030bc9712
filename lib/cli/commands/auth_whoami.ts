/**
 * `atmos auth whoami`: who the identity's credentials belong to (STS GetCallerIdentity),
 * with expiry and file locations. Secrets are never printed.
 *
 * @module
 */
import { AtmosError } from "../../errors.ts";
import type { CommandSpec } from "../command.ts";
import type { Runtime } from "../runtime.ts";
import { chainEndpoint } from "../../auth/aws_link.ts";
import { sessionVariables } from "../../auth/environment.ts";
import { toJson } from "../output.ts";
import { chooseIdentity, keyValueLines, sessionRows, tildify } from "./shared.ts";

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
      let principal: { account: string; arn: string } | undefined;
      if (session.files) {
        const [{ readAwsCredentials }, { resolveEndpoint }, { getCallerIdentity }] = await Promise
          .all([
            import("../../aws/files.ts"),
            import("../../aws/endpoints.ts"),
            import("../../aws/sts.ts"),
          ]);
        const creds = await readAwsCredentials(session.files, session.identity);
        if (creds) {
          const chain = manager.chain(session.identity);
          const target = chain[chain.length - 1];
          const region = session.region ?? "us-east-1";
          const endpoint = resolveEndpoint(
            "STS",
            region,
            chainEndpoint({
              name: target.name,
              config: target.config,
              upstream: chain.slice(0, -1).reverse(),
            }),
            rt.getEnv,
          );
          principal = await getCallerIdentity({ region, endpoint, credentials: creds });
        }
      }
      const json = inv.flags.output === "json" || rt.env.ATMOS_AUTH_WHOAMI_OUTPUT === "json";
      if (json) {
        const env = sessionVariables(session);
        rt.out(toJson({
          identity: session.identity,
          kind: session.kind,
          provider: session.root,
          realm: manager.realm || undefined,
          principal: principal?.arn ?? session.arn,
          account: principal?.account,
          region: session.region,
          expiration: session.expiration?.toISOString(),
          files: session.files
            ? {
              credentials: tildify(session.files.credentials, rt.env),
              config: tildify(session.files.config, rt.env),
            }
            : undefined,
          environment: Object.fromEntries(
            Object.keys(env).sort().map((
              k,
            ) => [k, SECRET_NAME.test(k) ? "[redacted]" : tildify(env[k], rt.env)]),
          ),
        }));
        return 0;
      }
      const rows = sessionRows(rt, manager, { ...session, arn: principal?.arn ?? session.arn });
      if (principal?.account) {
        rows.splice(rows.findIndex((r) => r[0] === "Principal") + 1, 0, [
          "Account",
          principal.account,
        ]);
      }
      rt.err(`✓ Current authentication status\n\n${keyValueLines(rows)}`);
      return 0;
    },
  };
}
