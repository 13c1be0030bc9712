/**
 * The command line of `shell` and `atmos` steps: the argv an atmos step runs with (split like a
 * shell would, `-s <stack>` before any `--`) and the command as atmos prints it.
 *
 * @module
 */
import { shellQuote as quoteWord, splitShellWords } from "./shell_words.ts";

/** The argv of an `atmos` step after this atmos's own command: split, with `-s` injected. */
export function atmosStepArgs(
  command: string,
  stack: string | undefined,
  expandEnv: Record<string, string>,
): string[] {
  const args = splitShellWords(command, expandEnv);
  if (args[0] === "atmos") args.shift();
  if (!stack) return args;
  const dashes = args.indexOf("--");
  const stackArgs = ["-s", stack];
  return dashes < 0
    ? [...args, ...stackArgs]
    : [...args.slice(0, dashes), ...stackArgs, ...args.slice(dashes)];
}

/**
 * A command for dry runs and announcements: shell variables are not expanded (their values
 * could be secrets); `atmos` steps show the `-s <stack>` that will be added.
 */
export function displayCommand(
  type: "shell" | "atmos",
  command: string,
  stack: string | undefined,
): string {
  const text = command.trim();
  if (type === "shell") return text;
  const line = /^atmos(\s|$)/.test(text) ? text : `atmos ${text}`.trimEnd();
  if (!stack) return line;
  const flag = `-s ${quoteWord(stack)}`;
  const dashes = /(^|\s)--(\s|$)/.exec(line);
  if (!dashes) return `${line} ${flag}`;
  const at = dashes.index + dashes[1].length;
  return `${line.slice(0, at)}${flag} ${line.slice(at)}`;
}
