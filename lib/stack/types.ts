/**
 * The shapes stack processing hands to the rest of atmos.
 *
 * @module
 */
import type { AuthConfig } from "../config/types.ts";
import type { EnvGetter } from "../config/yaml.ts";
import type { ComponentType } from "./settings.ts";

/**
 * Everything `describe component` returns (the `component_config` / `.ComponentConfig` of
 * custom commands), reference atmos-workflows-commands.md §4.1.
 */
export interface ComponentConfig {
  /** The Terraform (helmfile, packer) directory name under the component base path. */
  component: string;
  /** The Atmos component name that was asked for. */
  atmos_component: string;
  /** The stack name that was asked for. */
  atmos_stack: string;
  /** Same as `atmos_stack`. */
  stack: string;
  /** Final deep-merged variables. */
  vars: Record<string, unknown>;
  settings: Record<string, unknown>;
  /** Environment for the component's commands (`null` values unset a variable). */
  env: Record<string, unknown>;
  /** The backend configuration for `backend_type`, with key defaults. */
  backend: Record<string, unknown>;
  backend_type: string;
  /** Terraform workspace (`default` when workspaces are disabled). */
  workspace: string;
  metadata: Record<string, unknown>;
  /** `atmos.yaml` auth merged with the stack's and component's auth (atmos-auth.md §2.8). */
  auth: AuthConfig;
  /** Every manifest the top-level manifest imports, sorted. */
  imports: string[];
  /** Top-level manifest path relative to the stacks directory, without extension. */
  atmos_stack_file: string;
  /** Same as `atmos_stack_file`. */
  atmos_manifest: string;
  /** `terraform`, `helmfile` or `packer`. */
  component_type: ComponentType;
  /** `{component_type, component_path, terraform_config: null}`. */
  component_info: { component_type: string; component_path: string; terraform_config: null };
  /** The executable (`terraform`, `tofu`, …). */
  command: string;
  /** Base components, nearest first. */
  inheritance: string[];
  overrides: Record<string, unknown>;
  providers?: Record<string, unknown>;
  hooks: Record<string, unknown>;
  remote_state_backend_type?: string;
  remote_state_backend?: Record<string, unknown>;
  /** Manifests giving final values / any values to `vars`, `settings`, `env`, `backend`. */
  deps: string[];
  deps_all: string[];
  /** Per-key provenance of `vars`, `settings`, `env` and `backend`. */
  sources: Record<string, unknown>;
  /** `{base_path, components, stacks, workflows}` from `atmos.yaml`. */
  atmos_cli_config: Record<string, unknown>;
  [key: string]: unknown;
}

/** Options of `describeComponent`. */
export interface DescribeComponentOptions {
  component: string;
  stack: string;
  /** Environment (`ATMOS_STACKS_*`, `!env`); defaults to the process environment. */
  env?: EnvGetter;
  /** Working directory (`!exec`, `!cwd`, error paths). */
  cwd: string;
  /** Render templates in values when `templates.settings.enabled` (default true). */
  processTemplates?: boolean;
  /** Evaluate YAML functions such as `!env` and `!exec` (default true). */
  processFunctions?: boolean;
  /** Only look for a component of this type. */
  type?: ComponentType;
}

/** Options of `describeStacks`. */
export interface DescribeStacksOptions {
  /** Only these stacks. */
  stacks?: string[];
  /** Only these components. */
  components?: string[];
  /** Only these component types. */
  types?: ComponentType[];
  cwd: string;
  env?: EnvGetter;
  processTemplates?: boolean;
  processFunctions?: boolean;
}

/** Options of `listStacks` and `listComponents`. */
export interface ListOptions {
  cwd: string;
  env?: EnvGetter;
  /** `listComponents`: only this stack. `listStacks`: only stacks with this component. */
  stack?: string;
  component?: string;
}
