/**
 * What is known before a run starts: `--dry-run`'s plan (templates rendered, `type: env` steps
 * applied, prompts at their default, a command step's output shown as `<steps.NAME.value>`),
 * and the checks every run makes before its first step — template syntax, prompts that would
 * need a terminal, and a dry render, so that a missing argument or a reference to a step that
 * does not exist runs nothing.
 *
 * @module
 */
import { AtmosError } from "../errors.ts";
import { TemplateError } from "../template/error.ts";
import { MASK } from "./redact.ts";
import { displayCommand } from "./step_command.ts";
import { templateTexts } from "./step_refs.ts";
import { childRoots, defaultAnswer, StepRenderer } from "./step_render.ts";
import { emptyResult, loadTemplateEngine, type TemplateEngine } from "./step_template.ts";
import type { CommandStep, Step } from "./step_spec.ts";
import type { RunStepsOptions } from "./steps.ts";

/** One step of a dry run: what would run, with secrets masked. */
export interface PlannedStep {
  step: Step;
  /** Label and value pairs, e.g. `["command", "atmos terraform plan vpc -s dev"]`. */
  fields: [string, string][];
  /** The children of a parallel or matrix step. */
  children?: PlannedStep[];
}

/** Plans the steps without running anything or authenticating (`--dry-run`). */
export async function planSteps(options: RunStepsOptions): Promise<PlannedStep[]> {
  const engine = await templatesOf(options);
  checkBeforeRun({ ...options, interactive: true }, engine);
  const renderer = new StepRenderer(options, engine);
  return options.steps.map((step) => planStep(renderer, step));
}

/** The template engine, when any text of the run is a template. */
export async function templatesOf(options: RunStepsOptions): Promise<TemplateEngine | undefined> {
  const texts = templateTexts(options.steps).map((t) => t.text);
  return await loadTemplateEngine([...texts, ...Object.values(options.sharedEnv?.vars ?? {})]);
}

/**
 * Checks what can be checked before the first step runs: template syntax, a prompt without a
 * default when there is no terminal, and every template rendered as in a dry run. Errors about
 * the environment are left to the run: identities and earlier steps change it.
 *
 * @throws {TemplateError} or a located error from `options.issue`.
 */
export function checkBeforeRun(options: RunStepsOptions, engine?: TemplateEngine): void {
  const texts = templateTexts(options.steps);
  const shared = options.sharedEnv;
  for (const [key, text] of Object.entries(shared?.vars ?? {})) {
    texts.push({ text, where: `${shared!.path.join(".")}.${key}` });
  }
  for (const { text, where } of texts) {
    if (text.includes("{{")) engine!.parseTemplate(text, { name: where });
  }
  if (!options.interactive) {
    for (const step of options.steps) {
      if (!isPrompt(step) || step.default !== undefined) continue;
      const message =
        `step "${step.name}" (${step.type}) needs a terminal to ask "${step.prompt.trim()}" and has no default`;
      const hint =
        "run it on a terminal, or give the step a default: (used without one, e.g. in CI)";
      throw options.issue?.(step.path, message, hint) ??
        new AtmosError(message, { exitCode: 2, hint });
    }
  }
  const renderer = new StepRenderer(options, engine);
  for (const step of options.steps) {
    try {
      planStep(renderer, step);
    } catch (error) {
      if (error instanceof TemplateError && /at <\$?\.(env|Env)\b/.test(error.message)) continue;
      throw error;
    }
  }
}

function planStep(renderer: StepRenderer, step: Step): PlannedStep {
  switch (step.type) {
    case "env":
      return { step, fields: [["type", "env"], ["set", renderer.applyEnv(step)]] };
    case "input":
    case "choose":
    case "confirm": {
      const placeholder = `<steps.${step.name}.value>`;
      renderer.scope.setResult(step.name, emptyResult(placeholder), false);
      const { prompt, default: dflt } = renderer.renderPrompt(step);
      const value = dflt === undefined ? placeholder : defaultAnswer(step, dflt.value);
      renderer.scope.setResult(step.name, emptyResult(value), step.password);
      const answer = dflt === undefined
        ? "asked on a terminal (no default)"
        : `${step.password || dflt.shown !== dflt.value ? MASK : value} (asked on a terminal)`;
      return {
        step,
        fields: [["type", step.type], ["prompt", prompt.shown.trim()], ["default", answer]],
      };
    }
    case "parallel":
    case "matrix": {
      const children = step.steps.map((child) => {
        const planned = planCommand(renderer, child, childRoots(child));
        if (child.needs.length > 0) planned.fields.push(["needs", child.needs.join(", ")]);
        return planned;
      });
      const concurrency = step.maxConcurrency > 0 ? String(step.maxConcurrency) : "no limit";
      return {
        step,
        fields: [["type", step.type], ["at once", concurrency], ["on error", step.fail.mode]],
        children,
      };
    }
    default:
      return planCommand(renderer, step, {});
  }
}

function planCommand(
  renderer: StepRenderer,
  step: CommandStep,
  extra: Record<string, unknown>,
): PlannedStep {
  const placeholder = (field: string) => `<steps.${step.name}.${field}>`;
  renderer.scope.setResult(step.name, {
    ...emptyResult(placeholder("value")),
    stdout: placeholder("stdout"),
    stderr: placeholder("stderr"),
    status: placeholder("status"),
  }, false);
  const env = renderer.stepEnv(step, extra);
  const { command, stack, dir } = renderer.renderCommand(step, env, extra);
  const fields: [string, string][] = [
    ["command", displayCommand(step.type, command.shown, stack?.shown || undefined)],
    ["type", step.type],
    ["identity", step.identity ?? "(none)"],
    ["stack", stack?.shown || "(none)"],
  ];
  if (dir !== undefined) fields.push(["cwd", renderer.scope.mask(dir)]);
  if (step.retry) {
    const max = step.retry.maxAttempts ?? "no limit";
    fields.push(["retry", `${max} attempts, ${step.retry.backoff} backoff`]);
  }
  return { step, fields };
}

function isPrompt(step: Step): step is Extract<Step, { prompt: string }> {
  return step.type === "input" || step.type === "choose" || step.type === "confirm";
}
