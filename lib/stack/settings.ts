/**
 * The `stacks:`, `components:`, `settings:` and `templates:` parts of `atmos.yaml` that stack
 * processing reads, with the `ATMOS_*` environment overrides of reference
 * atmos-workflows-commands.md §5.4 applied, and paths made absolute (§5.5).
 *
 * @module
 */
import { isAbsolute, resolve } from "../fs/path.ts";
import { ConfigError, quoteValue } from "../errors.ts";
import type { LoadedConfig } from "../config/load.ts";
import { isRecord } from "../config/merge.ts";
import type { EnvGetter } from "../config/yaml.ts";
import { configIssue } from "../config/issue.ts";
import type { FieldTable } from "../config/fields.ts";

/** The `stacks:` settings {@linkcode stackSettings} reads (the JSON Schema lists them). */
export const STACKS_FIELDS: FieldTable = {
  base_path: "string",
  included_paths: "string[]",
  excluded_paths: "string[]",
  name_pattern: "string",
  name_template: "string",
  inherit: { metadata: "boolean" },
};

/** The `workflows:` settings atmos reads. */
export const WORKFLOWS_FIELDS: FieldTable = { base_path: "string" };

/** How lists merge (`settings.list_merge_strategy`). */
export type ListMergeStrategy = "replace" | "append" | "merge";

/** Component types whose stacks sections atmos processes. */
export const COMPONENT_TYPES = ["terraform", "helmfile", "packer"] as const;

/** One of {@linkcode COMPONENT_TYPES}. */
export type ComponentType = typeof COMPONENT_TYPES[number];

/** Stack-processing settings, resolved. */
export interface StackSettings {
  /** Absolute project base path. */
  basePath: string;
  /** Absolute stacks directory. */
  stacksDir: string;
  /** `stacks.included_paths` (globs relative to the stacks directory). */
  included: string[];
  /** `stacks.excluded_paths`. */
  excluded: string[];
  namePattern?: string;
  nameTemplate?: string;
  /** Absolute component directories by type (`components.<type>.base_path`). */
  componentDirs: Record<ComponentType, string>;
  /** Raw `components.<type>.base_path` values as written (for `atmos_cli_config`). */
  componentBasePaths: Record<ComponentType, string>;
  /** Executable per type: `components.<type>.command` or the type's default. */
  commands: Record<ComponentType, string>;
  listMergeStrategy: ListMergeStrategy;
  /** `templates.settings.enabled`: render Go templates in component values. */
  templatesEnabled: boolean;
  /** `stacks.inherit.metadata` (default true). */
  inheritMetadata: boolean;
  /** `components.terraform.workspaces_enabled` (default true). */
  workspacesEnabled: boolean;
  /** `components.terraform.init_run_reconfigure`. */
  initRunReconfigure: boolean;
  /** `components.terraform.apply_auto_approve`. */
  applyAutoApprove: boolean;
  /** Raw `stacks.base_path` as written. */
  stacksBasePath: string;
  /** Raw `workflows.base_path`. */
  workflowsBasePath: string;
  /** The environment (`ATMOS_*` overrides above; the `env` template function). */
  env: EnvGetter;
}

const DEFAULT_COMMANDS: Record<ComponentType, string> = {
  terraform: "terraform",
  helmfile: "helmfile",
  packer: "packer",
};

/**
 * Reads the stack settings. Throws {@linkcode ConfigError} when `stacks.base_path` or
 * `stacks.included_paths` is missing, since nothing could be found without them.
 */
export function stackSettings(loaded: LoadedConfig, env: EnvGetter): StackSettings {
  const config = loaded.config;
  const stacks = isRecord(config.stacks) ? config.stacks : {};
  const components = isRecord(config.components) ? config.components : {};
  const basePath = loaded.basePath;

  const stacksBasePath = env.get("ATMOS_STACKS_BASE_PATH") || stringAt(loaded, stacks, "base_path");
  if (!stacksBasePath) {
    throw new ConfigError("no stacks directory is configured", {
      hint: "set stacks.base_path in atmos.yaml (or ATMOS_STACKS_BASE_PATH)",
      location: loaded.locate(["stacks"]),
    });
  }
  const included = listFrom(env.get("ATMOS_STACKS_INCLUDED_PATHS")) ??
    listAt(loaded, stacks, "included_paths");
  if (included.length === 0) {
    throw new ConfigError("no stack manifests are selected", {
      hint: 'set stacks.included_paths in atmos.yaml, e.g. ["orgs/**/*"]',
      location: loaded.locate(["stacks"]),
    });
  }
  const excluded = listFrom(env.get("ATMOS_STACKS_EXCLUDED_PATHS")) ??
    listAt(loaded, stacks, "excluded_paths");

  const componentDirs = {} as Record<ComponentType, string>;
  const componentBasePaths = {} as Record<ComponentType, string>;
  const commands = {} as Record<ComponentType, string>;
  for (const type of COMPONENT_TYPES) {
    const section = isRecord(components[type]) ? components[type] as Record<string, unknown> : {};
    const upper = type.toUpperCase();
    const dir = env.get(`ATMOS_COMPONENTS_${upper}_BASE_PATH`) ||
      (typeof section.base_path === "string" ? section.base_path : "") ||
      `components/${type}`;
    componentBasePaths[type] = dir;
    componentDirs[type] = absolute(basePath, dir);
    commands[type] = env.get(`ATMOS_COMPONENTS_${upper}_COMMAND`) ||
      (typeof section.command === "string" && section.command ? section.command : "") ||
      DEFAULT_COMMANDS[type];
  }
  const terraform = isRecord(components.terraform) ? components.terraform : {};
  const settings = isRecord(config.settings) ? config.settings : {};
  const templates = isRecord(config.templates) ? config.templates : {};
  const templateSettings = isRecord(templates.settings) ? templates.settings : {};
  const inherit = isRecord(stacks.inherit) ? stacks.inherit : {};
  const workflows = isRecord(config.workflows) ? config.workflows : {};

  return {
    basePath,
    stacksDir: absolute(basePath, stacksBasePath),
    stacksBasePath,
    included,
    excluded,
    namePattern: env.get("ATMOS_STACKS_NAME_PATTERN") ||
      stringAt(loaded, stacks, "name_pattern") || undefined,
    nameTemplate: env.get("ATMOS_STACKS_NAME_TEMPLATE") ||
      stringAt(loaded, stacks, "name_template") || undefined,
    componentDirs,
    componentBasePaths,
    commands,
    listMergeStrategy: mergeStrategy(
      loaded,
      env.get("ATMOS_SETTINGS_LIST_MERGE_STRATEGY") ?? settings.list_merge_strategy,
    ),
    templatesEnabled: templateSettings.enabled === true,
    inheritMetadata: inherit.metadata !== false,
    workspacesEnabled: terraform.workspaces_enabled !== false,
    initRunReconfigure: terraform.init_run_reconfigure === true,
    applyAutoApprove: terraform.apply_auto_approve === true,
    workflowsBasePath: typeof workflows.base_path === "string" ? workflows.base_path : "",
    env,
  };
}

function absolute(base: string, path: string): string {
  return isAbsolute(path) ? resolve(path) : resolve(base, path);
}

function stringAt(loaded: LoadedConfig, section: Record<string, unknown>, key: string): string {
  const value = section[key];
  if (value === undefined || value === null) return "";
  if (typeof value !== "string") {
    throw configIssue(loaded, ["stacks", key], `stacks.${key} must be a string`);
  }
  return value;
}

function listAt(loaded: LoadedConfig, section: Record<string, unknown>, key: string): string[] {
  const value = section[key];
  if (value === undefined || value === null) return [];
  const list = Array.isArray(value) ? value : [value];
  list.forEach((item, i) => {
    if (typeof item !== "string" || item === "") {
      throw configIssue(
        loaded,
        ["stacks", key, ...(Array.isArray(value) ? [i] : [])],
        `stacks.${key} entries must be non-empty strings`,
      );
    }
  });
  return list as string[];
}

function listFrom(text: string | undefined): string[] | undefined {
  if (!text) return undefined;
  return text.split(",").map((s) => s.trim()).filter((s) => s !== "");
}

function mergeStrategy(loaded: LoadedConfig, value: unknown): ListMergeStrategy {
  if (value === undefined || value === null || value === "") return "replace";
  if (value === "replace" || value === "append" || value === "merge") return value;
  throw configIssue(
    loaded,
    ["settings", "list_merge_strategy"],
    `invalid list_merge_strategy ${quoteValue(value)}`,
    "use replace, append or merge",
  );
}
