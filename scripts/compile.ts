/**
 * `deno task compile`: standalone `atmos` binaries (no Deno needed to run them) for every
 * `deno compile` target, named `dist/atmos-<os>-<arch>[.exe]`, plus `dist/SHA256SUMS` in the
 * format of `sha256sum` (what `scripts/install.sh` verifies).
 *
 * Each binary bakes in exactly the permission flags of the `atmos` task in deno.json (read from
 * there, the one source of truth; they include `--no-prompt --unstable-worker-options`), but not
 * its start-up option `--unstable-lazy-dynamic-imports` (see {@linkcode RUN_ONLY_FLAGS}). The
 * write sandbox is narrowed at run time (see lib/fs/writer.ts), so the baked `--allow-write`
 * is global on purpose: a compiled binary cannot know `$HOME`.
 *
 * `deno compile` appends the program to `denort`, Deno's runtime-only binary, which it
 * downloads per target from Deno's download server (cached in `DENO_DIR` afterwards).
 * `DENORT_BIN=<path>` uses that file instead of downloading; it is one platform's denort, so
 * it builds only the host target unless `--target` names another. Where no denort can be had,
 * the script prints one line and exits 2 without building anything further.
 *
 * Usage: `deno task compile [--target <deno target>]… [--out-dir <dir>]` (default: all six
 * targets into `dist/`).
 *
 * @module
 */
import { join, relative } from "node:path";
import { productionFlags, ROOT } from "../tests/e2e/harness.ts";
import { sha256File } from "./bundle.ts";

/** A `deno compile --target` value and the name of the binary built for it. */
export interface Target {
  /** Rust target triple, as `deno compile --target` takes it. */
  triple: string;
  /** `atmos-<os>-<arch>[.exe]`. */
  file: string;
}

/** Every target `deno compile` 2.9 supports, with its binary name. */
export const TARGETS: readonly Target[] = [
  { triple: "x86_64-unknown-linux-gnu", file: "atmos-linux-x64" },
  { triple: "aarch64-unknown-linux-gnu", file: "atmos-linux-arm64" },
  { triple: "x86_64-apple-darwin", file: "atmos-macos-x64" },
  { triple: "aarch64-apple-darwin", file: "atmos-macos-arm64" },
  { triple: "x86_64-pc-windows-msvc", file: "atmos-windows-x64.exe" },
  { triple: "aarch64-pc-windows-msvc", file: "atmos-windows-arm64.exe" },
];

/** The checksum file written next to the binaries. */
export const SUMS_FILE = "SHA256SUMS";

/** Exit code when no denort can be had (nothing wrong with atmos; nothing built). */
export const NO_DENORT_EXIT = 2;

/** A failure with one line for the user and an exit code. */
class CompileFailed extends Error {
  constructor(message: string, readonly exitCode = 1) {
    super(message);
  }
}

/**
 * A `deno run` start-up option of the `atmos` task that must not reach `deno compile`: there it
 * makes the module graph skip every dynamically imported module, so the binary would lack the
 * auth manager, the YAML library and each command (checked: the strings of those modules are
 * absent from such a binary). A binary's modules are embedded, so it has nothing to gain.
 */
export const RUN_ONLY_FLAGS: readonly string[] = ["--unstable-lazy-dynamic-imports"];

/**
 * The permission flags baked into every binary: those of the `atmos` task in deno.json
 * (`--no-prompt` and `--unstable-worker-options` included), without {@linkcode RUN_ONLY_FLAGS}.
 */
export function bakedFlags(): string[] {
  return productionFlags().filter((flag) => !RUN_ONLY_FLAGS.includes(flag));
}

/** The `deno compile` arguments for one target. */
export function compileArgs(target: Target, outDir: string): string[] {
  return [
    "compile",
    "--config",
    join(ROOT, "deno.json"),
    "--frozen",
    ...COMPILE_INCLUDES.flatMap((spec) => ["--include", spec]),
    "--target",
    target.triple,
    "--output",
    join(outDir, target.file),
    ...bakedFlags(),
    join(ROOT, "main.ts"),
  ];
}

/**
 * npm packages that are imported through a URL resolved at run time (so that `deno bundle`
 * leaves them out), which `deno compile` cannot see in the module graph: jq-wasm
 * (`lib/config/query.ts`).
 */
export const COMPILE_INCLUDES: readonly string[] = ["npm:jq-wasm@1.0.1"];

/** The target `deno compile` builds for this machine. */
export function hostTarget(): Target {
  const found = TARGETS.find((t) => t.triple === Deno.build.target);
  if (!found) throw new CompileFailed(`no atmos binary name for this host (${Deno.build.target})`);
  return found;
}

/** Chooses the targets: `--target` values, else the host with `DENORT_BIN`, else all. */
export function chooseTargets(requested: string[], denortBin: string | undefined): Target[] {
  if (requested.length === 0) return denortBin ? [hostTarget()] : [...TARGETS];
  return requested.map((triple) => {
    const found = TARGETS.find((t) => t.triple === triple);
    if (!found) {
      throw new CompileFailed(
        `unknown target "${triple}"; one of: ${TARGETS.map((t) => t.triple).join(", ")}`,
        2,
      );
    }
    return found;
  });
}

/** True when `deno compile`'s failure is about getting the denort base binary. */
export function isDenortFailure(stderr: string): boolean {
  return /Setting up base binary|denort/i.test(stderr);
}

async function compileOne(target: Target, outDir: string, denortBin?: string): Promise<void> {
  const out = await new Deno.Command(Deno.execPath(), {
    args: compileArgs(target, outDir),
    cwd: ROOT,
    env: { NO_COLOR: "1" },
    stdout: "piped",
    stderr: "piped",
  }).output();
  if (out.success) return;
  const stderr = new TextDecoder().decode(out.stderr);
  if (isDenortFailure(stderr)) {
    const how = denortBin
      ? `DENORT_BIN=${denortBin} is not a usable denort for ${target.triple}`
      : `denort for ${target.triple} (Deno ${Deno.version.deno}) cannot be downloaded here`;
    throw new CompileFailed(
      `compile: ${how}; set DENORT_BIN to a denort ${Deno.version.deno} binary (with --target) or build where Deno's download server is reachable; nothing was built for it`,
      NO_DENORT_EXIT,
    );
  }
  const lines = stderr.trim().split("\n").filter((l) => l.trim() !== "");
  throw new CompileFailed(`compile ${target.triple}: ${lines[lines.length - 1] ?? "failed"}`);
}

/** Writes `SHA256SUMS` for the built files (sorted by name), `sha256sum -c` compatible. */
export async function writeSums(outDir: string, files: string[]): Promise<string> {
  const lines = [];
  for (const file of [...files].sort()) {
    lines.push(`${await sha256File(join(outDir, file))}  ${file}`);
  }
  const path = join(outDir, SUMS_FILE);
  await Deno.writeTextFile(path, `${lines.join("\n")}\n`);
  return path;
}

/** `--target` (repeatable) and `--out-dir` from the command line. */
export function parseArgs(args: string[]): { targets: string[]; outDir?: string } {
  const out: { targets: string[]; outDir?: string } = { targets: [] };
  for (let i = 0; i < args.length; i++) {
    const [name, inline] = args[i].startsWith("--") && args[i].includes("=")
      ? [args[i].slice(0, args[i].indexOf("=")), args[i].slice(args[i].indexOf("=") + 1)]
      : [args[i], undefined];
    if (name !== "--target" && name !== "--out-dir") {
      throw new CompileFailed(`compile: unknown argument "${args[i]}"`, 2);
    }
    const value = inline ?? args[++i];
    if (!value) throw new CompileFailed(`compile: ${name} needs a value`, 2);
    if (name === "--target") out.targets.push(value);
    else out.outDir = value;
  }
  return out;
}

async function main(): Promise<number> {
  try {
    const denortBin = Deno.env.get("DENORT_BIN") || undefined;
    if (denortBin) {
      const info = await Deno.stat(denortBin).catch(() => undefined);
      if (!info?.isFile) {
        throw new CompileFailed(`compile: DENORT_BIN=${denortBin} is not a file`, 2);
      }
    }
    const args = parseArgs(Deno.args);
    const targets = chooseTargets(args.targets, denortBin);
    const outDir = args.outDir ?? join(ROOT, "dist");
    await Deno.mkdir(outDir, { recursive: true });
    const built: string[] = [];
    for (const target of targets) {
      await compileOne(target, outDir, denortBin);
      built.push(target.file);
      console.log(`built ${relative(Deno.cwd(), join(outDir, target.file))}`);
    }
    const sums = await writeSums(outDir, built);
    console.log(`wrote ${relative(Deno.cwd(), sums)}`);
    return 0;
  } catch (error) {
    if (error instanceof CompileFailed) {
      console.error(error.message);
      return error.exitCode;
    }
    console.error(`compile: ${error instanceof Error ? error.message : String(error)}`);
    return 1;
  }
}

if (import.meta.main) Deno.exit(await main());
