/**
 * `atmos terraform` (loaded lazily by `terraform.ts`): describe the component, choose and
 * authenticate its identity over the component's merged auth, then run terraform in the
 * component directory with the identity's file pointers, the component's `env` and `TF_VAR_*`.
 *
 * @module
 */
import { ConfigError, UsageError } from "../../errors.ts";
import type { Invocation } from "../command.ts";
import type { Runtime } from "../runtime.ts";
import type { LoadedConfig } from "../../config/load.ts";
import { SELECT_SENTINEL, selectIdentity } from "../../auth/select.ts";
import type { Session } from "../../auth/session.ts";
import type { AuthManager } from "../../auth/manager.ts";
import { runChild } from "../../exec/run.ts";
import { renewWhileRunning } from "../background_renewal.ts";
import { captureChild } from "../../exec/capture.ts";
import { shellQuote } from "../output.ts";
import {
  type ComponentConfig,
  componentEnvironment,
  planTerraform,
  resolveComponent,
  type ResolvedComponent,
  stackSettings,
  type TerraformPlan,
} from "../../stack/mod.ts";
import { nestedEnvironment } from "./auth_exec.ts";
import { requireStack } from "./describe_run.ts";

const ABSTRACT_REFUSES = new Set(["plan", "apply", "deploy", "workspace"]);
const LOCKED_REFUSES = new Set([
  "apply",
  "deploy",
  "destroy",
  "import",
  "state",
  "taint",
  "untaint",
]);

/** Runs `atmos terraform <subcommand> <component> -s <stack> [-- args]`. */
export async function runTerraform(rt: Runtime, inv: Invocation): Promise<number> {
  const [subcommand, component, ...extra] = inv.positionals;
  if (subcommand === "version" && !component) return await runVersion(rt, inv);
  if (!component || component.startsWith("-")) {
    throw new UsageError(`missing component for "atmos terraform ${subcommand}"`, {
      hint: "put the component right after the subcommand: atmos terraform plan vpc -s dev",
    });
  }
  const stack = requireStack(inv, `atmos terraform ${subcommand} ${component} -s plat-ue2-prod`);
  const loaded = await rt.config();
  const env = rt.envLookup;
  const resolved = await resolveComponent(loaded, {
    component,
    stack,
    env,
    cwd: rt.cwd,
    type: "terraform",
  });
  const config = resolved.config;
  if (!checkRunnable(rt, config, subcommand)) return 0;
  await assertDirectory(config);
  const settings = stackSettings(loaded, env);
  const plan = planTerraform(config, {
    subcommand,
    args: [...extra, ...inv.rest],
    skipInit: inv.flags["skip-init"] === true,
    initReconfigure: settings.initRunReconfigure,
    applyAutoApprove: settings.applyAutoApprove,
    workspaceFromEnv: Boolean(rt.env.TF_WORKSPACE),
  });

  const manager = await rt.managerFor(withComponentAuth(loaded, resolved));
  const identity = await chooseIdentity(rt, inv, manager);
  if (inv.flags["dry-run"] === true) {
    await rt.sealWrites();
    rt.out(describePlan(plan, identity));
    return 0;
  }
  const session = identity ? await manager.session(identity) : undefined;
  // Children are never started while this process can still write.
  await rt.sealWrites();
  const childEnv = terraformEnvironment(rt, loaded, config, plan, session, manager);
  // The identity may come from the component's auth: the renewal reads the same merged auth.
  const renewal = renewWhileRunning(rt, manager, session, ["--component", component, "-s", stack]);
  try {
    return await execute(rt, plan, childEnv);
  } finally {
    renewal?.stop();
  }
}

/** `atmos terraform version`: no stack or identity, just the configured binary. */
async function runVersion(rt: Runtime, inv: Invocation): Promise<number> {
  const loaded = await rt.config();
  const terraform = loaded.config.components?.terraform;
  const command = rt.env.ATMOS_COMPONENTS_TERRAFORM_COMMAND ||
    (typeof terraform?.command === "string" && terraform.command) || "terraform";
  await rt.sealWrites();
  return await runChild({
    command,
    args: ["version", ...inv.rest],
    env: nestedEnvironment(rt, undefined),
  });
}

/** False (after a notice) for a disabled component; throws for refused subcommands. */
function checkRunnable(rt: Runtime, config: ComponentConfig, subcommand: string): boolean {
  const metadata = config.metadata;
  const where = `component "${config.atmos_component}" in stack "${config.atmos_stack}"`;
  if (metadata.enabled === false) {
    rt.err(`${where} is disabled (metadata.enabled: false); skipped\n`);
    return false;
  }
  if (metadata.type === "abstract" && ABSTRACT_REFUSES.has(subcommand)) {
    throw new ConfigError(
      `${where} is abstract (metadata.type: abstract) and cannot be provisioned`,
      {
        hint: "run terraform for a component that inherits from it",
      },
    );
  }
  if (metadata.locked === true && LOCKED_REFUSES.has(subcommand)) {
    throw new ConfigError(
      `${where} is locked (metadata.locked: true); "${subcommand}" is refused`,
      {
        hint: "unlock it in the stack manifest first",
      },
    );
  }
  return true;
}

async function assertDirectory(config: ComponentConfig): Promise<void> {
  const path = config.component_info.component_path;
  const info = await Deno.stat(path).catch(() => undefined);
  if (!info?.isDirectory) {
    throw new ConfigError(
      `terraform component directory "${path}" of component "${config.atmos_component}" not found`,
      {
        hint:
          "metadata.component (or the component name) must name a directory under components.terraform.base_path",
      },
    );
  }
}

/** The configuration with the component's merged auth as `auth:` (located in the stacks). */
export function withComponentAuth(loaded: LoadedConfig, resolved: ResolvedComponent): LoadedConfig {
  return {
    ...loaded,
    config: { ...loaded.config, auth: resolved.config.auth },
    locate: (path) => resolved.locateAuth(path) ?? loaded.locate(path),
  };
}

/**
 * `-i/--identity` > `ATMOS_IDENTITY` > the merged auth's default; `null` when authentication
 * is disabled or nothing is configured.
 */
async function chooseIdentity(
  rt: Runtime,
  inv: Invocation,
  manager: AuthManager,
): Promise<string | null> {
  const flag = inv.given.has("identity")
    ? String(inv.flags.identity ?? SELECT_SENTINEL)
    : undefined;
  const envValue = rt.env.ATMOS_IDENTITY;
  if (!manager.configured && flag === undefined && !envValue) return null;
  manager.assertValid();
  const choice = await selectIdentity({
    flag,
    envValue,
    auth: manager.auth,
    interactive: rt.interactive,
    pick: rt.pick,
    whenUnset: "error",
  });
  if (choice.kind !== "identity") return null;
  return manager.resolveIdentity(choice.name);
}

/**
 * atmos's environment with the component's `env` (a `null` entry removes a variable), then the
 * session (raw AWS keys removed, file pointers added), then `TF_VAR_*`, `ATMOS_SHLVL` and the
 * variables Atmos sets for terraform.
 */
function terraformEnvironment(
  rt: Runtime,
  loaded: LoadedConfig,
  config: ComponentConfig,
  plan: TerraformPlan,
  session: Session | undefined,
  manager: AuthManager,
): Record<string, string> {
  const parent = { ...rt.env };
  const component = componentEnvironment(config.env);
  for (const name of component.unset) delete parent[name];
  Object.assign(parent, component.set);
  const env = nestedEnvironment(rt, session, manager.configSecrets(), parent);
  Object.assign(env, plan.varsEnv);
  env.TF_IN_AUTOMATION = "true";
  env.ATMOS_BASE_PATH = loaded.basePath;
  if (loaded.configDir) env.ATMOS_CLI_CONFIG_PATH = loaded.configDir;
  return env;
}

async function execute(
  rt: Runtime,
  plan: TerraformPlan,
  env: Record<string, string>,
): Promise<number> {
  let selected = false;
  for (const step of plan.steps) {
    rt.logger.debug(`running in ${plan.cwd}: ${plan.command} ${step.args.join(" ")}`);
    const options = { command: plan.command, args: step.args, env, cwd: plan.cwd };
    if (step.kind === "workspace-select") {
      const result = await captureChild(options);
      if (result.code === 0) selected = true;
      else if (result.code !== 1) {
        rt.err(result.output);
        return result.code;
      }
      continue;
    }
    if (step.kind === "workspace-new") {
      if (selected) continue;
      const result = await captureChild(options);
      if (result.code !== 0) {
        rt.err(result.output);
        return result.code;
      }
      continue;
    }
    const code = await runChild(options);
    if (code !== 0 || step.kind === "main") return code;
  }
  return 0;
}

function describePlan(plan: TerraformPlan, identity: string | null): string {
  const lines = [`# in ${plan.cwd}`];
  for (const step of plan.steps) {
    const line = [plan.command, ...step.args].map(shellQuote).join(" ");
    lines.push(step.kind === "workspace-new" ? `${line}   # only if select fails` : line);
  }
  const vars = Object.keys(plan.varsEnv).sort();
  lines.push(`# with ${vars.length > 0 ? vars.join(", ") : "no TF_VAR_* variables"}`);
  lines.push(`# identity: ${identity ?? "none (your environment as it is)"}`);
  return lines.join("\n") + "\n";
}
