/**
 * What `atmos terraform <subcommand> <component> -s <stack>` runs, as plain data: the
 * invocations (init with `-backend-config` flags, workspace select-or-new, the subcommand) and
 * the `TF_VAR_*` variables. Nothing is written into the repository — Atmos instead writes a
 * varfile and `backend.tf.json` into the component directory.
 *
 * Values: strings, numbers and booleans go as they are; lists and maps as JSON, which Terraform
 * parses as HCL for complex-typed variables (so `${` and `%{` inside them are escaped); `null`
 * is left out (the variable keeps its default, as a `null` in a varfile does).
 *
 * @module
 */
import { isSection } from "./merge.ts";
import type { ComponentConfig } from "./types.ts";

/** One terraform invocation. */
export interface TerraformStep {
  kind: "init" | "workspace-select" | "workspace-new" | "main";
  args: string[];
  /** Output captured and shown only on failure (workspace selection). */
  quiet?: boolean;
}

/** Everything to run, in order. `workspace-new` runs only when `workspace-select` exits 1. */
export interface TerraformPlan {
  command: string;
  /** The component directory. */
  cwd: string;
  steps: TerraformStep[];
  /** `TF_VAR_<name>` for every non-null var. */
  varsEnv: Record<string, string>;
}

/** Inputs of {@linkcode planTerraform}. */
export interface PlanOptions {
  subcommand: string;
  /** Arguments for the subcommand (extra positionals, pass-through flags, after `--`). */
  args: string[];
  /** Skip the automatic `init` (`--skip-init`). */
  skipInit?: boolean;
  /** `components.terraform.init_run_reconfigure`. */
  initReconfigure?: boolean;
  /** `components.terraform.apply_auto_approve`. */
  applyAutoApprove?: boolean;
  /** True when `TF_WORKSPACE` is set (Terraform then picks the workspace itself). */
  workspaceFromEnv?: boolean;
}

const NO_WORKSPACE = new Set(["init", "version", "fmt", "validate", "get", "login", "logout"]);
const NO_INIT = new Set(["init", "version", "fmt", "login", "logout"]);

/** Plans the invocations for a described terraform component. */
export function planTerraform(config: ComponentConfig, options: PlanOptions): TerraformPlan {
  let subcommand = options.subcommand;
  const args = [...options.args];
  if (subcommand === "deploy") {
    subcommand = "apply";
    if (!args.includes("-auto-approve")) args.push("-auto-approve");
  } else if (
    subcommand === "apply" && options.applyAutoApprove && !args.includes("-auto-approve")
  ) {
    args.push("-auto-approve");
  }
  const backend = backendConfigArgs(config.backend);
  const reconfigure = options.initReconfigure || subcommand === "workspace" ? ["-reconfigure"] : [];
  const steps: TerraformStep[] = [];
  if (subcommand === "init") {
    steps.push({ kind: "main", args: ["init", ...backend, ...reconfigure, ...args] });
  } else {
    if (!options.skipInit && !NO_INIT.has(subcommand)) {
      steps.push({ kind: "init", args: ["init", ...backend, ...reconfigure] });
    }
    const bareWorkspace = subcommand === "workspace" && args.length === 0;
    const selects = !NO_WORKSPACE.has(subcommand) && !subcommand.startsWith("providers") &&
      !(subcommand === "workspace" && !bareWorkspace) && !options.workspaceFromEnv &&
      config.backend_type !== "http";
    if (selects) {
      steps.push({
        kind: "workspace-select",
        args: ["workspace", "select", config.workspace],
        quiet: true,
      });
      steps.push({
        kind: "workspace-new",
        args: ["workspace", "new", config.workspace],
        quiet: true,
      });
    }
    if (!bareWorkspace) steps.push({ kind: "main", args: [subcommand, ...args] });
  }
  return {
    command: config.command,
    cwd: config.component_info.component_path,
    steps,
    varsEnv: terraformVarsEnv(config.vars),
  };
}

/** `TF_VAR_<name>=<value>` for every var that is not `null`. */
export function terraformVarsEnv(vars: Record<string, unknown>): Record<string, string> {
  const env: Record<string, string> = {};
  for (const [name, value] of Object.entries(vars)) {
    if (value === null || value === undefined) continue;
    env[`TF_VAR_${name}`] = terraformVarValue(value);
  }
  return env;
}

/** A var's value as Terraform reads it from `TF_VAR_*`. */
export function terraformVarValue(value: unknown): string {
  if (typeof value === "string") return value;
  if (typeof value === "number" || typeof value === "boolean") return String(value);
  return hclFromJson(value);
}

/** `-backend-config=key=value` for each backend setting, sorted by key. */
export function backendConfigArgs(backend: Record<string, unknown>): string[] {
  const args: string[] = [];
  for (const key of Object.keys(backend).sort()) {
    const value = backend[key];
    if (value === null || value === undefined) continue;
    const text = typeof value === "string" || typeof value === "number" ||
        typeof value === "boolean"
      ? String(value)
      : hclFromJson(value);
    args.push(`-backend-config=${key}=${text}`);
  }
  return args;
}

/** Component `env` as strings; `null` entries are variables to remove. */
export function componentEnvironment(
  env: Record<string, unknown>,
): { set: Record<string, string>; unset: string[] } {
  const set: Record<string, string> = {};
  const unset: string[] = [];
  for (const [name, value] of Object.entries(env)) {
    if (value === null || value === undefined) unset.push(name);
    else if (typeof value === "string") set[name] = value;
    else if (Array.isArray(value) || isSection(value)) set[name] = JSON.stringify(value);
    else set[name] = String(value);
  }
  return { set, unset };
}

/** JSON is HCL expression syntax, except that `${` and `%{` start templates in HCL strings. */
function hclFromJson(value: unknown): string {
  return JSON.stringify(value).replaceAll("${", () => "$${").replaceAll("%{", () => "%%{");
}
