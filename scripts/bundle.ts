/**
 * `deno task bundle`: builds `dist/atmos.js`, one self-contained ES module (every local module
 * and npm dependency inlined) that runs with `deno run <production flags> atmos.js`, from a
 * file or from an http(s) URL.
 *
 * `deno bundle` (esbuild) does the work; this script fixes the one thing in its output that
 * breaks an http origin and checks the result:
 *
 * - Lazily imported modules (AWS signing, XML, YAML, stacks, templates, SSO, the writer) stay
 *   lazy: esbuild turns `await import("./x.ts")` into a call of the inlined module's `init_x()`,
 *   so their top-level code runs only when the import is reached (V8 only pre-parses the
 *   function bodies). `deno task bench --only bundle` measures what the single file costs.
 * - CommonJS code in the npm packages reaches Node built-ins through a preamble
 *   `createRequire(import.meta.url)`, which throws at start-up when `import.meta.url` is an
 *   http URL ("must be a file URL"), and imports `node:module` eagerly. It is replaced by a
 *   lazy `process.getBuiltinModule(id)` (built-ins need no base URL); the script fails when
 *   the preamble changes shape or any other `createRequire`/`import.meta.resolve` use appears
 *   that the sources do not guard.
 * - The writer's same-file worker (`new Worker(import.meta.url)`) starts the bundle itself;
 *   `main.ts` turns into the writer there (see `lib/fs/worker_role.ts`).
 *
 * Usage: `deno task bundle [--output <file>] [--minify]` (default `dist/atmos.js`). Prints the
 * path, size and SHA-256.
 *
 * @module
 */
import { dirname, join, relative } from "node:path";
import { productionFlags, ROOT } from "../tests/e2e/harness.ts";
import { VERSION } from "../lib/version.ts";

/** Where `deno task bundle` writes the bundle. */
export const BUNDLE_PATH = join(ROOT, "dist", "atmos.js");

const PREAMBLE =
  /import\s*\{\s*createRequire as (\w+)\s*\}\s*from\s*"node:module";?\s*var ([\w$]+)\s*=\s*\1\(import\.meta\.url\);?\n?/;

/**
 * `import.meta.resolve` calls the sources make, each in a `try` with a way out in a bundle:
 * `yaml_lib.ts` (falls back to the inlined `yaml`), `hcl.ts` and `query.ts` (an HCL include or
 * a jq expression is an error line: the bundle carries neither WebAssembly module).
 */
const GUARDED_RESOLVES = 3;

/** A build failure with one line for the user. */
class BundleFailed extends Error {}

/**
 * The replacement for esbuild's `createRequire(import.meta.url)` preamble: CommonJS code in
 * the bundle only `require`s Node built-ins, which need no base URL.
 */
function lazyRequire(name: string): string {
  return [
    `var ${name} = (id) => {`,
    `  const mod = globalThis.process?.getBuiltinModule?.(id);`,
    `  if (mod === undefined) throw new Error(\`atmos bundle: cannot require "\${id}"\`);`,
    `  return mod;`,
    `};`,
    ``,
  ].join("\n");
}

/**
 * Rewrites the bundler's output so it runs from any origin; throws {@linkcode BundleFailed}
 * when the output has a shape this script does not know (so a Deno upgrade cannot silently
 * bring the http failure back).
 */
export function fixBundle(code: string): string {
  // Module names (comments and lazy-init keys) name npm packages, not the build machine's cache.
  let out = code.replace(/(?:\.\.\/)+(?:[^"\n/]+\/)*?npm\/registry\.npmjs\.org\//g, "npm/");
  const preamble = PREAMBLE.exec(out);
  if (preamble) out = out.replace(PREAMBLE, lazyRequire(preamble[2]));
  if (/createRequire\s*\(/.test(out)) {
    throw new BundleFailed(
      "the bundle still calls createRequire(); scripts/bundle.ts must learn the new preamble",
    );
  }
  const imports = [...out.matchAll(/(?:^|[;\n])\s*import\s*(?:[\w$*{}\s,]+from\s*)?"([^"]+)"/g)]
    .map((m) => m[1]);
  const foreign = imports.filter((spec) => !spec.startsWith("node:"));
  if (foreign.length > 0) {
    throw new BundleFailed(`the bundle is not self-contained: it imports ${foreign.join(", ")}`);
  }
  const resolves = out.match(/import\.meta\.resolve\(/g)?.length ?? 0;
  if (resolves !== GUARDED_RESOLVES) {
    throw new BundleFailed(
      `expected the ${GUARDED_RESOLVES} guarded import.meta.resolve calls (lib/config/yaml_lib.ts, hcl.ts, query.ts), found ${resolves}`,
    );
  }
  return `${header()}${out}`;
}

function header(): string {
  return `// atmos ${VERSION}: one-file bundle of main.ts built by \`deno task bundle\`.\n` +
    `// Run: deno run ${productionFlags().join(" ")} atmos.js <args>\n`;
}

/**
 * Runs `deno bundle` for `main.ts` into `output`, then {@linkcode fixBundle}. `minify` makes
 * a smaller, faster-starting file with unreadable stack traces (measured by the bench).
 */
export async function buildBundle(
  output: string = BUNDLE_PATH,
  options: { minify?: boolean } = {},
): Promise<string> {
  await Deno.mkdir(dirname(output), { recursive: true });
  const raw = `${output}.raw.js`;
  const result = await new Deno.Command(Deno.execPath(), {
    args: [
      "bundle",
      "--config",
      join(ROOT, "deno.json"),
      "--frozen",
      "--platform",
      "deno",
      ...(options.minify ? ["--minify"] : []),
      "--output",
      raw,
      join(ROOT, "main.ts"),
    ],
    cwd: ROOT,
    stdout: "piped",
    stderr: "piped",
  }).output();
  if (!result.success) {
    const stderr = new TextDecoder().decode(result.stderr).trim();
    throw new BundleFailed(`deno bundle failed: ${stderr.split("\n").pop()}`);
  }
  try {
    await Deno.writeTextFile(output, fixBundle(await Deno.readTextFile(raw)));
  } finally {
    await Deno.remove(raw).catch(() => undefined);
  }
  return output;
}

/** Hex SHA-256 of a file. */
export async function sha256File(path: string): Promise<string> {
  const digest = await crypto.subtle.digest("SHA-256", await Deno.readFile(path));
  return Array.from(new Uint8Array(digest), (b) => b.toString(16).padStart(2, "0")).join("");
}

async function main(): Promise<number> {
  const i = Deno.args.indexOf("--output");
  const output = i === -1 ? BUNDLE_PATH : Deno.args[i + 1];
  const unknown = Deno.args.filter((arg, k) =>
    arg !== "--minify" && arg !== "--output" && !(i !== -1 && k === i + 1)
  );
  if (!output || unknown.length > 0) {
    console.error("bundle: usage: deno task bundle [--output <file>] [--minify]");
    return 2;
  }
  try {
    const path = await buildBundle(output, { minify: Deno.args.includes("--minify") });
    const size = (await Deno.stat(path)).size;
    console.log(
      `${relative(Deno.cwd(), path) || path}  ${
        (size / 1e6).toFixed(2)
      } MB  sha256 ${await sha256File(path)}`,
    );
    return 0;
  } catch (error) {
    console.error(`bundle: ${error instanceof Error ? error.message : String(error)}`);
    return 1;
  }
}

if (import.meta.main) Deno.exit(await main());
