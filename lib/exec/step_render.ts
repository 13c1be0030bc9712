/**
 * Rendering a step's fields for one run: the environment layers its templates see (`.env`),
 * `type: env` steps, command steps' `env:`, `command`, `stack` and `working_directory`, and
 * prompts. Shared by the run (`steps.ts`) and the dry run (`step_plan.ts`), so both render alike.
 *
 * Layers, later wins: the run's environment, the shared (workflow) `env:` (rendered), exported
 * variables of earlier `type: env` steps, then the step's own `env:`. Templates also see the
 * variables of `export: false` env steps. The identity is applied by the run, after all of this.
 *
 * @module
 */
import { MASK } from "./redact.ts";
import { emptyResult, type Rendered, StepScope, type TemplateEngine } from "./step_template.ts";
import type { CommandStep, EnvStep, PromptStep } from "./step_spec.ts";

/** What rendering needs from the run's options. */
export interface RenderOptions {
  env: Record<string, string>;
  sharedEnv?: { vars: Record<string, string>; path: (string | number)[] };
  data?: Record<string, unknown>;
  secrets?: readonly string[];
  /** atmos's own environment (the `env` template function). */
  expandEnv: Record<string, string>;
  resolveCwd?(dir: string): string;
}

/** A prompt step's rendered fields. */
export interface RenderedPrompt {
  prompt: Rendered;
  default?: Rendered;
  options: Rendered[];
  placeholder?: string;
}

/** Renders the steps of one run against its scope (`.steps`, env-step variables, secrets). */
export class StepRenderer {
  readonly scope: StepScope;
  readonly #o: RenderOptions;

  /** `engine` is needed when some step has a template (see `loadTemplateEngine`). */
  constructor(options: RenderOptions, engine?: TemplateEngine) {
    this.#o = options;
    this.scope = new StepScope({
      roots: options.data ?? {},
      secrets: options.secrets ?? [],
      processEnv: options.expandEnv,
      engine,
    });
  }

  /** The environment before a step's own `env:` and identity, and what `.env` shows. */
  layeredEnv(): { env: Record<string, string>; templateEnv: Record<string, string> } {
    const env = { ...this.#o.env };
    const shared = this.#o.sharedEnv;
    if (shared) {
      const at = shared.path.join(".");
      for (const [key, text] of Object.entries(shared.vars)) {
        env[key] = this.scope.render(text, `${at}.${key}`, { ...env, ...this.scope.templateEnv })
          .value;
      }
    }
    Object.assign(env, this.scope.exportedEnv);
    return { env, templateEnv: { ...env, ...this.scope.templateEnv } };
  }

  /** Applies a `type: env` step; returns `NAME=value …` for display (secrets masked). */
  applyEnv(step: EnvStep): string {
    const shown: string[] = [];
    for (const [key, text] of Object.entries(step.vars)) {
      const { templateEnv } = this.layeredEnv();
      const rendered = this.scope.render(text, `${step.path.join(".")}.vars.${key}`, templateEnv);
      const tainted = rendered.shown !== rendered.value;
      this.scope.setVariable(key, rendered.value, step.export, tainted);
      shown.push(`${key}=${tainted ? MASK : rendered.shown}`);
    }
    this.scope.setResult(step.name, emptyResult(), false);
    return shown.join(" ");
  }

  /** A command step's environment before its identity: the layers and its own `env:`. */
  stepEnv(step: CommandStep, extra: Record<string, unknown>): Record<string, string> {
    const at = step.path.join(".");
    const { env: base, templateEnv } = this.layeredEnv();
    const env = { ...base };
    for (const [key, text] of Object.entries(step.env)) {
      env[key] = this.scope.render(text, `${at}.env.${key}`, { ...templateEnv, ...env }, extra)
        .value;
    }
    return env;
  }

  /**
   * Renders `command`, `stack` and `working_directory` (absolute), with `.env` showing `env`;
   * the variables in `hidden` (set by the identity's session) are masked in what is shown.
   */
  renderCommand(
    step: CommandStep,
    env: Record<string, string>,
    extra: Record<string, unknown>,
    hidden?: ReadonlySet<string>,
  ) {
    const at = step.path.join(".");
    const seen = { ...this.scope.templateEnv, ...env };
    const render = (text: string | undefined, field: string) =>
      text === undefined
        ? undefined
        : this.scope.render(text, `${at}.${field}`, seen, extra, hidden);
    const dir = render(step.workingDirectory, "working_directory")?.value;
    return {
      command: render(step.command, "command")!,
      stack: render(step.stack, "stack"),
      dir: dir === undefined || dir === "" ? undefined : this.#o.resolveCwd?.(dir) ?? dir,
    };
  }

  /** Renders a prompt step's question, default, options and placeholder. */
  renderPrompt(step: PromptStep): RenderedPrompt {
    const { templateEnv } = this.layeredEnv();
    const at = step.path.join(".");
    const render = (text: string, field: string) =>
      this.scope.render(text, `${at}.${field}`, templateEnv);
    return {
      prompt: render(step.prompt, "prompt"),
      default: step.default === undefined ? undefined : render(step.default, "default"),
      options: step.options.map((o, i) => render(o, `options.${i}`)),
      placeholder: step.placeholder === undefined
        ? undefined
        : render(step.placeholder, "placeholder").shown,
    };
  }

  /** The label of a parallel or matrix child (its rendered `output.prefix`, else its name). */
  label(prefix: string | undefined, where: string, child: CommandStep): string {
    if (prefix === undefined) return child.name;
    try {
      const text = this.scope.render(
        prefix,
        where,
        this.layeredEnv().templateEnv,
        childRoots(child),
      )
        .shown.trim();
      return text === "" ? child.name : text;
    } catch {
      return child.name;
    }
  }
}

/** The template roots a parallel or matrix child adds: `.matrix` and `.step.name`. */
export function childRoots(child: CommandStep): Record<string, unknown> {
  return { matrix: child.matrix ?? {}, step: { name: child.name } };
}

/** A prompt's answer without a terminal: its default (`confirm`: `"true"` or `"false"`). */
export function defaultAnswer(step: PromptStep, dflt: string): string {
  return step.type === "confirm" ? String(isYes(dflt)) : dflt;
}

/** `yes`, `y`, `true`, `1` (any case) count as yes, as for Atmos's confirm defaults. */
function isYes(value: string): boolean {
  return ["yes", "y", "true", "1"].includes(value.trim().toLowerCase());
}
