/**
 * `deno task compile`: the six targets and their names, the flags baked in (those of the
 * `atmos` task), `DENORT_BIN`, the one-line exit 2 where no denort can be had, and — since
 * a real denort can only be downloaded from Deno's server — either the compiled host binary
 * through the smoke suite (where a denort is at hand) or, announced in the test name, the same
 * entry with the same flags under `deno run`.
 */
import assert from "node:assert/strict";
import { join } from "node:path";
import {
  bakedFlags,
  chooseTargets,
  compileArgs,
  hostTarget,
  parseArgs,
  RUN_ONLY_FLAGS,
  SUMS_FILE,
  TARGETS,
} from "../../scripts/compile.ts";
import { sha256File } from "../../scripts/bundle.ts";
import { denoDir, MAIN, productionFlags, ROOT, runCommand } from "./harness.ts";
import { runSmokeSuite } from "./smoke_support.ts";

const SCRIPT = join(ROOT, "scripts", "compile.ts");
/** A closed loopback port as the proxy: any download attempt fails at once, on this machine. */
const NO_NETWORK = { HTTPS_PROXY: "http://127.0.0.1:9", HTTP_PROXY: "http://127.0.0.1:9" };

/** A real denort for the host: `DENORT_BIN`, or one `deno compile` downloaded earlier. */
function denortAtHand(): string | undefined {
  const given = Deno.env.get("DENORT_BIN");
  if (given) return given;
  const cached = join(
    denoDir(),
    "dl",
    "release",
    `v${Deno.version.deno}`,
    `denort-${Deno.build.target}.zip`,
  );
  try {
    return Deno.statSync(cached).isFile ? cached : undefined;
  } catch {
    return undefined;
  }
}

async function runCompile(args: string[], env: Record<string, string>) {
  const prefix = ["run", "--config", join(ROOT, "deno.json"), "--frozen", "--allow-all", SCRIPT];
  return await runCommand(Deno.execPath(), [...prefix, ...args], {
    env: {
      PATH: Deno.env.get("PATH") ?? "/usr/bin:/bin",
      HOME: Deno.env.get("HOME") ?? "/root",
      DENO_DIR: denoDir(),
      NO_COLOR: "1",
      ...env,
    },
    label: `deno task compile ${args.join(" ")}`,
    timeoutMs: 600_000, // builds several binaries
  });
}

Deno.test("compile targets are the six deno compile targets, named atmos-<os>-<arch>[.exe]", () => {
  assert.deepEqual(TARGETS.map((t) => `${t.triple} ${t.file}`), [
    "x86_64-unknown-linux-gnu atmos-linux-x64",
    "aarch64-unknown-linux-gnu atmos-linux-arm64",
    "x86_64-apple-darwin atmos-macos-x64",
    "aarch64-apple-darwin atmos-macos-arm64",
    "x86_64-pc-windows-msvc atmos-windows-x64.exe",
    "aarch64-pc-windows-msvc atmos-windows-arm64.exe",
  ]);
  assert.equal(chooseTargets([], undefined).length, 6);
  assert.deepEqual(chooseTargets([], "/some/denort"), [hostTarget()]);
  assert.deepEqual(chooseTargets(["aarch64-apple-darwin"], "/x").map((t) => t.file), [
    "atmos-macos-arm64",
  ]);
  assert.throws(() => chooseTargets(["x86_64-unknown-freebsd"], undefined), /unknown target/);
  assert.deepEqual(parseArgs(["--target=a", "--target", "b", "--out-dir", "d"]), {
    targets: ["a", "b"],
    outDir: "d",
  });
  assert.throws(() => parseArgs(["--bogus"]), /unknown argument/);
});

Deno.test("compile bakes exactly the atmos task's permission flags, --no-prompt and worker options included, and not the lazy-import start-up option", () => {
  assert.deepEqual(
    bakedFlags(),
    productionFlags().filter((flag) => flag !== "--unstable-lazy-dynamic-imports"),
  );
  assert.ok(productionFlags().includes("--unstable-lazy-dynamic-imports"));
  assert.deepEqual(RUN_ONLY_FLAGS, ["--unstable-lazy-dynamic-imports"]);
  assert.ok(
    bakedFlags().includes("--no-prompt") && bakedFlags().includes("--unstable-worker-options"),
  );
  const args = compileArgs(TARGETS[3], "/out");
  assert.deepEqual(args.slice(0, 10), [
    "compile",
    "--config",
    join(ROOT, "deno.json"),
    "--frozen",
    "--include",
    "npm:jq-wasm@1.0.1",
    "--target",
    "aarch64-apple-darwin",
    "--output",
    "/out/atmos-macos-arm64",
  ]);
  assert.deepEqual(args.slice(10), [...bakedFlags(), MAIN]);
});

Deno.test("deno task compile with a DENORT_BIN that is not a file says so in one line and exits 2", async () => {
  const out = await Deno.makeTempDir({ prefix: "atmos-compile-" });
  try {
    const result = await runCompile(["--out-dir", out], { DENORT_BIN: join(out, "missing") });
    assert.equal(result.code, 2, result.stderr);
    assert.equal(result.stderr, `compile: DENORT_BIN=${join(out, "missing")} is not a file\n`);
    assert.deepEqual([...Deno.readDirSync(out)], []);
  } finally {
    await Deno.remove(out, { recursive: true });
  }
});

Deno.test("deno task compile honours DENORT_BIN: the host binary and a matching SHA256SUMS (deno itself stands in for denort; not run)", async () => {
  const out = await Deno.makeTempDir({ prefix: "atmos-compile-" });
  try {
    const result = await runCompile(["--out-dir", out], {
      DENORT_BIN: Deno.execPath(),
      ...NO_NETWORK,
    });
    assert.equal(result.code, 0, result.stderr);
    const file = hostTarget().file;
    const names = [...Deno.readDirSync(out)].map((e) => e.name).sort();
    assert.deepEqual(names, [SUMS_FILE, file].sort());
    const sums = await Deno.readTextFile(join(out, SUMS_FILE));
    assert.equal(sums, `${await sha256File(join(out, file))}  ${file}\n`);
    const size = (await Deno.stat(join(out, file))).size;
    assert.ok(size > (await Deno.stat(Deno.execPath())).size, "the program was appended");
    // Modules reached only through import() are embedded too: the auth manager's own error
    // text and the YAML library's LineCounter (both missing if --unstable-lazy-dynamic-imports
    // reached deno compile).
    const binary = new TextDecoder("latin1").decode(await Deno.readFile(join(out, file)));
    assert.ok(binary.includes("produced no credentials"), "lib/auth/manager.ts is embedded");
    assert.ok(binary.includes("class LineCounter"), "the yaml package is embedded");
  } finally {
    await Deno.remove(out, { recursive: true });
  }
});

const denort = denortAtHand();

if (denort) {
  Deno.test("deno task compile builds the host binary, which passes the smoke suite", async (t) => {
    const out = await Deno.makeTempDir({ prefix: "atmos-compile-" });
    try {
      const env: Record<string, string> = denort.endsWith(".zip") ? {} : { DENORT_BIN: denort };
      const result = await runCompile(["--out-dir", out, "--target", hostTarget().triple], env);
      assert.equal(result.code, 0, result.stderr);
      await runSmokeSuite(t, [join(out, hostTarget().file)]);
    } finally {
      await Deno.remove(out, { recursive: true });
    }
  });
} else {
  Deno.test("compile unavailable here: proving main.ts under deno run with the compile flags", async (t) => {
    await t.step(
      "deno task compile says in one line that no denort can be had, exits 2",
      async () => {
        const out = await Deno.makeTempDir({ prefix: "atmos-compile-" });
        try {
          const result = await runCompile(["--out-dir", out], NO_NETWORK);
          assert.equal(result.code, 2, result.stderr);
          const first = TARGETS[0].triple;
          const line =
            `compile: denort for ${first} (Deno ${Deno.version.deno}) cannot be downloaded here`;
          assert.ok(result.stderr.startsWith(`${line}; set DENORT_BIN `), result.stderr);
          assert.equal(result.stderr.split("\n").length, 2, "one line");
          assert.ok(!Deno.readDirSync(out).some((e) => e.name === SUMS_FILE), "no SHA256SUMS");
        } finally {
          await Deno.remove(out, { recursive: true });
        }
      },
    );
    const argv = compileArgs(hostTarget(), "/unused");
    const flags = argv.slice(argv.indexOf("--output") + 2, -1);
    await runSmokeSuite(t, [Deno.execPath(), "run", ...flags, argv[argv.length - 1]]);
  });
}
