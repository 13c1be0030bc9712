/**
 * `atmos.yaml` discovery, layering and base-path resolution
 * (atmos-workflows-commands.md §5.1, §5.2, §5.5).
 *
 * Sources, lowest to highest: `~/.atmos/atmos.yaml`, then one of the nearest `atmos.yaml`
 * from the cwd upwards or `ATMOS_CLI_CONFIG_PATH`; `--config`/`--config-path` replace all of
 * them. Within one file: `.atmos.d/` and `atmos.d/` fragments, then `import:` entries, then the
 * file itself on top.
 *
 * @module
 */

import { dirname, isAbsolute, join, resolve } from "../fs/path.ts";
import { ConfigError, describeSystemError, type SourceLocation } from "../errors.ts";
import { isRecord, mergeConfig } from "./merge.ts";
import type { AtmosConfig } from "./types.ts";
import {
  displayPath,
  type EnvGetter,
  loadYamlFile,
  type YamlFile,
  type YamlParseCache,
} from "./yaml.ts";

/** Options for {@linkcode loadConfig}. */
export interface LoadConfigOptions {
  /** Working directory: discovery starts here and relative paths resolve from it. */
  cwd: string;
  /** Environment (`HOME`, `ATMOS_CLI_CONFIG_PATH`, `ATMOS_BASE_PATH`, `!env` values). */
  env: EnvGetter;
  /** `--config` files (repeatable); with `configPaths`, replaces discovery entirely. */
  configFiles?: string[];
  /** `--config-path` directories (repeatable), merged after `configFiles`. */
  configPaths?: string[];
  /** Keeps parses of unchanged files between runs (none by default). */
  cache?: YamlParseCache;
}

/** The merged configuration and where each part came from. */
export interface LoadedConfig {
  /** The merged config; `base_path_abs` is always set. */
  config: AtmosConfig;
  /** Absolute paths of the loaded files, in merge order (lowest first). */
  files: string[];
  /** Directory of the highest-priority config source (the main `atmos.yaml`'s directory). */
  configDir?: string;
  /** The resolved absolute base path (same as `config.base_path_abs`). */
  basePath: string;
  /** Source position of a config path, taken from the file that defined it last. */
  locate(path: readonly (string | number)[]): SourceLocation | undefined;
  /**
   * The loaded files, lowest priority first, for locating entries whose position in the
   * merged config differs from their file (e.g. `commands` merged by name).
   */
  layers: readonly YamlFile[];
}

/** File names recognised as a main config file, in order of preference. */
export const CONFIG_FILE_NAMES = ["atmos.yaml", "atmos.yml", ".atmos.yaml"];

const FRAGMENT_DIRS = [".atmos.d", "atmos.d"];

/** One discovered source: a main config file and/or a directory with fragments. */
interface Source {
  dir: string;
  file?: string;
}

interface Layer {
  yaml: YamlFile;
  /** Directory of the main config file this layer belongs to (for `base_path`). */
  rootDir: string;
}

/** Discovers, loads and merges the configuration. Throws {@linkcode ConfigError} on bad input. */
export async function loadConfig(options: LoadConfigOptions): Promise<LoadedConfig> {
  const cwd = resolve(options.cwd);
  const opts = { ...options, cwd };
  const sources = discoverSources(opts);
  const layers: Layer[] = [];
  const seen = new Set<string>();
  for (const source of sources) await loadSource(source, opts, layers, seen);

  let merged: unknown = {};
  for (const layer of layers) merged = mergeConfig(merged, layer.yaml.value ?? {});
  const config = merged as AtmosConfig;
  const configDir = sources.at(-1)?.dir;
  const basePath = resolveBasePath(config, layers, opts, configDir);
  config.base_path_abs = basePath;

  return {
    config,
    files: layers.map((layer) => layer.yaml.file),
    configDir,
    basePath,
    locate(path) {
      return locateInLayers(layers, path);
    },
    layers: layers.map((layer) => layer.yaml),
  };
}

/** Resolves `value` against the config's absolute base path (absolute values are kept). */
export function resolveFromBase(config: AtmosConfig, value: string): string {
  return isAbsolute(value) ? value : resolve(config.base_path_abs ?? ".", value);
}

function discoverSources(options: LoadConfigOptions): Source[] {
  const { cwd, env } = options;
  if ((options.configFiles?.length ?? 0) > 0 || (options.configPaths?.length ?? 0) > 0) {
    return explicitSources(options);
  }
  const sources: Source[] = [];
  const home = env.get("HOME");
  // One stat for the directory most users do not have, instead of one per file name.
  const homeDir = home ? join(home, ".atmos") : undefined;
  const homeFile = homeDir && statOrUndefined(homeDir)?.isDirectory
    ? configFileIn(homeDir)
    : undefined;
  if (homeFile) sources.push({ dir: dirname(homeFile), file: homeFile });

  const main = mainSource(cwd, env);
  if (main && (main.file === undefined || main.file !== homeFile)) sources.push(main);
  return sources;
}

function mainSource(cwd: string, env: EnvGetter): Source | undefined {
  const fromEnv = env.get("ATMOS_CLI_CONFIG_PATH");
  if (fromEnv) {
    const target = resolve(cwd, fromEnv);
    const info = statOrUndefined(target);
    if (info?.isFile) return { dir: dirname(target), file: target };
    const found = info?.isDirectory ? localSource(target) : undefined;
    if (found) return found;
    throw new ConfigError(`ATMOS_CLI_CONFIG_PATH "${fromEnv}" has no atmos.yaml`, {
      hint: "point it at a directory holding atmos.yaml (or at the file), or unset it",
    });
  }
  for (let dir = cwd;; dir = dirname(dir)) {
    const found = localSource(dir);
    if (found) return found;
    if (dirname(dir) === dir) return undefined;
  }
}

/** A directory's own config: its atmos.yaml, or just `.atmos.d`/`atmos.d` fragments. */
function localSource(dir: string): Source | undefined {
  const file = configFileIn(dir);
  if (file) return { dir, file };
  for (const name of FRAGMENT_DIRS) {
    if (statOrUndefined(join(dir, name))?.isDirectory) return { dir };
  }
  return undefined;
}

function explicitSources(options: LoadConfigOptions): Source[] {
  const sources: Source[] = [];
  for (const given of options.configFiles ?? []) {
    const file = resolve(options.cwd, given);
    const info = statOrUndefined(file);
    if (info?.isDirectory) {
      sources.push(sourceInDir(file, given, "--config"));
    } else if (info?.isFile) {
      sources.push({ dir: dirname(file), file });
    } else {
      throw new ConfigError(`config file "${given}" not found`, {
        hint: "check the --config path; relative paths resolve from the current directory",
      });
    }
  }
  for (const given of options.configPaths ?? []) {
    sources.push(sourceInDir(resolve(options.cwd, given), given, "--config-path"));
  }
  return sources;
}

function sourceInDir(dir: string, given: string, flag: string): Source {
  const file = configFileIn(dir);
  if (file) return { dir, file };
  throw new ConfigError(`${flag} "${given}" has no atmos.yaml`, {
    hint: `expected one of ${CONFIG_FILE_NAMES.join(", ")} in that directory`,
  });
}

function configFileIn(dir: string): string | undefined {
  for (const name of CONFIG_FILE_NAMES) {
    const path = join(dir, name);
    if (statOrUndefined(path)?.isFile) return path;
  }
  return undefined;
}

async function loadSource(
  source: Source,
  options: LoadConfigOptions,
  layers: Layer[],
  seen: Set<string>,
): Promise<void> {
  for (const name of FRAGMENT_DIRS) {
    const dir = join(source.dir, name);
    if (!statOrUndefined(dir)?.isDirectory) continue;
    const { listYamlFiles } = await import("./glob.ts");
    for (const file of await listYamlFiles(dir)) {
      await loadWithImports(file, source.dir, options, layers, seen);
    }
  }
  if (source.file) await loadWithImports(source.file, source.dir, options, layers, seen);
}

async function loadWithImports(
  file: string,
  rootDir: string,
  options: LoadConfigOptions,
  layers: Layer[],
  seen: Set<string>,
): Promise<void> {
  if (seen.has(file)) return;
  seen.add(file);
  const yaml = await loadYamlFile(file, options);
  if (yaml.value !== null && !isRecord(yaml.value)) {
    throw new ConfigError("the top level of a config file must be a map", {
      location: yaml.locate([]) ?? { file: displayPath(file, options.cwd) },
    });
  }
  const imports = importList(yaml);
  for (let i = 0; i < imports.length; i++) {
    for (const imported of await resolveImport(yaml, imports[i], i)) {
      await loadWithImports(imported, rootDir, options, layers, seen);
    }
  }
  layers.push({ yaml, rootDir });
}

function importList(yaml: YamlFile): string[] {
  const raw = isRecord(yaml.value) ? yaml.value.import : undefined;
  if (raw === undefined || raw === null) return [];
  const list = Array.isArray(raw) ? raw : [raw];
  list.forEach((entry, i) => {
    if (typeof entry !== "string" || entry.trim() === "") {
      throw new ConfigError("import entries must be non-empty strings", {
        location: {
          file: yaml.file,
          ...yaml.locate(Array.isArray(raw) ? ["import", i] : ["import"]),
          path: Array.isArray(raw) ? `import.${i}` : "import",
        },
      });
    }
  });
  return list as string[];
}

async function resolveImport(yaml: YamlFile, entry: string, index: number): Promise<string[]> {
  const location = yaml.locate(["import", index]) ?? yaml.locate(["import"]);
  if (/^[a-z][a-z0-9+.-]*:\/\//i.test(entry) || entry.startsWith("git::")) {
    throw new ConfigError(`remote import "${entry}" is not supported`, {
      hint: "download the file and import it by a local path",
      location,
    });
  }
  const dir = dirname(yaml.file);
  // Globbing loads only for configurations that import (most have no `import:`).
  const { globFiles, isGlob } = await import("./glob.ts");
  if (isGlob(entry)) {
    let files: string[];
    try {
      files = await globFiles(dir, entry);
    } catch (error) {
      if (error instanceof ConfigError) throw error;
      const why = describeSystemError(error as Error) ?? errorText(error);
      throw new ConfigError(`import "${entry}" cannot be expanded: ${why}`, {
        hint: "import files by a path or a glob below the project",
        location,
        cause: error,
      });
    }
    const found = files.filter((file) => /\.ya?ml$/i.test(file));
    if (found.length === 0) {
      throw new ConfigError(`import "${entry}" matches no YAML files`, { location });
    }
    return found;
  }
  const base = resolve(dir, entry);
  for (const candidate of [base, `${base}.yaml`, `${base}.yml`]) {
    if (statOrUndefined(candidate)?.isFile) return [candidate];
  }
  throw new ConfigError(`import "${entry}" not found`, {
    hint: "import paths are relative to the importing file",
    location,
  });
}

function locateInLayers(
  layers: Layer[],
  path: readonly (string | number)[],
): SourceLocation | undefined {
  for (let length = path.length; length >= 0; length--) {
    const prefix = path.slice(0, length);
    for (let i = layers.length - 1; i >= 0; i--) {
      if (hasPath(layers[i].yaml.value, prefix)) return layers[i].yaml.locate(path);
    }
  }
  return undefined;
}

function hasPath(value: unknown, path: readonly (string | number)[]): boolean {
  let node = value;
  for (const segment of path) {
    if (Array.isArray(node)) {
      const index = Number(segment);
      if (!Number.isInteger(index) || index < 0 || index >= node.length) return false;
      node = node[index];
    } else if (isRecord(node) && Object.hasOwn(node, String(segment))) {
      node = node[String(segment)];
    } else {
      return false;
    }
  }
  return node !== undefined && (path.length === 0 || node !== null);
}

/** §5.5: where `base_path` points, as an absolute path. */
function resolveBasePath(
  config: AtmosConfig,
  layers: Layer[],
  options: LoadConfigOptions,
  configDir: string | undefined,
): string {
  const { cwd, env } = options;
  const gitRoot = env.get("ATMOS_GIT_ROOT_BASEPATH") === "false" ? undefined : findGitRoot(cwd);

  const fromEnv = env.get("ATMOS_BASE_PATH");
  if (fromEnv) {
    config.base_path = fromEnv;
    if (isAbsolute(fromEnv) || isDotRelative(fromEnv)) return resolve(cwd, fromEnv);
    return firstExisting([cwd, configDir], fromEnv) ?? resolve(cwd, fromEnv);
  }

  const raw = config.base_path;
  if (raw !== undefined && raw !== null && typeof raw !== "string") {
    throw new ConfigError("base_path must be a string", {
      location: { file: "atmos.yaml", ...locateInLayers(layers, ["base_path"]), path: "base_path" },
    });
  }
  if (!raw) return gitRoot ?? configDir ?? cwd;
  if (isAbsolute(raw)) return resolve(raw);
  const definedDir = definingLayer(layers, "base_path")?.rootDir ?? configDir ?? cwd;
  if (isDotRelative(raw)) return resolve(definedDir, raw);
  if (gitRoot) return firstExisting([gitRoot, cwd], raw) ?? resolve(gitRoot, raw);
  return firstExisting([definedDir, cwd], raw) ?? resolve(definedDir, raw);
}

function isDotRelative(value: string): boolean {
  return value === "." || value === ".." || /^\.\.?[\\/]/.test(value);
}

function definingLayer(layers: Layer[], key: string): Layer | undefined {
  for (let i = layers.length - 1; i >= 0; i--) {
    const value = layers[i].yaml.value;
    if (isRecord(value) && value[key] !== undefined && value[key] !== null) return layers[i];
  }
  return undefined;
}

function firstExisting(
  dirs: (string | undefined)[],
  value: string,
): string | undefined {
  for (const dir of dirs) {
    if (dir === undefined) continue;
    const candidate = resolve(dir, value);
    if (statOrUndefined(candidate)) return candidate;
  }
  return undefined;
}

function findGitRoot(start: string): string | undefined {
  for (let dir = start;; dir = dirname(dir)) {
    if (statOrUndefined(join(dir, ".git"))) return dir;
    if (dirname(dir) === dir) return undefined;
  }
}

/**
 * `Deno.statSync`, not `Deno.stat`: discovery makes a dozen of these, mostly misses, on every
 * run, and the async op costs ~0.2 ms each against ~0.03 ms.
 */
function statOrUndefined(path: string): Deno.FileInfo | undefined {
  try {
    return Deno.statSync(path);
  } catch (error) {
    if (error instanceof Deno.errors.NotFound || error instanceof Deno.errors.NotADirectory) {
      return undefined;
    }
    // A symlink loop, a permission problem: a broken config path, said in one line.
    throw new ConfigError(describeSystemError(error as Error) ?? errorText(error), {
      cause: error,
    });
  }
}

function errorText(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}
