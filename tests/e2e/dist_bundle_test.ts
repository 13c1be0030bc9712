/**
 * `deno task bundle`: `dist/atmos.js` is one self-contained file that evaluates only the static
 * import graph of `main.ts` at start, and runs the smoke suite with `deno run <production
 * flags>` from a file and from an http URL served on loopback — with an empty `DENO_DIR`, so
 * nothing but the one file is loaded.
 */
import assert from "node:assert/strict";
import { join } from "node:path";
import { buildBundle, fixBundle } from "../../scripts/bundle.ts";
import { atmosCommand, createSandbox, ROOT, runCommand } from "./harness.ts";
import { runSmokeSuite } from "./smoke_support.ts";

const tmp = Deno.makeTempDirSync({ prefix: "atmos-bundle-" });
globalThis.addEventListener("unload", () => Deno.removeSync(tmp, { recursive: true }));
let bundled: Promise<string> | undefined;

/** Builds the bundle once for this file. */
function bundle(): Promise<string> {
  bundled ??= buildBundle(join(tmp, "atmos.js"));
  return bundled;
}

/** An empty Deno cache and an unreachable npm registry: the bundle must need neither. */
async function isolatedEnv(): Promise<Record<string, string>> {
  return {
    DENO_DIR: await Deno.makeTempDir({ dir: tmp, prefix: "deno-dir-" }),
    NPM_CONFIG_REGISTRY: "http://127.0.0.1:9/",
  };
}

/** Serves `file` at `http://127.0.0.1:<port>/atmos.js` (any path gives the file). */
function serve(file: string): { url: string; requests: () => number; close(): Promise<void> } {
  const body = Deno.readFileSync(file);
  let count = 0;
  const server = Deno.serve({ hostname: "127.0.0.1", port: 0, onListen() {} }, () => {
    count++;
    return new Response(body, { headers: { "content-type": "application/javascript" } });
  });
  return {
    url: `http://127.0.0.1:${server.addr.port}/atmos.js`,
    requests: () => count,
    close: () => server.shutdown(),
  };
}

/** Section names (`// path` comments) of modules whose code runs at top level (not wrapped). */
function eagerSections(code: string): string[] {
  const sections = code.split(/^\/\/ (?=\S+\.(?:[cm]?js|ts)$)/m).slice(1);
  return sections
    .filter((text) => !/__esm\(|__commonJS\(/.test(text))
    .map((text) => text.slice(0, text.indexOf("\n")));
}

/** Local modules reachable from main.ts through static (non-type, non-dynamic) imports. */
async function staticGraph(): Promise<Set<string>> {
  const out = await runCommand(
    Deno.execPath(),
    ["info", "--json", "--config", join(ROOT, "deno.json"), join(ROOT, "main.ts")],
    { env: Deno.env.toObject() },
  );
  assert.equal(out.code, 0, out.stderr);
  const info = JSON.parse(out.stdout);
  const deps = new Map<string, string[]>();
  for (const mod of info.modules) {
    deps.set(
      mod.specifier,
      (mod.dependencies ?? []).filter((d: { code?: unknown; isDynamic?: boolean }) =>
        d.code && !d.isDynamic
      ).map((d: { code: { specifier: string } }) => d.code.specifier),
    );
  }
  const seen = new Set<string>();
  const stack = [new URL("main.ts", `file://${ROOT}`).href];
  while (stack.length > 0) {
    const next = stack.pop()!;
    if (seen.has(next)) continue;
    seen.add(next);
    stack.push(...(deps.get(next) ?? []));
  }
  const rootUrl = new URL(`file://${ROOT}`).href;
  return new Set(
    [...seen].filter((s) => s.startsWith(rootUrl)).map((s) => s.slice(rootUrl.length)),
  );
}

/**
 * A copy of the bundle that records every lazily initialised module (`__esm` / `__commonJS`
 * wrappers) and prints the list on stderr at exit.
 */
function instrumented(code: string): string {
  const esm = "var __esm = (fn, res) => function __init() {\n";
  const cjs = "var __commonJS = (cb, mod2) => function __require2() {\n";
  assert.ok(code.includes(esm) && code.includes(cjs), "the bundler's wrappers changed shape");
  return [
    `globalThis.addEventListener("unload", () => console.error("INITS " + JSON.stringify(globalThis.__inits ?? [])));`,
    code
      .replace(esm, `${esm}  if (fn) (globalThis.__inits ??= []).push(__getOwnPropNames(fn)[0]);\n`)
      .replace(
        cjs,
        `${cjs}  if (!mod2) (globalThis.__inits ??= []).push(__getOwnPropNames(cb)[0]);\n`,
      ),
  ].join("\n");
}

Deno.test("the bundle fixer replaces createRequire(import.meta.url) and refuses what it does not know", () => {
  const preamble = 'import { createRequire as __cr } from "node:module";\n' +
    "var __require = __cr(import.meta.url);\nvar x = 1;\n";
  const fixed = fixBundle(
    `${preamble}${
      ["yaml", "h", "j"].map((p) => `import.meta.resolve("${p}/package.json");\n`).join("")
    }`,
  );
  assert.doesNotMatch(fixed, /createRequire|node:module/);
  assert.match(fixed, /var __require = \(id\) => \{\n\s+const mod = globalThis\.process/);
  assert.throws(
    () => fixBundle(`${preamble}import { x } from "npm:yaml";\nimport.meta.resolve("y");\n`),
    /not self-contained: it imports npm:yaml/,
  );
  assert.throws(() => fixBundle("var r = createRequire(import.meta.url);"), /createRequire/);
});

Deno.test("deno task bundle writes one file that evaluates only main.ts's static graph at start", async () => {
  const file = await bundle();
  const code = await Deno.readTextFile(file);
  const imports = [...code.matchAll(/^import .* from "([^"]+)";$/gm)].map((m) => m[1]);
  assert.deepEqual(imports.filter((s) => !s.startsWith("node:")), [], "only node: built-ins");
  assert.doesNotMatch(code, /createRequire|registry\.npmjs\.org/);

  // Structure: every module outside main.ts's static graph (all npm code included) is wrapped
  // in a lazy initialiser; only the static graph runs at top level.
  const graph = await staticGraph();
  const eager = [...new Set(eagerSections(code))];
  assert.ok(eager.includes("main.ts") && eager.includes("lib/cli/app.ts"), eager.join(", "));
  assert.deepEqual(eager.filter((name) => !graph.has(name)), [], "eager modules outside the graph");

  // Behaviour: what actually initialises for `version`, and for a command that parses YAML.
  const probe = join(tmp, "probe.js");
  await Deno.writeTextFile(probe, instrumented(code));
  const sb = await createSandbox("auth:\n  identities:\n    me: { kind: ambient }\n", {
    command: atmosCommand(probe),
  });
  try {
    const inits = async (args: string[]) => {
      const result = await sb.run(args);
      assert.equal(result.code, 0, result.stderr);
      const line = result.stderr.split("\n").find((l) => l.startsWith("INITS "));
      assert.ok(line, result.stderr);
      return JSON.parse(line.slice("INITS ".length)) as string[];
    };
    const version = await inits(["version"]);
    assert.ok(version.length > 0, "the probe records initialisations");
    assert.deepEqual(version.filter((m) => !graph.has(m)), [], "version ran code off main's graph");
    const validate = await inits(["auth", "validate"]);
    assert.ok(validate.some((m) => m.startsWith("npm/yaml/")), "yaml initialised on demand");
    assert.deepEqual(
      validate.filter((m) => /^npm\/(@smithy|@aws-crypto|fast-xml-parser)\//.test(m)),
      [],
      "AWS signing and XML stay unloaded without a network call",
    );
  } finally {
    await sb.cleanup();
  }
});

Deno.test("the bundle passes the smoke suite from a file (empty DENO_DIR)", async (t) => {
  const file = await bundle();
  await runSmokeSuite(t, atmosCommand(file), await isolatedEnv());
});

Deno.test("the bundle passes the smoke suite from a loopback http URL (empty DENO_DIR)", async (t) => {
  const server = serve(await bundle());
  try {
    await runSmokeSuite(t, atmosCommand(server.url), await isolatedEnv());
    assert.ok(server.requests() >= 1, "the bundle was fetched over http");
  } finally {
    await server.close();
  }
});
