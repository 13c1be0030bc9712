/**
 * `gcp/service-account`: impersonates a service account (IAM Credentials `generateAccessToken`,
 * through `principal.delegates` when set) from the previous link's Google credentials. Children
 * do the impersonation themselves from the files: an `impersonated_service_account` ADC (or, on
 * workload identity federation, an `external_account` whose impersonation URL names this
 * account) and gcloud's own `impersonate_service_account`. atmos mints one token at login to
 * check the chain.
 *
 * @module
 */
import { AtmosError, type ConfigError } from "../../errors.ts";
import type { IdentityConfig } from "../../config/types.ts";
import type { CredentialSet } from "../credentials.ts";
import type { AuthContext, IdentityKind, IssueFn, LinkInfo } from "../kind.ts";
import { parseDurationSeconds } from "../duration.ts";
import { gcpOutput } from "../../gcp/output.ts";
import { isGcpSet } from "../../gcp/credential_set.ts";
import { impersonate } from "../../gcp/adc.ts";
import { chainRegion, scopesOf } from "../../gcp/link.ts";
import {
  emailProblem,
  listProblems,
  MAX_LIFETIME_SECONDS,
  projectProblem,
  scopeProblem,
  settingProblems,
} from "../../gcp/validate.ts";

/** The `gcp/service-account` identity kind. */
export const gcpServiceAccount: IdentityKind = {
  kind: "gcp/service-account",
  output: gcpOutput,
  fields: {
    principal: {
      service_account_email: "string",
      project_id: "string",
      scopes: "string[]",
      lifetime: "duration",
      delegates: "strings",
    },
  },
  validate(config: IdentityConfig, issue: IssueFn): ConfigError[] {
    const principal = config.principal;
    const errors = [
      ...settingProblems(principal, "principal", [
        {
          key: "service_account_email",
          shape: emailProblem,
          required:
            "the e-mail of the service account to impersonate, e.g. deployer@my-project.iam.gserviceaccount.com",
        },
        { key: "project_id", shape: projectProblem },
      ], issue),
      ...listProblems(principal, "principal", "delegates", emailProblem, issue),
      ...listProblems(principal, "principal", "scopes", scopeProblem, issue),
    ];
    const lifetime = principal?.lifetime;
    if (lifetime !== undefined && lifetime !== null) {
      const seconds = parseDurationSeconds(lifetime);
      if (seconds === undefined || seconds < 1 || seconds > MAX_LIFETIME_SECONDS) {
        errors.push(issue(
          ["principal", "lifetime"],
          `invalid lifetime "${lifetime}"`,
          "use a duration from 1s to 12h, e.g. 3600s or 1h",
        ));
      }
    }
    return errors;
  },
  region(link: LinkInfo<IdentityConfig>): string | undefined {
    return chainRegion(link);
  },
  async authenticate(input: CredentialSet | null, link, ctx: AuthContext) {
    const upstream = googleInput(input, link.name, "gcp/service-account");
    const principal = link.config.principal ?? {};
    const email = String(principal.service_account_email);
    const delegates = Array.isArray(principal.delegates) ? principal.delegates.map(String) : [];
    const lifetime = parseDurationSeconds(principal.lifetime);
    const plan = impersonate(upstream.plan, email, delegates, lifetime);
    const { checkedIdentity } = await import("../../gcp/verify.ts");
    return await checkedIdentity(upstream, plan, link, ctx, scopesOf(principal));
  },
};

/**
 * The previous link's Google credentials.
 *
 * @throws {AtmosError} exit 2 when the previous link is not a Google one.
 */
export function googleInput(input: CredentialSet | null, name: string, kind: string) {
  if (isGcpSet(input)) return input;
  throw new AtmosError(
    `Identity "${name}" (${kind}) needs Google credentials, but its via link gives ${
      input?.type ?? "none"
    }`,
    {
      exitCode: 2,
      hint:
        "point via at a gcp/adc or gcp/workload-identity-federation provider, or a Google identity",
    },
  );
}
