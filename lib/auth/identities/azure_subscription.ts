/**
 * `azure/subscription`: an Azure subscription (with optional location and resource group)
 * reached through an Azure provider's user or application. It calls nothing: the provider's
 * credentials are written into the identity's own Azure CLI config dir with this subscription as
 * the default (see `lib/azure/output.ts`).
 *
 * @module
 */
import { AtmosError, type ConfigError } from "../../errors.ts";
import type { IdentityConfig } from "../../config/types.ts";
import { stringAt } from "../../config/values.ts";
import type { CredentialSet } from "../credentials.ts";
import type { IdentityKind, IssueFn, LinkInfo } from "../kind.ts";
import { isAzureSet } from "../../azure/credential_set.ts";
import { azureOutput } from "../../azure/output.ts";
import { azureSettings } from "../../azure/link.ts";
import { guidProblems } from "../providers/azure_spec.ts";

/** The `azure/subscription` identity kind. */
export const azureSubscription: IdentityKind = {
  kind: "azure/subscription",
  output: azureOutput,
  fields: {
    principal: { subscription_id: "string", location: "string", resource_group: "string" },
  },
  validate(config: IdentityConfig, issue: IssueFn): ConfigError[] {
    const errors = guidProblems(config.principal, "subscription_id", issue, {
      required: true,
      what: "subscription",
      section: "principal",
    });
    for (const key of ["location", "resource_group"]) {
      if (config.principal?.[key] === "") {
        errors.push(
          issue(["principal", key], `principal.${key} must not be empty`, "remove it or set one"),
        );
      }
    }
    return errors;
  },
  region(link: LinkInfo<IdentityConfig>): string | undefined {
    return azureSettings(link).location;
  },
  authenticate(input: CredentialSet | null, link) {
    if (!isAzureSet(input)) {
      return Promise.reject(
        new AtmosError(
          `Identity "${link.name}" (azure/subscription) needs an Azure provider: its via link gives ${
            input?.type ?? "no"
          } credentials`,
          {
            exitCode: 2,
            hint:
              "point via.provider at an azure/device-code, azure/interactive, azure/oidc or azure/cli provider",
          },
        ),
      );
    }
    const subscription = stringAt(link.config.principal, "subscription_id");
    if (!subscription) {
      return Promise.reject(
        new AtmosError(`Identity "${link.name}" needs principal.subscription_id`, { exitCode: 2 }),
      );
    }
    return Promise.resolve(input);
  },
};
