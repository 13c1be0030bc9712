/**
 * Finding workflow manifests and workflows (atmos-workflows-commands.md §1.1): the workflows
 * directory is `workflows.base_path` (or `ATMOS_WORKFLOWS_BASE_PATH`) under the base path; `-f`
 * is a path relative to it (absolute paths as is), `.yaml` added when it has no extension;
 * without `-f` every manifest is searched by workflow name.
 *
 * @module
 */
import { isAbsolute, join, relative } from "../fs/path.ts";
import { AtmosError, ConfigError } from "../errors.ts";
import type { LoadedConfig } from "../config/load.ts";
import type { YamlParseCache } from "../config/yaml.ts";
import { resolveFromBase } from "../config/load.ts";
import { listYamlFiles } from "../config/glob.ts";
import { didYouMean } from "../config/suggest.ts";
import { loadManifest, type Manifest, summarize, workflowNames } from "./manifest.ts";

/** What the workflow layer needs to read files and talk to the user. */
export interface FilesContext {
  env: Record<string, string>;
  cwd: string;
  interactive: boolean;
  pick(message: string, options: string[]): Promise<string>;
  logger: { warn(message: string): void };
  /** Keeps parses of unchanged manifests between runs (`Runtime.parseCache`). */
  parseCache?(): Promise<YamlParseCache>;
}

/** A workflow found in a manifest. */
export interface Found {
  manifest: Manifest;
  name: string;
}

/** The absolute workflows directory, or `undefined` when none is configured. */
export function workflowsDir(
  loaded: LoadedConfig,
  env: Record<string, string>,
): string | undefined {
  const raw = env.ATMOS_WORKFLOWS_BASE_PATH || loaded.config.workflows?.base_path;
  if (typeof raw !== "string" || raw === "") return undefined;
  return resolveFromBase(loaded.config, raw);
}

/** Resolves a `-f` value to an absolute manifest path. */
export function manifestPath(dir: string, file: string): string {
  const withExt = /\.ya?ml$/i.test(file) ? file : `${file}.yaml`;
  return isAbsolute(withExt) ? withExt : join(dir, withExt);
}

/**
 * Loads the manifest named by `-f`.
 *
 * @throws {AtmosError} exit code 2 when the file does not exist.
 */
export async function loadManifestArg(
  ctx: FilesContext,
  loaded: LoadedConfig,
  file: string,
): Promise<Manifest> {
  const dir = workflowsDir(loaded, ctx.env) ?? loaded.basePath;
  const path = manifestPath(dir, file);
  const info = await Deno.stat(path).catch(() => undefined);
  if (!info?.isFile) {
    throw new AtmosError(`workflow file "${file}" not found (looked for ${path})`, {
      exitCode: 2,
      hint: 'run "atmos list workflows" to see the workflow files',
    });
  }
  return await loadManifest(path, relativeName(dir, path), await manifestLoadOptions(ctx));
}

/**
 * Loads every manifest under the workflows directory, sorted by path. Files that are not
 * valid manifests are skipped with a warning.
 *
 * @throws {ConfigError} when no workflows directory is configured.
 */
export async function loadAllManifests(
  ctx: FilesContext,
  loaded: LoadedConfig,
): Promise<Manifest[]> {
  const dir = workflowsDir(loaded, ctx.env);
  if (dir === undefined) {
    throw new ConfigError("workflows.base_path is not configured", {
      hint: "set workflows.base_path in atmos.yaml (e.g. stacks/workflows), or pass --file",
    });
  }
  const out: Manifest[] = [];
  const options = await manifestLoadOptions(ctx);
  for (const file of await listYamlFiles(dir)) {
    try {
      out.push(
        await loadManifest(file, relativeName(dir, file), options),
      );
    } catch (error) {
      if (!(error instanceof ConfigError)) throw error;
      ctx.logger.warn(`skipping ${relativeName(dir, file)}: ${error.message}`);
    }
  }
  return out.sort((a, b) => compare(a.relative, b.relative));
}

/**
 * Finds the workflow `name`: in the `-f` manifest, or by searching every manifest (several
 * matches → a picker on a terminal, else an error listing the files).
 */
export async function findWorkflow(
  ctx: FilesContext,
  loaded: LoadedConfig,
  name: string,
  file?: string,
): Promise<Found> {
  if (file !== undefined) {
    const manifest = await loadManifestArg(ctx, loaded, file);
    if (Object.hasOwn(manifest.workflows, name)) return { manifest, name };
    const names = workflowNames(manifest);
    throw new AtmosError(
      `no workflow "${name}" in ${manifest.relative}${didYouMean(name, names)}`,
      {
        exitCode: 2,
        hint: names.length > 0
          ? `workflows in that file: ${names.join(", ")}`
          : "the file has none",
      },
    );
  }
  const manifests = await loadAllManifests(ctx, loaded);
  const matches = manifests.filter((m) => Object.hasOwn(m.workflows, name));
  if (matches.length === 1) return { manifest: matches[0], name };
  if (matches.length === 0) {
    const all = manifests.flatMap(workflowNames);
    throw new AtmosError(`no workflow named "${name}"${didYouMean(name, all)}`, {
      exitCode: 2,
      hint: 'run "atmos list workflows" to see them all',
    });
  }
  const files = matches.map((m) => m.id);
  if (!ctx.interactive) {
    throw new AtmosError(`workflow "${name}" is defined in several files: ${files.join(", ")}`, {
      exitCode: 2,
      hint: `choose one with --file, e.g. atmos workflow ${name} -f ${files[0]}`,
    });
  }
  const labels = matches.map((m) => {
    const { description } = summarize(m, name);
    return description ? `${m.id} - ${description}` : m.id;
  });
  const picked = await ctx.pick(`Workflow "${name}" is in several files. Choose one:`, labels);
  return { manifest: matches[labels.indexOf(picked)], name };
}

/** Asks for a workflow on a terminal (when no name was given). */
export async function pickWorkflow(ctx: FilesContext, loaded: LoadedConfig): Promise<Found> {
  const manifests = await loadAllManifests(ctx, loaded);
  const choices = manifests.flatMap((manifest) =>
    workflowNames(manifest).map((name) => ({ manifest, name, label: `${name} (${manifest.id})` }))
  );
  if (choices.length === 0) {
    throw new AtmosError("no workflows found", {
      exitCode: 2,
      hint: "add workflow files under workflows.base_path",
    });
  }
  const picked = await ctx.pick("Choose a workflow:", choices.map((c) => c.label));
  return choices.find((c) => c.label === picked)!;
}

function relativeName(dir: string, file: string): string {
  const rel = relative(dir, file);
  return rel.startsWith("..") || isAbsolute(rel) ? file : rel;
}

/** How manifests are loaded for `ctx`: its environment and cwd, through its parse cache. */
export async function manifestLoadOptions(ctx: Pick<FilesContext, "env" | "cwd" | "parseCache">) {
  return {
    env: { get: (name: string) => ctx.env[name] },
    cwd: ctx.cwd,
    cache: await ctx.parseCache?.(),
  };
}

function compare(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}
