/**
 * The one place custom commands render Go templates (step commands, env values,
 * `component_config`), with the context of atmos-workflows-commands.md §2.5: `.Arguments`,
 * `.Flags`/`.flags`, `.TrailingArgs`, `.ComponentConfig`, `.Cwd`/`.cwd`, `.Env`/`.env`.
 *
 * INTERIM: until `lib/template` (the full Go text/template engine) is merged, this renders
 * only field chains (`{{ .Arguments.name }}`, `{{- .Flags.x -}}`) with Go's printing rules and
 * `missingkey=error`; any other action is a clear error.
 *
 * @module
 */
import { AtmosError } from "../errors.ts";

/** The data custom-command templates see. */
export interface TemplateData {
  Arguments: Record<string, string>;
  Flags: Record<string, string | boolean>;
  flags: Record<string, string | boolean>;
  TrailingArgs: string;
  Cwd: string;
  cwd: string;
  Env: Record<string, string>;
  env: Record<string, string>;
  ComponentConfig?: Record<string, unknown>;
}

/**
 * Renders `text` with `data`. `name` says where the template is (e.g.
 * `commands.deploy.steps.0`) and appears in errors.
 *
 * @throws {AtmosError} exit code 2 for a bad template or a missing key.
 */
export function renderCommandTemplate(text: string, data: TemplateData, name: string): string {
  if (!text.includes("{{")) return text;
  let out = "";
  let i = 0;
  while (i < text.length) {
    const open = text.indexOf("{{", i);
    if (open < 0) {
      out += text.slice(i);
      break;
    }
    let chunk = text.slice(i, open);
    const close = text.indexOf("}}", open + 2);
    if (close < 0) throw templateError(name, text, open, "unclosed action");
    let inner = text.slice(open + 2, close);
    if (inner.startsWith("- ")) {
      chunk = chunk.trimEnd();
      inner = inner.slice(1);
    }
    let after = close + 2;
    if (inner.endsWith(" -")) {
      inner = inner.slice(0, -1);
      while (after < text.length && /\s/.test(text[after])) after++;
    }
    out += chunk + printValue(evaluate(inner.trim(), data, name, text, open));
    i = after;
  }
  return out;
}

function evaluate(
  action: string,
  data: TemplateData,
  name: string,
  text: string,
  at: number,
): unknown {
  if (action === ".") return data;
  if (!/^(\.[A-Za-z_][A-Za-z0-9_]*)+$/.test(action)) {
    throw templateError(name, text, at, `unsupported action "{{ ${action} }}" (only field chains)`);
  }
  let value: unknown = data;
  for (const field of action.slice(1).split(".")) {
    if (typeof value !== "object" || value === null || Array.isArray(value)) {
      throw templateError(name, text, at, `can't evaluate field ${field} in ${action}`);
    }
    if (!Object.hasOwn(value, field)) {
      throw templateError(name, text, at, `map has no entry for key "${field}" in ${action}`);
    }
    value = (value as Record<string, unknown>)[field];
  }
  return value;
}

/** Go's `fmt` printing of template values: `<no value>`, `[a b]`, `map[k:v]`. */
function printValue(value: unknown): string {
  if (value === undefined || value === null) return "<no value>";
  if (Array.isArray(value)) return `[${value.map(printValue).join(" ")}]`;
  if (typeof value === "object") {
    const entries = Object.keys(value).sort().map((k) =>
      `${k}:${printValue((value as Record<string, unknown>)[k])}`
    );
    return `map[${entries.join(" ")}]`;
  }
  return String(value);
}

function templateError(name: string, text: string, offset: number, message: string): AtmosError {
  const before = text.slice(0, offset);
  const line = before.split("\n").length;
  const column = offset - before.lastIndexOf("\n");
  return new AtmosError(`template ${name}:${line}:${column}: ${message}`, { exitCode: 2 });
}
