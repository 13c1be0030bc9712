/**
 * Shell completion over the command tree, in the shape of Cobra's hidden `__complete`
 * protocol: given the words after the program name, the last one being the word under the
 * cursor (possibly empty), it returns candidates (`value` and an optional description) and a
 * directive telling the shell script what to do when there are none. Values of arguments and
 * flags come from their `complete` source ({@linkcode ValueSource}) through a lookup function,
 * so this module stays free of configuration and stack code.
 *
 * The walk follows the parser's rules (parse.ts) without failing on half-typed input:
 * subcommands first, persistent flags before them, `--flag value` / `--flag=value` / `-f value`
 * / `-fvalue`, optional-value flags taking the next word unless it starts with `-` or names a
 * subcommand, everything after `--` left to the shell's file completion.
 *
 * Hand-written rather than `@bomb.sh/tab`: it must walk our own command tree with the parser's
 * rules and ask atmos.yaml and the stacks for values lazily, which such a library cannot know.
 *
 * @module
 */
import {
  type ArgSpec,
  availableFlags,
  type CommandSpec,
  findSubcommand,
  type FlagSpec,
  type ValueSource,
} from "./command.ts";

/** Cobra's ShellCompDirective bits that the generated scripts understand. */
export const DIRECTIVE = {
  /** Nothing special: with no candidates the shell completes file names. */
  default: 0,
  /** Completion failed; the shell offers nothing. */
  error: 1,
  /** Do not add a space after the completed word. */
  noSpace: 2,
  /** Do not fall back to file names. */
  noFileComp: 4,
  /** Complete directory names only. */
  filterDirs: 16,
} as const;

/** One completion candidate. */
export interface Candidate {
  value: string;
  description?: string;
}

/** The answer to one completion request. */
export interface Completion {
  candidates: Candidate[];
  /** A sum of {@linkcode DIRECTIVE} bits. */
  directive: number;
}

/** The named sources a lookup serves (files and directories are left to the shell). */
export type NamedSource =
  | "identity"
  | "provider"
  | "stack"
  | "component"
  | "workflow"
  | "workflow-file";

/** What was typed before the word being completed. */
export interface CompletionContext {
  /** Command names below the root, e.g. `["terraform"]`. */
  path: string[];
  /** Flag values given so far, by long name. */
  flags: Record<string, string | string[]>;
  /** Positionals mapped to the command's argument names. */
  args: Record<string, string>;
}

/** Finds the values of a named source (names from atmos.yaml, the stacks, workflows). */
export type Lookup = (source: NamedSource, context: CompletionContext) => Promise<Candidate[]>;

interface Walked {
  cmd: CommandSpec;
  parents: CommandSpec[];
  flags: Map<string, string | string[]>;
  given: Set<string>;
  positionals: string[];
  /** The flag whose value is the word being completed (`--stack <cur>`, `-s <cur>`). */
  pending?: FlagSpec;
  /** No subcommand may follow (a positional or a passed-through word was seen). */
  pastSubcommands: boolean;
  afterDashDash: boolean;
}

/**
 * Completes the last of `words` (the words after the program name; pass `""` last for a new
 * word). Candidates are filtered by the typed prefix and never contain hidden commands or
 * flags.
 */
export async function complete(
  root: CommandSpec,
  words: string[],
  lookup: Lookup,
): Promise<Completion> {
  const current = words.length > 0 ? words[words.length - 1] : "";
  const walked = walkWords(root, words.slice(0, -1));
  if (walked.afterDashDash) return { candidates: [], directive: DIRECTIVE.default };
  if (walked.pending) return await flagValues(walked, walked.pending, "", current, lookup);
  const inline = /^(--[^=]+=)(.*)$/.exec(current);
  if (inline) {
    const spec = findFlag(walked, (f) => f.name === inline[1].slice(2, -1));
    if (!spec || spec.type === "boolean") {
      return { candidates: [], directive: DIRECTIVE.noFileComp };
    }
    return await flagValues(walked, spec, inline[1], inline[2], lookup);
  }
  if (current.startsWith("-")) return flagNames(walked, current);
  return await positionalValues(walked, current, lookup);
}

function walkWords(root: CommandSpec, words: string[]): Walked {
  const state: Walked = {
    cmd: root,
    parents: [],
    flags: new Map(),
    given: new Set(),
    positionals: [],
    pastSubcommands: false,
    afterDashDash: false,
  };
  for (let i = 0; i < words.length; i++) {
    const word = words[i];
    const next = i + 1 < words.length ? words[i + 1] : undefined;
    const atEnd = i + 1 === words.length;
    if (word === "--") {
      state.afterDashDash = true;
      return state;
    }
    if (word.startsWith("--")) {
      i += longFlag(state, word, next, atEnd);
    } else if (word.startsWith("-") && word.length > 1) {
      i += shortFlags(state, word, next, atEnd);
    } else {
      const sub = state.pastSubcommands ? undefined : findSubcommand(state.cmd, word);
      if (sub) {
        state.parents.push(state.cmd);
        state.cmd = sub;
      } else {
        state.pastSubcommands = true;
        state.positionals.push(word);
      }
    }
  }
  return state;
}

/** Handles `--name[=value]`; returns how many following words it consumed. */
function longFlag(state: Walked, word: string, next: string | undefined, atEnd: boolean): number {
  const eq = word.indexOf("=");
  const name = word.slice(2, eq < 0 ? undefined : eq);
  const spec = findFlag(state, (f) => f.name === name);
  if (!spec) {
    if (state.cmd.passThroughUnknown) state.pastSubcommands = true;
    return 0;
  }
  if (spec.type === "boolean") {
    record(state, spec, "true");
    return 0;
  }
  if (eq >= 0) {
    record(state, spec, word.slice(eq + 1));
    return 0;
  }
  return takeValue(state, spec, next, atEnd, spec.optionalValue !== undefined);
}

/** Handles `-abc`, `-svalue`, `-s value`; returns how many following words it consumed. */
function shortFlags(state: Walked, word: string, next: string | undefined, atEnd: boolean): number {
  if (state.cmd.exactShortFlags && word.length > 2 && word[2] !== "=") {
    state.pastSubcommands = true;
    return 0;
  }
  for (let j = 1; j < word.length; j++) {
    const spec = findFlag(state, (f) => f.short === word[j]);
    if (!spec) {
      if (state.cmd.passThroughUnknown) state.pastSubcommands = true;
      return 0;
    }
    if (spec.type === "boolean") {
      record(state, spec, "true");
      continue;
    }
    const rest = word.slice(j + 1);
    if (rest.length > 0) {
      record(state, spec, rest.startsWith("=") ? rest.slice(1) : rest);
      return 0;
    }
    return takeValue(state, spec, next, atEnd, spec.optionalValue !== undefined);
  }
  return 0;
}

/** A flag that wants a value: the next word, or the word being completed. */
function takeValue(
  state: Walked,
  spec: FlagSpec,
  next: string | undefined,
  atEnd: boolean,
  optional: boolean,
): number {
  if (atEnd) {
    state.pending = spec;
    return 0;
  }
  if (next === undefined) return 0;
  if (optional && (next.startsWith("-") || findSubcommand(state.cmd, next))) {
    record(state, spec, spec.optionalValue ?? "");
    return 0;
  }
  record(state, spec, next);
  return 1;
}

function record(state: Walked, spec: FlagSpec, value: string): void {
  state.given.add(spec.name);
  if (spec.type === "string[]") {
    const previous = state.flags.get(spec.name);
    const items = value.split(",").filter((v) => v !== "");
    state.flags.set(spec.name, [...(Array.isArray(previous) ? previous : []), ...items]);
  } else {
    state.flags.set(spec.name, value);
  }
}

function findFlag(state: Walked, match: (f: FlagSpec) => boolean): FlagSpec | undefined {
  return availableFlags(state.cmd, state.parents).find(match);
}

function flagNames(state: Walked, current: string): Completion {
  const candidates: Candidate[] = [];
  for (const flag of availableFlags(state.cmd, state.parents)) {
    if (flag.hidden || (state.given.has(flag.name) && flag.type !== "string[]")) continue;
    candidates.push({ value: `--${flag.name}`, description: flag.description });
    if (current === "-" && flag.short) {
      candidates.push({ value: `-${flag.short}`, description: flag.description });
    }
  }
  candidates.push({ value: "--help", description: "help for this command" });
  return { candidates: filter(candidates, current), directive: DIRECTIVE.noFileComp };
}

async function flagValues(
  state: Walked,
  spec: FlagSpec,
  prefix: string,
  typed: string,
  lookup: Lookup,
): Promise<Completion> {
  // A comma list (`--components vpc,e`): complete the last item, keep the ones before it.
  const comma = spec.type === "string[]" ? typed.lastIndexOf(",") + 1 : 0;
  const source = spec.complete ?? spec.choices;
  const found = await sourceValues(source, state, lookup);
  const lead = prefix + typed.slice(0, comma);
  const candidates = filter(found.candidates, typed.slice(comma)).map((c) => ({
    ...c,
    value: lead + c.value,
  }));
  return { candidates, directive: found.directive };
}

async function positionalValues(
  state: Walked,
  current: string,
  lookup: Lookup,
): Promise<Completion> {
  const candidates: Candidate[] = [];
  let directive: number = DIRECTIVE.noFileComp;
  if (!state.pastSubcommands) {
    for (const sub of state.cmd.subcommands ?? []) {
      if (!sub.hidden) candidates.push({ value: sub.name, description: sub.summary });
    }
  }
  const arg = argAt(state.cmd, state.positionals.length);
  if (arg) {
    const found = await sourceValues(arg.complete, state, lookup);
    candidates.push(...found.candidates);
    directive = found.directive;
  } else if (state.cmd.passThroughUnknown && state.cmd.run) {
    directive = DIRECTIVE.default;
  }
  return { candidates: filter(candidates, current), directive };
}

function argAt(cmd: CommandSpec, index: number): ArgSpec | undefined {
  const args = cmd.args ?? [];
  if (index < args.length) return args[index];
  const last = args[args.length - 1];
  return last?.variadic ? last : undefined;
}

async function sourceValues(
  source: ValueSource | undefined,
  state: Walked,
  lookup: Lookup,
): Promise<Completion> {
  if (source === undefined) return { candidates: [], directive: DIRECTIVE.noFileComp };
  if (source === "file") return { candidates: [], directive: DIRECTIVE.default };
  if (source === "dir") return { candidates: [], directive: DIRECTIVE.filterDirs };
  if (typeof source !== "string") {
    return {
      candidates: source.map((value) => ({ value })),
      directive: DIRECTIVE.noFileComp,
    };
  }
  try {
    return { candidates: await lookup(source, contextOf(state)), directive: DIRECTIVE.noFileComp };
  } catch {
    // A broken atmos.yaml or stack tree offers nothing rather than an error in the prompt.
    return { candidates: [], directive: DIRECTIVE.noFileComp };
  }
}

function contextOf(state: Walked): CompletionContext {
  const args: Record<string, string> = {};
  (state.cmd.args ?? []).forEach((arg, i) => {
    if (i < state.positionals.length) args[arg.name] = state.positionals[i];
  });
  return {
    path: [...state.parents.slice(1), ...(state.parents.length > 0 ? [state.cmd] : [])].map((c) =>
      c.name
    ),
    flags: Object.fromEntries(state.flags),
    args,
  };
}

function filter(candidates: Candidate[], prefix: string): Candidate[] {
  const seen = new Set<string>();
  return candidates.filter((c) => {
    if (!c.value.startsWith(prefix) || seen.has(c.value)) return false;
    seen.add(c.value);
    return true;
  });
}

/**
 * The `__complete` output: one `value` or `value<TAB>description` line per candidate (tabs and
 * newlines inside a description become spaces), then `:<directive>`.
 */
export function formatCompletion(completion: Completion): string {
  const lines = completion.candidates.map((c) =>
    c.description ? `${c.value}\t${c.description.replace(/[\t\n]+/g, " ")}` : c.value
  );
  return [...lines, `:${completion.directive}`].join("\n") + "\n";
}
