/**
 * `atmos workflow`: plans a workflow's steps (stack and identity per step, environment layers,
 * working directories), then either prints the plan (`--dry-run`: nothing is authenticated or
 * run) or runs it through the step engine (atmos-workflows-commands.md §1.5–§1.10).
 *
 * Precedence: stack = `--stack` > step `stack` > workflow `stack`; identity = step `identity` >
 * `--identity` > none (`--identity=false` turns authentication off for every step). Steps
 * without an identity run with atmos's own environment, raw AWS variables untouched.
 *
 * @module
 */
import { AtmosError } from "../errors.ts";
import type { LoadedConfig } from "../config/load.ts";
import { resolveFromBase } from "../config/load.ts";
import { configIssue } from "../config/issue.ts";
import type { AuthManager } from "../auth/manager.ts";
import { identityFromFlag, type StepAuth, stepAuth } from "../auth/step_auth.ts";
import { withEnvLayer } from "../exec/env.ts";
import { configArgs, selfEnvironment } from "../exec/self.ts";
import { nextShellLevel } from "../exec/shlvl.ts";
import { displayCommand, runSteps, type Step } from "../exec/steps.ts";
import { shellQuote as quote } from "../exec/shell_words.ts";
import { type FilesContext, findWorkflow, type Found, pickWorkflow } from "./files.ts";
import { parseWorkflow, type Workflow, type WorkflowStep } from "./manifest.ts";

/** What running a workflow needs from the CLI (the app's Runtime provides it). */
export interface WorkflowContext extends FilesContext {
  out(text: string): void;
  err(text: string): void;
  config(): Promise<LoadedConfig>;
  manager(): Promise<AuthManager>;
  /** argv prefix that re-invokes this atmos. */
  selfCommand(): string[];
  /** `--config` / `--config-path` values, passed on to nested atmos steps. */
  configFiles: string[];
  configPaths: string[];
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

/** A step with everything resolved. */
interface Planned {
  source: WorkflowStep;
  step: Step;
}

/** Runs (or, with `dryRun`, prints) a workflow and returns the exit code. */
export async function runWorkflow(ctx: WorkflowContext, options: WorkflowOptions): Promise<number> {
  const loaded = await ctx.config();
  const found = options.name === undefined
    ? await pickOrFail(ctx, loaded)
    : await findWorkflow(ctx, loaded, options.name, options.file);
  const workflow = parseWorkflow(found.manifest, found.name);
  const steps = fromStep(workflow, options.fromStep);
  const shellLevel = nextShellLevel(ctx.env);
  const auth = await authFor(ctx, steps, options.identity);
  const planned = plan(ctx, loaded, found, workflow, steps, options, auth);
  if (options.dryRun) {
    ctx.out(dryRunText(found, planned));
    return 0;
  }
  const outcome = await runSteps({
    steps: planned.map((p) => p.step),
    self: [...ctx.selfCommand(), ...configArgs(ctx)],
    expandEnv: ctx.env,
    shellLevel,
    hooks: {
      withIdentity: async (identity, env) => {
        try {
          return await auth!.auth.withIdentity(identity, env);
        } catch (error) {
          throw authFailed(error, identity);
        }
      },
      onStart(step, index, display) {
        const who = step.identity ? ` (identity ${step.identity})` : "";
        ctx.err(`[${index + 1}/${planned.length}] ${step.name}${who}: ${display}\n`);
      },
    },
  });
  if (outcome.ok) return 0;
  const hint = `resume with: ${resumeCommand(found, outcome.step.name, options.stack)}`;
  if (outcome.signal) {
    throw new AtmosError(
      `workflow "${found.name}" stopped by ${outcome.signal} at step "${outcome.step.name}"`,
      { exitCode: outcome.code, hint },
    );
  }
  throw new AtmosError(`step "${outcome.step.name}" failed with exit code ${outcome.code}`, {
    exitCode: outcome.code,
    hint,
  });
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

function fromStep(workflow: Workflow, name: string | undefined): WorkflowStep[] {
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
  /** `--identity` for steps without their own; `null` when off or not given. */
  flag: string | null;
  disabled: boolean;
}

/** Sets up authentication only when some step or the flag asks for an identity. */
async function authFor(
  ctx: WorkflowContext,
  steps: WorkflowStep[],
  flagValue: string | undefined,
): Promise<RunAuth | undefined> {
  if (flagValue === undefined && steps.every((step) => step.identity === undefined)) {
    return undefined;
  }
  const manager = await ctx.manager();
  const flag = await identityFromFlag(flagValue, {
    identities: manager.identityNames(),
    interactive: ctx.interactive,
    pick: ctx.pick,
  });
  if (flag.kind === "disabled") return { auth: stepAuth(manager), flag: null, disabled: true };
  const auth = stepAuth(manager);
  return {
    auth,
    flag: flag.kind === "identity" ? auth.check(flag.name) : null,
    disabled: false,
  };
}

function plan(
  ctx: WorkflowContext,
  loaded: LoadedConfig,
  found: Found,
  workflow: Workflow,
  steps: WorkflowStep[],
  options: WorkflowOptions,
  auth: RunAuth | undefined,
): Planned[] {
  const base = withEnvLayer(
    selfEnvironment(withEnvLayer(ctx.env, loaded.config.env)),
    workflow.env,
  );
  return steps.map((source) => ({
    source,
    step: {
      name: source.name,
      type: source.type,
      command: source.command,
      stack: source.type === "atmos" ? options.stack || source.stack || workflow.stack : undefined,
      identity: stepIdentity(found, source, auth),
      cwd: workingDirectory(loaded, source.workingDirectory ?? workflow.workingDirectory),
      env: withEnvLayer(base, source.env),
    },
  }));
}

function stepIdentity(
  found: Found,
  source: WorkflowStep,
  auth: RunAuth | undefined,
): string | undefined {
  if (!auth || auth.disabled) return undefined;
  if (source.identity === undefined) return auth.flag ?? undefined;
  try {
    return auth.auth.check(source.identity);
  } catch (error) {
    if (!(error instanceof AtmosError) || error.location) throw error;
    throw configIssue(found.manifest.yaml, [...source.path, "identity"], error.message, error.hint);
  }
}

function workingDirectory(loaded: LoadedConfig, value: string | undefined): string | undefined {
  return value ? resolveFromBase(loaded.config, value) : undefined;
}

function dryRunText(found: Found, planned: Planned[]): string {
  const lines = [
    `Workflow "${found.name}" (${found.manifest.relative}), dry run: nothing is authenticated or run`,
  ];
  planned.forEach(({ step }, i) => {
    lines.push(`  ${i + 1}. ${step.name}`);
    lines.push(`     command:  ${displayCommand(step).replaceAll("\n", "\n               ")}`);
    lines.push(`     type:     ${step.type}`);
    lines.push(`     identity: ${step.identity ?? "(none)"}`);
    lines.push(`     stack:    ${step.stack ?? "(none)"}`);
    if (step.cwd) lines.push(`     cwd:      ${step.cwd}`);
  });
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
