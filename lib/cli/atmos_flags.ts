/**
 * Atmos's flags that atmos accepts without an effect of its own, per command, so that a
 * command line written for Atmos parses here (checked against Atmos's `cmd/` definitions,
 * commit 0a1cb448). Each says why when it is used: a `noop` flag prints one `note:` line on
 * stderr and the command runs; an `unsupported` flag asks for something atmos cannot do, so
 * the command stops with a usage error (exit 2) instead of silently doing something else.
 * Flags with real behaviour are defined by their commands; the README lists both kinds.
 *
 * @module
 */
import { UsageError } from "../errors.ts";
import {
  availableFlags,
  type CommandSpec,
  type FlagSpec,
  type FlagType,
  type Invocation,
} from "./command.ts";

/** An accepted Atmos flag and what atmos does about it. */
interface CompatFlag {
  name: string;
  short?: string;
  type: FlagType;
  effect: "noop" | "unsupported";
  why: string;
  /** Value used when given bare (Cobra's NoOptDefVal). */
  optionalValue?: string;
}

const noop = (name: string, type: FlagType, why: string, short?: string): CompatFlag => ({
  name,
  type,
  effect: "noop",
  why,
  short,
});
const unsupported = (name: string, type: FlagType, why: string): CompatFlag => ({
  name,
  type,
  effect: "unsupported",
  why,
});

const NO_COLOR = "atmos prints no colours";
const NO_REMOTE = "no remote-lookup YAML functions run here (they are errors)";
const NO_BULK = "atmos runs one component in one stack at a time";

/** Persistent flags of the root (Atmos's global flags) that have no effect here. */
const GLOBAL: CompatFlag[] = [
  noop("logs-file", "string", "logs go to stderr"),
  noop("no-color", "boolean", NO_COLOR),
  noop("force-color", "boolean", NO_COLOR),
  noop("force-tty", "boolean", "prompts are shown only when stdin and stderr are terminals"),
  noop("mask", "boolean", "secrets never reach atmos's output, so there is nothing to mask"),
  noop("pager", "string", "output is never paged"),
  noop("interactive", "boolean", "prompts are shown whenever stdin and stderr are terminals"),
  noop("redirect-stderr", "string", "redirect stderr in your shell instead (2>file)"),
  noop("heatmap", "boolean", "there is no performance heatmap"),
  noop("heatmap-mode", "string", "there is no performance heatmap"),
  noop("profiler-enabled", "boolean", "there is no pprof profiler"),
  noop("profiler-port", "string", "there is no pprof profiler"),
  noop("profiler-host", "string", "there is no pprof profiler"),
  noop("profile-file", "string", "there is no pprof profiler"),
  noop("profile-type", "string", "there is no pprof profiler"),
  unsupported("profile", "string[]", "configuration profiles are not supported"),
  unsupported("use-version", "string", "atmos cannot switch to another version"),
];

/** Shared by `list stacks` and `list components` (a sorted list of names). */
const LIST_NAMES: CompatFlag[] = [
  noop("columns", "string[]", "the list has one column"),
  noop("sort", "string", "the list is always sorted by name"),
  noop("process-templates", "boolean", "names come from the stacks as processed"),
  noop("process-functions", "boolean", NO_REMOTE),
  noop("skip", "string[]", NO_REMOTE),
  noop("error-mode", "string", "errors always stop the listing with one line"),
  noop("identity", "string", NO_REMOTE, "i"),
];

/** Per command path (`auth login`, `describe component`, …). */
const COMMANDS: Record<string, CompatFlag[]> = {
  "auth login": [
    unsupported("tags", "string", "choosing an identity by tags is not supported; name it with -i"),
    unsupported("webflow", "boolean", "browser sign-in for aws/user is not supported"),
  ],
  "auth logout": [
    unsupported("tags", "string", "logging out by tags is not supported; name a provider or -i"),
    unsupported("all-realms", "boolean", "only the current realm is logged out; use --all"),
    unsupported(
      "keychain",
      "boolean",
      "logout keeps long-lived keys in the credential store; replace them with auth user configure",
    ),
    noop("force", "boolean", "logout never asks for confirmation (it never deletes stored keys)"),
  ],
  "auth console": [
    unsupported("isolated", "boolean", "isolated browser profiles are not supported"),
  ],
  "describe component": [
    unsupported("file", "string", "write the output with > file"),
    noop("use-mocks", "boolean", NO_REMOTE),
    noop("skip", "string[]", NO_REMOTE),
    noop("provenance", "boolean", "provenance is not tracked; output is the merged value"),
    noop("identity", "string", NO_REMOTE, "i"),
  ],
  "describe stacks": [
    unsupported("file", "string", "write the output with > file"),
    noop("skip", "string[]", NO_REMOTE),
    noop("include-empty-stacks", "boolean", "stacks without components are always left out"),
    noop("identity", "string", NO_REMOTE, "i"),
  ],
  "list stacks": [noop("provenance", "boolean", "provenance is not tracked"), ...LIST_NAMES],
  "list components": [
    noop("type", "string", "abstract components are always left out; real ones listed", "t"),
    noop("enabled", "boolean", "components are listed whatever their metadata.enabled"),
    noop("locked", "boolean", "components are listed whatever their metadata.locked"),
    noop("abstract", "boolean", "abstract components are always left out"),
    ...LIST_NAMES,
  ],
  "list workflows": [
    noop("columns", "string[]", "the columns are fixed"),
    noop("sort", "string", "the list is always sorted by file and name"),
  ],
  "terraform": [
    noop("process-templates", "boolean", "templates in stacks are always processed"),
    noop("process-functions", "boolean", NO_REMOTE),
    noop("use-mocks", "boolean", NO_REMOTE),
    noop("skip", "string[]", NO_REMOTE),
    noop("skip-hooks", "string", "hooks are not run"),
    noop("upload-status", "boolean", "there is no Atmos Pro upload"),
    noop("append-user-agent", "string", "terraform's user agent is left as it is"),
    noop("init-pass-vars", "boolean", "vars reach init as TF_VAR_* variables anyway"),
    noop("ci", "boolean", "there is no CI summary output"),
    noop("log-order", "string", "one component runs at a time"),
    unsupported("from-plan", "string", "no planfile is written (vars are TF_VAR_* variables)"),
    unsupported("planfile", "string", "no planfile is written; pass -- -out=FILE yourself"),
    unsupported("affected", "boolean", NO_BULK),
    unsupported("all", "boolean", NO_BULK),
    unsupported("components", "string[]", NO_BULK),
    unsupported("query", "string", NO_BULK),
    unsupported("tags", "string", NO_BULK),
    unsupported("labels", "string", NO_BULK),
    unsupported("failure-mode", "string", NO_BULK),
  ],
  "workflow": [
    unsupported("tags", "string[]", "selecting workflow steps by tags is not supported"),
    unsupported("labels", "string", "selecting workflow steps by labels is not supported"),
  ],
  "version": [
    noop("check", "boolean", "atmos has no release channel to check for updates", "c"),
  ],
};

/**
 * Adds the accepted Atmos flags to the loaded commands of the tree (commands known only by
 * name are skipped; they get theirs when loaded). Flags a command already defines are kept.
 */
export function addAtmosFlags(root: CommandSpec): void {
  root.flags = [...(root.flags ?? []), ...missing(root, GLOBAL).map((f) => spec(f, true))];
  addToCommands(root);
}

function addToCommands(root: CommandSpec): void {
  const walk = (cmd: CommandSpec, path: string[]) => {
    const extra = COMMANDS[path.join(" ")];
    if (extra && (cmd.run || cmd.subcommands)) {
      cmd.flags = [...(cmd.flags ?? []), ...missing(cmd, extra).map((f) => spec(f, false))];
    }
    for (const sub of cmd.subcommands ?? []) walk(sub, [...path, sub.name]);
  };
  for (const sub of root.subcommands ?? []) walk(sub, [sub.name]);
}

function missing(cmd: CommandSpec, flags: CompatFlag[]): CompatFlag[] {
  const own = new Set((cmd.flags ?? []).map((f) => f.name));
  const shorts = new Set((cmd.flags ?? []).flatMap((f) => f.short ? [f.short] : []));
  return flags.filter((f) => !own.has(f.name)).map((f) =>
    f.short && shorts.has(f.short) ? { ...f, short: undefined } : f
  );
}

/** The flag specs made here, and the Atmos flag each stands for. */
const MADE = new WeakMap<FlagSpec, CompatFlag>();

function spec(flag: CompatFlag, global: boolean): FlagSpec {
  const label = flag.effect === "noop" ? "no effect here" : "not supported";
  const made: FlagSpec = {
    name: flag.name,
    short: flag.short,
    type: flag.type,
    description: `Atmos flag, ${label}: ${flag.why}`,
    // Atmos's global flags are inherited by every command, but left out of help here.
    persistent: global,
    hidden: global,
    optionalValue: flag.optionalValue,
  };
  MADE.set(made, flag);
  return made;
}

/**
 * The notes to print for the accepted Atmos flags given on this command line (`parents` are
 * the command's ancestors, root first, as the parser returns them).
 *
 * @throws {UsageError} for a given flag atmos does not support.
 */
export function atmosFlagNotes(
  command: CommandSpec,
  parents: CommandSpec[],
  inv: Invocation,
): string[] {
  const notes: string[] = [];
  for (const used of availableFlags(command, parents)) {
    const flag = MADE.get(used);
    if (!flag || !inv.given.has(used.name)) continue;
    if (flag.effect === "unsupported") {
      throw new UsageError(`--${flag.name} is not supported by this atmos: ${flag.why}`, {
        hint: `run "atmos ${inv.path.join(" ")} --help"`,
      });
    }
    notes.push(`note: --${flag.name} has no effect here: ${flag.why}\n`);
  }
  return notes;
}
