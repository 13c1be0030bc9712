/**
 * Templates in stacks — stack names (`stacks.name_template`),
 * `metadata.terraform_workspace_template`, `.tmpl` manifests and imports with `context`, values
 * when `templates.settings.enabled`, and the `!template` function — rendered by the shared Go
 * `text/template` engine (`lib/template/`) with its Sprig/gomplate functions.
 *
 * Stack templates default to `missingkey=error`, as Atmos's do (imports may opt into
 * `ignore_missing_template_values`). A failure becomes a {@linkcode ConfigError} that keeps Go's
 * message (`template: <name>:<line>:<col>: …`) and adds where the template text is written.
 *
 * @module
 */
import { ConfigError, type SourceLocation } from "../errors.ts";
import type { EnvGetter } from "../config/yaml.ts";
import { renderTemplate as render, TemplateError } from "../template/mod.ts";

/** Options for {@linkcode renderTemplate}. */
export interface TemplateOptions {
  /** Shown in errors, e.g. `stacks.name_template` or a file path. */
  name?: string;
  /** `error` (default): a missing map key fails; `default`: it renders as `<no value>`. */
  missingKey?: "error" | "default";
  /** Extra template functions. */
  funcs?: Record<string, (...args: unknown[]) => unknown>;
  /** What the `env` function reads (unset: every variable is empty). */
  env?: EnvGetter;
  /** Where the template text is, for errors. */
  location?: SourceLocation;
}

/** True when `text` contains a template action (`{{`). */
export function hasTemplate(text: string): boolean {
  return text.includes("{{");
}

/**
 * Renders `text` with `data` as the dot.
 *
 * @throws {ConfigError} (exit 2) for a template that does not parse or fails to execute.
 */
export function renderTemplate(text: string, data: unknown, options: TemplateOptions = {}): string {
  try {
    return render(text, data, {
      name: options.name,
      missingKey: options.missingKey ?? "error",
      funcs: options.funcs,
      env: options.env,
    });
  } catch (error) {
    if (!(error instanceof TemplateError)) throw error;
    throw new ConfigError(error.message, {
      hint: hintFor(error.message),
      location: options.location,
      cause: error,
    });
  }
}

function hintFor(message: string): string | undefined {
  if (message.includes("map has no entry for key")) {
    return "define the value, or check the spelling";
  }
  if (/function "atmos\./.test(message) || /function "(exec|include|store)"/.test(message)) {
    return "Atmos's own template functions (atmos.Component, …) are not supported here";
  }
  return undefined;
}
