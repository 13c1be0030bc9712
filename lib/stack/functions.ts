/**
 * The YAML functions phase for a component's section (reference atmos-workflows-commands.md
 * §4.5, §5.6). Tags were kept as `"<tag> <argument>"` strings by the parser; here:
 *
 * - `!env NAME [default]`: the component's `env` section first, then the process environment,
 *   then the default, else `null`;
 * - `!exec <command>`: runs `bash -c <command>` in the working directory; the trimmed stdout,
 *   decoded when it is a JSON list or map;
 * - `!template <text>`: the text rendered against the component section, decoded when the result
 *   is a JSON list or map;
 * - `!repo-root [default]`: the git repository root (else the default, else the base path);
 * - `!cwd [path]`: the working directory (joined with `path`).
 *
 * Other Atmos functions (`!terraform.output`, `!store`, …) are errors here: this atmos cannot
 * evaluate them, and passing their text on as a value would be wrong.
 *
 * @module
 */
import { dirname, join, resolve } from "../fs/path.ts";
import { ConfigError, type SourceLocation } from "../errors.ts";
import type { EnvGetter } from "../config/yaml.ts";
import { splitArgs } from "../config/yaml.ts";
import { envNameProblem } from "../env.ts";
import { DEFERRED_TAGS } from "./yaml.ts";
import { isSection, type Section } from "./merge.ts";
import { renderTemplate } from "./template.ts";

/** What functions may use. */
export interface FunctionContext {
  env: EnvGetter;
  /** Working directory (`!exec`, `!cwd`). */
  cwd: string;
  basePath: string;
  /** The component section (`!template` data; `env` for `!env`). */
  section: Section;
  /** Where a function's text is written, for errors. */
  locate(text: string): SourceLocation | undefined;
}

/** Evaluates every function string in `value`; returns a new value. */
export async function evaluateFunctions(value: unknown, ctx: FunctionContext): Promise<unknown> {
  if (typeof value === "string") return value.startsWith("!") ? await evaluate(value, ctx) : value;
  if (Array.isArray(value)) {
    const out: unknown[] = [];
    for (const item of value) out.push(await evaluateFunctions(item, ctx));
    return out;
  }
  if (isSection(value)) {
    const out: Section = {};
    for (const [key, item] of Object.entries(value)) out[key] = await evaluateFunctions(item, ctx);
    return out;
  }
  return value;
}

/** The function tag a string starts with, if any. */
export function functionTag(text: string): string | undefined {
  const tag = /^![A-Za-z][\w.-]*/.exec(text)?.[0];
  if (!tag || !DEFERRED_TAGS.includes(tag)) return undefined;
  const next = text.charAt(tag.length);
  return next === "" || /\s/.test(next) ? tag : undefined;
}

async function evaluate(text: string, ctx: FunctionContext): Promise<unknown> {
  const tag = functionTag(text);
  if (!tag) return text;
  const arg = text.slice(tag.length).trim();
  switch (tag) {
    case "!env":
      return envValue(arg, text, ctx);
    case "!exec":
      return await execValue(arg, text, ctx);
    case "!template":
      return decodeCollection(
        renderTemplate(unquote(arg), ctx.section, {
          env: ctx.env,
          name: "!template",
          location: ctx.locate(text),
        }),
      );
    case "!repo-root":
      return (await gitRoot(ctx.cwd)) ?? (arg !== "" ? unquote(arg) : ctx.basePath);
    case "!cwd":
      return arg === "" ? ctx.cwd : resolve(ctx.cwd, unquote(arg));
    default:
      throw new ConfigError(`YAML function ${tag} is not supported by this atmos`, {
        hint: "use describe component --process-functions=false to see the raw value",
        location: ctx.locate(text),
      });
  }
}

function envValue(arg: string, text: string, ctx: FunctionContext): unknown {
  const args = splitArgs(arg);
  if (args.length < 1 || args.length > 2) {
    throw new ConfigError(`!env takes a variable name and an optional default, got "${arg}"`, {
      hint: "write !env NAME or !env NAME default",
      location: ctx.locate(text),
    });
  }
  const nameProblem = envNameProblem(args[0]);
  if (nameProblem) {
    throw new ConfigError(`!env: "${args[0]}" ${nameProblem}`, {
      hint: "write !env NAME or !env NAME default",
      location: ctx.locate(text),
    });
  }
  const env = isSection(ctx.section.env) ? ctx.section.env : {};
  const fromSection = env[args[0]];
  if (typeof fromSection === "string" && !functionTag(fromSection)) return fromSection;
  if (typeof fromSection === "number" || typeof fromSection === "boolean") {
    return String(fromSection);
  }
  const found = ctx.env.get(args[0]);
  if (found !== undefined) return found;
  return args.length === 2 ? args[1] : null;
}

async function execValue(arg: string, text: string, ctx: FunctionContext): Promise<unknown> {
  const location = ctx.locate(text);
  if (arg === "") throw new ConfigError("!exec needs a command", { location });
  let output: Deno.CommandOutput;
  try {
    output = await new Deno.Command("bash", {
      args: ["-c", arg],
      cwd: ctx.cwd,
      stdin: "null",
      stdout: "piped",
      stderr: "piped",
    }).output();
  } catch (error) {
    throw new ConfigError(`!exec could not start bash: ${String(error)}`, { location });
  }
  if (!output.success) {
    const stderr = new TextDecoder().decode(output.stderr).trim().split("\n").at(-1) ?? "";
    throw new ConfigError(`!exec command failed with exit code ${output.code}`, {
      hint: stderr === "" ? undefined : stderr.slice(0, 120),
      location,
    });
  }
  return decodeCollection(new TextDecoder().decode(output.stdout).trim());
}

function decodeCollection(text: string): unknown {
  const trimmed = text.trim();
  if (!trimmed.startsWith("{") && !trimmed.startsWith("[")) return text;
  try {
    const parsed = JSON.parse(trimmed);
    return typeof parsed === "object" && parsed !== null ? parsed : text;
  } catch {
    return text;
  }
}

function unquote(text: string): string {
  if (text.length >= 2) {
    const first = text[0];
    if ((first === "'" || first === '"') && text.endsWith(first)) return text.slice(1, -1);
  }
  return text;
}

async function gitRoot(start: string): Promise<string | undefined> {
  for (let dir = resolve(start);; dir = dirname(dir)) {
    if (await Deno.stat(join(dir, ".git")).then(() => true, () => false)) return dir;
    if (dirname(dir) === dir) return undefined;
  }
}
