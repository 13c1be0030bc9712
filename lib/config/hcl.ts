/**
 * Reading HCL files (`.hcl`, `.tf`, `.tfvars`) into plain data for `!include`, as Atmos does:
 * every top-level attribute becomes a key, with strings, numbers, booleans, null, lists and
 * (nested) objects; heredocs become strings. Values must be literals: an expression that
 * needs evaluation (`var.x`, `"${local.y}"`, a function call) is an error, as in Atmos.
 *
 * The parser is HashiCorp's own HCL (hashicorp/hcl v2 through tmccombs/hcl2json) compiled to
 * WebAssembly, from `@cdktn/hcl2json` (the maintained continuation of `@cdktf/hcl2json`), and
 * loaded only when an HCL file is included (~90 ms to load, ~250 ms to start the WebAssembly
 * module once per process). Its JSON keeps expressions in Terraform's JSON syntax, where
 * `${…}`/`%{…}` are templates and `$${`/`%%{` their escapes: that is how literals are told
 * apart from expressions here.
 *
 * Why a small loader of our own instead of the package's `parse()`: the package reads its
 * `main.wasm.gz` with `fs-extra` relative to `__dirname` at import time, its Node glue
 * `require`s a `performance` package (which `deno bundle` cannot resolve), and it rethrows a
 * failed load as an unhandled rejection, which would end the process with a stack trace. Here
 * Go's own `wasm_exec.js` from the package is the glue, the module is found through the import
 * map and inflated with `node:zlib`, and any failure is one error line. The one-file bundle
 * carries no `main.wasm.gz`: there an HCL include is that error line. The calling protocol (`globalThis.__parse_terraform_config_wasm__`
 * and a Node-style callback) is the package's, pinned by its version in deno.json.
 *
 * @module
 */
import { AtmosError, ConfigError, type SourceLocation } from "../errors.ts";

type Callback = (error: string | null, result?: string) => void;
type ParseFunction = (filename: string, text: string, callback: Callback) => void;

let parser: Promise<ParseFunction> | undefined;

/**
 * Parses HCL text into a map of its top-level attributes.
 *
 * @param shown the file as shown in errors (HCL syntax errors are located in it).
 * @throws {ConfigError} for a syntax error (with the file's line and column) or a value that is
 *   not a literal.
 */
export async function parseHcl(text: string, shown: string): Promise<Record<string, unknown>> {
  const parse = await (parser ??= loadParser());
  const json = await new Promise<string>((resolve, reject) => {
    parse(shown, text, (error, result) => error ? reject(error) : resolve(result ?? "{}"));
  }).catch((error) => {
    throw syntaxError(String(error), shown);
  });
  return literal(JSON.parse(json), [], shown) as Record<string, unknown>;
}

async function loadParser(): Promise<ParseFunction> {
  let wasm: URL;
  try {
    wasm = new URL("./main.wasm.gz", import.meta.resolve("@cdktn/hcl2json/package.json"));
    await import("@cdktn/hcl2json/wasm/wasm_exec.js"); // defines globalThis.Go
  } catch (error) {
    parser = undefined;
    throw new AtmosError(`cannot load the HCL parser (@cdktn/hcl2json): ${errorText(error)}`, {
      hint: "HCL files need atmos run from source or as a compiled binary",
      cause: error,
    });
  }
  const global = globalThis as unknown as {
    Go: new () => { importObject: WebAssembly.Imports; run(i: WebAssembly.Instance): unknown };
    __parse_terraform_config_wasm__?: Record<string, unknown>;
  };
  // node:zlib inflates the 7 MB module in about half the time DecompressionStream takes.
  const { gunzipSync } = await import("node:zlib");
  const bytes: BufferSource = new Uint8Array(gunzipSync(await Deno.readFile(wasm)));
  const go = new global.Go();
  const { instance } = await WebAssembly.instantiate(bytes, go.importObject);
  const exports: Record<string, unknown> = {};
  global.__parse_terraform_config_wasm__ = exports;
  void go.run(instance); // registers its functions on `exports`, then waits for calls
  if (typeof exports.parse !== "function") {
    throw new AtmosError("the HCL parser did not start (@cdktn/hcl2json)");
  }
  return exports.parse as ParseFunction;
}

/** `bad.tfvars:3,1-2: Missing item separator; Expected a comma…` → a located ConfigError. */
function syntaxError(raw: string, shown: string): ConfigError {
  const found = /([^\s[]+):(\d+),(\d+)(?:-\d+)?: ([^\]]*)/.exec(raw);
  const location: SourceLocation = found
    ? { file: found[1], line: Number(found[2]), column: Number(found[3]) }
    : { file: shown };
  const message = (found?.[4] ?? raw.replace(/^Error: (parse config: )?/, "")).trim()
    .replace(/\.$/, "");
  return new ConfigError(`HCL syntax error: ${message}`, {
    hint: 'included HCL files hold attributes such as name = "value"',
    location,
  });
}

/**
 * Checks that `value` (hcl2json's JSON) holds literals only, and turns its escaped template
 * sequences (`$${`, `%%{`) back into text.
 */
function literal(value: unknown, path: string[], shown: string): unknown {
  if (typeof value === "string") return literalString(value, path, shown);
  if (Array.isArray(value)) return value.map((item, i) => literal(item, [...path, `${i}`], shown));
  if (typeof value === "object" && value !== null) {
    const out: Record<string, unknown> = {};
    for (const [key, item] of Object.entries(value)) {
      out[key] = literal(item, [...path, key], shown);
    }
    return out;
  }
  return value;
}

function literalString(text: string, path: string[], shown: string): string {
  let out = "";
  for (let i = 0; i < text.length; i++) {
    const ch = text[i];
    if ((ch === "$" || ch === "%") && text[i + 1] === ch && text[i + 2] === "{") {
      out += `${ch}{`;
      i += 2;
    } else if ((ch === "$" || ch === "%") && text[i + 1] === "{") {
      const shownValue = text.length > 60 ? `${text.slice(0, 57)}...` : text;
      throw new ConfigError(
        `HCL attribute "${path.join(".")}" is an expression (${shownValue}), not a literal value`,
        {
          hint:
            "included HCL files may hold literal values only (no variables, functions or templates)",
          location: { file: shown },
        },
      );
    } else {
      out += ch;
    }
  }
  return out;
}

function errorText(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}
