/**
 * Reading stack manifests, each parsed once per run: a cache keyed by file and template
 * context. `.yaml.tmpl`/`.yml.tmpl` files and files imported with a `context` are rendered as
 * templates before parsing (reference atmos-workflows-commands.md §4.3 steps 1–2).
 *
 * @module
 */
import { relative } from "../fs/path.ts";
import { ConfigError } from "../errors.ts";
import { displayPath, type EnvGetter } from "../config/yaml.ts";
import { type ParsedYaml, parseStackYaml } from "./yaml.ts";
import { renderTemplate } from "./template.ts";

/** One parsed manifest. */
export interface StackFile extends ParsedYaml {
  /** Absolute path. */
  path: string;
  /** Path relative to the stacks directory without the extension, e.g. `catalog/vpc`. */
  name: string;
  /** As shown in errors (relative to the working directory when inside it). */
  shown: string;
}

/** Options of the file cache. */
export interface FileCacheOptions {
  stacksDir: string;
  basePath: string;
  cwd: string;
  /** For the `env` template function. */
  env?: EnvGetter;
}

/** Extensions of stack manifests, in lookup order. */
export const MANIFEST_EXTENSIONS = [".yaml", ".yml", ".yaml.tmpl", ".yml.tmpl"];

/** Parses manifests on demand and keeps them for the rest of the run. */
export class StackFileCache {
  readonly #options: FileCacheOptions;
  readonly #files = new Map<string, Promise<StackFile>>();
  readonly #texts = new Map<string, Promise<string>>();

  constructor(options: FileCacheOptions) {
    this.#options = options;
  }

  /**
   * The manifest at `path`, rendered with `context` when it is a template or a context is
   * given (`ignoreMissing`: missing template values render as `<no value>`).
   */
  load(
    path: string,
    context?: Record<string, unknown>,
    options: { ignoreMissing?: boolean; skipTemplates?: boolean } = {},
  ): Promise<StackFile> {
    const hasContext = context !== undefined && Object.keys(context).length > 0;
    const key = hasContext || options.ignoreMissing || options.skipTemplates
      ? `${path}\0${
        JSON.stringify(context ?? {})
      }\0${options.ignoreMissing}\0${options.skipTemplates}`
      : path;
    let found = this.#files.get(key);
    if (!found) {
      found = this.#parse(path, hasContext ? context : undefined, options);
      this.#files.set(key, found);
    }
    return found;
  }

  /** Starts reading files (not parsing them) so later loads do not wait on the disk. */
  prefetch(paths: Iterable<string>): void {
    for (const path of paths) {
      this.#read(path, displayPath(path, this.#options.cwd)).catch(() => undefined);
    }
  }

  /** The manifest's name: its path relative to the stacks directory, without extension. */
  nameOf(path: string): string {
    const rel = relative(this.#options.stacksDir, path).split("\\").join("/");
    for (const ext of [".yaml.tmpl", ".yml.tmpl", ".yaml", ".yml"]) {
      if (rel.endsWith(ext)) return rel.slice(0, -ext.length);
    }
    return rel;
  }

  async #parse(
    path: string,
    context: Record<string, unknown> | undefined,
    options: { ignoreMissing?: boolean; skipTemplates?: boolean },
  ): Promise<StackFile> {
    const shown = displayPath(path, this.#options.cwd);
    let text = await this.#read(path, shown);
    const isTemplate = path.endsWith(".tmpl");
    if (!options.skipTemplates && (isTemplate || context) && text.includes("{{")) {
      text = renderTemplate(text, context ?? {}, {
        name: shown,
        missingKey: options.ignoreMissing ? "default" : "error",
        env: this.#options.env,
        location: { file: shown },
      });
    }
    const parsed = await parseStackYaml(text, {
      file: path,
      shown,
      basePath: this.#options.basePath,
    });
    return { ...parsed, path, name: this.nameOf(path), shown };
  }

  #read(path: string, shown: string): Promise<string> {
    let text = this.#texts.get(path);
    if (!text) {
      text = Deno.readTextFile(path).catch((error) => {
        const why = error instanceof Deno.errors.NotFound ? "file not found" : String(error);
        throw new ConfigError(`cannot read stack manifest "${shown}": ${why}`, { cause: error });
      });
      this.#texts.set(path, text);
    }
    return text;
  }
}
