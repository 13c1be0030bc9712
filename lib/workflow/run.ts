/**
 * `atmos workflow`: decides each step's stack and identity, then either prints the plan
 * (`--dry-run`: nothing is authenticated or run) or runs it through the step engine
 * (atmos-workflows-commands.md §1.5–§1.10).
 *
 * Precedence: stack = `--stack` > step `stack` > parallel step `stack` > workflow `stack`
 * (atmos steps); identity = step `identity` > parallel step `identity` > `--identity` > none
 * (`--identity=false` turns authentication off for every step). Steps without an identity run
 * with atmos's own environment, raw AWS variables untouched. Authentication goes through a
 * single-flight wrapper (`shared_auth.ts`), so concurrent steps authenticate an identity once.
 *
 * @module
 */
import { AtmosError } from "../errors.ts";
import type { LoadedConfig } from "../config/load.ts";
import { resolveFromBase } from "../config/load.ts";
import { configIssue } from "../config/issue.ts";
import type { AuthManager } from "../auth/manager.ts";
import { identityFromFlag, type StepAuth, stepAuth } from "../auth/step_auth.ts";
import type { StepRenewalHost } from "../auth/step_renewal.ts";
import { withEnvLayer } from "../exec/env.ts";
import { atmosCommandOf, selfEnvironment } from "../exec/self.ts";
import { nextShellLevel } from "../exec/shlvl.ts";
import {
  type CommandStep,
  type PlannedStep,
  planSteps,
  type Question,
  runSteps,
  type RunStepsOptions,
  type Step,
  templateTexts,
} from "../exec/steps.ts";
import { shellQuote as quote } from "../exec/shell_words.ts";
import { templatesReadEnv } from "../exec/step_refs.ts";
import { type FilesContext, findWorkflow, type Found, pickWorkflow } from "./files.ts";
import { parseWorkflow, type Workflow } from "./manifest.ts";
import { sharedAuth } from "./shared_auth.ts";

/** What running a workflow needs from the CLI (the app's Runtime provides it). */
export interface WorkflowContext extends FilesContext, StepRenewalHost {
  logger: { warn(message: string): void; debug(message: string): void };
  out(text: string): void;
  err(text: string): void;
  config(): Promise<LoadedConfig>;
  manager(): Promise<AuthManager>;
  /** argv prefix that re-invokes this atmos. */
  selfCommand(): string[];
  /** `--config` / `--config-path` values, passed on to nested atmos steps. */
  configFiles: string[];
  configPaths: string[];
  /** Asks the user (an `input`, `choose` or `confirm` step on a terminal). */
  ask(question: Question): Promise<string>;
}

/** The command line of `atmos workflow`. */
export interface WorkflowOptions {
  name?: string;
  file?: string;
  dryRun: boolean;
  fromStep?: string;
  stack?: string;
  /** Raw `--identity` value (the picker sentinel when bare). */
  identity?: string;
}

/** Runs (or, with `dryRun`, prints) a workflow and returns the exit code. */
export async function runWorkflow(ctx: WorkflowContext, options: WorkflowOptions): Promise<number> {
  const loaded = await ctx.config();
  const found = options.name === undefined
    ? await pickOrFail(ctx, loaded)
    : await findWorkflow(ctx, loaded, options.name, options.file);
  const workflow = parseWorkflow(found.manifest, found.name);
  const steps = fromStep(workflow, options.fromStep);
  const auth = await authFor(ctx, steps, options.identity);
  const resolved = steps.map((step) => resolveStep(found, workflow, step, options, auth));
  const flags = { stack: options.stack ?? "", identity: auth?.flag ?? "" };
  const engine: RunStepsOptions = {
    steps: resolved,
    self: atmosCommandOf(ctx),
    expandEnv: ctx.env,
    shellLevel: nextShellLevel(ctx.env),
    env: selfEnvironment(withEnvLayer(ctx.env, loaded.config.env)),
    sharedEnv: { vars: workflow.env, path: ["workflows", found.name, "env"] },
    data: { flags, Flags: flags },
    secrets: await configSecrets(ctx, loaded, auth, resolved, workflow),
    interactive: ctx.interactive,
    resolveCwd: (dir) => resolveFromBase(loaded.config, dir),
    issue: (path, message, hint) => configIssue(found.manifest.yaml, path, message, hint),
    io: { out: (text) => ctx.out(text), err: (text) => ctx.err(text) },
    hooks: {
      withIdentity: identityHook(auth),
      watchStep: auth && !auth.disabled && !options.dryRun
        ? (await import("../auth/step_renewal.ts")).stepRenewal(
          ctx,
          auth.manager,
          `workflow ${found.manifest.file} ${found.name}`,
        )
        : undefined,
      onStart(step, index, display, parent) {
        const who = "identity" in step && step.identity ? ` (identity ${step.identity})` : "";
        const name = parent ? `${parent.name}/${step.name}` : step.name;
        ctx.err(`[${index + 1}/${resolved.length}] ${name}${who}: ${display}\n`);
      },
      ask: (question) => ctx.ask(question),
    },
  };
  if (options.dryRun) {
    ctx.out(dryRunText(found, await planSteps(engine)));
    return 0;
  }
  const outcome = await runSteps(engine);
  if (outcome.ok) return 0;
  const hint = `resume with: ${resumeCommand(found, outcome.step.name, options.stack)}`;
  if (outcome.signal) {
    throw new AtmosError(
      `workflow "${found.name}" stopped by ${outcome.signal} at step "${outcome.step.name}"`,
      { exitCode: outcome.code, hint },
    );
  }
  const what = outcome.step.type === "parallel" || outcome.step.type === "matrix"
    ? `step "${outcome.step.name}" failed: ${outcome.detail}`
    : `step "${outcome.step.name}" failed with exit code ${outcome.code}${
      outcome.detail ? ` ${outcome.detail}` : ""
    }`;
  throw new AtmosError(what, { exitCode: outcome.code, hint });
}

/** `atmos workflow W -f F --from-step 'S'` (plus `-s 'X'` when `--stack` was given). */
export function resumeCommand(found: Found, step: string, stack?: string): string {
  const words = ["atmos", "workflow", quote(found.name), "-f", quote(found.manifest.id)];
  words.push("--from-step", quote(step));
  if (stack) words.push("-s", quote(stack));
  return words.join(" ");
}

async function pickOrFail(ctx: WorkflowContext, loaded: LoadedConfig): Promise<Found> {
  if (!ctx.interactive) {
    throw new AtmosError("no workflow name given", {
      exitCode: 2,
      hint: 'usage: atmos workflow <name> [-f file]; run "atmos list workflows" to see them',
    });
  }
  return await pickWorkflow(ctx, loaded);
}

function fromStep(workflow: Workflow, name: string | undefined): Step[] {
  if (name === undefined) return workflow.steps;
  const index = workflow.steps.findIndex((step) => step.name === name);
  if (index < 0) {
    throw new AtmosError(`workflow "${workflow.name}" has no step "${name}" (--from-step)`, {
      exitCode: 2,
      hint: `steps: ${workflow.steps.map((s) => s.name).join(", ")}`,
    });
  }
  return workflow.steps.slice(index);
}

interface RunAuth {
  auth: StepAuth;
  manager: AuthManager;
  /** `--identity` for steps without their own; `null` when off or not given. */
  flag: string | null;
  disabled: boolean;
}

/** Sets up authentication only when some step or the flag asks for an identity. */
async function authFor(
  ctx: WorkflowContext,
  steps: Step[],
  flagValue: string | undefined,
): Promise<RunAuth | undefined> {
  const named = steps.flatMap((step) =>
    step.type === "parallel" || step.type === "matrix"
      ? [step.identity, ...step.steps.map((child) => child.identity)]
      : "identity" in step
      ? [step.identity]
      : []
  );
  if (flagValue === undefined && named.every((identity) => identity === undefined)) {
    return undefined;
  }
  const manager = await ctx.manager();
  const flag = await identityFromFlag(flagValue, {
    identities: manager.identityNames(),
    interactive: ctx.interactive,
    pick: ctx.pick,
  });
  const auth = stepAuth(manager);
  if (flag.kind === "disabled") return { auth, manager, flag: null, disabled: true };
  return {
    auth,
    manager,
    flag: flag.kind === "identity" ? auth.check(flag.name) : null,
    disabled: false,
  };
}

/** A step with its identity, stack and working directory decided (children too). */
function resolveStep(
  found: Found,
  workflow: Workflow,
  step: Step,
  options: WorkflowOptions,
  auth: RunAuth | undefined,
): Step {
  if (step.type === "parallel" || step.type === "matrix") {
    const identity = ownIdentity(found, step.path, step.identity, auth);
    const parent = { identity, stack: step.stack };
    return {
      ...step,
      identity,
      steps: step.steps.map((child) =>
        resolveCommand(found, workflow, child, options, auth, parent)
      ),
    };
  }
  if (step.type !== "shell" && step.type !== "atmos") return step;
  return resolveCommand(found, workflow, step, options, auth, {});
}

function resolveCommand(
  found: Found,
  workflow: Workflow,
  step: CommandStep,
  options: WorkflowOptions,
  auth: RunAuth | undefined,
  parent: { identity?: string; stack?: string },
): CommandStep {
  const own = ownIdentity(found, step.path, step.identity, auth);
  return {
    ...step,
    stack: step.type === "atmos"
      ? options.stack || step.stack || parent.stack || workflow.stack
      : undefined,
    identity: auth?.disabled ? undefined : own ?? parent.identity ?? auth?.flag ?? undefined,
    workingDirectory: step.workingDirectory ?? workflow.workingDirectory,
  };
}

/** A step's own `identity:`, checked (a located error when unknown); none when auth is off. */
function ownIdentity(
  found: Found,
  path: (string | number)[],
  identity: string | undefined,
  auth: RunAuth | undefined,
): string | undefined {
  if (!auth || auth.disabled || identity === undefined) return undefined;
  try {
    return auth.auth.check(identity);
  } catch (error) {
    if (!(error instanceof AtmosError) || error.location) throw error;
    throw configIssue(found.manifest.yaml, [...path, "identity"], error.message, error.hint);
  }
}

/** The engine's identity hook: single-flight authentication, failures naming the identity. */
function identityHook(auth: RunAuth | undefined): RunStepsOptions["hooks"]["withIdentity"] {
  if (!auth) return () => Promise.reject(new Error("no identity expected"));
  const shared = sharedAuth(auth.auth, {
    links: (identity) => auth.manager.chain(identity).map(({ role, name }) => ({ role, name })),
    fresh: (identity) => auth.manager.cachedSession(identity) !== undefined,
  });
  return async (identity, env) => {
    try {
      return await shared.withIdentity(identity, env);
    } catch (error) {
      throw authFailed(error, identity);
    }
  };
}

/**
 * The configuration's long-lived secrets, which atmos masks in what it prints. Only needed
 * when some template reads the environment they come from; only then is the auth manager
 * loaded for it.
 */
async function configSecrets(
  ctx: WorkflowContext,
  loaded: LoadedConfig,
  auth: RunAuth | undefined,
  steps: Step[],
  workflow: Workflow,
): Promise<string[]> {
  const texts = [...templateTexts(steps).map((t) => t.text), ...Object.values(workflow.env)];
  if (!templatesReadEnv(texts)) return [];
  if (auth) return auth.manager.configSecrets();
  if (!loaded.config.auth?.identities) return [];
  return (await ctx.manager()).configSecrets();
}

function dryRunText(found: Found, planned: PlannedStep[]): string {
  const lines = [
    `Workflow "${found.name}" (${found.manifest.relative}), dry run: nothing is authenticated or run`,
  ];
  const add = (step: PlannedStep, number: string, indent: string) => {
    lines.push(`${indent}${number}. ${step.step.name}`);
    const pad = `${indent}${" ".repeat(number.length + 2)}`;
    for (const [label, value] of step.fields) {
      const head = `${pad}${`${label}:`.padEnd(10)}`;
      lines.push(`${head}${value.replaceAll("\n", `\n${" ".repeat(head.length)}`)}`);
    }
    step.children?.forEach((child, i) => add(child, `${number}.${i + 1}`, pad));
  };
  planned.forEach((step, i) => add(step, String(i + 1), "  "));
  return lines.join("\n") + "\n";
}

function authFailed(error: unknown, identity: string): unknown {
  if (!(error instanceof AtmosError)) return error;
  return new AtmosError(`authentication of identity "${identity}" failed: ${error.message}`, {
    exitCode: error.exitCode,
    hint: error.hint,
    location: error.location,
    cause: error,
  });
}
