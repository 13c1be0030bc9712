/**
 * `gcp/workload-identity-federation`: an OIDC token from the environment (a variable, a file, a
 * URL — GitHub Actions detected as Atmos does) federated into Google through STS, optionally
 * impersonating `spec.service_account_email`. Children get an `external_account` file that
 * exchanges the token themselves (see `lib/gcp/token_source.ts` for where they get it again).
 * Ambient: a chain rooted here is never resumed from files.
 *
 * @module
 */
import type { ConfigError } from "../../errors.ts";
import type { ProviderConfig } from "../../config/types.ts";
import { stringAt } from "../../config/values.ts";
import type { IssueFn, ProviderKind } from "../kind.ts";
import { gcpCredentialSet } from "../../gcp/credential_set.ts";
import { checkedUrl, gcpEndpoints, stsTokenUrl } from "../../gcp/endpoints.ts";
import { JWT_TOKEN_TYPE } from "../../gcp/sts.ts";
import type { TokenSourceSpec } from "../../gcp/token_source.ts";
import type { GcpPlan } from "../../gcp/adc.ts";
import {
  emailProblem,
  poolIdProblem,
  projectNumberProblem,
  settingProblems,
} from "../../gcp/validate.ts";
import { commonSpecProblems } from "./gcp_adc.ts";
import { AtmosError } from "../../errors.ts";

/** Each id setting, its older name (Atmos reads both), and what it names. */
const ALIASES = [
  ["workload_identity_pool_id", "workload_identity_pool", "pool"],
  ["workload_identity_provider_id", "workload_identity_provider", "provider"],
] as const;

/** The STS audience of a workload identity pool provider. */
export function wifAudience(spec: Record<string, unknown>): string {
  return `//iam.googleapis.com/projects/${stringAt(spec, "project_number")}/locations/global/` +
    `workloadIdentityPools/${poolId(spec)}/providers/${providerId(spec)}`;
}

/** The `gcp/workload-identity-federation` provider kind. */
export const gcpWorkloadIdentityFederation: ProviderKind = {
  kind: "gcp/workload-identity-federation",
  ambient: true,
  fields: {
    spec: {
      project_number: "scalar",
      workload_identity_pool_id: "string",
      workload_identity_pool: "string",
      workload_identity_provider_id: "string",
      workload_identity_provider: "string",
      project_id: "string",
      service_account_email: "string",
      scopes: "string[]",
      region: "string",
      token_source: {
        type: { oneOf: ["environment", "file", "url"] },
        environment_variable: "string",
        file_path: "string",
        url: "string",
        request_token: "string",
        audience: "string",
        allowed_hosts: "strings",
      },
    },
  },
  secretsIn(config) {
    // A request token written in the configuration (e.g. read with !env) is the runner's bearer.
    const token = (config.spec?.token_source as Record<string, unknown> | undefined)?.request_token;
    return typeof token === "string" && token.length >= 8 ? [token] : [];
  },
  validate(config: ProviderConfig, issue: IssueFn): ConfigError[] {
    const spec = config.spec ?? {};
    const errors = [
      ...commonSpecProblems(config, issue),
      ...settingProblems(spec, "spec", [
        {
          key: "project_number",
          shape: projectNumberProblem,
          required:
            'the number of the project holding the workload identity pool, e.g. "123456789012"',
        },
        { key: "service_account_email", shape: emailProblem },
      ], issue),
    ];
    for (const [id, alias, what] of ALIASES) {
      const value = stringAt(spec, id);
      const legacy = stringAt(spec, alias);
      if (value !== undefined && legacy !== undefined && value !== legacy) {
        errors.push(issue(
          ["spec", alias],
          `spec.${alias} and spec.${id} name different ${what}s`,
          `keep only ${id}`,
        ));
        continue;
      }
      errors.push(...settingProblems(spec, "spec", [{
        key: legacy !== undefined ? alias : id,
        shape: poolIdProblem,
        required: `the id of the workload identity ${what} (or its older name ${alias})`,
      }], issue));
    }
    errors.push(...tokenSourceProblems(spec.token_source as TokenSourceSpec | undefined, issue));
    return errors;
  },
  async authenticate(link, ctx) {
    const spec = link.config.spec ?? {};
    const { resolveSubject } = await import("../../gcp/token_source.ts");
    const endpoints = gcpEndpoints(ctx.env);
    const audience = wifAudience(spec);
    const subject = await resolveSubject(
      spec.token_source as TokenSourceSpec | undefined,
      audience,
      ctx.env,
      link.name,
    );
    const email = stringAt(spec, "service_account_email");
    const plan: GcpPlan = {
      base: {
        type: "external_account",
        audience,
        subject_token_type: JWT_TOKEN_TYPE,
        token_url: stsTokenUrl(endpoints),
        credential_source: subject.credentialSource,
      },
      chain: email ? [email] : [],
    };
    ctx.debug(`gcp/workload-identity-federation "${link.name}": subject token for ${audience}`);
    return gcpCredentialSet({
      plan,
      subject: { token: subject.token, write: subject.write },
      endpoints,
      project: stringAt(spec, "project_id"),
      region: stringAt(spec, "region"),
    });
  },
};

function poolId(spec: Record<string, unknown>): string | undefined {
  return stringAt(spec, "workload_identity_pool_id") ?? stringAt(spec, "workload_identity_pool");
}

function providerId(spec: Record<string, unknown>): string | undefined {
  return stringAt(spec, "workload_identity_provider_id") ??
    stringAt(spec, "workload_identity_provider");
}

function tokenSourceProblems(source: TokenSourceSpec | undefined, issue: IssueFn): ConfigError[] {
  if (!source) return [];
  const at = (key: string) => ["spec", "token_source", key];
  const errors: ConfigError[] = [];
  // As in Atmos, a token_source without a type reads a variable.
  const type = source.type ?? "environment";
  if (type === "environment" && !source.environment_variable) {
    errors.push(issue(
      at("environment_variable"),
      "a token_source of type environment needs environment_variable",
      "name the variable holding the OIDC token",
    ));
  } else if (type === "file" && !source.file_path) {
    errors.push(issue(at("file_path"), "a token_source of type file needs file_path"));
  }
  if (source.url) {
    try {
      checkedUrl(source.url, "spec.token_source.url");
    } catch (error) {
      errors.push(issue(at("url"), (error as AtmosError).message, (error as AtmosError).hint));
    }
  }
  return errors;
}
