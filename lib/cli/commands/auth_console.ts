/**
 * `atmos auth console`: opens the identity's cloud console, with a sign-in URL its credential
 * output builds (AWS: the federation endpoint's `getSigninToken`, then the login URL). Such a
 * URL grants console access, so it is printed only with `--print-only` and never logged.
 *
 * @module
 */
import { AtmosError, UsageError } from "../../errors.ts";
import type { CommandSpec } from "../command.ts";
import type { Runtime } from "../runtime.ts";
import { chooseIdentity } from "./shared.ts";

/** Builds the `auth console` command. */
export function authConsoleCommand(rt: Runtime): CommandSpec {
  return {
    name: "console",
    summary: "Open the cloud console as an identity",
    description:
      "Signs in to the identity's cloud console (AWS: federation getSigninToken with the role session) and opens it in the browser. A sign-in URL grants console access: it is printed only with --print-only.",
    flags: [
      {
        name: "destination",
        type: "string",
        description: "console page: a service alias (s3, ec2, iam, …) or an https URL",
        valueName: "url",
      },
      {
        name: "duration",
        type: "string",
        description:
          "console session length, e.g. 1h (AWS: 15m to 12h; default: the provider's console.session_duration, else the cloud's own)",
        valueName: "duration",
      },
      {
        name: "issuer",
        type: "string",
        description: "issuer shown by the console sign-out page",
        default: "atmos",
        valueName: "name",
      },
      {
        name: "print-only",
        type: "boolean",
        description: "print the sign-in URL on stdout instead of opening it (it is a secret)",
      },
      { name: "no-open", type: "boolean", description: "do not open a browser" },
    ],
    examples: [
      "atmos auth console -i prod-admin",
      "atmos auth console -i dev --destination s3 --duration 2h",
    ],
    async run(inv) {
      const { manager, identity } = await chooseIdentity(rt, inv);
      if (!identity) {
        throw new AtmosError("authentication is disabled (--identity=false)", { exitCode: 2 });
      }
      const chain = manager.chain(identity);
      const duration = (inv.flags.duration as string | undefined) ??
        (chain[0].role === "provider" ? chain[0].config.console?.session_duration : undefined);
      const request = {
        destination: inv.flags.destination as string | undefined,
        duration,
        durationSeconds: await consoleDuration(duration),
        issuer: String(inv.flags.issuer ?? "atmos"),
      };
      // A bad request or an identity without a console fails before any login.
      const consoleName = await manager.checkConsole(identity, request);
      const session = await manager.session(identity);
      await rt.sealWrites();
      const url = await manager.consoleUrl(session, request);
      if (inv.flags["print-only"] === true) {
        rt.out(`${url}\n`);
        return 0;
      }
      const { inCi, openSecretUrl } = await import("../../auth/browser.ts");
      if (inv.flags["no-open"] === true || inCi(rt.envLookup)) {
        rt.err(
          `Console sign-in for "${session.identity}" is ready but not opened (${
            inv.flags["no-open"] === true ? "--no-open" : "CI"
          }); the link grants console access, so it is printed only with --print-only\n`,
        );
        return 0;
      }
      rt.err(`Opening the ${consoleName} as "${session.identity}" in your browser…\n`);
      // The browser gets a one-time loopback link, so the token is in no process's argv.
      const result = await openSecretUrl(url, rt.envLookup);
      if (result !== "opened") {
        throw new AtmosError(
          result === "no-browser"
            ? "cannot open a browser on this machine"
            : "the browser did not open the sign-in link within 2 minutes",
          { hint: "use --print-only and open the printed URL yourself (keep it private)" },
        );
      }
      return 0;
    },
  };
}

async function consoleDuration(value: string | undefined): Promise<number | undefined> {
  if (value === undefined) return undefined;
  const { parseDurationSeconds } = await import("../../auth/duration.ts");
  const seconds = parseDurationSeconds(value);
  // The cloud's own limits are its output's to check (checkConsole).
  if (seconds === undefined || seconds <= 0) {
    throw new UsageError(`invalid console duration "${value}"`, {
      hint: "use a duration such as 1h or 90m",
    });
  }
  return seconds;
}
