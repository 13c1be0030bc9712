/**
 * How to start this same atmos again (for `type: atmos` steps and `ATMOS_CLI_PATH`).
 *
 * A compiled binary is just `Deno.execPath()`. Under `deno run`, the executable is Deno
 * itself, so the command line is rebuilt: `deno run --config <deno.json> --frozen
 * <production flags> <main module>`, with the flags of the `atmos` task in deno.json
 * ({@linkcode PRODUCTION_FLAGS}; a test keeps the two identical).
 *
 * @module
 */

/** The permission flags atmos runs with: the same words as the `atmos` task in deno.json. */
export const PRODUCTION_FLAGS: readonly string[] = [
  "--v8-flags=--min-semi-space-size=4",
  "--unstable-worker-options",
  "--unstable-lazy-dynamic-imports",
  "--no-prompt",
  "--allow-read",
  "--allow-write",
  "--allow-env",
  "--allow-net",
  "--allow-run",
  "--allow-sys",
];

/** Facts about the running process that decide the command line. */
export interface SelfFacts {
  /** `Deno.execPath()`. */
  execPath: string;
  /** `Deno.mainModule`. */
  mainModule: string;
  /** Whether a file exists (used for the `deno.json` beside the main module). */
  exists(path: string): boolean;
}

/** True when `execPath` is the Deno CLI itself rather than a compiled atmos binary. */
export function isDenoRuntime(execPath: string): boolean {
  const name = execPath.slice(execPath.lastIndexOf("/") + 1).toLowerCase();
  return name === "deno" || name === "deno.exe";
}

/** The argv that re-invokes this atmos (arguments are appended by the caller). */
export function selfCommand(facts: SelfFacts = currentFacts()): string[] {
  if (!isDenoRuntime(facts.execPath)) return [facts.execPath];
  const main = filePath(facts.mainModule);
  const config = main.slice(0, main.lastIndexOf("/") + 1) + "deno.json";
  const configFlags = facts.exists(config) ? ["--config", config, "--frozen"] : [];
  return [facts.execPath, "run", ...configFlags, ...PRODUCTION_FLAGS, main];
}

/**
 * The value for `ATMOS_CLI_PATH`: the compiled binary, or `scripts/atmos` beside the main
 * module under `deno run` (the wrapper that runs the same thing), else `undefined`.
 */
export function selfPath(facts: SelfFacts = currentFacts()): string | undefined {
  if (!isDenoRuntime(facts.execPath)) return facts.execPath;
  const main = filePath(facts.mainModule);
  const script = main.slice(0, main.lastIndexOf("/") + 1) + "scripts/atmos";
  return facts.exists(script) ? script : undefined;
}

/**
 * The `--config`/`--config-path` arguments that make a nested atmos read the same
 * configuration as this one (made absolute: the child may run in another directory).
 */
export function configArgs(
  options: { configFiles: readonly string[]; configPaths: readonly string[]; cwd: string },
): string[] {
  const absolute = (path: string) =>
    path.startsWith("/") ? path : `${options.cwd.replace(/\/$/, "")}/${path}`;
  return [
    ...options.configFiles.flatMap((file) => ["--config", absolute(file)]),
    ...options.configPaths.flatMap((dir) => ["--config-path", absolute(dir)]),
  ];
}

/**
 * The argv that runs this same atmos with the same configuration: `host.selfCommand()` and
 * {@linkcode configArgs} (a nested step, a background renewal, a `credential_process` line).
 */
export function atmosCommandOf(
  host: {
    selfCommand(): string[];
    configFiles: readonly string[];
    configPaths: readonly string[];
    cwd: string;
  },
): string[] {
  return [...host.selfCommand(), ...configArgs(host)];
}

/**
 * `env` plus `ATMOS_CLI_PATH` (when known); for a compiled binary its directory also goes
 * first on `PATH`, so a bare `atmos` in a shell step runs this same atmos.
 */
export function selfEnvironment(
  env: Record<string, string>,
  facts: SelfFacts = currentFacts(),
): Record<string, string> {
  const path = selfPath(facts);
  if (path === undefined) return { ...env };
  const out: Record<string, string> = { ...env, ATMOS_CLI_PATH: path };
  if (!isDenoRuntime(facts.execPath)) {
    const dir = path.slice(0, path.lastIndexOf("/")) || "/";
    out.PATH = env.PATH ? `${dir}:${env.PATH}` : dir;
  }
  return out;
}

function currentFacts(): SelfFacts {
  return {
    execPath: Deno.execPath(),
    mainModule: Deno.mainModule,
    exists(path) {
      try {
        return Deno.statSync(path).isFile;
      } catch {
        return false;
      }
    },
  };
}

function filePath(url: string): string {
  return url.startsWith("file://") ? decodeURIComponent(new URL(url).pathname) : url;
}
