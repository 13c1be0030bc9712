/**
 * The atmos command tree and the one function `main.ts` calls. It parses argv, sets up the
 * write sandbox (a writer worker for commands that write, revoked write permission for all
 * others) before any configuration is read, then runs the command.
 *
 * @module
 */
import { type CommandSpec, findSubcommand, type FlagSpec } from "./command.ts";
import { addAtmosFlags, atmosFlagNotes } from "./atmos_flags.ts";
import { createLogger, LOG_LEVELS } from "../log.ts";
import { parseCommandLine } from "./parse.ts";
import { renderHelp } from "./help.ts";
import { Runtime } from "./runtime.ts";
import { VERSION } from "../version.ts";
import { AtmosError, formatErrorLine, UsageError } from "../errors.ts";
import { resolve as resolvePath } from "../fs/path.ts";
import { revokeWrite } from "../fs/revoke.ts";
import { COMPLETE_COMMAND } from "./commands/completion.ts";

/**
 * When a command gets the sandboxed writer. `start`: before anything else (commands that
 * always write). `deferred`: the command reads configuration and cached credentials first and
 * then either opens the writer (to authenticate) or revokes write permission (warm cache), via
 * `rt.ensureWriter()` / `rt.sealWrites()`, before any write, network call or child process;
 * a warm `auth exec` so pays for no writer worker. Every other command revokes write at start.
 * Workflows and custom commands (whose paths come from atmos.yaml, see `addCustomCommands`)
 * are `start`: they run children between authentications, so write must be settled first.
 */
const WRITE_POLICY: Record<string, "start" | "deferred"> = {
  "__sandbox-check": "start",
  "auth login": "start",
  "auth renew": "start",
  "auth logout": "start",
  "auth user configure": "start",
  "auth whoami": "deferred",
  "auth env": "deferred",
  "auth exec": "deferred",
  "auth credential-process": "deferred",
  "auth shell": "deferred",
  workflow: "start",
  "auth console": "deferred",
  // May authenticate, then runs terraform several times (init, workspace, the subcommand).
  terraform: "start",
};

/**
 * A built-in top-level command. Its modules are imported only when the command line names it
 * (or everything is needed, for completion): `atmos version` then loads no command module at
 * all. `summary` is what the root help lists without loading; a test keeps it equal to the
 * loaded command's own summary.
 */
interface TopLevel {
  name: string;
  summary: string;
  hidden?: boolean;
  /** Loads the command; `sub` is the next word of the command line, a hint for groups. */
  load(rt: Runtime, sub?: string): Promise<CommandSpec>;
}

const TOP_LEVEL: TopLevel[] = [
  {
    name: "auth",
    summary: "Log in to identities and run commands with their credentials",
    load: (rt, sub) => import("./commands/auth_group.ts").then((m) => m.authGroup(rt, sub)),
  },
  {
    name: "describe",
    summary: "Show the final configuration of components, stacks and workflows",
    load: async (rt) => {
      const [stack, workflow] = await Promise.all([
        import("./commands/describe.ts"),
        import("./commands/workflow.ts"),
      ]);
      return {
        name: "describe",
        summary: "Show the final configuration of components, stacks and workflows",
        subcommands: [
          stack.describeComponentCommand(rt),
          stack.describeStacksCommand(rt),
          workflow.describeWorkflowsCommand(rt),
        ],
      };
    },
  },
  {
    name: "list",
    summary: "List stacks, components and workflows",
    load: async (rt) => {
      const [stack, workflow] = await Promise.all([
        import("./commands/describe.ts"),
        import("./commands/workflow.ts"),
      ]);
      return {
        name: "list",
        summary: "List stacks, components and workflows",
        subcommands: [
          stack.listStacksCommand(rt),
          stack.listComponentsCommand(rt),
          workflow.listWorkflowsCommand(rt),
        ],
      };
    },
  },
  {
    name: "terraform",
    summary: "Run terraform for a component in a stack, with the stack's identity",
    load: (rt) => import("./commands/terraform.ts").then((m) => m.terraformCommand(rt)),
  },
  {
    name: "workflow",
    summary: "Run a workflow: a list of atmos and shell steps, each with its own identity",
    load: (rt) => import("./commands/workflow.ts").then((m) => m.workflowCommand(rt)),
  },
  {
    name: "completion",
    summary: "Print a shell completion script (bash, zsh, fish)",
    load: (rt) => import("./commands/completion.ts").then((m) => m.completionCommand(rt)),
  },
  {
    name: "schema",
    summary: "Print the JSON Schema of atmos.yaml (for editor completion and validation)",
    load: (rt) => import("./commands/schema.ts").then((m) => m.schemaCommand(rt)),
  },
  {
    name: "__sandbox-check",
    summary: "Try writes through the sandbox and report the outcome",
    hidden: true,
    load: (rt) => import("./commands/sandbox_check.ts").then((m) => m.sandboxCheckCommand(rt)),
  },
];

/** Names and summaries of the built-in top-level commands, without loading them. */
export function topLevelSummaries(): Array<{ name: string; summary: string }> {
  return TOP_LEVEL.map(({ name, summary }) => ({ name, summary }));
}

/**
 * Builds the command tree over a runtime: fully for `load: "all"`, else with only the named
 * top-level command loaded (the others are name-and-summary stubs, enough for the root help,
 * suggestions and name clashes); `sub`, the next word, lets a group load only that subcommand.
 */
export async function commandTree(
  rt: Runtime,
  load: "all" | string = "all",
  sub?: string,
): Promise<CommandSpec> {
  const subcommands = await Promise.all(
    TOP_LEVEL.map((entry) =>
      load === "all" || load === entry.name
        ? entry.load(rt, load === "all" ? undefined : sub)
        : Promise.resolve<CommandSpec>({
          name: entry.name,
          summary: entry.summary,
          hidden: entry.hidden,
        })
    ),
  );
  const tree: CommandSpec = {
    name: "atmos",
    summary: "Cloud identities, credentials and commands for Atmos projects",
    description:
      "atmos logs you in to cloud identities, keeps short-lived credentials in 0600 files under $XDG_CONFIG_HOME/atmos, and runs commands with pointers to them — never raw keys in the environment.",
    flags: [
      {
        name: "config",
        type: "string[]",
        description: "atmos.yaml file(s) to load instead of discovery",
        valueName: "file",
        persistent: true,
        complete: "file",
      },
      {
        name: "config-path",
        type: "string[]",
        description: "directory(ies) holding atmos.yaml, instead of discovery",
        valueName: "dir",
        persistent: true,
        complete: "dir",
      },
      {
        name: "chdir",
        short: "C",
        type: "string",
        description: "change to this directory first (as if atmos started there)",
        valueName: "dir",
        persistent: true,
        complete: "dir",
      },
      {
        name: "base-path",
        type: "string",
        description: "base path of the project (like ATMOS_BASE_PATH)",
        valueName: "dir",
        persistent: true,
        complete: "dir",
      },
      {
        name: "logs-level",
        type: "string",
        description: "log level (like ATMOS_LOGS_LEVEL)",
        valueName: "level",
        persistent: true,
        complete: LOG_LEVELS,
      },
    ],
    subcommands: [
      ...subcommands,
      {
        name: "version",
        summary: "Print the atmos version",
        flags: [VERSION_FORMAT_FLAG],
        run(inv) {
          rt.out(versionText(inv.flags.format));
          return Promise.resolve(0);
        },
      },
    ],
  };
  addAtmosFlags(tree);
  return tree;
}

/** `atmos version --format json|yaml` (Atmos's flag). */
const VERSION_FORMAT_FLAG: FlagSpec = {
  name: "format",
  type: "string",
  description: "print the version as json or yaml",
  choices: ["json", "yaml"],
};

function versionText(format: unknown): string {
  const fields = {
    version: VERSION,
    deno: Deno.version.deno,
    os: Deno.build.os,
    arch: Deno.build.arch,
  };
  if (format === "json") return JSON.stringify(fields, null, 2) + "\n";
  if (format === "yaml") {
    return Object.entries(fields).map(([key, value]) => `${key}: ${value}\n`).join("");
  }
  return `atmos ${VERSION} (deno ${Deno.version.deno})\n`;
}

/**
 * Runs atmos with `argv` and returns the exit code. Errors are thrown to the caller
 * (`main.ts`), which renders them.
 *
 * Custom commands come from atmos.yaml, so the configuration is read before parsing only when
 * the first word is not a built-in command (or for the root help, which lists them): `atmos
 * version` and `atmos auth …` never read YAML for them.
 */
export async function run(argv: string[], rt: Runtime): Promise<number> {
  try {
    return await runCommand(argv, rt);
  } finally {
    rt.closeWriter();
    for (const file of rt.preopened.values()) file.close();
  }
}

async function runCommand(argv: string[], rt: Runtime): Promise<number> {
  const scan = scanRootWords(argv);
  applyGlobalFlags(rt, scan);
  let root = await commandTree(
    rt,
    argv[0] === COMPLETE_COMMAND ? "all" : scan.word ?? "",
    scan.next,
  );
  if (argv[0] === COMPLETE_COMMAND) {
    // Shell completion (the scripts of `atmos completion`) reads configuration, never writes;
    // it adds the custom commands of atmos.yaml itself.
    await revokeWrite();
    const { runComplete } = await import("./commands/complete_run.ts");
    return await runComplete(root, argv.slice(1), rt);
  }
  let customPaths = await addCustomCommands(root, argv, rt);
  // The tree holds stubs for what the words did not name; the next word is only a guess (it may
  // be a flag's value). When parsing fails or ends on a stub, the full tree decides.
  const parseFully = async () => {
    root = await commandTree(rt, "all");
    customPaths = await addCustomCommands(root, argv, rt);
    return parseCommandLine(root, argv);
  };
  let parsed: ReturnType<typeof parseCommandLine>;
  try {
    parsed = parseCommandLine(root, argv);
  } catch {
    parsed = await parseFully();
  }
  if (isStub("help" in parsed ? parsed.help : "command" in parsed ? parsed.command : undefined)) {
    parsed = await parseFully();
  }
  if ("version" in parsed) {
    await revokeWrite();
    rt.out(versionText(undefined));
    return 0;
  }
  if ("help" in parsed) {
    await revokeWrite();
    rt.out(renderHelp(parsed.help, parsed.parents));
    return 0;
  }
  const { command, invocation } = parsed;
  for (const note of atmosFlagNotes(command, parsed.parents, invocation)) rt.err(note);
  const path = invocation.path.join(" ");
  const policy = WRITE_POLICY[path] ?? (customPaths.has(path) ? "start" : undefined);
  if (policy) await preopenGithubEnv(rt, invocation.flags.format);
  if (path === "auth env") await preopenOutputFile(rt, invocation.flags["output-file"]);
  if (policy === "start") await rt.ensureWriter();
  else if (!policy) await revokeWrite();
  try {
    rt.configFiles = (invocation.flags.config as string[] | undefined) ?? [];
    rt.configPaths = (invocation.flags["config-path"] as string[] | undefined) ?? [];
    rt.mfaToken = (invocation.flags["mfa-token"] as string | undefined) ?? rt.env.ATMOS_MFA_TOKEN;
    rt.noBrowser = invocation.flags["no-browser"] === true;
    return await command.run!(invocation);
  } finally {
    await rt.sealWrites();
  }
}

/**
 * Built-in commands that custom commands may extend with subcommands (Atmos merges a custom
 * `terraform` into the built-in one): the ones that read atmos.yaml anyway. `version`,
 * `completion` and `schema` never read it.
 */
const EXTENSIBLE = new Set(["auth", "describe", "list", "terraform", "workflow"]);

/**
 * Adds the custom commands of atmos.yaml to the tree when the command line may name one, and
 * returns their paths (they run with the writer opened at start, like workflows). The
 * configuration may run `!exec` children, so write permission is settled first: the writer is
 * opened (custom commands authenticate) or, for the root help, write is revoked. Under a
 * built-in command (`terraform provision`) the built-in's own write policy applies, decided
 * after parsing; the configuration is only read there when a custom command is named like it.
 */
async function addCustomCommands(
  root: CommandSpec,
  argv: string[],
  rt: Runtime,
): Promise<Set<string>> {
  const scan = scanRootWords(argv);
  const helpOnly = scan.word === undefined;
  if (helpOnly && scan.version) return new Set();
  const builtin = helpOnly ? undefined : findSubcommand(root, scan.word!);
  if (builtin && !EXTENSIBLE.has(builtin.name)) return new Set();
  // A custom command never replaces a built-in subcommand (a colliding one is an error of its
  // own), so naming one (`auth exec`) needs no custom command: the configuration is not read
  // here (`auth credential-process` answers from its cache without reading it at all).
  if (builtin && scan.next && builtin.subcommands?.some((sub) => sub.name === scan.next)) {
    return new Set();
  }
  rt.configFiles = scan.configFiles;
  rt.configPaths = scan.configPaths;
  if (helpOnly) await revokeWrite();
  else if (!builtin) await rt.ensureWriter();
  try {
    const loaded = await rt.config();
    if (builtin && !namesCustomCommand(loaded.config.commands, builtin)) return new Set();
    const { loadCustomCommands, brokenCommands, parseCommands } = await import(
      "../commands/mod.ts"
    );
    if (helpOnly) {
      for (const broken of brokenCommands(parseCommands(loaded))) {
        const name = broken.name === "" ? "" : ` "${broken.name}"`;
        rt.logger.warn(`custom command${name} is invalid: ${formatErrorLine(broken.error)}`);
      }
    }
    return loadCustomCommands(rt, loaded, root);
  } catch (error) {
    // A built-in reports configuration problems itself, when it reads the configuration.
    if (builtin) return new Set();
    if (!helpOnly) throw error;
    rt.logger.warn(`custom commands from atmos.yaml are not shown: ${formatErrorLine(error)}`);
    return new Set();
  }
}

/** Whether `commands:` has a command named like the built-in `builtin` (or its alias). */
function namesCustomCommand(commands: unknown, builtin: CommandSpec): boolean {
  if (!Array.isArray(commands)) return false;
  const names = [builtin.name, ...(builtin.aliases ?? [])];
  return commands.some((c) =>
    typeof c === "object" && c !== null && names.includes((c as { name?: unknown }).name as string)
  );
}

/** A command known only by name and summary (its module not loaded). */
function isStub(command: CommandSpec | undefined): boolean {
  return command !== undefined && !command.run && command.subcommands === undefined;
}

/** The first command word of argv, and the `--config`/`--config-path` values before `--`. */
function scanRootWords(argv: string[]): {
  word?: string;
  /** The first word after `word` that does not look like a flag (a hint for groups). */
  next?: string;
  version: boolean;
  configFiles: string[];
  configPaths: string[];
  /** `-C`/`--chdir`, `--base-path`, `--logs-level`: applied before anything else. */
  chdir?: string;
  basePath?: string;
  logsLevel?: string;
} {
  const out = {
    word: undefined as string | undefined,
    next: undefined as string | undefined,
    version: false,
    configFiles: [] as string[],
    configPaths: [] as string[],
    chdir: undefined as string | undefined,
    basePath: undefined as string | undefined,
    logsLevel: undefined as string | undefined,
  };
  for (let i = 0; i < argv.length; i++) {
    const word = argv[i];
    if (word === "--") break;
    const flag = /^--(config|config-path)(?:=(.*))?$/.exec(word);
    const global = /^(?:--(chdir|base-path|logs-level)|(-C))(?:=(.*))?$/.exec(word);
    if (flag) {
      const value = flag[2] ?? argv[++i] ?? "";
      const values = value.split(",").filter((v) => v !== "");
      (flag[1] === "config" ? out.configFiles : out.configPaths).push(...values);
    } else if (global && (global[1] !== undefined || out.word === undefined)) {
      const value = global[3] ?? argv[++i] ?? "";
      const name = global[1] ?? "chdir";
      if (name === "chdir") out.chdir = value;
      else if (name === "base-path") out.basePath = value;
      else out.logsLevel = value;
    } else if (word === "--version" && out.word === undefined) {
      out.version = true;
    } else if (!word.startsWith("-") && out.word === undefined) {
      out.word = word;
      out.next = argv.slice(i + 1).find((w) => !w.startsWith("-"));
    }
    // Later words are scanned for --config/--config-path only (they are persistent flags, and
    // the configuration read here must be the one the command will read).
  }
  return out;
}

/**
 * `auth env --output-file` names a file of the user's, outside the sandbox: it is opened for
 * appending (created 0600) before write permission is revoked, like `$GITHUB_ENV`.
 */
async function preopenOutputFile(rt: Runtime, path: unknown): Promise<void> {
  if (typeof path !== "string" || path === "" || rt.preopened.has(path)) return;
  try {
    const file = await Deno.open(resolvePath(rt.cwd, path), {
      append: true,
      create: true,
      mode: 0o600,
    });
    rt.preopened.set(path, file);
  } catch (error) {
    throw new AtmosError(`cannot open --output-file "${path}": ${String(error)}`, {
      exitCode: 2,
      cause: error,
    });
  }
}

/**
 * Atmos's global `-C`/`--chdir`, `--base-path` and `--logs-level`, applied before any
 * configuration is read (the parser checks their values again later).
 */
function applyGlobalFlags(rt: Runtime, scan: ReturnType<typeof scanRootWords>): void {
  if (scan.logsLevel !== undefined) {
    if (!LOG_LEVELS.some((l) => l.toLowerCase() === scan.logsLevel!.toLowerCase())) {
      throw new UsageError(`invalid value "${scan.logsLevel}" for --logs-level`, {
        hint: `expected one of: ${LOG_LEVELS.join(", ")}`,
      });
    }
    rt.logger = createLogger(scan.logsLevel);
  }
  if (scan.chdir !== undefined) {
    const dir = resolvePath(rt.cwd, scan.chdir);
    try {
      Deno.chdir(dir);
    } catch (error) {
      throw new UsageError(`cannot change to directory "${scan.chdir}" (-C/--chdir)`, {
        hint: error instanceof Deno.errors.NotFound ? "it does not exist" : String(error),
      });
    }
    rt.cwd = dir;
  }
  if (scan.basePath !== undefined) rt.env.ATMOS_BASE_PATH = resolvePath(rt.cwd, scan.basePath);
}

/** `$GITHUB_ENV` is outside the sandbox: open it for appending before write is revoked. */
async function preopenGithubEnv(rt: Runtime, format: unknown): Promise<void> {
  const path = rt.env.GITHUB_ENV;
  if (format !== "github" || !path) return;
  rt.preopened.set(path, await Deno.open(path, { append: true, create: true, mode: 0o600 }));
}
