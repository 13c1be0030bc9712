/**
 * Templates in stacks: stack names (`stacks.name_template`), `metadata.terraform_workspace_template`,
 * `.tmpl` manifests and imports with `context`, values when `templates.settings.enabled`, and
 * the `!template` function.
 *
 * TEMPORARY ADAPTER. Until the shared Go text/template engine (`lib/template/`) lands, this
 * renders only field chains — `{{ .vars.tenant }}`, `{{ .settings.a.b }}`, `{{ . }}` — with
 * optional `{{-`/`-}}` trimming, which is all that name templates and most stack values use.
 * Anything else (`if`, pipes, functions) is an error that names the template. When
 * `lib/template/` is on main, replace the body of {@linkcode renderTemplate} with a call to its
 * `renderTemplate` (same signature).
 *
 * Hand-written: no allowed npm package implements Go templates.
 *
 * @module
 */
import { ConfigError, type SourceLocation } from "../errors.ts";

/** Options for {@linkcode renderTemplate} (the same as the shared engine's). */
export interface TemplateOptions {
  /** Shown in errors, e.g. `stacks.name_template` or a file path. */
  name?: string;
  /** `error` (default): a missing map key fails; `default`: it renders as `<no value>`. */
  missingKey?: "error" | "default";
  /** Template functions (accepted for API compatibility; the adapter calls none). */
  funcs?: Record<string, (...args: unknown[]) => unknown>;
  /** Where the template text is, for errors. */
  location?: SourceLocation;
}

const ACTION = /\{\{(-?)\s*(.*?)\s*(-?)\}\}/gs;
const FIELD_CHAIN = /^\.(?:[A-Za-z_][A-Za-z0-9_-]*(?:\.[A-Za-z_][A-Za-z0-9_-]*)*)?$/;

/** True when `text` contains a template action (`{{`). */
export function hasTemplate(text: string): boolean {
  return text.includes("{{");
}

/**
 * Renders `text` with `data` as the dot. Values print like Go's `fmt`: strings as they are,
 * numbers and booleans as text, `nil` as `<no value>`, lists as `[a b]`, maps as `map[k:v]`.
 *
 * @throws {ConfigError} for a missing key (with `missingKey: "error"`) or an unsupported action.
 */
export function renderTemplate(text: string, data: unknown, options: TemplateOptions = {}): string {
  let out = "";
  let last = 0;
  let line = 1;
  let lineStart = 0;
  for (const match of text.matchAll(ACTION)) {
    const index = match.index ?? 0;
    let before = text.slice(last, index);
    if (match[1] === "-") before = before.replace(/\s+$/, "");
    out += before;
    const expression = match[2];
    const where = positionOf(text, index, line, lineStart);
    line = where.line;
    lineStart = where.lineStart;
    if (expression.startsWith("/*") && expression.endsWith("*/")) {
      // A comment renders nothing.
    } else if (!FIELD_CHAIN.test(expression)) {
      throw templateError(
        options,
        where,
        `unsupported template action "{{ ${expression} }}"`,
        "until the template engine lands, stack templates may only use field chains like {{ .vars.stage }}",
      );
    } else {
      out += formatValue(lookup(data, expression, options, where));
    }
    last = index + match[0].length;
    if (match[3] === "-") {
      const rest = text.slice(last);
      last += rest.length - rest.replace(/^\s+/, "").length;
    }
  }
  return out + text.slice(last);
}

interface Position {
  line: number;
  column: number;
  lineStart: number;
}

function positionOf(text: string, index: number, line: number, lineStart: number): Position {
  for (let i = lineStart; i < index; i++) {
    if (text[i] === "\n") {
      line++;
      lineStart = i + 1;
    }
  }
  return { line, column: index - lineStart + 1, lineStart };
}

function lookup(data: unknown, expression: string, options: TemplateOptions, where: Position) {
  if (expression === ".") return data;
  let node = data;
  for (const key of expression.slice(1).split(".")) {
    if (node === null || node === undefined || typeof node !== "object" || Array.isArray(node)) {
      throw templateError(options, where, `cannot read "${key}" of ${describe(node)}`, undefined);
    }
    const record = node as Record<string, unknown>;
    if (!Object.hasOwn(record, key)) {
      if (options.missingKey === "default") return undefined;
      throw templateError(
        options,
        where,
        `map has no entry for key "${key}" (in ${expression})`,
        "define the value, or check the spelling",
      );
    }
    node = record[key];
  }
  return node;
}

function describe(value: unknown): string {
  if (value === null || value === undefined) return "nil";
  if (Array.isArray(value)) return "a list";
  return `a ${typeof value}`;
}

/** Formats a value the way Go's `fmt.Sprint` does inside a template. */
export function formatValue(value: unknown): string {
  if (value === null || value === undefined) return "<no value>";
  if (typeof value === "string") return value;
  if (Array.isArray(value)) return `[${value.map(formatValue).join(" ")}]`;
  if (typeof value === "object") {
    const entries = Object.keys(value as Record<string, unknown>).sort()
      .map((key) => `${key}:${formatValue((value as Record<string, unknown>)[key])}`);
    return `map[${entries.join(" ")}]`;
  }
  return String(value);
}

function templateError(
  options: TemplateOptions,
  where: Position,
  message: string,
  hint: string | undefined,
): ConfigError {
  const name = options.name ?? "template";
  if (options.location) {
    return new ConfigError(`template ${name}:${where.line}:${where.column}: ${message}`, {
      hint,
      location: options.location,
    });
  }
  return new ConfigError(`template ${name}:${where.line}:${where.column}: ${message}`, { hint });
}
