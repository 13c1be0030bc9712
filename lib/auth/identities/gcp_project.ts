/**
 * `gcp/project`: the previous link's Google credentials, as they are, for a project (and
 * region/zone): children get the same kind of files with the project in gcloud's configuration
 * and in `GOOGLE_CLOUD_PROJECT`/`GCLOUD_PROJECT`/`CLOUDSDK_CORE_PROJECT`. atmos mints one token
 * at login to check the credentials.
 *
 * @module
 */
import type { ConfigError } from "../../errors.ts";
import type { IdentityConfig } from "../../config/types.ts";
import type { CredentialSet } from "../credentials.ts";
import type { AuthContext, IdentityKind, IssueFn, LinkInfo } from "../kind.ts";
import { gcpOutput } from "../../gcp/output.ts";
import { chainRegion, chainScopes } from "../../gcp/link.ts";
import { locationProblem, projectProblem, settingProblems } from "../../gcp/validate.ts";
import { googleInput } from "./gcp_service_account.ts";

/** The `gcp/project` identity kind. */
export const gcpProject: IdentityKind = {
  kind: "gcp/project",
  output: gcpOutput,
  fields: {
    principal: { project_id: "string", region: "string", zone: "string", location: "string" },
  },
  validate(config: IdentityConfig, issue: IssueFn): ConfigError[] {
    return settingProblems(config.principal, "principal", [
      {
        key: "project_id",
        shape: projectProblem,
        required: "the id of the project children work in, e.g. my-project",
      },
      { key: "region", shape: locationProblem },
      { key: "zone", shape: locationProblem },
      { key: "location", shape: locationProblem },
    ], issue);
  },
  region(link: LinkInfo<IdentityConfig>): string | undefined {
    return chainRegion(link);
  },
  async authenticate(input: CredentialSet | null, link, ctx: AuthContext) {
    const upstream = googleInput(input, link.name, "gcp/project");
    const { checkedIdentity } = await import("../../gcp/verify.ts");
    return await checkedIdentity(upstream, upstream.plan, link, ctx, chainScopes(link));
  },
};
