/**
 * Custom commands: `commands:` from atmos.yaml validated, turned into command-tree nodes, and
 * run through the shared step engine.
 *
 * @module
 */
import type { LoadedConfig } from "../config/load.ts";
import type { CommandContext } from "./run.ts";
import { parseCommands } from "./schema.ts";
import { customCommandSpecs, type CustomSpecs } from "./spec.ts";

export {
  type CommandArgument,
  type CommandEnv,
  type CommandFlag,
  type CommandStep,
  type CustomCommand,
  parseCommands,
} from "./schema.ts";
export { COMMAND_IDENTITY_FLAG, customCommandSpecs, type CustomSpecs } from "./spec.ts";
export { type CommandContext, type CommandInput, runCustomCommand } from "./run.ts";
export { renderCommandTemplate, type TemplateData } from "./render.ts";

/**
 * Loads the custom commands of a configuration as command-tree nodes.
 *
 * @param builtins names of the built-in top-level commands (a clash is a config error).
 */
export function loadCustomCommands(
  ctx: CommandContext,
  loaded: LoadedConfig,
  builtins: string[],
): CustomSpecs {
  return customCommandSpecs(ctx, parseCommands(loaded, builtins));
}
