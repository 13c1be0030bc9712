/**
 * Custom commands from `commands:` in atmos.yaml (atmos-workflows-commands.md §2.1–§2.3),
 * validated into plain data. Every problem is a {@linkcode ConfigError} with `file:line:col`.
 * Definitions were already merged by name across config files (`mergeCommands`).
 *
 * @module
 */
import { ConfigError } from "../errors.ts";
import type { LoadedConfig } from "../config/load.ts";
import { isRecord } from "../config/merge.ts";
import { didYouMean } from "../config/suggest.ts";
import { configIssue } from "../config/issue.ts";
import { parseSteps, type Step, STEP_KEYS, STEP_TYPES } from "../exec/step_spec.ts";
import type { CommandTables } from "../config/schema/build.ts";

type Path = (string | number)[];

/** A positional argument (`arguments:`). */
export interface CommandArgument {
  name: string;
  description: string;
  required: boolean;
  default?: string;
}

/** A flag (`flags:`). */
export interface CommandFlag {
  name: string;
  shorthand?: string;
  type: "string" | "bool";
  description: string;
  required: boolean;
  default?: string | boolean;
}

/** An `env:` entry: a templated `value` or the output of `valueCommand`. */
export type CommandEnv =
  | { key: string; value: string; path: Path }
  | { key: string; valueCommand: string; path: Path };

/**
 * A step of a custom command (the step engine's definition): a string is a shell step; maps
 * may choose another type (`atmos`, `env`, `input`, `choose`, `confirm`, `parallel`, `matrix`).
 */
export type CommandStep = Step;

/** One custom command, with its nested commands. */
export interface CustomCommand {
  name: string;
  description: string;
  arguments: CommandArgument[];
  flags: CommandFlag[];
  env: CommandEnv[];
  steps: CommandStep[];
  componentConfig?: { component: string; stack: string };
  identity?: string;
  verbose: boolean;
  workingDirectory?: string;
  commands: CustomCommand[];
  /** Where the definition is, e.g. `["commands", 0, "commands", 1]`. */
  path: Path;
  /**
   * Set when this command's own definition is broken: running it reports this error (its
   * other fields are then empty), while the other commands, its subcommands included, work.
   */
  error?: ConfigError;
}

const COMMAND_KEYS = [
  "name",
  "description",
  "arguments",
  "flags",
  "env",
  "steps",
  "component_config",
  "identity",
  "verbose",
  "working_directory",
  "commands",
];
const UNSUPPORTED_COMMAND_KEYS = ["aliases", "internal", "default", "component", "dependencies"];
const ARGUMENT_KEYS = ["name", "description", "required", "default"];
const FLAG_KEYS = ["name", "shorthand", "type", "description", "usage", "required", "default"];
const FLAG_TYPES: CommandFlag["type"][] = ["string", "bool"];
const ENV_ENTRY_KEYS = ["key", "value", "valueCommand"];
const COMPONENT_CONFIG_KEYS = ["component", "stack"];
/** Flag names every custom command has or inherits already. */
const RESERVED_FLAGS = ["help", "identity", "config", "config-path"];
/** Command steps default to shell and take their identity from the command. */
const STEP_CONTEXT = { defaultType: "shell", perStepIdentity: false } as const;
const NAME = /^[A-Za-z0-9][A-Za-z0-9_.:-]*$/;
const SHORTHAND = /^[A-Za-z0-9]$/;

/** The key tables this validator checks against (the JSON Schema is generated from them). */
export const COMMAND_TABLES: CommandTables = {
  command: COMMAND_KEYS,
  argument: ARGUMENT_KEYS,
  flag: FLAG_KEYS,
  flagTypes: FLAG_TYPES,
  envEntry: ENV_ENTRY_KEYS,
  componentConfig: COMPONENT_CONFIG_KEYS,
  step: STEP_KEYS,
  stepTypes: STEP_TYPES,
  namePattern: NAME.source,
  shorthandPattern: SHORTHAND.source,
};

/**
 * Validates the `commands:` section. A problem in one command's definition does not take the
 * others down: that command comes back with its located `error` (see
 * {@linkcode CustomCommand.error}), as Atmos keeps running the other commands of a file with a
 * bad one.
 *
 * @throws {ConfigError} only when `commands:` itself is not a list.
 */
export function parseCommands(loaded: LoadedConfig): CustomCommand[] {
  const raw = loaded.config.commands;
  if (raw === undefined || raw === null) return [];
  const issue = (path: Path, message: string, hint?: string) =>
    configIssue({ locate: (p) => locateCommandPath(loaded, p) }, path, message, hint);
  if (!Array.isArray(raw)) throw issue(["commands"], "commands must be a list of commands");
  return markDuplicates(
    raw.map((item, i) => parseCommand(item, ["commands", i], [], issue)),
    issue,
  );
}

/** Every command of the tree whose definition is broken, outermost first. */
export function brokenCommands(commands: CustomCommand[]): CustomCommand[] {
  return commands.flatMap((c) => [...(c.error ? [c] : []), ...brokenCommands(c.commands)]);
}

type Issue = (path: Path, message: string, hint?: string) => ConfigError;

/**
 * Locates a path under `commands` in the file that defines it. Commands are merged by name,
 * so `commands.1` of the merged list may be `commands.0` of a fragment: each `commands.<i>`
 * step is matched by command name in the files, highest priority first.
 */
export function locateCommandPath(loaded: LoadedConfig, path: readonly (string | number)[]) {
  const names: NameStep[] = [];
  let node: unknown = loaded.config;
  let i = 0;
  for (; i + 1 < path.length && path[i] === "commands"; i += 2) {
    const list = isRecord(node) && Array.isArray(node.commands) ? node.commands : [];
    const index = Number(path[i + 1]);
    const item = list[index];
    if (!isRecord(item) || typeof item.name !== "string") break;
    // The n-th command of this name (a file may define one twice).
    const nth = list.slice(0, index).filter((c) => isRecord(c) && c.name === item.name).length;
    names.push({ name: item.name, nth });
    node = item;
  }
  for (let l = loaded.layers.length - 1; l >= 0 && names.length > 0; l--) {
    const layer = loaded.layers[l];
    const own = ownPath(layer.value, names);
    if (own && hasPath(layer.value, [...own, ...path.slice(i)])) {
      return layer.locate([...own, ...path.slice(i)]);
    }
  }
  return loaded.locate(path);
}

/** A step of a command chain: the name, and which of the commands with that name. */
interface NameStep {
  name: string;
  nth: number;
}

/** `["commands", i, "commands", j, …]` of a command chain inside one file, if it is there. */
function ownPath(value: unknown, names: NameStep[]): Path | undefined {
  const path: Path = [];
  let node = value;
  for (const { name, nth } of names) {
    const list = isRecord(node) && Array.isArray(node.commands) ? node.commands : undefined;
    const matches = (list ?? []).flatMap((c, k) => isRecord(c) && c.name === name ? [k] : []);
    const index = matches[nth] ?? matches[0] ?? -1;
    if (index < 0) return undefined;
    path.push("commands", index);
    node = list![index];
  }
  return path;
}

function hasPath(value: unknown, path: Path): boolean {
  let node = value;
  for (const segment of path) {
    if (Array.isArray(node)) node = node[Number(segment)];
    else if (isRecord(node)) node = node[String(segment)];
    else return false;
    if (node === undefined) return false;
  }
  return true;
}

/**
 * One command. Its own fields and each of its subcommands are checked separately, so a mistake
 * in a step breaks only this command and a mistake in a subcommand only that subcommand.
 */
function parseCommand(
  raw: unknown,
  path: Path,
  inherited: CommandFlag[],
  issue: Issue,
): CustomCommand {
  const name = isRecord(raw) && typeof raw.name === "string" ? raw.name : "";
  const description = isRecord(raw) && typeof raw.description === "string" ? raw.description : "";
  let command: CustomCommand;
  try {
    command = parseOwnFields(raw, path, inherited, issue);
  } catch (error) {
    if (!(error instanceof ConfigError)) throw error;
    command = brokenCommand(name, path, error, description);
  }
  const own = command.flags;
  let commands: CustomCommand[] = [];
  try {
    commands = list(isRecord(raw) ? raw.commands : undefined, [...path, "commands"], issue).map((
      item,
      i,
    ) => parseCommand(item, [...path, "commands", i], [...inherited, ...own], issue));
  } catch (error) {
    if (!(error instanceof ConfigError)) throw error;
    command = command.error ? command : brokenCommand(name, path, error, description);
  }
  return { ...command, commands: markDuplicates(commands, issue) };
}

/** A command with nothing but a name: no arguments, flags, env, steps or subcommands. */
export function emptyCommand(name: string, path: Path): CustomCommand {
  return {
    name,
    description: "",
    arguments: [],
    flags: [],
    env: [],
    steps: [],
    verbose: false,
    commands: [],
    path,
  };
}

/** A command whose definition has `error`: only its name and description are kept. */
function brokenCommand(
  name: string,
  path: Path,
  error: ConfigError,
  description = "",
): CustomCommand {
  return { ...emptyCommand(name, path), description, error };
}

/** The second and later commands of one name are broken ("duplicate command"). */
function markDuplicates(commands: CustomCommand[], issue: Issue): CustomCommand[] {
  const seen = new Set<string>();
  return commands.map((command) => {
    if (command.name === "" || !seen.has(command.name)) {
      seen.add(command.name);
      return command;
    }
    return brokenCommand(
      command.name,
      command.path,
      issue([...command.path, "name"], `duplicate command "${command.name}"`),
    );
  });
}

function parseOwnFields(
  raw: unknown,
  path: Path,
  inherited: CommandFlag[],
  issue: Issue,
): CustomCommand {
  if (!isRecord(raw)) throw issue(path, "a command must be a map with a name:");
  checkKeys(raw, COMMAND_KEYS, UNSUPPORTED_COMMAND_KEYS, path, issue);
  const name = requiredString(raw, "name", path, issue);
  if (!NAME.test(name)) {
    throw issue(
      [...path, "name"],
      `invalid command name "${name}"`,
      "use letters, digits, - and _",
    );
  }
  const flags = list(raw.flags, [...path, "flags"], issue).map((item, i) =>
    parseFlag(item, [...path, "flags", i], issue)
  );
  checkFlags(flags, inherited, [...path, "flags"], issue);
  const own = flags.filter((flag) => !inherited.some((f) => f.name === flag.name));
  const steps = parseSteps(
    list(raw.steps, [...path, "steps"], issue).map((item, i) => {
      if (typeof item === "string") return { type: "shell", command: item };
      if (isRecord(item)) checkMisreadStep(item, [...path, "steps", i], issue);
      return item;
    }),
    [...path, "steps"],
    issue,
    STEP_CONTEXT,
  );
  return {
    name,
    description: optionalString(raw, "description", path, issue) ?? "",
    arguments: parseArguments(raw.arguments, [...path, "arguments"], issue),
    flags: own,
    env: parseEnv(raw.env, [...path, "env"], issue),
    steps,
    componentConfig: parseComponentConfig(
      raw.component_config,
      [...path, "component_config"],
      issue,
    ),
    identity: optionalString(raw, "identity", path, issue) || undefined,
    verbose: optionalBool(raw, "verbose", path, issue) ?? false,
    workingDirectory: optionalString(raw, "working_directory", path, issue) || undefined,
    commands: [],
    path,
  };
}

function parseArguments(raw: unknown, path: Path, issue: Issue): CommandArgument[] {
  const out = list(raw, path, issue).map((item, i): CommandArgument => {
    const at = [...path, i];
    if (!isRecord(item)) throw issue(at, "an argument must be a map with a name:");
    checkKeys(item, ARGUMENT_KEYS, ["type", "values"], at, issue);
    const name = requiredString(item, "name", at, issue);
    return {
      name,
      description: optionalString(item, "description", at, issue) ?? "",
      required: optionalBool(item, "required", at, issue) ?? false,
      default: scalarString(item, "default", at, issue),
    };
  });
  const seen = new Set<string>();
  out.forEach((arg, i) => {
    if (seen.has(arg.name)) throw issue([...path, i, "name"], `duplicate argument "${arg.name}"`);
    seen.add(arg.name);
  });
  // A required argument without a default after an optional one could never be given.
  const firstOptional = out.findIndex((a) => !a.required || a.default !== undefined);
  out.forEach((arg, i) => {
    if (firstOptional >= 0 && i > firstOptional && arg.required && arg.default === undefined) {
      throw issue(
        [...path, i, "required"],
        `required argument "${arg.name}" follows an optional one`,
        "put required arguments first, or give this one a default",
      );
    }
  });
  return out;
}

function parseFlag(raw: unknown, path: Path, issue: Issue): CommandFlag {
  if (!isRecord(raw)) throw issue(path, "a flag must be a map with a name:");
  checkKeys(raw, FLAG_KEYS, ["semantic_type", "values"], path, issue);
  const name = requiredString(raw, "name", path, issue);
  if (!NAME.test(name)) throw issue([...path, "name"], `invalid flag name "${name}"`);
  const type = optionalString(raw, "type", path, issue) ?? "string";
  if (!FLAG_TYPES.includes(type as CommandFlag["type"])) {
    throw issue([...path, "type"], `flag type "${type}" is not supported`, "use string or bool");
  }
  const shorthand = optionalString(raw, "shorthand", path, issue);
  if (shorthand !== undefined && !SHORTHAND.test(shorthand)) {
    throw issue([...path, "shorthand"], `shorthand "${shorthand}" must be one letter or digit`);
  }
  const dflt = raw.default;
  if (dflt !== undefined && dflt !== null) {
    const ok = type === "bool" ? typeof dflt === "boolean" : typeof dflt !== "object";
    if (!ok) throw issue([...path, "default"], `the default of a ${type} flag must be a ${type}`);
  }
  return {
    name,
    shorthand,
    type: type as CommandFlag["type"],
    description: optionalString(raw, "description", path, issue) ??
      optionalString(raw, "usage", path, issue) ?? "",
    required: optionalBool(raw, "required", path, issue) ?? false,
    default: dflt === undefined || dflt === null
      ? undefined
      : typeof dflt === "boolean"
      ? dflt
      : String(dflt),
  };
}

function checkFlags(flags: CommandFlag[], inherited: CommandFlag[], path: Path, issue: Issue) {
  flags.forEach((flag, i) => {
    const at = [...path, i];
    if (RESERVED_FLAGS.includes(flag.name)) {
      throw issue([...at, "name"], `flag name "${flag.name}" is reserved`, "choose another name");
    }
    if (flag.shorthand === "h") {
      throw issue([...at, "shorthand"], `shorthand "h" is reserved for --help`);
    }
    const earlier = flags.slice(0, i);
    if (earlier.some((f) => f.name === flag.name)) {
      throw issue([...at, "name"], `duplicate flag "${flag.name}"`);
    }
    if (flag.shorthand && earlier.some((f) => f.shorthand === flag.shorthand)) {
      throw issue([...at, "shorthand"], `duplicate shorthand "-${flag.shorthand}"`);
    }
    const parent = inherited.find((f) => f.name === flag.name);
    if (parent && parent.type !== flag.type) {
      throw issue(
        [...at, "type"],
        `flag "--${flag.name}" has type ${flag.type} but a parent command declares it as ${parent.type}`,
      );
    }
    const clash = inherited.find((f) => f.shorthand && f.shorthand === flag.shorthand);
    if (clash && clash.name !== flag.name) {
      throw issue(
        [...at, "shorthand"],
        `shorthand "-${flag.shorthand}" is already used by the parent's flag "--${clash.name}"`,
      );
    }
  });
}

function parseEnv(raw: unknown, path: Path, issue: Issue): CommandEnv[] {
  if (raw === undefined || raw === null) return [];
  if (isRecord(raw)) {
    return Object.keys(raw).sort().map((key) => {
      const value = raw[key];
      const at = [...path, key];
      if (isRecord(value)) return envEntry(key, value, at, issue);
      if (typeof value === "object" && value !== null) {
        throw issue(at, `env value of ${key} must be a string or {value|valueCommand}`);
      }
      return { key, value: value === null ? "" : String(value), path: at };
    });
  }
  return list(raw, path, issue).map((item, i) => {
    const at = [...path, i];
    if (!isRecord(item)) throw issue(at, "an env entry must be a map with key: and value:");
    checkKeys(item, ENV_ENTRY_KEYS, [], at, issue);
    return envEntry(requiredString(item, "key", at, issue), item, at, issue);
  });
}

function envEntry(key: string, item: Record<string, unknown>, at: Path, issue: Issue): CommandEnv {
  const hasValue = item.value !== undefined && item.value !== null;
  const command = optionalString(item, "valueCommand", at, issue);
  if (hasValue && command !== undefined) {
    throw issue(at, `env ${key} has both value and valueCommand`, "keep one of them");
  }
  if (command !== undefined) return { key, valueCommand: command, path: [...at, "valueCommand"] };
  return { key, value: scalarString(item, "value", at, issue) ?? "", path: [...at, "value"] };
}

/**
 * An unquoted step such as `- echo "Auto-approve: $X"` is read by YAML as a one-key map
 * (`{'echo "Auto-approve': '$X"'}`); say so instead of "unknown key".
 */
function checkMisreadStep(raw: Record<string, unknown>, path: Path, issue: Issue): void {
  const keys = Object.keys(raw);
  if (keys.length !== 1 || !/\s/.test(keys[0])) return; // a key with a space is no step key
  const value = raw[keys[0]];
  if (typeof value === "object" && value !== null) return;
  const text = value === null ? `${keys[0]}:` : `${keys[0]}: ${value}`;
  throw issue(
    path,
    'this step is a map, not a command: YAML reads an unquoted step containing ": " as key: value',
    `quote the whole step: - '${text.replaceAll("'", "''")}'`,
  );
}

function parseComponentConfig(
  raw: unknown,
  path: Path,
  issue: Issue,
): CustomCommand["componentConfig"] {
  if (raw === undefined || raw === null) return undefined;
  if (!isRecord(raw)) {
    throw issue(path, "component_config must be a map with component: and stack:");
  }
  checkKeys(raw, COMPONENT_CONFIG_KEYS, [], path, issue);
  return {
    component: requiredString(raw, "component", path, issue),
    stack: requiredString(raw, "stack", path, issue),
  };
}

function checkKeys(
  raw: Record<string, unknown>,
  allowed: string[],
  unsupported: string[],
  path: Path,
  issue: Issue,
): void {
  for (const key of Object.keys(raw)) {
    if (allowed.includes(key)) continue;
    if (unsupported.includes(key)) {
      throw issue([...path, key], `"${key}" is not supported by this atmos`, "remove it");
    }
    throw issue(
      [...path, key],
      `unknown key "${key}"${didYouMean(key, allowed)}`,
      `allowed keys: ${allowed.join(", ")}`,
    );
  }
}

function list(raw: unknown, path: Path, issue: Issue): unknown[] {
  if (raw === undefined || raw === null) return [];
  if (!Array.isArray(raw)) throw issue(path, `${path[path.length - 1]} must be a list`);
  return raw;
}

function requiredString(raw: Record<string, unknown>, key: string, path: Path, issue: Issue) {
  const value = optionalString(raw, key, path, issue);
  if (value === undefined || value.trim() === "") throw issue(path, `missing ${key}:`);
  return value;
}

function optionalString(
  raw: Record<string, unknown>,
  key: string,
  path: Path,
  issue: Issue,
): string | undefined {
  const value = raw[key];
  if (value === undefined || value === null) return undefined;
  if (typeof value !== "string") throw issue([...path, key], `${key} must be a string`);
  return value;
}

function scalarString(
  raw: Record<string, unknown>,
  key: string,
  path: Path,
  issue: Issue,
): string | undefined {
  const value = raw[key];
  if (value === undefined || value === null) return undefined;
  if (typeof value === "object") throw issue([...path, key], `${key} must be a string`);
  return String(value);
}

function optionalBool(
  raw: Record<string, unknown>,
  key: string,
  path: Path,
  issue: Issue,
): boolean | undefined {
  const value = raw[key];
  if (value === undefined || value === null) return undefined;
  if (typeof value !== "boolean") throw issue([...path, key], `${key} must be true or false`);
  return value;
}
