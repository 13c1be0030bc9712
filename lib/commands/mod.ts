/**
 * Custom commands: `commands:` from atmos.yaml validated, turned into command-tree nodes
 * (merged into the built-in commands they are named after), and run through the shared step
 * engine.
 *
 * @module
 */
import type { CommandSpec } from "../cli/command.ts";
import type { LoadedConfig } from "../config/load.ts";
import type { CommandContext } from "./run.ts";
import { locateCommandPath, parseCommands } from "./schema.ts";
import { mergeCustomCommands } from "./merge.ts";

export {
  brokenCommands,
  type CommandArgument,
  type CommandEnv,
  type CommandFlag,
  type CommandStep,
  type CustomCommand,
  parseCommands,
} from "./schema.ts";
export { COMMAND_IDENTITY_FLAG, customCommandSpec } from "./spec.ts";
export { type CommandContext, type CommandInput, runCustomCommand } from "./run.ts";
export { renderCommandTemplate, type TemplateData } from "./render.ts";
export { mergeCustomCommands } from "./merge.ts";

/**
 * Adds the custom commands of a configuration to the command tree under `root` and returns
 * the paths (`"deploy"`, `"terraform provision"`) of the nodes they added, with each broken
 * definition's error (the command itself reports it when run).
 *
 * @throws {ConfigError} when `commands:` is not a list.
 */
export function loadCustomCommands(
  ctx: CommandContext,
  loaded: LoadedConfig,
  root: CommandSpec,
): Set<string> {
  return mergeCustomCommands(
    ctx,
    root,
    parseCommands(loaded),
    (path) => locateCommandPath(loaded, path),
  );
}
