/**
 * `import:` processing for one manifest (reference atmos-workflows-commands.md §4.3 step 3):
 * entries are strings or `{path, context, skip_templates_processing,
 * ignore_missing_template_values, skip_if_missing}`; paths are relative to the stacks
 * directory (`./`, `../`: to the importing file), may omit the extension (`.yaml`, `.yml`,
 * `.yaml.tmpl`, `.yml.tmpl` are tried; a `.tmpl` twin of `x.yaml` wins) and may be globs.
 * Imports are processed depth-first; the importing file's own content comes last (it wins).
 *
 * `overrides` are file-scoped (step 6): a file's `overrides` and `<type>.overrides` apply to
 * the components defined in that file and, passed down, in the files it imports (the importing
 * file's value wins); an imported file's overrides also reach the importer's own components.
 * They are stamped into each component as its `overrides` section.
 *
 * The result is a list of layers (one per file occurrence) whose deep merge is the manifest's
 * configuration; results are cached per (file, context, inherited overrides).
 *
 * @module
 */
import { dirname, extname, resolve } from "../fs/path.ts";
import { ConfigError } from "../errors.ts";
import { isGlob } from "../config/glob.ts";
import type { StackTree } from "./discover.ts";
import type { StackFile, StackFileCache } from "./files.ts";
import { isSection, mergeAll, type Section, sectionAt } from "./merge.ts";
import { COMPONENT_TYPES, type ComponentType, type StackSettings } from "./settings.ts";
import { renderTemplate } from "./template.ts";

/** One file occurrence in a manifest's merge order. */
export interface Layer {
  file: StackFile;
  /** The file's content with the overrides that apply to its components stamped in. */
  value: Section;
  /** True for the top-level manifest itself, false for imported files. */
  inline: boolean;
}

/** Overrides per component type. */
export type TypedOverrides = Record<ComponentType, Section>;

/** What processing a file (and, recursively, its imports) gives. */
export interface ImportsResult {
  /** Lowest first: imports depth-first, then the file itself. */
  layers: Layer[];
  /** Names of every file imported directly or indirectly, in first-seen order. */
  imports: string[];
  /** The deep merge of `layers` (computed from the children's merges, which are shared). */
  merged: Section;
  overridesInline: TypedOverrides;
  overridesImports: TypedOverrides;
}

/** Inherited processing state. */
export interface ImportState {
  context?: Section;
  parentInline: TypedOverrides;
  /** Files being processed, outermost first (cycle detection). */
  chain: string[];
  ignoreMissing?: boolean;
  skipTemplates?: boolean;
}

interface ImportEntry {
  path: string;
  index: number;
  context?: Section;
  skipTemplates?: boolean;
  ignoreMissing?: boolean;
  skipIfMissing?: boolean;
}

/** Empty overrides for every type. */
export function noOverrides(): TypedOverrides {
  return { terraform: {}, helmfile: {}, packer: {} };
}

/** Resolves and merges imports, caching per file and inherited state. */
export class ImportProcessor {
  readonly #files: StackFileCache;
  readonly #settings: StackSettings;
  readonly #tree: StackTree;
  readonly #cache = new Map<string, Promise<ImportsResult>>();
  readonly #resolved = new Map<string, Promise<string[]>>();

  constructor(files: StackFileCache, settings: StackSettings, tree: StackTree) {
    this.#files = files;
    this.#settings = settings;
    this.#tree = tree;
  }

  /** Processes `path` and everything it imports. */
  process(path: string, state: ImportState): Promise<ImportsResult> {
    if (state.chain.includes(path)) {
      // Reported by the importer, which knows the line; this is a safety net.
      throw new ConfigError(`import cycle through "${this.#files.nameOf(path)}"`);
    }
    const key = cacheKey(path, state);
    let found = this.#cache.get(key);
    if (!found) {
      found = this.#process(path, state);
      this.#cache.set(key, found);
    }
    return found;
  }

  async #process(path: string, state: ImportState): Promise<ImportsResult> {
    const file = await this.#files.load(path, state.context, {
      ignoreMissing: state.ignoreMissing,
      skipTemplates: state.skipTemplates,
    });
    const raw = file.value;
    const inline = noOverrides();
    for (const type of COMPONENT_TYPES) {
      inline[type] = mergeAll(
        [
          sectionAt(raw, "overrides"),
          sectionAt(sectionAt(raw, type), "overrides"),
          state.parentInline[type],
        ],
        this.#settings.listMergeStrategy,
      );
    }
    const chain = [...state.chain, path];
    const entries = importEntries(file);
    // Resolve every entry and start reading its files at once; process them one by one (a
    // cycle then always meets an ancestor in `chain` instead of waiting on itself).
    const targets = await settleInOrder(entries.map((entry) => this.#resolve(file, entry, chain)));
    entries.forEach((entry, i) => {
      const context = mergeContext(entry.context, state.context);
      for (const target of targets[i]) {
        this.#files.load(target, context, {
          ignoreMissing: entry.ignoreMissing || state.ignoreMissing,
          skipTemplates: entry.skipTemplates,
        }).catch(() => undefined);
      }
    });

    const layers: Layer[] = [];
    const imports: string[] = [];
    const merges: Section[] = [];
    let importsOverrides = noOverrides();
    for (let i = 0; i < entries.length; i++) {
      const entry = entries[i];
      for (const target of targets[i]) {
        const child = await this.process(target, {
          context: mergeContext(entry.context, state.context),
          parentInline: inline,
          chain,
          ignoreMissing: entry.ignoreMissing || state.ignoreMissing,
          skipTemplates: entry.skipTemplates,
        });
        const childFile = child.layers[child.layers.length - 1].file;
        imports.push(childFile.name, ...child.imports);
        merges.push(child.merged);
        for (const layer of child.layers) {
          layers.push(layer.inline ? { ...layer, inline: false } : layer);
        }
        importsOverrides = mergeTyped(
          [importsOverrides, child.overridesImports, child.overridesInline],
          this.#settings,
        );
      }
    }
    const final = mergeTyped([importsOverrides, inline], this.#settings);
    const value = stampOverrides(raw, final);
    layers.push({ file, value, inline: true });
    return {
      layers,
      imports,
      merged: mergeAll([...merges, value], this.#settings.listMergeStrategy),
      overridesInline: inline,
      overridesImports: importsOverrides,
    };
  }

  async #resolve(file: StackFile, entry: ImportEntry, chain: string[]): Promise<string[]> {
    const found = file.locate(["import", entry.index]);
    const location = found ? { ...found, path: `import.${entry.index}` } : undefined;
    let path = entry.path;
    if (path.includes("{{") && entry.context) {
      path = renderTemplate(path, entry.context, {
        name: `${file.shown} import`,
        location,
        env: this.#settings.env,
      });
    }
    if (/^[a-z][a-z0-9+.-]*:\/\//i.test(path) || path.startsWith("git::")) {
      throw new ConfigError(`remote import "${path}" is not supported`, {
        hint: "vendor the file into the repository and import it by a local path",
        location,
      });
    }
    const base = /^\.\.?[\\/]/.test(path) ? dirname(file.path) : this.#settings.stacksDir;
    const withExt = await this.#withExtension(base, path);
    const full = resolve(base, withExt);
    if (full === file.path) {
      throw new ConfigError(`"${file.name}" imports itself`, {
        hint: "remove the import",
        location,
      });
    }
    const matches = await this.#matches(base, withExt, full);
    if (matches.length === 0) {
      if (entry.skipIfMissing) return [];
      throw new ConfigError(`import "${entry.path}" not found`, {
        hint: `looked for ${shownPath(full, this.#settings.stacksDir)}; paths are relative to ${
          base === this.#settings.stacksDir ? "the stacks directory" : "the importing file"
        }`,
        location,
      });
    }
    for (const match of matches) {
      const at = chain.indexOf(match);
      if (at >= 0) {
        const cycle = [...chain.slice(at), match].map((p) => this.#files.nameOf(p));
        throw new ConfigError(`import cycle: ${cycle.join(" → ")}`, {
          hint: "remove one of these imports",
          location,
        });
      }
    }
    return matches;
  }

  /** Files an import path names (cached: many manifests import the same catalog files). */
  #matches(base: string, withExt: string, full: string): Promise<string[]> {
    const key = `${base}\0${withExt}`;
    let found = this.#resolved.get(key);
    if (!found) {
      found = isGlob(withExt)
        ? this.#tree.glob(base, withExt)
        : this.#tree.isFile(full).then((exists) => exists ? [full] : []);
      this.#resolved.set(key, found);
    }
    return found;
  }

  /** Adds the manifest extension a path omits, preferring an existing file and `.tmpl` twins. */
  async #withExtension(base: string, path: string): Promise<string> {
    const ext = extname(path);
    if (ext === "") {
      for (const candidate of [".yaml", ".yml", ".yaml.tmpl", ".yml.tmpl"]) {
        if (await this.#tree.isFile(resolve(base, path + candidate))) return path + candidate;
      }
      return path + ".yaml";
    }
    if (
      (ext === ".yaml" || ext === ".yml") && await this.#tree.isFile(resolve(base, path + ".tmpl"))
    ) {
      return path + ".tmpl";
    }
    return path;
  }
}

function cacheKey(path: string, state: ImportState): string {
  const inherited = COMPONENT_TYPES.some((type) =>
    Object.keys(state.parentInline[type]).length > 0
  );
  const context = state.context && Object.keys(state.context).length > 0;
  if (!inherited && !context && !state.ignoreMissing && !state.skipTemplates) return path;
  return [
    path,
    JSON.stringify(state.context ?? {}),
    JSON.stringify(state.parentInline),
    state.ignoreMissing,
    state.skipTemplates,
  ].join("\0");
}

/** The `import:` entries of a file, validated. */
function importEntries(file: StackFile): ImportEntry[] {
  const raw = file.value.import;
  if (raw === undefined || raw === null) return [];
  const list = Array.isArray(raw) ? raw : [raw];
  return list.map((item, index) => {
    const bad = (message: string) =>
      new ConfigError(message, {
        hint: "an import is a path string or a map with path (and optional context)",
        location: file.locate(["import", index]),
      });
    if (typeof item === "string") {
      if (item.trim() === "") throw bad("empty import path");
      return { path: item.trim(), index };
    }
    if (!isSection(item) || typeof item.path !== "string" || item.path.trim() === "") {
      throw bad("import entries must be strings or maps with a path");
    }
    if (item.context !== undefined && item.context !== null && !isSection(item.context)) {
      throw bad("import context must be a map");
    }
    return {
      path: item.path.trim(),
      index,
      context: isSection(item.context) ? item.context : undefined,
      skipTemplates: item.skip_templates_processing === true,
      ignoreMissing: item.ignore_missing_template_values === true,
      skipIfMissing: item.skip_if_missing === true,
    };
  });
}

/** The import's own context merged under the inherited one (the parent's values win). */
function mergeContext(
  own: Section | undefined,
  inherited: Section | undefined,
): Section | undefined {
  if (!own) return inherited;
  if (!inherited) return own;
  return mergeAll([own, inherited]);
}

function mergeTyped(list: TypedOverrides[], settings: StackSettings): TypedOverrides {
  const out = noOverrides();
  for (const type of COMPONENT_TYPES) {
    out[type] = mergeAll(list.map((item) => item[type]), settings.listMergeStrategy);
  }
  return out;
}

/** A copy of `raw` whose components of each type carry `overrides[type]` (when not empty). */
function stampOverrides(raw: Section, overrides: TypedOverrides): Section {
  let out = raw;
  const components = sectionAt(raw, "components");
  for (const type of COMPONENT_TYPES) {
    if (Object.keys(overrides[type]).length === 0) continue;
    const typed = sectionAt(components, type);
    if (Object.keys(typed).length === 0) continue;
    const stamped: Section = {};
    for (const [name, section] of Object.entries(typed)) {
      stamped[name] = isSection(section) ? { ...section, overrides: overrides[type] } : section;
    }
    const outComponents = sectionAt(out, "components");
    out = { ...out, components: { ...outComponents, [type]: stamped } };
  }
  return out;
}

function shownPath(path: string, stacksDir: string): string {
  return path.startsWith(stacksDir + "/") ? path.slice(stacksDir.length + 1) : path;
}

/** Awaits every promise; throws the first failure in list order (not in time order). */
async function settleInOrder<T>(promises: Promise<T>[]): Promise<T[]> {
  const settled = await Promise.allSettled(promises);
  const values: T[] = [];
  for (const result of settled) {
    if (result.status === "rejected") throw result.reason;
    values.push(result.value);
  }
  return values;
}
