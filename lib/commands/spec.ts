/**
 * Custom commands as nodes of the CLI command tree: positional arguments, flags (inherited by
 * nested commands, like Cobra persistent flags), `--identity` on every command, and trailing
 * arguments after `--`.
 *
 * @module
 */
import type { CommandSpec, FlagSpec, ValueSource } from "../cli/command.ts";
import { SELECT_SENTINEL } from "../auth/select.ts";
import { type CommandContext, runCustomCommand } from "./run.ts";
import type { CustomCommand } from "./schema.ts";

/** `--identity` of a custom command (no shorthand, so custom flags may use `-i`). */
export const COMMAND_IDENTITY_FLAG: FlagSpec = {
  name: "identity",
  type: "string",
  description:
    "identity for every step, instead of the command's identity: (bare: choose interactively; false/0/no/off: no authentication)",
  optionalValue: SELECT_SENTINEL,
  valueName: "name",
  complete: "identity",
};

/**
 * The command-tree node of one custom command, without its subcommands (the merge adds them).
 * `parents` are the enclosing commands, outermost first (their flags are inherited). A broken
 * definition becomes a node that accepts any arguments and reports its error when run.
 */
export function customCommandSpec(
  ctx: CommandContext,
  command: CustomCommand,
  parents: CustomCommand[],
): CommandSpec {
  if (command.error) {
    const error = command.error;
    return {
      name: command.name,
      summary: `${command.description || `custom command "${command.name}"`} (invalid definition)`,
      subcommands: [],
      passThroughUnknown: true,
      acceptsRest: true,
      run: () => Promise.reject(error),
    };
  }
  const runnable = command.steps.length > 0 || command.commands.length === 0;
  return {
    name: command.name,
    summary: command.description || `custom command "${command.name}"`,
    description: command.description || undefined,
    args: command.arguments.map((arg) => ({
      name: arg.name,
      description: arg.description +
        (arg.default !== undefined ? ` (default "${arg.default}")` : ""),
      required: arg.required && arg.default === undefined,
      complete: completionSource(arg.name),
    })),
    flags: [...command.flags.map(flagSpec), COMMAND_IDENTITY_FLAG],
    subcommands: [],
    acceptsRest: true,
    run: runnable ? (inv) => runCustomCommand(ctx, command, parents, inv) : undefined,
  };
}

function flagSpec(flag: CustomCommand["flags"][number]): FlagSpec {
  return {
    name: flag.name,
    short: flag.shorthand,
    type: flag.type === "bool" ? "boolean" : "string",
    description: flag.description + (flag.required ? " (required)" : ""),
    default: flag.default,
    persistent: true,
    complete: flag.type === "bool" ? undefined : completionSource(flag.name),
  };
}

/**
 * Shell completion for custom arguments and flags that are named like atmos's own values
 * (`stack`, `component`, `identity`, `workflow`): the names from the stacks and atmos.yaml.
 */
function completionSource(name: string): ValueSource | undefined {
  return (COMPLETED_NAMES as readonly string[]).includes(name) ? name as ValueSource : undefined;
}

const COMPLETED_NAMES = ["stack", "component", "identity", "workflow"] as const;
