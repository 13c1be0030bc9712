/**
 * Stacks: manifests, imports, deep merge, inheritance, names, workspaces, auth in stacks, and
 * `describe component` — the `.ComponentConfig` custom commands and workflows use.
 *
 * Interfaces other modules rely on (keep them stable):
 *
 * ```ts
 * // Everything describe component returns (the `component_config` of custom commands).
 * interface ComponentConfig {
 *   component: string; atmos_component: string; atmos_stack: string; stack: string;
 *   vars; settings; env; backend: Record<string, unknown>; backend_type: string;
 *   workspace: string; metadata: Record<string, unknown>;
 *   auth: AuthConfig; // atmos.yaml auth merged with the stack's and component's
 *   imports: string[]; atmos_stack_file; atmos_manifest; component_type; component_info;
 *   command; inheritance; overrides; providers; hooks; deps; deps_all; sources;
 *   atmos_cli_config; remote_state_backend(_type); [key: string]: unknown;
 * }
 * describeComponent(loaded, { component, stack, env?, cwd }): Promise<ComponentConfig>
 * describeStacks(loaded, { stacks?, components?, cwd, env? }): Promise<Record<string, unknown>>
 * listStacks(loaded, { cwd, env?, component? }): Promise<string[]>
 * listComponents(loaded, { cwd, env?, stack? }): Promise<string[]>
 * ```
 *
 * `env` defaults to the process environment; parsed manifests are cached per loaded
 * configuration, so repeated calls in one run are cheap. Errors are `ConfigError`s (exit 2)
 * with `file:line:col` where the input is wrong.
 *
 * The module imports the `yaml` package: import it lazily from commands.
 *
 * @module
 */
export {
  describeComponent,
  describeStacks,
  listComponents,
  listStacks,
  resolveComponent,
  type ResolvedComponent,
} from "./describe.ts";
export type {
  ComponentConfig,
  DescribeComponentOptions,
  DescribeStacksOptions,
  ListOptions,
} from "./types.ts";
export { mergeComponentAuth, redactAuth } from "./auth.ts";
export { deepMerge, isSection, mergeAll, type Section } from "./merge.ts";
export { parseQuery, runQuery } from "../config/query.ts";
export {
  COMPONENT_TYPES,
  type ComponentType,
  type ListMergeStrategy,
  STACKS_FIELDS,
  type StackSettings,
  stackSettings,
  WORKFLOWS_FIELDS,
} from "./settings.ts";
export { hasTemplate, renderTemplate, type TemplateOptions } from "./template.ts";
export {
  backendConfigArgs,
  componentEnvironment,
  planTerraform,
  type TerraformPlan,
  type TerraformStep,
  terraformVarsEnv,
  terraformVarValue,
} from "./terraform.ts";
