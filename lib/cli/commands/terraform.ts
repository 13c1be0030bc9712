/**
 * `atmos terraform <subcommand> <component> -s <stack>`: the command spec. The implementation
 * is loaded when the command runs.
 *
 * @module
 */
import type { CommandSpec } from "../command.ts";
import type { Runtime } from "../runtime.ts";
import { IDENTITY_FLAG, MFA_FLAG, stackFlag } from "./flags.ts";

/** Terraform subcommands offered by shell completion (any other word is passed on too). */
const TERRAFORM_SUBCOMMANDS = [
  "apply",
  "deploy",
  "destroy",
  "import",
  "init",
  "output",
  "plan",
  "providers",
  "refresh",
  "show",
  "state",
  "taint",
  "untaint",
  "validate",
  "version",
  "workspace",
];

/** Builds the `terraform` command. */
export function terraformCommand(rt: Runtime): CommandSpec {
  return {
    name: "terraform",
    aliases: ["tf"],
    summary: "Run terraform for a component in a stack, with the stack's identity",
    description:
      "Runs the terraform (or components.terraform.command, e.g. tofu) binary in the component's directory: init with -backend-config flags, workspace select (or new), then the subcommand. Vars are passed as TF_VAR_* variables and the component's env is applied; nothing is written into the repository. The identity is -i/--identity, else ATMOS_IDENTITY, else the default of the component's merged auth (component, stack, atmos.yaml); without any auth configuration terraform runs with your environment as it is. Single-dash flags such as -var=x=y or -input=false are passed to terraform; so is everything after --.",
    args: [
      {
        name: "subcommand",
        description: "terraform subcommand (plan, apply, deploy, …)",
        required: true,
        complete: TERRAFORM_SUBCOMMANDS,
      },
      { name: "component", description: "Atmos component name", complete: "component" },
    ],
    flags: [
      stackFlag("stack name"),
      { ...IDENTITY_FLAG, persistent: false },
      { ...MFA_FLAG, persistent: false },
      { name: "skip-init", type: "boolean", description: "do not run terraform init first" },
      {
        name: "dry-run",
        type: "boolean",
        description: "print the terraform invocations instead of running them",
      },
    ],
    builtinWords: TERRAFORM_SUBCOMMANDS,
    passThroughUnknown: true,
    exactShortFlags: true,
    acceptsRest: true,
    examples: [
      "atmos terraform plan vpc -s plat-ue2-prod",
      "atmos terraform apply vpc -s plat-ue2-prod -i prod-admin -- -auto-approve",
      "atmos terraform deploy vpc -s plat-ue2-prod",
    ],
    async run(inv) {
      const { runTerraform } = await import("./terraform_run.ts");
      return await runTerraform(rt, inv);
    },
  };
}
