/**
 * The registry's lines: the one table that maps `kind:` strings to their modules and names the
 * credential outputs (clouds). Adding a kind is one file under `providers/` or `identities/` plus
 * one line here; adding a cloud is `lib/<cloud>/` (its output and variables), its kind files and
 * lines here — no other module of the core changes.
 *
 * @module
 */
import { KindRegistry } from "./kind_registry.ts";

/** The registry of atmos's kinds. */
export const registry: KindRegistry = new KindRegistry({
  providers: [
    {
      kind: "github/oidc",
      load: async () => (await import("../providers/github_oidc.ts")).githubOidc,
    },
    {
      kind: "aws/iam-identity-center",
      provisions: ["aws/permission-set"],
      load: async () => (await import("../providers/aws_sso.ts")).awsIamIdentityCenter,
    },
    {
      kind: "azure/device-code",
      load: async () => (await import("../providers/azure_device_code.ts")).azureDeviceCode,
    },
    {
      kind: "azure/interactive",
      load: async () => (await import("../providers/azure_interactive.ts")).azureInteractive,
    },
    {
      kind: "azure/oidc",
      load: async () => (await import("../providers/azure_oidc.ts")).azureOidc,
    },
    {
      kind: "azure/cli",
      load: async () => (await import("../providers/azure_cli.ts")).azureCli,
    },
    {
      kind: "gcp/adc",
      load: async () => (await import("../providers/gcp_adc.ts")).gcpAdc,
    },
    {
      kind: "gcp/workload-identity-federation",
      load: async () => (await import("../providers/gcp_wif.ts")).gcpWorkloadIdentityFederation,
    },
  ],
  identities: [
    {
      kind: "aws/user",
      standalone: true,
      rootDir: "aws-user",
      load: async () => (await import("../identities/aws_user.ts")).awsUser,
    },
    {
      kind: "aws/assume-role",
      standalone: false,
      load: async () => (await import("../identities/aws_assume_role.ts")).awsAssumeRole,
    },
    {
      kind: "aws/ambient",
      standalone: true,
      load: async () => (await import("../identities/aws_ambient.ts")).awsAmbient,
    },
    {
      kind: "ambient",
      standalone: true,
      load: async () => (await import("../identities/ambient.ts")).ambient,
    },
    {
      kind: "aws/permission-set",
      standalone: false,
      load: async () => (await import("../identities/aws_permission_set.ts")).awsPermissionSet,
    },
    {
      kind: "azure/subscription",
      standalone: false,
      load: async () => (await import("../identities/azure_subscription.ts")).azureSubscription,
    },
    {
      kind: "gcp/service-account",
      standalone: false,
      load: async () => (await import("../identities/gcp_service_account.ts")).gcpServiceAccount,
    },
    {
      kind: "gcp/project",
      standalone: false,
      load: async () => (await import("../identities/gcp_project.ts")).gcpProject,
    },
  ],
  outputs: [
    {
      name: "aws",
      label: "AWS",
      variables: async () => (await import("../../aws/variables.ts")).CREDENTIAL_VARIABLES,
      load: async () => (await import("../../aws/output.ts")).awsFilesOutput,
    },
    {
      name: "azure",
      label: "Azure",
      variables: async () => (await import("../../azure/variables.ts")).CREDENTIAL_VARIABLES,
      load: async () => (await import("../../azure/output.ts")).azureOutput,
    },
    {
      name: "gcp",
      label: "Google Cloud",
      variables: async () => (await import("../../gcp/variables.ts")).CREDENTIAL_VARIABLES,
      load: async () => (await import("../../gcp/output.ts")).gcpOutput,
    },
  ],
});
