/**
 * Running a custom command (atmos-workflows-commands.md §2.4–§2.7): arguments and flags become
 * template data, the identity is chosen (`--identity` > `identity:` > none; `--identity=false`
 * turns authentication off) and authenticated once, the environment is built in layers
 * (process → atmos.yaml `env:` → `ATMOS_CLI_PATH` → command `env` → step `env` → identity
 * pointers last), every step is rendered, and the steps run through the shared step engine.
 * Steps render before any of them runs, so a template mistake in the last step runs nothing.
 *
 * @module
 */
import { resolve } from "../fs/path.ts";
import { AtmosError, UsageError } from "../errors.ts";
import type { LoadedConfig } from "../config/load.ts";
import { resolveFromBase } from "../config/load.ts";
import { configIssue } from "../config/issue.ts";
import type { AuthManager } from "../auth/manager.ts";
import { identityFromFlag, type StepAuth, stepAuth } from "../auth/step_auth.ts";
import type { StepRenewalHost } from "../auth/step_renewal.ts";
import { withEnvLayer } from "../exec/env.ts";
import { atmosCommandOf, selfEnvironment } from "../exec/self.ts";
import { shellQuote } from "../exec/shell_words.ts";
import { nextShellLevel } from "../exec/shlvl.ts";
import { type Question, runSteps, templateTexts } from "../exec/steps.ts";
import { templatesReadEnv } from "../exec/step_refs.ts";
import { describeForCommand } from "./component.ts";
import { renderCommandTemplate, type TemplateData } from "./render.ts";
import type { CommandStep, CustomCommand } from "./schema.ts";

/** What running a custom command needs from the CLI (the app's Runtime provides it). */
export interface CommandContext extends StepRenewalHost {
  env: Record<string, string>;
  cwd: string;
  interactive: boolean;
  pick(message: string, options: string[]): Promise<string>;
  err(text: string): void;
  logger: { debugEnabled: boolean; debug(message: string): void };
  config(): Promise<LoadedConfig>;
  manager(): Promise<AuthManager>;
  selfCommand(): string[];
  /** `--config` / `--config-path` values, passed on to nested atmos steps. */
  configFiles: string[];
  configPaths: string[];
  out(text: string): void;
  /** Asks the user (an `input`, `choose` or `confirm` step on a terminal). */
  ask(question: Question): Promise<string>;
}

/** The parsed command line, as the CLI parser gives it. */
export interface CommandInput {
  args: Record<string, string | string[] | undefined>;
  flags: Record<string, string | boolean | string[] | undefined>;
  given: Set<string>;
  rest: string[];
}

/**
 * Runs `command` (whose ancestors, outermost first, are `parents`) and returns the exit code
 * of the last step, or throws for the first failing one.
 */
export async function runCustomCommand(
  ctx: CommandContext,
  command: CustomCommand,
  parents: CustomCommand[],
  input: CommandInput,
): Promise<number> {
  const loaded = await ctx.config();
  const label = `atmos ${[...parents, command].map((c) => c.name).join(" ")}`;
  if (command.steps.length === 0) {
    throw configIssue(loaded, [...command.path, "name"], `"${label}" has no steps or subcommands`);
  }
  checkRequiredFlags(command, parents, input, label);
  const shellLevel = nextShellLevel(ctx.env);
  const cwd = await commandDirectory(loaded, [...parents, command], ctx.cwd);
  const data = templateData(command, parents, input, cwd);
  const auth = await chooseIdentity(ctx, loaded, command, input);

  let env = selfEnvironment(withEnvLayer(ctx.env, loaded.config.env));
  for (const entry of command.env) {
    const value = "value" in entry
      ? render(entry.value, { ...data, Env: env, env }, entry.path, ctx.env)
      : await valueCommand(entry.key, entry.valueCommand, env, cwd);
    env = { ...env, [entry.key]: value };
  }
  if (command.componentConfig) {
    data.ComponentConfig = await componentConfig(
      loaded,
      command,
      { ...data, Env: env, env },
      cwd,
      ctx.env,
    );
  }
  // Authenticate once up front; every step shares this session (re-checked before each step).
  if (auth) await auth.auth.withIdentity(auth.identity, env);
  const watchStep = auth
    ? (await import("../auth/step_renewal.ts")).stepRenewal(
      ctx,
      auth.manager,
      `command ${loaded.basePath} ${label}`,
    )
    : undefined;
  const announce = command.verbose || ctx.logger.debugEnabled;
  const { Env: _env, env: _lower, ...roots } = data;
  const outcome = await runSteps({
    steps: command.steps.map((step) => withDefaults(step, auth?.identity, cwd)),
    self: atmosCommandOf(ctx),
    expandEnv: ctx.env,
    shellLevel,
    env,
    data: roots,
    secrets: await commandSecrets(ctx, loaded, command),
    interactive: ctx.interactive,
    resolveCwd: (dir) => resolve(cwd, dir),
    issue: (path, message, hint) => configIssue(loaded, path, message, hint),
    io: { out: (text) => ctx.out(text), err: (text) => ctx.err(text) },
    hooks: {
      withIdentity: (identity, stepEnv) => auth!.auth.withIdentity(identity, stepEnv),
      watchStep,
      onStart(step, index, display, parent) {
        const name = parent ? `${parent.name}/${step.name}` : step.name;
        if (announce) ctx.err(`[${index + 1}/${command.steps.length}] ${name}: ${display}\n`);
      },
      ask: (question) => ctx.ask(question),
    },
  });
  if (outcome.ok) return 0;
  const which = `step "${outcome.step.name}" of "${label}"`;
  if (outcome.signal) {
    throw new AtmosError(`${which} was stopped by ${outcome.signal}`, { exitCode: outcome.code });
  }
  const detail = outcome.step.type === "parallel" || outcome.step.type === "matrix"
    ? `: ${outcome.detail}`
    : ` with exit code ${outcome.code}${outcome.detail ? ` ${outcome.detail}` : ""}`;
  throw new AtmosError(`${which} failed${detail}`, { exitCode: outcome.code });
}

/** A step (and its children) with the command's identity and working directory. */
function withDefaults(step: CommandStep, identity: string | undefined, cwd: string): CommandStep {
  if (step.type === "parallel" || step.type === "matrix") {
    return {
      ...step,
      steps: step.steps.map((child) => ({ ...withCommand(child, identity, cwd) })),
    };
  }
  if (step.type !== "shell" && step.type !== "atmos") return step;
  return withCommand(step, identity, cwd);
}

function withCommand<T extends { identity?: string; workingDirectory?: string }>(
  step: T,
  identity: string | undefined,
  cwd: string,
): T {
  return { ...step, identity, workingDirectory: step.workingDirectory ?? cwd };
}

/** The configuration's long-lived secrets, when a template reads the environment they come from. */
async function commandSecrets(
  ctx: CommandContext,
  loaded: LoadedConfig,
  command: CustomCommand,
): Promise<string[]> {
  if (!templatesReadEnv(templateTexts(command.steps).map((t) => t.text))) return [];
  if (!loaded.config.auth?.identities) return [];
  return (await ctx.manager()).configSecrets();
}

function checkRequiredFlags(
  command: CustomCommand,
  parents: CustomCommand[],
  input: CommandInput,
  label: string,
): void {
  for (const flag of [...parents, command].flatMap((c) => c.flags)) {
    if (flag.required && !input.given.has(flag.name)) {
      throw new UsageError(`required flag --${flag.name} not set`, {
        hint: `run "${label} --help"`,
      });
    }
  }
}

/** The command's working directory: its own, else the nearest ancestor's, else the cwd. */
async function commandDirectory(
  loaded: LoadedConfig,
  chain: CustomCommand[],
  cwd: string,
): Promise<string> {
  const owner = [...chain].reverse().find((c) => c.workingDirectory !== undefined);
  if (!owner) return cwd;
  const dir = resolveFromBase(loaded.config, owner.workingDirectory!);
  const info = await Deno.stat(dir).catch(() => undefined);
  if (!info?.isDirectory) {
    throw configIssue(
      loaded,
      [...owner.path, "working_directory"],
      `working directory "${dir}" does not exist`,
      "relative paths start at the base path",
    );
  }
  return dir;
}

function templateData(
  command: CustomCommand,
  parents: CustomCommand[],
  input: CommandInput,
  cwd: string,
): TemplateData {
  const args: Record<string, string> = {};
  for (const arg of command.arguments) {
    const given = input.args[arg.name];
    args[arg.name] = typeof given === "string" ? given : arg.default ?? "";
  }
  const flags: Record<string, string | boolean> = {};
  for (const flag of [...parents, command].flatMap((c) => c.flags)) {
    const value = input.flags[flag.name];
    flags[flag.name] = flag.type === "bool"
      ? value === true
      : typeof value === "string"
      ? value
      : typeof flag.default === "string"
      ? flag.default
      : "";
  }
  return {
    Arguments: args,
    Flags: flags,
    flags,
    TrailingArgs: input.rest.map(shellQuote).join(" "),
    Cwd: cwd,
    cwd,
    Env: {},
    env: {},
  };
}

interface CommandAuth {
  auth: StepAuth;
  manager: AuthManager;
  identity: string;
}

/** `--identity` > `identity:` > none; `--identity=false` disables authentication. */
async function chooseIdentity(
  ctx: CommandContext,
  loaded: LoadedConfig,
  command: CustomCommand,
  input: CommandInput,
): Promise<CommandAuth | undefined> {
  const flagValue = input.given.has("identity") ? String(input.flags.identity) : undefined;
  if (flagValue === undefined && command.identity === undefined) return undefined;
  const manager = await ctx.manager();
  const flag = await identityFromFlag(flagValue, {
    identities: manager.identityNames(),
    interactive: ctx.interactive,
    pick: ctx.pick,
  });
  if (flag.kind === "disabled") return undefined;
  const auth = stepAuth(manager);
  if (flag.kind === "identity") return { auth, manager, identity: auth.check(flag.name) };
  try {
    return { auth, manager, identity: auth.check(command.identity!) };
  } catch (error) {
    if (!(error instanceof AtmosError) || error.location) throw error;
    throw configIssue(loaded, [...command.path, "identity"], error.message, error.hint);
  }
}

function render(
  text: string,
  data: TemplateData,
  path: (string | number)[],
  processEnv: Record<string, string>,
): string {
  return renderCommandTemplate(text, data, path.join("."), processEnv);
}

/** Runs a `valueCommand` with `bash -c` and returns its output without trailing newlines. */
async function valueCommand(
  key: string,
  script: string,
  env: Record<string, string>,
  cwd: string,
): Promise<string> {
  let output: Deno.CommandOutput;
  try {
    output = await new Deno.Command("bash", {
      args: ["-c", script],
      env,
      clearEnv: true,
      cwd,
      stdin: "null",
      stdout: "piped",
      stderr: "inherit",
    }).output();
  } catch (error) {
    throw new AtmosError(`env ${key}: cannot run valueCommand: ${String(error)}`, { cause: error });
  }
  if (!output.success) {
    throw new AtmosError(`env ${key}: valueCommand failed with exit code ${output.code}`, {
      exitCode: output.code || 1,
    });
  }
  return new TextDecoder().decode(output.stdout).replace(/\n+$/, "");
}

async function componentConfig(
  loaded: LoadedConfig,
  command: CustomCommand,
  data: TemplateData,
  cwd: string,
  processEnv: Record<string, string>,
): Promise<Record<string, unknown>> {
  const at = [...command.path, "component_config"];
  const component = render(
    command.componentConfig!.component,
    data,
    [...at, "component"],
    processEnv,
  );
  const stack = render(command.componentConfig!.stack, data, [...at, "stack"], processEnv);
  for (const [key, value] of [["component", component], ["stack", stack]]) {
    if (value.trim() === "" || value === "<no value>") {
      throw configIssue(loaded, [...at, key], `component_config.${key} rendered empty`);
    }
  }
  return await describeForCommand(loaded, { component, stack, cwd, env: data.Env });
}
