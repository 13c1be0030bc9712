/**
 * `describe component`, `describe stacks`, `list stacks` and `list components` over the stack
 * manifests of a loaded configuration.
 *
 * Finding a component in a stack (reference atmos-workflows-commands.md §4.4): every manifest
 * that defines the component names its stack; those whose name equals the requested stack
 * match. A requested stack containing `/` that equals a manifest's path also matches it
 * directly. Several matches must be identical.
 *
 * Each manifest and imported file is read, parsed and merged once per run (per loaded
 * configuration and environment).
 *
 * @module
 */
import { join } from "../fs/path.ts";
import { ConfigError, type SourceLocation } from "../errors.ts";
import type { LoadedConfig } from "../config/load.ts";
import type { EnvGetter } from "../config/yaml.ts";
import { didYouMean } from "../config/suggest.ts";
import { mergeComponentAuth } from "./auth.ts";
import { buildComponent, type BuiltComponent, componentNames } from "./component.ts";
import { listStackTree, topLevelManifests } from "./discover.ts";
import { StackFileCache } from "./files.ts";
import { evaluateFunctions } from "./functions.ts";
import { ImportProcessor } from "./imports.ts";
import { loadManifest, locateFirst, locateText, type Manifest } from "./manifest.ts";
import { isSection, type Section } from "./merge.ts";
import { stackName, workspaceName } from "./names.ts";
import { renderValueTemplates } from "./render.ts";
import {
  COMPONENT_TYPES,
  type ComponentType,
  type StackSettings,
  stackSettings,
} from "./settings.ts";
import { provenance } from "./sources.ts";
import type {
  ComponentConfig,
  DescribeComponentOptions,
  DescribeStacksOptions,
  ListOptions,
} from "./types.ts";

/** One component of one type in one manifest, with its stack name. */
interface Instance {
  manifest: Manifest;
  type: ComponentType;
  name: string;
  built: BuiltComponent;
  stack: string;
}

/** Parsed and processed stacks of one configuration. */
interface StackIndex {
  settings: StackSettings;
  manifests: Promise<Manifest[]>;
  instances?: Promise<Instance[]>;
}

/** A described component and how to locate paths of its merged `auth` section. */
export interface ResolvedComponent {
  config: ComponentConfig;
  /** The manifest the component was found in. */
  manifest: Manifest;
  /**
   * Where a path of the merged auth (`["auth", "identities", "x", …]`) is written: in the
   * stack manifests when they define it, else `undefined` (then it comes from atmos.yaml).
   */
  locateAuth(path: readonly (string | number)[]): SourceLocation | undefined;
}

const INDEXES = new WeakMap<LoadedConfig, Map<string, StackIndex>>();

const SETTINGS_ENV = [
  "ATMOS_STACKS_BASE_PATH",
  "ATMOS_STACKS_INCLUDED_PATHS",
  "ATMOS_STACKS_EXCLUDED_PATHS",
  "ATMOS_STACKS_NAME_PATTERN",
  "ATMOS_STACKS_NAME_TEMPLATE",
  "ATMOS_SETTINGS_LIST_MERGE_STRATEGY",
  "ATMOS_COMPONENTS_TERRAFORM_BASE_PATH",
  "ATMOS_COMPONENTS_TERRAFORM_COMMAND",
];

/** Describes a component in a stack. */
export async function describeComponent(
  loaded: LoadedConfig,
  options: DescribeComponentOptions,
): Promise<ComponentConfig> {
  return (await resolveComponent(loaded, options)).config;
}

/** Like {@linkcode describeComponent}, with the manifest and an auth locator. */
export async function resolveComponent(
  loaded: LoadedConfig,
  options: DescribeComponentOptions,
): Promise<ResolvedComponent> {
  const env = options.env ?? processEnv();
  const index = indexFor(loaded, env, options.cwd);
  const manifests = await index.manifests;
  const types = options.type ? [options.type] : COMPONENT_TYPES;
  const direct = options.stack.includes("/")
    ? manifests.find((m) => m.name === options.stack)
    : undefined;
  const matches: Instance[] = [];
  // A manifest whose stack cannot be named cannot match; its error matters only when nothing
  // else does.
  let namingError: unknown;
  for (const manifest of direct ? [direct] : manifests) {
    for (const type of types) {
      if (!componentNames(manifest, type).includes(options.component)) continue;
      const built = buildComponent(manifest, type, options.component, index.settings);
      let stack: string | undefined;
      try {
        stack = direct ? options.stack : stackName(manifest, built.section, index.settings);
      } catch (error) {
        namingError ??= error;
      }
      if (stack === options.stack) {
        matches.push({ manifest, type, name: options.component, built, stack: options.stack });
      }
    }
  }
  if (matches.length === 0) throw namingError ?? await notFound(index, options, types);
  const first = matches[0];
  const different = matches.find((m) =>
    JSON.stringify(m.built.section) !== JSON.stringify(first.built.section)
  );
  if (different) {
    throw new ConfigError(
      `component "${options.component}" is defined differently for stack "${options.stack}" in manifests "${first.manifest.name}" and "${different.manifest.name}"`,
      { hint: "each component may be configured only once per stack" },
    );
  }
  const config = await finish(loaded, index, first, {
    env,
    cwd: options.cwd,
    processTemplates: options.processTemplates ?? true,
    processFunctions: options.processFunctions ?? true,
    full: true,
  });
  return {
    config,
    manifest: first.manifest,
    locateAuth: (path) => authLocation(first, path),
  };
}

/**
 * Every stack with its components: `{<stack>: {components: {<type>: {<name>: {...}}}}}`,
 * optionally only some stacks and components.
 */
export async function describeStacks(
  loaded: LoadedConfig,
  options: DescribeStacksOptions,
): Promise<Record<string, unknown>> {
  const env = options.env ?? processEnv();
  const index = indexFor(loaded, env, options.cwd);
  const instances = await allInstances(index);
  if (options.stacks?.length) {
    const known = new Set(instances.map((i) => i.stack));
    for (const stack of options.stacks) {
      if (!known.has(stack)) throw unknownStack(stack, [...known]);
    }
  }
  const out: Record<string, { components: Record<string, Record<string, unknown>> }> = {};
  for (const instance of instances) {
    if (options.stacks?.length && !options.stacks.includes(instance.stack)) continue;
    if (options.components?.length && !options.components.includes(instance.name)) continue;
    if (options.types?.length && !options.types.includes(instance.type)) continue;
    const stack = out[instance.stack] ??= { components: {} };
    const typed = stack.components[instance.type] ??= {};
    if (typed[instance.name] !== undefined) continue;
    typed[instance.name] = await finish(loaded, index, instance, {
      env,
      cwd: options.cwd,
      processTemplates: options.processTemplates ?? true,
      processFunctions: options.processFunctions ?? true,
      full: false,
    });
  }
  return out;
}

/** Stack names (of stacks with at least one component), sorted. */
export async function listStacks(loaded: LoadedConfig, options: ListOptions): Promise<string[]> {
  const index = indexFor(loaded, options.env ?? processEnv(), options.cwd);
  const instances = await allInstances(index);
  const names = new Set<string>();
  for (const instance of instances) {
    if (!options.component || instance.name === options.component) names.add(instance.stack);
  }
  if (options.component && names.size === 0) {
    const all = [...new Set(instances.map((i) => i.name))];
    throw new ConfigError(
      `component "${options.component}" is not defined in any stack${
        didYouMean(options.component, all)
      }`,
      { hint: 'run "atmos list components"' },
    );
  }
  return [...names].sort();
}

/** Component names (not abstract), sorted; with `stack`, only that stack's. */
export async function listComponents(
  loaded: LoadedConfig,
  options: ListOptions,
): Promise<string[]> {
  const index = indexFor(loaded, options.env ?? processEnv(), options.cwd);
  const instances = await allInstances(index);
  if (options.stack && !instances.some((i) => i.stack === options.stack)) {
    throw unknownStack(options.stack, instances.map((i) => i.stack));
  }
  const names = new Set<string>();
  for (const instance of instances) {
    if (instance.built.abstract) continue;
    if (!options.stack || instance.stack === options.stack) names.add(instance.name);
  }
  return [...names].sort();
}

function processEnv(): EnvGetter {
  return { get: (name) => Deno.env.get(name) };
}

function indexFor(loaded: LoadedConfig, env: EnvGetter, cwd: string): StackIndex {
  const key = JSON.stringify([cwd, ...SETTINGS_ENV.map((name) => env.get(name) ?? null)]);
  let byKey = INDEXES.get(loaded);
  if (!byKey) {
    byKey = new Map();
    INDEXES.set(loaded, byKey);
  }
  let index = byKey.get(key);
  if (!index) {
    const settings = stackSettings(loaded, env);
    index = { settings, manifests: loadManifests(settings, cwd) };
    byKey.set(key, index);
  }
  return index;
}

async function loadManifests(settings: StackSettings, cwd: string): Promise<Manifest[]> {
  const files = new StackFileCache({
    stacksDir: settings.stacksDir,
    basePath: settings.basePath,
    cwd,
    env: settings.env,
  });
  const tree = await listStackTree(settings);
  const processor = new ImportProcessor(files, settings, tree);
  const paths = topLevelManifests(tree, settings);
  // Read every manifest-like file at once, parse the top-level ones, then process them one by
  // one (see imports.ts).
  files.prefetch([...tree.files].filter((file) => /\.ya?ml(\.tmpl)?$/.test(file)));
  for (const path of paths) files.load(path).catch(() => undefined);
  const manifests: Manifest[] = [];
  for (const path of paths) {
    manifests.push(await loadManifest(processor, path));
  }
  return manifests;
}

function allInstances(index: StackIndex): Promise<Instance[]> {
  index.instances ??= (async () => {
    const out: Instance[] = [];
    for (const manifest of await index.manifests) {
      for (const type of COMPONENT_TYPES) {
        for (const name of componentNames(manifest, type)) {
          const built = buildComponent(manifest, type, name, index.settings);
          out.push({
            manifest,
            type,
            name,
            built,
            stack: stackName(manifest, built.section, index.settings),
          });
        }
      }
    }
    return out;
  })();
  return index.instances;
}

interface FinishOptions {
  env: EnvGetter;
  cwd: string;
  processTemplates: boolean;
  processFunctions: boolean;
  /** Include provenance, imports and CLI config (describe component). */
  full: boolean;
}

/** Adds the computed fields, renders templates, evaluates functions, merges auth. */
async function finish(
  loaded: LoadedConfig,
  index: StackIndex,
  instance: Instance,
  options: FinishOptions,
): Promise<ComponentConfig> {
  const { manifest, type, name, built } = instance;
  const settings = index.settings;
  const section = built.section;
  const componentDir = String(section.component);
  let config: Section = {
    ...section,
    atmos_component: name,
    atmos_stack: instance.stack,
    stack: instance.stack,
    atmos_stack_file: manifest.name,
    atmos_manifest: manifest.name,
    component_type: type,
  };
  if (type === "terraform") {
    config.workspace = workspaceName(manifest, name, section, instance.stack, settings);
  }
  config.component_info = {
    component_type: type,
    component_path: join(settings.componentDirs[type], componentDir),
    terraform_config: null,
  };
  if (options.full) {
    config.imports = manifest.imports;
    config.atmos_cli_config = cliConfig(settings);
  }
  const locate = (text: string) => locateText(manifest, text);
  if (options.processTemplates && settings.templatesEnabled) {
    config = renderValueTemplates(config, config, { locate, env: options.env }) as Section;
  }
  if (options.processFunctions) {
    config = await evaluateFunctions(config, {
      env: options.env,
      cwd: options.cwd,
      basePath: settings.basePath,
      section: config,
      locate,
    }) as Section;
  }
  config.auth = mergeComponentAuth(
    loaded.config.auth,
    isSection(config.auth) ? config.auth : {},
    (path, message, hint) =>
      new ConfigError(message, { hint, location: authLocation(instance, ["auth", ...path]) }),
  );
  if (options.full) {
    const { sources, deps, deps_all } = provenance(manifest, type, name, built.bases, config);
    config.sources = sources;
    config.deps = deps;
    config.deps_all = deps_all;
  }
  return config as ComponentConfig;
}

function cliConfig(settings: StackSettings): Record<string, unknown> {
  return {
    base_path: settings.basePath,
    components: Object.fromEntries(
      COMPONENT_TYPES.map((type) => [type, {
        base_path: settings.componentBasePaths[type],
        command: settings.commands[type],
      }]),
    ),
    stacks: {
      base_path: settings.stacksBasePath,
      included_paths: settings.included,
      excluded_paths: settings.excluded,
      name_pattern: settings.namePattern ?? "",
      name_template: settings.nameTemplate ?? "",
    },
    workflows: { base_path: settings.workflowsBasePath },
  };
}

/** Where a path of a component's auth is written in the stack manifests, if it is. */
function authLocation(
  instance: Instance,
  path: readonly (string | number)[],
): SourceLocation | undefined {
  if (path[0] !== "auth") return undefined;
  const rest = path.slice(1);
  const { manifest, type, name, built } = instance;
  const candidates: (string | number)[][] = [
    ["components", type, name, "overrides", "auth", ...rest],
    ["components", type, name, "auth", ...rest],
    ...built.bases.slice().reverse().map((base) => ["components", type, base, "auth", ...rest]),
    [type, "auth", ...rest],
    ["auth", ...rest],
  ];
  const found = locateFirst(manifest, candidates);
  return found?.path ? found : undefined;
}

async function notFound(
  index: StackIndex,
  options: DescribeComponentOptions,
  types: readonly ComponentType[],
): Promise<ConfigError> {
  const instances = (await allInstances(index)).filter((i) => types.includes(i.type));
  const inStack = instances.filter((i) => i.stack === options.stack);
  if (inStack.length > 0) {
    const names = [...new Set(inStack.map((i) => i.name))].sort();
    return new ConfigError(
      `component "${options.component}" not found in stack "${options.stack}"${
        didYouMean(options.component, names)
      }`,
      { hint: `run "atmos list components -s ${options.stack}"` },
    );
  }
  const manifests = await index.manifests;
  const byFile = manifests.find((m) => m.name === options.stack);
  if (byFile) {
    const named = instances.find((i) => i.manifest === byFile);
    if (named) {
      return new ConfigError(
        `stack "${options.stack}" not found; did you mean "${named.stack}"?`,
        {
          hint:
            `manifest ${options.stack} names its stack "${named.stack}" (name, name_template or name_pattern); run "atmos list stacks"`,
        },
      );
    }
  }
  return unknownStack(options.stack, instances.map((i) => i.stack));
}

function unknownStack(stack: string, known: string[]): ConfigError {
  const names = [...new Set(known)].sort();
  return new ConfigError(`stack "${stack}" not found${didYouMean(stack, names)}`, {
    hint: names.length > 0 ? 'run "atmos list stacks"' : "no stack manifest defines components",
  });
}
