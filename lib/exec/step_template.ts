/**
 * Templates in step fields (atmos-workflows-commands.md §1.8, §2.5), rendered through our Go
 * `text/template` engine with `missingkey=error`, one pass. The data is the caller's roots
 * (custom commands: `.Arguments`, `.Flags`, `.TrailingArgs`, `.Cwd`, `.ComponentConfig`;
 * workflows: `.flags`) plus `.steps.<name>` (results of earlier steps), `.env`/`.Env` and, in
 * parallel and matrix children, `.matrix` and `.step.name`.
 *
 * Every render happens twice: once with the real data (what the child gets) and once with a
 * display copy in which secrets are masked (what atmos prints). Secret here means: what a
 * command step printed, a password typed into an `input` step, variables named like credentials
 * or holding a value the configuration treats as secret, and `type: env` variables rendered from
 * any of those (see `redact.ts`).
 *
 * @module
 */
import { TemplateError } from "../template/error.ts";
import type { parseTemplate, renderTemplate } from "../template/template.ts";
import { displayEnv, MASK, scrub } from "./redact.ts";

/** What a step left for later steps (`.steps.<name>`). */
export interface StepResult {
  /** stdout without surrounding whitespace; a prompt's answer. */
  value: string;
  values: string[];
  stdout: string;
  stderr: string;
  exit_code: number;
  skipped: boolean;
  error: string;
  /** succeeded, or for children of parallel and matrix steps: failed, skipped, canceled. */
  status: string;
  canceled: boolean;
}

/** The Go template engine's entry points (loaded only when some step has a template). */
export interface TemplateEngine {
  renderTemplate: typeof renderTemplate;
  parseTemplate: typeof parseTemplate;
}

/**
 * Loads the template engine when one of `texts` is a template: with its Sprig and gomplate
 * functions (and `node:crypto`) it costs more to load than a workflow of plain commands needs.
 */
export async function loadTemplateEngine(
  texts: Iterable<string>,
): Promise<TemplateEngine | undefined> {
  for (const text of texts) {
    if (text.includes("{{")) return await import("../template/template.ts");
  }
  return undefined;
}

/** A rendered template: what runs, and what may be printed. */
export interface Rendered {
  value: string;
  shown: string;
}

/** Options for {@linkcode StepScope}. */
export interface ScopeOptions {
  /** The caller's template roots. */
  roots: Record<string, unknown>;
  /** Long-lived secrets from the configuration (never printed). */
  secrets: readonly string[];
  /** atmos's own environment, read by the `env` template function. */
  processEnv: Record<string, string>;
  /** Needed only when some text is a template (see {@linkcode loadTemplateEngine}). */
  engine?: TemplateEngine;
}

/** An empty result (for steps that print nothing, such as `type: env`). */
export function emptyResult(value = ""): StepResult {
  return {
    value,
    values: [],
    stdout: "",
    stderr: "",
    exit_code: 0,
    skipped: false,
    error: "",
    status: "succeeded",
    canceled: false,
  };
}

/** The template data of one run: step results, env-step variables, and what is secret. */
export class StepScope {
  readonly #roots: Record<string, unknown>;
  readonly #secrets: Set<string>;
  readonly #processEnv: Record<string, string>;
  readonly #engine?: TemplateEngine;
  readonly #results: Record<string, StepResult> = {};
  readonly #sensitive = new Set<string>();
  /** `type: env` variables, exported or not (templates see all of them). */
  readonly templateEnv: Record<string, string> = {};
  /** `type: env` variables for child processes (`export` not false). */
  readonly exportedEnv: Record<string, string> = {};
  readonly #taintedVars = new Set<string>();

  constructor(options: ScopeOptions) {
    this.#roots = options.roots;
    this.#secrets = new Set(options.secrets.filter((s) => s.length >= 4));
    this.#processEnv = options.processEnv;
    this.#engine = options.engine;
  }

  /** Records a step's result; `sensitive` results are masked wherever atmos prints them. */
  setResult(name: string, result: StepResult, sensitive: boolean): void {
    this.#results[name] = result;
    if (sensitive) this.#sensitive.add(name);
    else this.#sensitive.delete(name);
  }

  /** The result of a step, if it ran. */
  result(name: string): StepResult | undefined {
    return this.#results[name];
  }

  /** Records a `type: env` variable; `tainted` when its value came from a secret. */
  setVariable(name: string, value: string, exported: boolean, tainted: boolean): void {
    this.templateEnv[name] = value;
    if (exported) this.exportedEnv[name] = value;
    if (tainted) this.#taintedVars.add(name);
    else this.#taintedVars.delete(name);
  }

  /**
   * Renders `text`. `env` is what `.env`/`.Env` show; `extra` adds roots (`.matrix`, `.step`);
   * variables named in `hidden` (those an identity's session set) are masked in what is shown.
   * `where` names the template in errors.
   *
   * @throws {TemplateError} exit code 2, with any secret in Go's message masked.
   */
  render(
    text: string,
    where: string,
    env: Record<string, string>,
    extra: Record<string, unknown> = {},
    hidden: ReadonlySet<string> = new Set(),
  ): Rendered {
    if (!text.includes("{{")) return { value: text, shown: this.mask(text) };
    const real = { ...this.#roots, ...extra, steps: this.#results, env, Env: env };
    const display = this.#displayData(env, extra, hidden);
    let value: string;
    try {
      value = this.#execute(text, where, real, this.#processEnv);
    } catch (error) {
      throw this.#safeError(error, text, where, display, env);
    }
    const shown = this.#execute(text, where, display, this.#displayEnv());
    return { value, shown: this.mask(shown) };
  }

  /** `text` with every value known to be secret masked. */
  mask(text: string): string {
    return scrub(text, this.#knownSecrets());
  }

  #execute(
    text: string,
    where: string,
    data: Record<string, unknown>,
    processEnv: Record<string, string>,
  ): string {
    if (!this.#engine) throw new Error(`internal error: no template engine for ${where}`);
    return this.#engine.renderTemplate(text, data, {
      name: where,
      missingKey: "error",
      env: { get: (key) => processEnv[key] },
    });
  }

  #displayData(
    env: Record<string, string>,
    extra: Record<string, unknown>,
    hidden: ReadonlySet<string>,
  ) {
    const steps: Record<string, StepResult> = {};
    for (const [name, result] of Object.entries(this.#results)) {
      steps[name] = this.#sensitive.has(name) ? maskResult(result) : result;
    }
    const masked = hidden.size === 0
      ? this.#taintedVars
      : new Set([...this.#taintedVars, ...hidden]);
    const shownEnv = displayEnv(env, this.#secrets, masked);
    return { ...this.#roots, ...extra, steps, env: shownEnv, Env: shownEnv };
  }

  #displayEnv(): Record<string, string> {
    return displayEnv(this.#processEnv, this.#secrets, this.#taintedVars);
  }

  /** A failed render's error, rebuilt from the display data so it cannot quote a secret. */
  #safeError(
    error: unknown,
    text: string,
    where: string,
    display: Record<string, unknown>,
    env: Record<string, string>,
  ): unknown {
    if (!(error instanceof TemplateError)) return error;
    try {
      this.#execute(text, where, display, this.#displayEnv());
    } catch (shown) {
      if (shown instanceof TemplateError) {
        return new TemplateError(this.mask(shown.message), {
          templateName: shown.templateName,
          line: shown.line,
          column: shown.column,
        });
      }
    }
    const known = [...this.#knownSecrets(), ...Object.values(env).filter((v) => v.length >= 8)];
    return new TemplateError(scrub(error.message, known), {
      templateName: error.templateName,
      line: error.line,
      column: error.column,
    });
  }

  #knownSecrets(): string[] {
    const out = [...this.#secrets];
    for (const name of this.#sensitive) {
      const result = this.#results[name];
      out.push(result.value, result.stdout.trim(), result.stderr.trim(), result.error);
    }
    for (const name of this.#taintedVars) out.push(this.templateEnv[name]);
    return out.filter((value) => value.length >= 4).sort((a, b) => b.length - a.length);
  }
}

function maskResult(result: StepResult): StepResult {
  const hide = (text: string) => (text === "" ? "" : MASK);
  return {
    ...result,
    value: hide(result.value),
    values: result.values.map(hide),
    stdout: hide(result.stdout),
    stderr: hide(result.stderr),
    error: hide(result.error),
  };
}
