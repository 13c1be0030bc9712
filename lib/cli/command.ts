/**
 * The command tree: plain data describing commands, their flags and arguments.
 * Built-in commands are written in code; custom commands are built from `atmos.yaml`.
 *
 * @module
 */

/** The kinds of value a flag holds. */
export type FlagType = "string" | "boolean" | "string[]";

/**
 * Where shell completion finds the values of an argument or a flag (see `complete.ts`): names
 * from the configuration and the stacks, files, or a fixed list of suggestions.
 */
export type ValueSource =
  | "identity"
  | "provider"
  | "stack"
  | "component"
  | "workflow"
  | "workflow-file"
  | "file"
  | "dir"
  | readonly string[];

/** One flag of a command. */
export interface FlagSpec {
  /** Long name without dashes, e.g. `identity`. */
  name: string;
  /** One letter, e.g. `i`. */
  short?: string;
  type: FlagType;
  description: string;
  default?: string | boolean | string[];
  /**
   * Value used when the flag is given bare (`--identity` with no `=value`), like Cobra's
   * NoOptDefVal. A bare long flag with an optional value never consumes the next word:
   * `--identity prod` gives `optionalValue` and leaves `prod` as a positional (Atmos behaves the
   * same). `--identity=prod`, `-i prod` and `-iprod` set the value; `-i` followed by nothing or by
   * a word starting with `-` gives `optionalValue`.
   */
  optionalValue?: string;
  /** Allowed values; anything else is a usage error. */
  choices?: string[];
  /** Inherited by subcommands. */
  persistent?: boolean;
  /** Left out of help. */
  hidden?: boolean;
  /** Value placeholder in help, e.g. `name`. */
  valueName?: string;
  /** What shell completion offers for the value (`choices` are offered when absent). */
  complete?: ValueSource;
}

/** One positional argument of a command. */
export interface ArgSpec {
  name: string;
  description: string;
  required?: boolean;
  /** Takes all remaining positionals; only valid on the last argument. */
  variadic?: boolean;
  /** What shell completion offers for it. */
  complete?: ValueSource;
}

/** The parsed command line handed to a command's `run`. */
export interface Invocation {
  /** Command names below the root, e.g. `["auth", "login"]`. */
  path: string[];
  /** Flags that were given or have defaults, by long name. */
  flags: Record<string, string | boolean | string[] | undefined>;
  /** Long names of the flags explicitly given on the command line. */
  given: Set<string>;
  /** Positionals mapped onto the command's {@linkcode ArgSpec}s by name. */
  args: Record<string, string | string[] | undefined>;
  /** All positionals in order (including passed-through unknown flags). */
  positionals: string[];
  /** Everything after a literal `--`. */
  rest: string[];
}

/** A command: a node of the command tree. */
export interface CommandSpec {
  name: string;
  aliases?: string[];
  /** One line for command lists. */
  summary: string;
  /** Longer text for the command's own help (defaults to the summary). */
  description?: string;
  /** Example command lines shown in help. */
  examples?: string[];
  args?: ArgSpec[];
  flags?: FlagSpec[];
  subcommands?: CommandSpec[];
  hidden?: boolean;
  /** Accept `-- args…` (exec-style). Without it a `--` with following words is a usage error. */
  acceptsRest?: boolean;
  /**
   * Unknown flags and extra positionals are passed through as positionals instead of being
   * errors (for wrapping other tools).
   */
  passThroughUnknown?: boolean;
  /**
   * Short flags only as exactly `-x` or `-x=value`; any longer single-dash word (`-state=x`,
   * `-input=false`) is passed through as a positional, for tools with single-dash long flags
   * such as terraform. Needs `passThroughUnknown`.
   */
  exactShortFlags?: boolean;
  /**
   * Words the command handles itself as its first argument, such as terraform's own
   * subcommands (`plan`, `apply`): a custom subcommand may not take one of these names.
   */
  builtinWords?: readonly string[];
  /** Runs the command and returns its exit code. */
  run?: (inv: Invocation) => Promise<number>;
}

/** Finds a direct subcommand by name or alias. */
export function findSubcommand(cmd: CommandSpec, word: string): CommandSpec | undefined {
  return cmd.subcommands?.find((sub) => sub.name === word || (sub.aliases ?? []).includes(word));
}

/** The command line prefix for a command, e.g. `atmos auth login`. */
export function commandPathString(cmd: CommandSpec, parents: CommandSpec[]): string {
  return [...parents, cmd].map((c) => c.name).join(" ");
}

/**
 * The flags valid for a command: its own, then the persistent flags of its parents (nearest
 * first). A command's own flag shadows an inherited one with the same name.
 */
export function availableFlags(cmd: CommandSpec, parents: CommandSpec[]): FlagSpec[] {
  const out: FlagSpec[] = [...(cmd.flags ?? [])];
  const seen = new Set(out.map((f) => f.name));
  for (let i = parents.length - 1; i >= 0; i--) {
    for (const flag of parents[i].flags ?? []) {
      if (flag.persistent && !seen.has(flag.name)) {
        out.push(flag);
        seen.add(flag.name);
      }
    }
  }
  return out;
}
