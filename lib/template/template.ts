/**
 * Parsed templates bound to their options: function lookup (caller's functions, then Sprig,
 * then Go's builtins), `missingkey`, the `env` getter, and the parse cache.
 *
 * @module
 */

import { BUILTINS } from "./builtins.ts";
import { LruCache } from "./cache.ts";
import { TemplateError } from "./error.ts";
import { execute, type FoundFunc, type MissingKey } from "./exec.ts";
import type { CallContext, FuncSpec } from "./func_spec.ts";
import { SPRIG_FUNCS } from "./funcs/mod.ts";
import { parse, ParseFailure, type Tree } from "./parser.ts";
import { goQuote } from "./quote.ts";
import { fromHost, toHost } from "./value.ts";

/** A function callable from templates; it receives plain values (nil as `null`). */
export type TemplateFunc = (...args: unknown[]) => unknown;

/** Options for parsing and rendering. */
export interface RenderOptions {
  /** Template name in errors (default `"template"`). */
  name?: string;
  /** Extra functions; they take precedence over Sprig and Go's builtins. */
  funcs?: Record<string, TemplateFunc>;
  /** Go's `missingkey` option (default `"default"`: a missing key prints `<no value>`). */
  missingKey?: MissingKey;
  /** Action delimiters (default `["{{", "}}"]`). */
  delims?: [string, string];
  /** Where the `env` function reads variables (never `process.env`); unset means empty. */
  env?: { get(name: string): string | undefined };
  /** Whether the Sprig/gomplate functions are available (default true). */
  sprig?: boolean;
}

const DEFAULT_NAME = "template";
const CACHE_LIMIT = 512;

const BUILTIN_FUNCS = new Map(Object.entries(BUILTINS));
const userSpecs = new WeakMap<TemplateFunc, FuncSpec>();
const parseCache = new LruCache<string, Map<string, Tree>>(CACHE_LIMIT);

/** A parsed template, reusable with different data. */
export class Template {
  /** The template's name. */
  readonly name: string;
  readonly #text: string;
  readonly #trees: Map<string, Tree>;
  readonly #missingKey: MissingKey;
  readonly #lookup: (name: string) => FoundFunc | undefined;
  readonly #ctx: CallContext;

  constructor(text: string, trees: Map<string, Tree>, options: RenderOptions) {
    this.name = options.name ?? DEFAULT_NAME;
    this.#text = text;
    this.#trees = trees;
    this.#missingKey = options.missingKey ?? "default";
    this.#lookup = funcLookup(options);
    const env = options.env;
    this.#ctx = { getenv: (key) => env?.get(key) };
  }

  /** Renders the template with `data` (`.` and `$`); throws {@linkcode TemplateError}. */
  execute(data: unknown): string {
    return execute(
      {
        trees: this.#trees,
        text: this.#text,
        parseName: this.name,
        missingKey: this.#missingKey,
        lookup: this.#lookup,
        ctx: this.#ctx,
      },
      this.name,
      data,
    );
  }
}

/** Parses a template; throws {@linkcode TemplateError} with Go's message on bad syntax. */
export function parseTemplate(text: string, options: RenderOptions = {}): Template {
  return new Template(text, parseTrees(text, options, false), options);
}

/** Parses (through a bounded cache) and executes a template in one call. */
export function renderTemplate(text: string, data: unknown, options: RenderOptions = {}): string {
  return new Template(text, parseTrees(text, options, true), options).execute(data);
}

function parseTrees(text: string, options: RenderOptions, cached: boolean): Map<string, Tree> {
  const name = options.name ?? DEFAULT_NAME;
  const [left, right] = options.delims ?? ["{{", "}}"];
  const userNames = options.funcs ? Object.keys(options.funcs).join(",") : "";
  const sprig = options.sprig ?? true;
  const key = cached ? `${name}\0${left}\0${right}\0${sprig}\0${userNames}\0${text}` : "";
  const hit = cached ? parseCache.get(key) : undefined;
  if (hit) return hit;
  const trees = parseUncached(text, name, left, right, funcNames(options));
  if (cached) parseCache.set(key, trees);
  return trees;
}

function parseUncached(
  text: string,
  name: string,
  left: string,
  right: string,
  hasFunction: (name: string) => boolean,
): Map<string, Tree> {
  try {
    return parse(text, { name, left, right, hasFunction });
  } catch (error) {
    if (error instanceof ParseFailure) {
      throw new TemplateError(error.message, { templateName: name, line: error.line });
    }
    throw error;
  }
}

function funcNames(options: RenderOptions): (name: string) => boolean {
  const user = options.funcs;
  const sprig = options.sprig ?? true;
  return (name) =>
    (user !== undefined && Object.hasOwn(user, name)) ||
    (sprig && SPRIG_FUNCS.has(name)) ||
    BUILTIN_FUNCS.has(name);
}

function funcLookup(options: RenderOptions): (name: string) => FoundFunc | undefined {
  const user = options.funcs;
  if (user) checkUserFuncs(user);
  const sprig = options.sprig ?? true;
  return (name) => {
    if (user !== undefined && Object.hasOwn(user, name)) {
      return { spec: userSpec(user[name]), builtin: false };
    }
    const fromSprig = sprig ? SPRIG_FUNCS.get(name) : undefined;
    if (fromSprig) return { spec: fromSprig, builtin: false };
    const builtin = BUILTIN_FUNCS.get(name);
    return builtin ? { spec: builtin, builtin: true } : undefined;
  };
}

const IDENTIFIER = /^[\p{L}_][\p{L}\p{Nd}_]*$/u;

/** Go panics on these in `Funcs`; we throw a TypeError (a programming mistake). */
function checkUserFuncs(funcs: Record<string, TemplateFunc>): void {
  for (const [name, fn] of Object.entries(funcs)) {
    if (!IDENTIFIER.test(name)) {
      throw new TypeError(`function name ${goQuote(name)} is not a valid identifier`);
    }
    if (typeof fn !== "function") throw new TypeError(`value for ${name} not a function`);
  }
}

/** A caller's function as a variadic `func(...interface{}) interface{}`. */
function userSpec(fn: TemplateFunc): FuncSpec {
  let spec = userSpecs.get(fn);
  if (!spec) {
    spec = { params: [], variadic: "any", fn: (args) => fromHost(fn(...args.map(toHost))) };
    userSpecs.set(fn, spec);
  }
  return spec;
}
