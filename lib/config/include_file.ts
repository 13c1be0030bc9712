/**
 * What `!include` makes of a file, shared by atmos.yaml and stack manifests (Atmos's rules,
 * reference atmos-workflows-commands.md §4.3): the format comes from the extension — `.yaml`/
 * `.yml` (parsed by the caller, which knows its own tags), `.json`, HCL (`.hcl`, `.tf`,
 * `.tfvars`) — and anything else is text; `!include.raw` is always text. An optional second
 * argument is a query over the result (`!include config/vars.json .list_var[0]`).
 *
 * @module
 */
import { AtmosError, ConfigError, formatLocation, type SourceLocation } from "../errors.ts";
import { evaluateQuery, QueryError } from "./query.ts";

/** How an included file is read. */
export type IncludeFormat = "yaml" | "json" | "hcl" | "text";

/** The parts of an `!include` argument: the path and an optional query. */
export interface IncludeArgs {
  path: string;
  query?: string;
}

/**
 * Splits `!include` arguments: the first word is the path (quotes allowed, for spaces), the
 * rest of the text is the query; a query that is one quoted word is unquoted
 * (`!include ./c.yaml '.users["x"].id'`, `!include '"my file.json" ".a b"'`).
 *
 * @returns `undefined` when there is no path.
 */
export function splitIncludeArgs(text: string): IncludeArgs | undefined {
  const first = /^\s*(?:"((?:[^"\\]|\\.)*)"|'([^']*)'|(\S+))/.exec(text);
  if (!first) return undefined;
  const path = first[1] !== undefined ? first[1].replace(/\\(.)/g, "$1") : first[2] ?? first[3];
  const rest = text.slice(first[0].length).trim();
  if (rest === "") return { path };
  return { path, query: unquote(rest) };
}

function unquote(text: string): string {
  if (/^"(?:[^"\\]|\\.)*"$/.test(text)) return text.slice(1, -1).replace(/\\(.)/g, "$1");
  if (/^'[^']*'$/.test(text)) return text.slice(1, -1);
  return text;
}

/** The format of an included file, from its extension (`raw`: `!include.raw`). */
export function includeFormat(path: string, raw: boolean): IncludeFormat {
  if (raw) return "text";
  const lower = path.toLowerCase();
  if (lower.endsWith(".yaml") || lower.endsWith(".yml")) return "yaml";
  if (lower.endsWith(".json")) return "json";
  if (lower.endsWith(".hcl") || lower.endsWith(".tf") || lower.endsWith(".tfvars")) return "hcl";
  return "text";
}

/** Where an `!include` is, for its errors. */
export interface IncludeSite {
  /** `!include` or `!include.raw`. */
  tag: string;
  /** The path as written. */
  path: string;
  /** Where the tag is. */
  location: SourceLocation;
}

/**
 * Decodes the text of an included non-YAML file.
 *
 * @param shown the included file as shown in errors.
 * @throws {ConfigError} for invalid JSON or HCL (HCL syntax errors point into the HCL file).
 */
export async function decodeIncluded(
  text: string,
  format: Exclude<IncludeFormat, "yaml">,
  shown: string,
  site: IncludeSite,
): Promise<unknown> {
  if (format === "json") {
    try {
      return JSON.parse(text);
    } catch (error) {
      const why = error instanceof Error ? error.message : String(error);
      throw new ConfigError(`${site.tag} "${site.path}" is not valid JSON: ${why}`, {
        location: site.location,
        cause: error,
      });
    }
  }
  if (format === "hcl") {
    const { parseHcl } = await import("./hcl.ts");
    try {
      return await parseHcl(text, shown);
    } catch (error) {
      if (!(error instanceof AtmosError)) throw error;
      if (!(error instanceof ConfigError)) {
        // The parser could not be loaded (e.g. in the one-file bundle): not a config mistake.
        throw new AtmosError(`${site.tag} "${site.path}": ${error.message}`, {
          hint: error.hint,
          location: site.location,
          cause: error,
        });
      }
      const at = formatLocation(site.location);
      // A syntax error is located in the HCL file; say which include read it.
      if (error.location?.line !== undefined) {
        throw new ConfigError(`${error.message} (in the file included at ${at})`, {
          hint: error.hint,
          location: error.location,
        });
      }
      throw new ConfigError(`${site.tag} "${site.path}": ${error.message}`, {
        hint: error.hint,
        location: site.location,
      });
    }
  }
  return text;
}

/**
 * Applies an `!include` query to the included value.
 *
 * @throws {ConfigError} located at the tag when the query is invalid or fails.
 */
export async function queryIncluded(
  value: unknown,
  query: string,
  site: IncludeSite,
): Promise<unknown> {
  try {
    return await evaluateQuery(value, query);
  } catch (error) {
    if (!(error instanceof QueryError)) throw error;
    throw new ConfigError(`${site.tag} "${site.path}" query "${query}": ${error.message}`, {
      hint:
        'use a path like .list_var[0] or .map_var.a, or a jq expression such as .a // "default"',
      location: site.location,
    });
  }
}
