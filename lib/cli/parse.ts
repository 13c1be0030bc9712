/**
 * Cobra-like command line parsing over a {@linkcode CommandSpec} tree.
 * Hand-written instead of `node:util` parseArgs: Cobra's optional-value flags (NoOptDefVal),
 * persistent flags before subcommand names and pass-through commands need a custom walk anyway.
 *
 * Rules:
 * - subcommand words come first; flags may appear before them if the current command (or a
 *   parent, as a persistent flag) defines them;
 * - `--flag=value`, `--flag value`, `-f value`, `-fvalue`, `-f=value`, combined short booleans
 *   `-ab`, `--no-x` for booleans, repeated `string[]` flags and comma lists;
 * - a flag with an `optionalValue` takes the next word as its value unless that word starts
 *   with `-` or names a subcommand (`--identity prod` and `-i prod` both select `prod`, as the
 *   Atmos docs show for workflows and custom commands; `--identity` alone means the picker);
 * - `--help`/`-h` anywhere before `--` gives help for the deepest command reached, `--version`
 *   before any subcommand asks for the version;
 * - `--` ends flags; what follows is `rest` (only for commands with `acceptsRest`);
 * - on commands with `exactShortFlags`, a single-dash word is a short flag only as `-x` or
 *   `-x=value`; longer words (`-var=a=b`, `-input=false`) are passed through.
 *
 * @module
 */

import { UsageError } from "../errors.ts";
import {
  type ArgSpec,
  availableFlags,
  commandPathString,
  type CommandSpec,
  findSubcommand,
  type FlagSpec,
  type Invocation,
} from "./command.ts";
import { suggest } from "./suggest.ts";

/** What the command line asks for: run a command, show help, or print the version. */
export type ParseResult =
  | { command: CommandSpec; parents: CommandSpec[]; invocation: Invocation }
  | { help: CommandSpec; parents: CommandSpec[] }
  | { version: true };

type FlagValue = string | boolean | string[];

interface WalkState {
  root: CommandSpec;
  cmd: CommandSpec;
  parents: CommandSpec[];
  values: Map<string, FlagValue>;
  givenSpecs: Map<string, FlagSpec>;
  positionals: string[];
  /** For each positional: the optional-value flag given bare just before it, if any. */
  bareBefore: (string | undefined)[];
  rest: string[] | undefined;
  help: boolean;
  version: boolean;
  error: UsageError | undefined;
}

/**
 * Parses `argv` (without the program name) against the command tree rooted at `root`.
 * Throws {@linkcode UsageError} for bad command lines; with `--help` anywhere before `--` it
 * returns help instead of throwing.
 */
export function parseCommandLine(root: CommandSpec, argv: string[]): ParseResult {
  const state = walk(root, argv);
  if (state.help) return { help: state.cmd, parents: state.parents };
  if (state.error) throw state.error;
  if (state.version) return { version: true };
  const { cmd, parents } = state;
  checkFlagsValidFor(state);
  if (!cmd.run) return { help: cmd, parents };
  if (state.rest !== undefined && state.rest.length > 0 && !cmd.acceptsRest) {
    throw usage(`unexpected arguments after "--" for "${pathOf(state)}"`, state);
  }
  const invocation: Invocation = {
    path: [...parents.slice(1), ...(parents.length > 0 ? [cmd] : [])].map((c) => c.name),
    flags: collectFlags(state),
    given: new Set(state.givenSpecs.keys()),
    args: mapArgs(state),
    positionals: state.positionals,
    rest: state.rest ?? [],
  };
  return { command: cmd, parents, invocation };
}

function walk(root: CommandSpec, argv: string[]): WalkState {
  const state: WalkState = {
    root,
    cmd: root,
    parents: [],
    values: new Map(),
    givenSpecs: new Map(),
    positionals: [],
    bareBefore: [],
    rest: undefined,
    help: false,
    version: false,
    error: undefined,
  };
  let subcommandPhase = true;
  let lastBare: string | undefined;
  for (let i = 0; i < argv.length; i++) {
    const word = argv[i];
    const bareBefore = lastBare;
    lastBare = undefined;
    if (word === "--") {
      state.rest = argv.slice(i + 1);
      break;
    }
    if (word.startsWith("--")) {
      const result = parseLong(state, word, argv[i + 1]);
      if (result.consumedNext) i++;
      if (result.passedThrough) subcommandPhase = false;
      lastBare = result.bare;
      continue;
    }
    if (word.startsWith("-") && word.length > 1) {
      const result = parseShort(state, word, argv[i + 1]);
      if (result.consumedNext) i++;
      if (result.passedThrough) subcommandPhase = false;
      continue;
    }
    if (subcommandPhase && (state.cmd.subcommands?.length ?? 0) > 0) {
      const sub = findSubcommand(state.cmd, word);
      if (sub) {
        state.parents.push(state.cmd);
        state.cmd = sub;
        continue;
      }
      if (!acceptsPositionals(state.cmd)) {
        fail(state, unknownCommand(state, word, bareBefore));
        subcommandPhase = false;
        continue;
      }
    }
    subcommandPhase = false;
    state.positionals.push(word);
    state.bareBefore.push(bareBefore);
  }
  return state;
}

interface WordResult {
  consumedNext?: boolean;
  passedThrough?: boolean;
  /** Name of an optional-value flag that was given bare. */
  bare?: string;
}

function parseLong(state: WalkState, word: string, next: string | undefined): WordResult {
  const eq = word.indexOf("=");
  const name = eq < 0 ? word.slice(2) : word.slice(2, eq);
  const inline = eq < 0 ? undefined : word.slice(eq + 1);
  const spec = findLong(state, name);
  if (!spec) {
    const negated = name.startsWith("no-") ? findLong(state, name.slice(3)) : undefined;
    if (negated?.type === "boolean") {
      if (inline !== undefined) {
        fail(state, usage(`flag --${name} does not take a value`, state));
      } else setFlag(state, negated, false);
      return {};
    }
    if (name === "help") {
      state.help = true;
      return {};
    }
    if (name === "version" && state.cmd === state.root) {
      state.version = true;
      return {};
    }
    if (state.cmd.passThroughUnknown) {
      state.positionals.push(word);
      state.bareBefore.push(undefined);
      return { passedThrough: true };
    }
    fail(state, unknownFlag(state, name));
    return {};
  }
  if (spec.type === "boolean") {
    setFlag(state, spec, inline === undefined ? true : parseBool(state, spec, inline));
    return {};
  }
  if (inline !== undefined) {
    setFlag(state, spec, inline);
    return {};
  }
  if (spec.optionalValue !== undefined) {
    if (next !== undefined && !next.startsWith("-") && !findSubcommand(state.cmd, next)) {
      setFlag(state, spec, next);
      return { consumedNext: true };
    }
    setFlag(state, spec, spec.optionalValue);
    return { bare: spec.name };
  }
  if (next === undefined || next === "--") {
    fail(state, missingValue(state, spec));
    return {};
  }
  setFlag(state, spec, next);
  return { consumedNext: true };
}

function parseShort(state: WalkState, word: string, next: string | undefined): WordResult {
  if (state.cmd.exactShortFlags && word.length > 2 && word[2] !== "=") {
    // `-state=x`, `-input=false`: a wrapped tool's single-dash flag, not `-s tate=x`.
    state.positionals.push(word);
    state.bareBefore.push(undefined);
    return { passedThrough: true };
  }
  for (let j = 1; j < word.length; j++) {
    const letter = word[j];
    const spec = findShort(state, letter);
    const remaining = word.slice(j + 1);
    if (!spec) {
      if (letter === "h") {
        state.help = true;
        continue;
      }
      if (state.cmd.passThroughUnknown) {
        state.positionals.push(word);
        state.bareBefore.push(undefined);
        return { passedThrough: true };
      }
      fail(
        state,
        usage(`unknown shorthand flag '${letter}' in "${word}" for "${pathOf(state)}"`, state),
      );
      return {};
    }
    if (spec.type === "boolean") {
      if (remaining.startsWith("=")) {
        setFlag(state, spec, parseBool(state, spec, remaining.slice(1)));
        return {};
      }
      setFlag(state, spec, true);
      continue;
    }
    if (remaining.length > 0) {
      setFlag(state, spec, remaining.startsWith("=") ? remaining.slice(1) : remaining);
      return {};
    }
    if (spec.optionalValue !== undefined && (next === undefined || next.startsWith("-"))) {
      setFlag(state, spec, spec.optionalValue);
      return {};
    }
    if (next === undefined || next === "--") {
      fail(state, missingValue(state, spec));
      return {};
    }
    setFlag(state, spec, next);
    return { consumedNext: true };
  }
  return {};
}

function findLong(state: WalkState, name: string): FlagSpec | undefined {
  return availableFlags(state.cmd, state.parents).find((f) => f.name === name);
}

function findShort(state: WalkState, letter: string): FlagSpec | undefined {
  return availableFlags(state.cmd, state.parents).find((f) => f.short === letter);
}

function acceptsPositionals(cmd: CommandSpec): boolean {
  return cmd.run !== undefined && ((cmd.args?.length ?? 0) > 0 || cmd.passThroughUnknown === true);
}

function setFlag(state: WalkState, spec: FlagSpec, value: string | boolean): void {
  if (spec.type === "string[]" && typeof value === "string") {
    const items = value === spec.optionalValue ? [value] : value.split(",").filter((v) => v !== "");
    for (const item of items) checkChoice(state, spec, item);
    const previous = state.givenSpecs.has(spec.name) ? state.values.get(spec.name) : undefined;
    state.values.set(spec.name, [...(Array.isArray(previous) ? previous : []), ...items]);
  } else {
    if (typeof value === "string") checkChoice(state, spec, value);
    state.values.set(spec.name, value);
  }
  state.givenSpecs.set(spec.name, spec);
}

function checkChoice(state: WalkState, spec: FlagSpec, value: string): void {
  if (!spec.choices || spec.choices.includes(value) || value === spec.optionalValue) return;
  fail(
    state,
    usage(
      `invalid value "${value}" for --${spec.name}; expected one of: ${spec.choices.join(", ")}`,
      state,
    ),
  );
}

function parseBool(state: WalkState, spec: FlagSpec, text: string): boolean {
  const lower = text.toLowerCase();
  if (lower === "true" || lower === "t" || lower === "1") return true;
  if (lower === "false" || lower === "f" || lower === "0") return false;
  fail(state, usage(`invalid value "${text}" for --${spec.name}; expected true or false`, state));
  return false;
}

function checkFlagsValidFor(state: WalkState): void {
  const valid = new Set(availableFlags(state.cmd, state.parents));
  for (const spec of state.givenSpecs.values()) {
    if (!valid.has(spec)) {
      throw usage(`flag --${spec.name} is not valid for "${pathOf(state)}"`, state);
    }
  }
}

function collectFlags(state: WalkState): Invocation["flags"] {
  const flags: Invocation["flags"] = {};
  for (const spec of availableFlags(state.cmd, state.parents)) {
    if (state.givenSpecs.has(spec.name)) {
      flags[spec.name] = state.values.get(spec.name);
    } else if (spec.default !== undefined) {
      flags[spec.name] = Array.isArray(spec.default) ? [...spec.default] : spec.default;
    }
  }
  return flags;
}

function mapArgs(state: WalkState): Invocation["args"] {
  const specs: ArgSpec[] = state.cmd.args ?? [];
  const { positionals } = state;
  const args: Invocation["args"] = {};
  let k = 0;
  for (const spec of specs) {
    if (spec.variadic) {
      const values = positionals.slice(k);
      k = positionals.length;
      if (spec.required && values.length === 0) throw missingArg(state, spec);
      args[spec.name] = values;
    } else if (k < positionals.length) {
      args[spec.name] = positionals[k++];
    } else if (spec.required) {
      throw missingArg(state, spec);
    } else {
      args[spec.name] = undefined;
    }
  }
  if (k < positionals.length && !state.cmd.passThroughUnknown) {
    const extra = positionals[k];
    const bare = state.bareBefore[k];
    const message = specs.length === 0
      ? `unexpected argument "${extra}" for "${pathOf(state)}"`
      : `too many arguments for "${
        pathOf(state)
      }": expected at most ${specs.length}, got ${positionals.length}`;
    throw bare ? usage(message, state, bareHint(bare, extra)) : usage(message, state);
  }
  return args;
}

function pathOf(state: WalkState): string {
  return commandPathString(state.cmd, state.parents);
}

function helpHint(state: WalkState): string {
  return `run "${pathOf(state)} --help"`;
}

function bareHint(flag: string, value: string): string {
  return `--${flag} takes a value only with "=": use --${flag}=${value}`;
}

function usage(message: string, state: WalkState, hint = helpHint(state)): UsageError {
  return new UsageError(message, { hint });
}

function fail(state: WalkState, error: UsageError): void {
  state.error ??= error;
}

function unknownCommand(state: WalkState, word: string, bareBefore?: string): UsageError {
  const names = (state.cmd.subcommands ?? []).filter((c) => !c.hidden).flatMap((c) => [
    c.name,
    ...(c.aliases ?? []),
  ]);
  const guess = suggest(word, names);
  const message = `unknown command "${word}" for "${pathOf(state)}"` +
    (guess ? `; did you mean "${guess}"?` : "");
  return usage(message, state, bareBefore ? bareHint(bareBefore, word) : helpHint(state));
}

function unknownFlag(state: WalkState, name: string): UsageError {
  const names = availableFlags(state.cmd, state.parents).filter((f) => !f.hidden).map((f) =>
    f.name
  );
  const guess = suggest(name, [...names, "help"]);
  return usage(
    `unknown flag "--${name}" for "${pathOf(state)}"` +
      (guess ? `; did you mean "--${guess}"?` : ""),
    state,
  );
}

function missingValue(state: WalkState, spec: FlagSpec): UsageError {
  const hint = spec.choices ? `expected one of: ${spec.choices.join(", ")}` : helpHint(state);
  return usage(`flag --${spec.name} needs a value`, state, hint);
}

function missingArg(state: WalkState, spec: ArgSpec): UsageError {
  return usage(`missing required argument <${spec.name}> for "${pathOf(state)}"`, state);
}
