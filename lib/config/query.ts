/**
 * Queries over data, as `describe --query` and `!include <file> <query>` take them (Atmos uses
 * yq expressions for both). The yq/jq path subset scripts use most — `.`, `.vars.stage`,
 * `.auth.identities.data-default.default`, `.vars["odd key"]`, `.list[0]` — is evaluated here
 * directly: no module to load, and a missing key gives `null` as yq does. Anything else
 * (`.a // "default"`, `.items | length`, `.[] | select(.x)`, `.list[-1]`) is a jq expression run
 * by `jq-wasm` (jq 1.7 compiled to WebAssembly, loaded only then, ~100 ms). jq and yq share
 * this syntax; yq-only functions (`load`, `env(X)`, `sort_keys(..)`) are jq errors.
 *
 * Why jq-wasm over the pure-JavaScript jq ports (`@michaelhomer/jqjs`, `jqts`,
 * `@jq-tools/jq`): on Atmos's own test expressions jqjs gives both sides of
 * `.missing // "default"` (`[null, "default"]`), which real jq does not; jq-wasm is jq itself.
 * `node-jq` needs a jq binary; `jsonata` is another language.
 *
 * @module
 */
import { UsageError } from "../errors.ts";

/** A query that could not be evaluated: bad syntax, a jq error, or several results. */
export class QueryError extends Error {
  constructor(message: string) {
    super(message);
    this.name = "QueryError";
  }
}

/** Splits a path query into keys and indexes; throws {@linkcode UsageError} on bad syntax. */
export function parseQuery(query: string): (string | number)[] {
  const path = queryPath(query);
  if (path instanceof QueryError) {
    throw new UsageError(`invalid --query "${query}": ${path.message}`, {
      hint: 'use a path like .vars.stage or .settings["my-key"], or a jq expression',
    });
  }
  return path;
}

/**
 * The keys and indexes of a plain path query (`.a.b[0]["c d"]`), or why it is not one (then it
 * may still be a jq expression).
 */
export function queryPath(query: string): (string | number)[] | QueryError {
  const text = query.trim();
  if (!text.startsWith(".")) return new QueryError('a query starts with "."');
  const out: (string | number)[] = [];
  let i = 1;
  while (i < text.length) {
    if (text[i] === ".") {
      i++;
      continue;
    }
    if (text[i] === "[") {
      const close = text.indexOf("]", i);
      if (close < 0) return new QueryError('missing "]"');
      const inner = text.slice(i + 1, close).trim();
      if (/^\d+$/.test(inner)) out.push(Number(inner));
      else if (/^"(?:[^"\\]|\\.)*"$/.test(inner)) out.push(JSON.parse(inner));
      else if (/^'[^']*'$/.test(inner)) out.push(inner.slice(1, -1));
      else return new QueryError(`bad index [${inner}]`);
      i = close + 1;
      continue;
    }
    const match = /^[^.[\]\s|,()"'/=<>!+*?:;{}$@#-][^.[\]\s|,()"'/=<>!+*?:;{}$@#]*/.exec(
      text.slice(i),
    );
    if (!match) return new QueryError(`unexpected "${text[i]}"`);
    out.push(match[0]);
    i += match[0].length;
  }
  return out;
}

/** The value at a path query in `value` (`null` when absent). */
export function runQuery(value: unknown, query: string): unknown {
  return valueAt(value, parseQuery(query));
}

/**
 * Evaluates `query` over `value`: a path directly, anything else with jq. Zero results give
 * `null` (as yq does); several results are an error (wrap the query in `[…]` for a list).
 *
 * @throws {QueryError} for a bad query or one jq cannot evaluate.
 */
export async function evaluateQuery(value: unknown, query: string): Promise<unknown> {
  const path = queryPath(query);
  if (!(path instanceof QueryError)) return valueAt(value, path);
  const results = await runJq(value, query);
  if (results.length > 1) {
    throw new QueryError(
      `the query gives ${results.length} values; wrap it in [ ] to get them as a list`,
    );
  }
  return results[0] ?? null;
}

/** Checks a query's syntax (a path, or a jq program that compiles). */
export async function checkQuery(query: string): Promise<void> {
  // Compiled, never run: `if false` keeps the query from running (or looping) on no data.
  if (queryPath(query) instanceof QueryError) {
    await runJq(null, `if false then (${query}) else empty end`);
  }
}

function valueAt(value: unknown, path: (string | number)[]): unknown {
  let node = value;
  for (const key of path) {
    if (typeof key === "number" && Array.isArray(node)) node = node[key];
    else if (isMap(node) && Object.hasOwn(node, String(key))) node = node[String(key)];
    else return null;
    if (node === undefined) return null;
  }
  return node;
}

/** The `jq-wasm` module. */
type JqModule = typeof import("jq-wasm");

let jqModule: Promise<JqModule> | undefined;

/**
 * Loads jq-wasm through a URL resolved at run time rather than `import("jq-wasm")`, so that
 * `deno bundle` does not inline it: its WebAssembly is 1.3 MB of base64 that the one-file
 * bundle would parse on every start (+40 ms measured for `atmos version`). The compiled binary
 * embeds it (`scripts/compile.ts` passes `--include npm:jq-wasm@…`); the bundle has path
 * queries only.
 */
function loadJq(): Promise<JqModule> {
  jqModule ??= (async () => {
    let url: string;
    try {
      url = new URL("./dist/index.js", import.meta.resolve("jq-wasm/package.json")).href;
    } catch {
      throw new QueryError(
        "jq expressions need jq-wasm, which the one-file bundle does not carry (use a path such as .a.b[0], or atmos from source or the compiled binary)",
      );
    }
    return await import(url) as JqModule;
  })();
  jqModule.catch(() => jqModule = undefined);
  return jqModule;
}

async function runJq(value: unknown, query: string): Promise<unknown[]> {
  const jq = await loadJq();
  let text: string;
  try {
    text = await jq.raw(JSON.stringify(value ?? null), query, ["-c"]);
  } catch (error) {
    throw new QueryError(jqMessage(error));
  }
  return text.split("\n").filter((line) => line.trim() !== "").map((line) => JSON.parse(line));
}

/** jq's first error line, without the wrapper's prefix and jq's shell-quoting advice. */
function jqMessage(error: unknown): string {
  const text = error instanceof Error ? error.message : String(error);
  const line = text.replace(/^Failed to execute JSON query:\s*/, "").split("\n")[0];
  return line.replace(/^jq: error(?: \(at [^)]*\))?: /, "").replace(
    / \(Unix shell quoting issues\?\)/,
    "",
  ).replace(/ at <top-level>, line \d+:?$/, "").trim();
}

function isMap(value: unknown): value is Record<string, unknown> {
  return typeof value === "object" && value !== null && !Array.isArray(value);
}
