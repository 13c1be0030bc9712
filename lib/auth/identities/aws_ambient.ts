/**
 * `aws/ambient`: the AWS credentials the machine already has (environment keys, an IRSA web
 * identity token file, or the ECS container endpoint). As a target, children keep their
 * environment and only the region is set. As the root of a chain, its credentials sign the
 * next link's AssumeRole. Ambient: never cached.
 *
 * This is the one kind that reads raw AWS variables, because being ambient is its purpose.
 *
 * @module
 */
import { AtmosError, type ConfigError } from "../../errors.ts";
import type { IdentityConfig } from "../../config/types.ts";
import { resolveEndpoint } from "../../aws/endpoints.ts";
import { assumeRoleWithWebIdentity } from "../../aws/sts.ts";
import { awsCredentialSet } from "../../aws/credential_set.ts";
import { awsAmbientOutput } from "../../aws/ambient_output.ts";
import { stringAt } from "../../config/values.ts";
import type { AuthContext, IdentityKind, IssueFn, LinkInfo } from "../kind.ts";
import { chainEndpoint, DEFAULT_REGION, sanitizeSessionName } from "../../aws/link.ts";
import { awsSettingProblems } from "../../aws/settings_check.ts";

/** The `aws/ambient` identity kind. */
export const awsAmbient: IdentityKind = {
  kind: "aws/ambient",
  output: awsAmbientOutput,
  fields: { principal: { region: "string" }, spec: { endpoint_url: "string" } },
  ambient: true,
  validate(config: IdentityConfig, issue: IssueFn): ConfigError[] {
    return awsSettingProblems(config, issue, [["principal", "region"]]);
  },
  region(link: LinkInfo<IdentityConfig>): string | undefined {
    return stringAt(link.config.principal, "region");
  },
  async authenticate(_input, link, ctx) {
    const region = stringAt(link.config.principal, "region") ?? ctx.env.get("AWS_REGION") ??
      ctx.env.get("AWS_DEFAULT_REGION") ?? DEFAULT_REGION;
    const id = ctx.env.get("AWS_ACCESS_KEY_ID");
    const secret = ctx.env.get("AWS_SECRET_ACCESS_KEY");
    if (id && secret) {
      ctx.debug(`aws/ambient "${link.name}": using environment keys`);
      return awsCredentialSet({
        accessKeyId: id,
        secretAccessKey: secret,
        sessionToken: ctx.env.get("AWS_SESSION_TOKEN") || undefined,
        region,
      });
    }
    const tokenFile = ctx.env.get("AWS_WEB_IDENTITY_TOKEN_FILE");
    const roleArn = ctx.env.get("AWS_ROLE_ARN");
    if (tokenFile && roleArn) {
      ctx.debug(`aws/ambient "${link.name}": using the web identity token file`);
      const token = (await Deno.readTextFile(tokenFile)).trim();
      const result = await assumeRoleWithWebIdentity(
        { region, endpoint: resolveEndpoint("STS", region, chainEndpoint(link), ctx.env) },
        {
          roleArn,
          sessionName: sanitizeSessionName(
            ctx.env.get("AWS_ROLE_SESSION_NAME") ??
              `atmos-${link.name}-${Math.floor(ctx.now() / 1000)}`,
          ),
          webIdentityToken: token,
        },
      );
      return awsCredentialSet({ ...result.credentials, region }, result.arn);
    }
    const container = containerEndpoint(ctx);
    if (container) {
      ctx.debug(`aws/ambient "${link.name}": using the container credentials endpoint`);
      return await containerCredentials(container, region, ctx, link.name);
    }
    throw new AtmosError(`Identity "${link.name}" (aws/ambient) found no ambient AWS credentials`, {
      hint:
        "set AWS_ACCESS_KEY_ID/AWS_SECRET_ACCESS_KEY, AWS_WEB_IDENTITY_TOKEN_FILE with AWS_ROLE_ARN, or run where the ECS container endpoint is available",
    });
  },
};

function containerEndpoint(ctx: AuthContext): string | undefined {
  const full = ctx.env.get("AWS_CONTAINER_CREDENTIALS_FULL_URI");
  if (full) return full;
  const relative = ctx.env.get("AWS_CONTAINER_CREDENTIALS_RELATIVE_URI");
  return relative ? `http://169.254.170.2${relative}` : undefined;
}

async function containerCredentials(
  url: string,
  region: string,
  ctx: AuthContext,
  name: string,
) {
  const headers: Record<string, string> = {};
  const token = ctx.env.get("AWS_CONTAINER_AUTHORIZATION_TOKEN");
  if (token) headers.authorization = token;
  const response = await fetch(url, { headers, signal: AbortSignal.timeout(5_000) });
  const body = await response.json().catch(() => ({})) as Record<string, string>;
  if (!response.ok || !body.AccessKeyId || !body.SecretAccessKey) {
    throw new AtmosError(
      `Identity "${name}" (aws/ambient): the container credentials endpoint answered HTTP ${response.status}`,
    );
  }
  return awsCredentialSet({
    accessKeyId: body.AccessKeyId,
    secretAccessKey: body.SecretAccessKey,
    sessionToken: body.Token,
    expiration: body.Expiration ? new Date(body.Expiration) : undefined,
    region,
  });
}
