/**
 * `gcp/adc`: the user's Google Application Default Credentials (the file `gcloud auth
 * application-default login` writes, or the one `GOOGLE_APPLICATION_CREDENTIALS` names). Reading
 * the file needs no network; the identity on top checks the chain with one token.
 *
 * Atmos marks this provider ambient to keep it out of the keyring. atmos keeps no keyring entry
 * for it either, but its chains follow the caching rule: the identity's files are reused while
 * the checked token has more than 5 minutes left and the user's ADC file is unchanged (its size
 * and time are recorded), so a warm run makes no network call.
 *
 * @module
 */
import type { ConfigError } from "../../errors.ts";
import type { ProviderConfig } from "../../config/types.ts";
import { stringAt } from "../../config/values.ts";
import type { IssueFn, ProviderKind } from "../kind.ts";
import { planOf } from "../../gcp/adc.ts";
import { gcpCredentialSet } from "../../gcp/credential_set.ts";
import {
  listProblems,
  locationProblem,
  projectProblem,
  scopeProblem,
  settingProblems,
} from "../../gcp/validate.ts";

/** The `gcp/adc` provider kind. */
export const gcpAdc: ProviderKind = {
  kind: "gcp/adc",
  fields: { spec: { project_id: "string", region: "string", scopes: "string[]" } },
  validate(config: ProviderConfig, issue: IssueFn): ConfigError[] {
    return commonSpecProblems(config, issue);
  },
  async authenticate(link, ctx) {
    const { findAdcFile } = await import("../../gcp/adc_file.ts");
    const found = findAdcFile(ctx.env, ctx.configDir, ctx.debug);
    const plan = planOf(found.json, found.path);
    return gcpCredentialSet({
      plan,
      origin: found.origin,
      project: stringAt(link.config.spec, "project_id"),
      region: stringAt(link.config.spec, "region"),
    });
  },
};

/** Checks `spec.project_id`, `spec.region` and `spec.scopes` of a Google provider. */
export function commonSpecProblems(config: ProviderConfig, issue: IssueFn): ConfigError[] {
  return [
    ...settingProblems(config.spec, "spec", [
      { key: "project_id", shape: projectProblem },
      { key: "region", shape: locationProblem },
    ], issue),
    ...listProblems(config.spec, "spec", "scopes", scopeProblem, issue),
  ];
}
