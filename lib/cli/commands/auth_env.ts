/**
 * `atmos auth env`: prints the variables a child would get, for `eval`, dotenv files, JSON
 * consumers or `$GITHUB_ENV`. Only pointers and settings are printed, never keys.
 *
 * @module
 */
import { AtmosError } from "../../errors.ts";
import type { CommandSpec } from "../command.ts";
import type { Runtime } from "../runtime.ts";
import { removedVariables, sessionVariables } from "../../auth/environment.ts";
import { shellQuote, toJson } from "../output.ts";
import { chooseIdentity } from "./shared.ts";

/** Output formats of `auth env`. */
export const ENV_FORMATS = ["bash", "json", "dotenv", "github"];

/** Builds the `auth env` command. */
export function authEnvCommand(rt: Runtime): CommandSpec {
  return {
    name: "env",
    summary: "Print the environment for an identity (file pointers, never keys)",
    description:
      'Prints the variables atmos gives a child for the identity. bash output also unsets raw AWS key variables so `eval "$(atmos auth env)"` cannot be overridden by them. --format github appends to $GITHUB_ENV. Without --login nothing is authenticated.',
    flags: [
      {
        name: "format",
        short: "f",
        type: "string",
        description: "output format",
        choices: ENV_FORMATS,
        default: "bash",
      },
      { name: "login", type: "boolean", description: "authenticate first when needed" },
    ],
    examples: ['eval "$(atmos auth env -i prod-admin --login)"', "atmos auth env --format json"],
    async run(inv) {
      const format = String(inv.flags.format ?? rt.env.ATMOS_AUTH_ENV_FORMAT ?? "bash");
      if (!ENV_FORMATS.includes(format)) {
        throw new AtmosError(`invalid value "${format}" for --format`, {
          exitCode: 2,
          hint: `expected one of: ${ENV_FORMATS.join(", ")}`,
        });
      }
      const { manager, identity } = await chooseIdentity(rt, inv);
      if (!identity) return 0;
      const session = inv.flags.login === true
        ? await manager.session(identity)
        : manager.plannedSession(identity);
      await rt.sealWrites();
      const vars = sessionVariables(session);
      const keys = Object.keys(vars).sort();
      switch (format) {
        case "json":
          rt.out(toJson(Object.fromEntries(keys.map((k) => [k, vars[k]]))));
          break;
        case "dotenv":
          rt.out(keys.map((k) => `${k}=${shellQuote(vars[k])}\n`).join(""));
          break;
        case "github":
          await appendGithubEnv(rt, keys.map((k) => githubLine(k, vars[k])).join(""));
          rt.err(`Wrote ${keys.length} variables to $GITHUB_ENV\n`);
          break;
        default: {
          const unset = removedVariables(session);
          const lines = unset.length > 0 ? [`unset ${unset.join(" ")}\n`] : [];
          rt.out(lines.concat(keys.map((k) => `export ${k}=${shellQuote(vars[k])}\n`)).join(""));
        }
      }
      return 0;
    },
  };
}

/**
 * One variable in the `$GITHUB_ENV` syntax the runner reads: `NAME=value` lines and
 * `NAME<<DELIMITER` heredocs for values with line breaks. The heredoc delimiter is random, as in
 * GitHub's own toolkit (`core.exportVariable`), so a value cannot end the heredoc early and add a
 * variable (`…\nAWS_PROFILE=other`); a name that the runner would split (`=`, `<<`, a line
 * break) is refused.
 */
function githubLine(key: string, value: string): string {
  if (key === "" || /[=\r\n]|<</.test(key)) {
    throw new AtmosError(
      `cannot write variable "${key}" to $GITHUB_ENV: its name holds "=", "<<" or a line break`,
      {
        exitCode: 2,
        hint: "rename the env entry",
      },
    );
  }
  if (!/[\r\n]/.test(value)) return `${key}=${value}\n`;
  const delimiter = `ATMOS_EOF_${crypto.randomUUID().replaceAll("-", "")}`;
  if (value.includes(delimiter)) {
    throw new AtmosError(`the value of ${key} holds the $GITHUB_ENV delimiter`, { exitCode: 2 });
  }
  return `${key}<<${delimiter}\n${value}\n${delimiter}\n`;
}

async function appendGithubEnv(rt: Runtime, text: string): Promise<void> {
  const path = rt.env.GITHUB_ENV;
  const file = path ? rt.preopened.get(path) : undefined;
  if (!path || !file) {
    throw new AtmosError("--format github needs the GITHUB_ENV variable", {
      exitCode: 2,
      hint: "run inside GitHub Actions, or use --format dotenv",
    });
  }
  const data = new TextEncoder().encode(text);
  let offset = 0;
  while (offset < data.length) offset += await file.write(data.subarray(offset));
}
