/**
 * Cobra-style help text for a command.
 *
 * @module
 */

import { commandPathString, type CommandSpec, type FlagSpec } from "./command.ts";

/** Options for {@linkcode renderHelp}. */
export interface HelpOptions {
  /** Bold section headings with ANSI escapes (default false; callers decide from NO_COLOR/TTY). */
  color?: boolean;
}

/**
 * Renders help for `cmd`, whose ancestors (root first) are `parents`: description, usage,
 * aliases, examples, subcommands, flags, inherited global flags and a closing pointer to
 * subcommand help. Ends with a newline.
 */
export function renderHelp(
  cmd: CommandSpec,
  parents: CommandSpec[],
  options: HelpOptions = {},
): string {
  const heading = (text: string) => options.color ? `\x1b[1m${text}\x1b[0m` : text;
  const path = commandPathString(cmd, parents);
  const subcommands = (cmd.subcommands ?? []).filter((c) => !c.hidden);
  const sections: string[] = [];

  sections.push(cmd.description ?? cmd.summary);
  sections.push([heading("Usage:"), ...usageLines(cmd, path, subcommands.length > 0)].join("\n"));
  if (cmd.aliases?.length) {
    sections.push([heading("Aliases:"), `  ${[cmd.name, ...cmd.aliases].join(", ")}`].join("\n"));
  }
  if (cmd.examples?.length) {
    sections.push([heading("Examples:"), ...cmd.examples.map((e) => `  ${e}`)].join("\n"));
  }
  if (subcommands.length > 0) {
    const rows = subcommands.map((c): [string, string] => [c.name, c.summary]);
    sections.push([heading("Available Commands:"), ...alignRows(rows)].join("\n"));
  }
  if (cmd.args?.length) {
    const rows = cmd.args.map((a): [string, string] => [argLabel(a), a.description]);
    sections.push([heading("Arguments:"), ...alignRows(rows)].join("\n"));
  }
  const helpFlag: FlagSpec = {
    name: "help",
    short: "h",
    type: "boolean",
    description: `help for ${cmd.name}`,
  };
  const own = [...(cmd.flags ?? []), helpFlag].filter((f) => !f.hidden);
  sections.push([heading("Flags:"), ...flagLines(own)].join("\n"));
  const inherited = inheritedFlags(cmd, parents);
  if (inherited.length > 0) {
    sections.push([heading("Global Flags:"), ...flagLines(inherited)].join("\n"));
  }
  if (subcommands.length > 0) {
    sections.push(`Use "${path} [command] --help" for more information about a command.`);
  }
  return sections.join("\n\n") + "\n";
}

function usageLines(cmd: CommandSpec, path: string, hasSubcommands: boolean): string[] {
  const lines: string[] = [];
  if (cmd.run || !hasSubcommands) {
    let line = `  ${path}`;
    for (const arg of cmd.args ?? []) line += ` ${argLabel(arg)}`;
    line += " [flags]";
    if (cmd.acceptsRest) line += " [-- args...]";
    lines.push(line);
  }
  if (hasSubcommands) lines.push(`  ${path} [command]`);
  return lines;
}

function argLabel(arg: { name: string; required?: boolean; variadic?: boolean }): string {
  const name = arg.variadic ? `${arg.name}...` : arg.name;
  return arg.required ? `<${name}>` : `[${name}]`;
}

function inheritedFlags(cmd: CommandSpec, parents: CommandSpec[]): FlagSpec[] {
  const seen = new Set((cmd.flags ?? []).map((f) => f.name));
  seen.add("help");
  const out: FlagSpec[] = [];
  for (let i = parents.length - 1; i >= 0; i--) {
    for (const flag of parents[i].flags ?? []) {
      if (flag.persistent && !flag.hidden && !seen.has(flag.name)) {
        out.push(flag);
        seen.add(flag.name);
      }
    }
  }
  return out;
}

function flagLines(flags: FlagSpec[]): string[] {
  const rows = flags.map((f): [string, string] => [flagLabel(f), flagDescription(f)]);
  return alignRows(rows);
}

function flagLabel(flag: FlagSpec): string {
  const prefix = flag.short ? `-${flag.short}, ` : "    ";
  let label = `${prefix}--${flag.name}`;
  if (flag.type === "boolean") return label;
  const value = flag.valueName ?? (flag.type === "string[]" ? "strings" : "string");
  label += flag.optionalValue !== undefined ? ` [=${value}]` : ` ${value}`;
  return label;
}

function flagDescription(flag: FlagSpec): string {
  let text = flag.description;
  if (flag.choices?.length) text += ` (one of: ${flag.choices.join(", ")})`;
  const dflt = flag.default;
  if (typeof dflt === "string" && dflt !== "") text += ` (default "${dflt}")`;
  if (dflt === true) text += " (default true)";
  if (Array.isArray(dflt) && dflt.length > 0) text += ` (default [${dflt.join(",")}])`;
  return text;
}

function alignRows(rows: [string, string][]): string[] {
  const width = Math.max(...rows.map(([left]) => left.length));
  return rows.map(([left, right]) => `  ${left.padEnd(width)}   ${right}`.trimEnd());
}
