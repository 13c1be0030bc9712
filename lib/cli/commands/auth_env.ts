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
export const ENV_FORMATS = ["bash", "json", "dotenv", "env", "github"];

/** Builds the `auth env` command. */
export function authEnvCommand(rt: Runtime): CommandSpec {
  return {
    name: "env",
    summary: "Print the environment for an identity (file pointers, never keys)",
    description:
      'Prints the variables atmos gives a child for the identity. bash output also unsets every variable that carries or selects other credentials, so `eval "$(atmos auth env)"` cannot be overridden by them. --format github appends to $GITHUB_ENV; -o/--output-file appends any format to a file. Without --login nothing is authenticated.',
    flags: [
      {
        name: "format",
        short: "f",
        type: "string",
        description: "output format",
        choices: ENV_FORMATS,
        default: "bash",
      },
      {
        name: "output-file",
        short: "o",
        type: "string",
        description: "append the output to this file (created 0600) instead of printing it",
        valueName: "file",
        complete: "file",
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
      const outputFile = inv.flags["output-file"] as string | undefined;
      // `-o file` (Atmos's --output-file) takes every format's text, github's included.
      const write = outputFile
        ? (text: string) => appendPreopened(rt, outputFile, text, "--output-file")
        : (text: string) => Promise.resolve(rt.out(text));
      switch (format) {
        case "json":
          await write(toJson(Object.fromEntries(keys.map((k) => [k, vars[k]]))));
          break;
        case "dotenv":
          await write(keys.map((k) => `${k}=${shellQuote(vars[k])}\n`).join(""));
          break;
        case "env":
          await write(keys.map((k) => `${k}=${vars[k]}\n`).join(""));
          break;
        case "github":
          if (outputFile) await write(keys.map((k) => githubLine(k, vars[k])).join(""));
          else await appendGithubEnv(rt, keys.map((k) => githubLine(k, vars[k])).join(""));
          rt.err(`Wrote ${keys.length} variables to ${outputFile ?? "$GITHUB_ENV"}\n`);
          break;
        default: {
          const unset = removedVariables(session);
          const lines = unset.length > 0 ? [`unset ${unset.join(" ")}\n`] : [];
          await write(
            lines.concat(keys.map((k) => `export ${k}=${shellQuote(vars[k])}\n`)).join(""),
          );
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
  if (!path || !rt.preopened.get(path)) {
    throw new AtmosError("--format github needs the GITHUB_ENV variable", {
      exitCode: 2,
      hint: "run inside GitHub Actions, use --output-file, or use --format dotenv",
    });
  }
  await appendPreopened(rt, path, text, "$GITHUB_ENV");
}

/** Appends to a file the app opened before write permission was revoked. */
async function appendPreopened(rt: Runtime, path: string, text: string, what: string) {
  const file = rt.preopened.get(path);
  if (!file) throw new AtmosError(`Internal error: ${what} was not opened before writing`);
  const data = new TextEncoder().encode(text);
  let offset = 0;
  while (offset < data.length) offset += await file.write(data.subarray(offset));
}
