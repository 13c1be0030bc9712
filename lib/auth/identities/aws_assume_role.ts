/**
 * `aws/assume-role`: `sts:AssumeRole` signed by the previous link's AWS credentials, or
 * `sts:AssumeRoleWithWebIdentity` when the previous link produced an OIDC token.
 *
 * @module
 */
import { AtmosError, type ConfigError } from "../../errors.ts";
import type { IdentityConfig } from "../../config/types.ts";
import type { CredentialSet } from "../credentials.ts";
import { isOidcSet } from "../credentials.ts";
import { awsCredentialSet, isAwsSet } from "../../aws/credential_set.ts";
import { awsFilesOutput } from "../../aws/output.ts";
import { stringAt } from "../../config/values.ts";
import type { AuthContext, IdentityKind, IssueFn, LinkInfo } from "../kind.ts";
import { chainEndpoint, chainRegion, DEFAULT_REGION, sanitizeSessionName } from "../../aws/link.ts";
import { parseDurationSeconds } from "../duration.ts";
import { RefusedInputError } from "../refused.ts";
import { refusesCredentials } from "../../aws/refusal.ts";
import { awsSettingProblems } from "../../aws/settings_check.ts";

const ROLE_ARN = /^arn:aws[\w-]*:iam::\d{12}:role\/[\w+=,.@\/-]+$/;

/** The `aws/assume-role` identity kind. */
export const awsAssumeRole: IdentityKind = {
  kind: "aws/assume-role",
  output: awsFilesOutput,
  fields: {
    principal: {
      assume_role: "string",
      session_name: "string",
      external_id: "string",
      duration: "duration",
      region: "string",
    },
    spec: { endpoint_url: "string", signin_endpoint_url: "string" },
  },
  validate(config: IdentityConfig, issue: IssueFn): ConfigError[] {
    const errors: ConfigError[] = [];
    const role = config.principal?.assume_role;
    if (role === undefined || role === null || role === "") {
      errors.push(issue(
        ["principal", "assume_role"],
        "principal.assume_role is required",
        "set the ARN of the role to assume, e.g. arn:aws:iam::123456789012:role/Admin",
      ));
    } else if (typeof role !== "string" || !ROLE_ARN.test(role)) {
      errors.push(issue(
        ["principal", "assume_role"],
        `invalid role ARN "${role}"`,
        "expected arn:aws:iam::<12-digit account>:role/<name>",
      ));
    }
    errors.push(...awsSettingProblems(config, issue, [["principal", "region"]]));
    const duration = config.principal?.duration;
    if (duration !== undefined && duration !== null) {
      const seconds = parseDurationSeconds(duration);
      if (seconds === undefined || seconds < 900 || seconds > 43200) {
        errors.push(issue(
          ["principal", "duration"],
          `invalid role session duration "${duration}"`,
          "use a Go duration between 15m and 12h, e.g. 1h",
        ));
      }
    }
    return errors;
  },
  region(link: LinkInfo<IdentityConfig>): string | undefined {
    return chainRegion(link);
  },
  async authenticate(input: CredentialSet | null, link, ctx: AuthContext) {
    const principal = link.config.principal ?? {};
    const roleArn = String(principal.assume_role);
    const region = stringAt(principal, "region") ??
      (isAwsSet(input) ? input.aws.region : undefined) ?? chainRegion(link) ?? DEFAULT_REGION;
    // The STS client loads only when a call is made: a warm run only reads files.
    const [{ resolveEndpoint }, { assumeRole, assumeRoleWithWebIdentity }] = await Promise.all([
      import("../../aws/endpoints.ts"),
      import("../../aws/sts.ts"),
    ]);
    const endpoint = resolveEndpoint("STS", region, chainEndpoint(link), ctx.env);
    const sessionName = sanitizeSessionName(
      stringAt(principal, "session_name") ?? `atmos-${link.name}-${Math.floor(ctx.now() / 1000)}`,
    );
    const durationSeconds = parseDurationSeconds(principal.duration);
    const fail = (error: Error): never => {
      const message = `Cannot assume role "${link.name}" (${roleArn}): ${error.message}`;
      // Keys from the previous link that STS does not accept: the core may drop them if cached.
      if (isAwsSet(input) && refusesCredentials(error)) {
        throw new RefusedInputError(message, { cause: error });
      }
      throw new AtmosError(message, { cause: error });
    };
    if (isOidcSet(input)) {
      ctx.debug(`aws/assume-role "${link.name}": AssumeRoleWithWebIdentity at ${endpoint}`);
      const result = await assumeRoleWithWebIdentity({ region, endpoint }, {
        roleArn,
        sessionName,
        webIdentityToken: input.token,
        durationSeconds,
      }).catch(fail);
      return awsCredentialSet({ ...result.credentials, region }, result.arn);
    }
    if (isAwsSet(input)) {
      ctx.debug(`aws/assume-role "${link.name}": AssumeRole at ${endpoint}`);
      const result = await assumeRole({ region, endpoint, credentials: input.aws }, {
        roleArn,
        sessionName,
        durationSeconds,
        externalId: stringAt(principal, "external_id"),
      }).catch(fail);
      return awsCredentialSet({ ...result.credentials, region }, result.arn);
    }
    throw new AtmosError(
      `Cannot assume role "${link.name}": its via link gives ${
        input?.type ?? "no"
      } credentials, not AWS keys or an OIDC token`,
      { exitCode: 2, hint: "point via at an AWS identity or an OIDC provider" },
    );
  },
};
