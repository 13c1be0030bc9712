/**
 * Custom commands join the command tree the way Atmos adds them: a command named like an
 * existing one (a built-in such as `terraform`, or a custom command added before it) is not a
 * new node but a namespace, and its subcommands are added under the existing command
 * (`terraform provision` next to the built-in `terraform`). A custom command that collides with
 * a built-in and would run steps of its own (or is itself broken) cannot be both: that command
 * alone reports the collision when it is run (Atmos keeps the built-in and ignores the steps
 * with a warning), every other command works.
 *
 * @module
 */
import { type CommandSpec, findSubcommand } from "../cli/command.ts";
import type { ConfigError, SourceLocation } from "../errors.ts";
import { configIssue } from "../config/issue.ts";
import type { CommandContext } from "./run.ts";
import { type CustomCommand, emptyCommand } from "./schema.ts";
import { customCommandSpec } from "./spec.ts";

/**
 * Adds `commands` under `root` (mutating the tree) and returns the paths of the nodes added,
 * e.g. `"deploy"`, `"terraform provision"`.
 */
export function mergeCustomCommands(
  ctx: CommandContext,
  root: CommandSpec,
  commands: CustomCommand[],
  locate: Locate,
): Set<string> {
  const state: MergeState = { ctx, locate, added: new WeakSet(), paths: new Set() };
  for (const command of commands) place(state, root, [], command, []);
  return state.paths;
}

/** Finds a config path such as `["commands", 2, "name"]` in the file that defines it. */
export type Locate = (path: readonly (string | number)[]) => SourceLocation | undefined;

interface MergeState {
  ctx: CommandContext;
  locate: Locate;
  /** Nodes made from custom commands (anything else in the tree is built in). */
  added: WeakSet<CommandSpec>;
  paths: Set<string>;
}

function place(
  state: MergeState,
  parent: CommandSpec,
  words: string[],
  command: CustomCommand,
  parents: CustomCommand[],
): void {
  // A definition without a usable name cannot be run; `atmos --help` reports it.
  if (command.name === "") return;
  const path = [...words, command.name];
  const existing = findSubcommand(parent, command.name);
  if (existing && state.added.has(existing)) {
    // A second definition of a custom command: its error (e.g. "duplicate command") wins.
    if (command.error) existing.run = () => Promise.reject(command.error);
    for (const sub of command.commands) place(state, existing, path, sub, [...parents, command]);
    return;
  }
  if (existing) {
    const clash = command.error ?? stepsClash(state.locate, command, path);
    if (clash) existing.run = () => Promise.reject(clash);
    // A stand-in parent: it names the built-in in the custom commands' messages.
    const namespace = emptyCommand(existing.name, []);
    for (const sub of command.commands) place(state, existing, path, sub, [namespace]);
    return;
  }
  const word = parent.builtinWords?.includes(command.name) ? command.name : undefined;
  if (word !== undefined) {
    // `terraform plan` is handled by the built-in `terraform` itself, not by a subcommand node.
    const clash = command.error ?? wordClash(state.locate, command, path);
    const run = parent.run;
    const first = parent.args?.[0]?.name;
    parent.run = (inv) =>
      first !== undefined && inv.args[first] === word
        ? Promise.reject(clash)
        : run
        ? run(inv)
        : Promise.resolve(0);
    return;
  }
  const spec = customCommandSpec(state.ctx, command, parents);
  state.added.add(spec);
  parent.subcommands = [...(parent.subcommands ?? []), spec];
  state.paths.add(path.join(" "));
  for (const sub of command.commands) place(state, spec, path, sub, [...parents, command]);
}

/** The collision of a custom command with steps and a built-in command of the same name. */
function stepsClash(
  locate: Locate,
  command: CustomCommand,
  path: string[],
): ConfigError | undefined {
  if (command.steps.length === 0) return undefined;
  return issueAt(
    locate,
    command,
    `custom command "${path.join(" ")}" has steps, but "atmos ${
      path.join(" ")
    }" is a built-in command`,
    "rename the custom command, or remove its steps to add subcommands under the built-in",
  );
}

function wordClash(locate: Locate, command: CustomCommand, path: string[]): ConfigError {
  return issueAt(
    locate,
    command,
    `custom command "${path.join(" ")}" collides with the built-in "atmos ${path.join(" ")}"`,
    "rename the custom command",
  );
}

function issueAt(
  locate: Locate,
  command: CustomCommand,
  message: string,
  hint: string,
): ConfigError {
  return configIssue({ locate }, [...command.path, "name"], message, hint);
}
