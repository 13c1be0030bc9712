/**
 * `aws/iam-identity-center`: signs in to an AWS IAM Identity Center portal and hands its
 * access token to `aws/permission-set` identities. The token comes from the shared token
 * cache, a silent refresh, or the device authorization flow (see `sso_token.ts`); with
 * `auto_provision_identities: true` every account and permission set becomes an identity
 * (see `sso_discovery.ts`).
 *
 * @module
 */
import { AtmosError, type ConfigError } from "../../errors.ts";
import type { IdentityConfig, ProviderConfig } from "../../config/types.ts";
import { resolveEndpoint } from "../../aws/endpoints.ts";
import { AWS_REGION } from "../../aws/settings_check.ts";
import { logout as portalLogout } from "../../aws/sso.ts";
import { readSsoCache, ssoCachePath } from "../../aws/sso_cache.ts";
import { ssoCredentialSet } from "../../aws/credential_set.ts";
import type { AuthContext, IssueFn, LinkInfo, ProviderKind } from "../kind.ts";
import { stringAt } from "../../config/values.ts";
import { type Portal, type PortalToken, portalToken } from "./aws_sso_token.ts";
import {
  discoverIdentities,
  provisionedPath,
  readProvisioned,
  writeProvisioned,
} from "../../aws/sso_discovery.ts";

/** The `aws/iam-identity-center` provider kind. */
export const awsIamIdentityCenter: ProviderKind = {
  kind: "aws/iam-identity-center",
  fields: { spec: { endpoint_url: "string" } },
  validate(config: ProviderConfig, issue: IssueFn): ConfigError[] {
    const errors: ConfigError[] = [];
    const startUrl = config.start_url;
    if (typeof startUrl !== "string" || startUrl === "") {
      errors.push(issue(
        ["start_url"],
        "start_url is required",
        "set the AWS access portal URL, e.g. https://my-company.awsapps.com/start",
      ));
    } else if (!/^https?:\/\/[^\s/]+/.test(startUrl)) {
      errors.push(issue(
        ["start_url"],
        `invalid start_url "${startUrl}"`,
        "expected the AWS access portal URL, e.g. https://my-company.awsapps.com/start",
      ));
    }
    const region = config.region;
    if (typeof region !== "string" || region === "") {
      errors.push(issue(
        ["region"],
        "region is required",
        "set the region of the IAM Identity Center instance, e.g. us-east-1",
      ));
    } else if (!AWS_REGION.test(region)) {
      errors.push(issue(["region"], `invalid region "${region}"`, "e.g. us-east-1"));
    }
    const endpoint = config.spec?.endpoint_url;
    if (endpoint !== undefined && (typeof endpoint !== "string" || !URL.canParse(endpoint))) {
      errors.push(issue(["spec", "endpoint_url"], "spec.endpoint_url must be a URL"));
    }
    return errors;
  },
  async authenticate(link, ctx) {
    const portal = portalOf(link, ctx);
    const token = await portalToken(portal, ctx);
    if (link.config.auto_provision_identities === true) {
      await provision(link, portal, token, ctx);
    }
    return ssoCredentialSet({
      accessToken: token.accessToken,
      expiration: token.expiresAt,
      region: portal.region,
      startUrl: portal.startUrl,
    });
  },
  async logout(link, ctx, options) {
    const portal = portalOf(link, ctx);
    const removed: string[] = [];
    const path = await ssoCachePath(ctx.configDir, portal.startUrl, portal.region);
    if (await exists(path)) {
      removed.push(path);
      if (!options.dryRun) await forgetToken(link, portal, path, ctx);
    }
    const provisioned = provisionedPath(ctx.configDir, link.name);
    if (provisioned && await exists(provisioned)) {
      removed.push(provisioned);
      if (!options.dryRun) await (await ctx.writer()).remove(provisioned);
    }
    return removed;
  },
  provisionedIdentities(link, configDir): Record<string, IdentityConfig> {
    const { start_url: startUrl, region } = link.config;
    if (link.config.auto_provision_identities !== true || !startUrl || !region) return {};
    const path = provisionedPath(configDir, link.name);
    return path ? readProvisioned(path, { provider: link.name, startUrl, region }) : {};
  },
};

function portalOf(link: LinkInfo<ProviderConfig>, ctx: AuthContext): Portal {
  const { start_url: startUrl, region } = link.config;
  if (!startUrl || !region) {
    throw new AtmosError(`provider "${link.name}" needs start_url and region`, { exitCode: 2 });
  }
  return {
    provider: link.name,
    startUrl,
    region,
    oidcEndpoint: resolveEndpoint("SSO_OIDC", region, configuredEndpoint(link), ctx.env),
  };
}

function portalEndpoint(link: LinkInfo<ProviderConfig>, ctx: AuthContext): string {
  return resolveEndpoint("SSO", link.config.region!, configuredEndpoint(link), ctx.env);
}

function configuredEndpoint(link: LinkInfo<ProviderConfig>): string | undefined {
  return stringAt(link.config.spec, "endpoint_url");
}

/**
 * Discovers identities after a new sign-in or refresh, or when none are stored yet. Failures
 * are reported and never fail the login.
 */
async function provision(
  link: LinkInfo<ProviderConfig>,
  portal: Portal,
  token: PortalToken,
  ctx: AuthContext,
): Promise<void> {
  const path = provisionedPath(ctx.configDir, link.name);
  if (!path) {
    ctx.debug(`provider "${link.name}": its name cannot be a directory; not discovering`);
    return;
  }
  if (token.source === "cache" && await exists(path)) return;
  try {
    const file = await discoverIdentities(
      { endpoint: portalEndpoint(link, ctx) },
      token.accessToken,
      portal,
      new Date(ctx.now()),
    );
    await writeProvisioned(await ctx.writer(), path, file);
    const { accounts, identities } = file._metadata.counts;
    ctx.notice(
      `Discovered ${identities} identities in ${accounts} accounts for provider "${link.name}" (see "atmos auth list")`,
    );
  } catch (error) {
    ctx.notice(
      `warning: cannot discover the identities of provider "${link.name}": ${
        (error as Error).message
      }`,
    );
  }
}

/** Ends the portal session (best effort) and deletes the token cache under its lock. */
async function forgetToken(
  link: LinkInfo<ProviderConfig>,
  portal: Portal,
  path: string,
  ctx: AuthContext,
): Promise<void> {
  const writer = await ctx.writer();
  await writer.withLock(path, async () => {
    const cache = await readSsoCache(path, portal.startUrl, portal.region);
    if (cache?.accessToken && cache.expiresAt && cache.expiresAt.getTime() > ctx.now()) {
      await portalLogout(
        { endpoint: portalEndpoint(link, ctx), timeoutMs: 5_000, retries: 0 },
        cache.accessToken,
      )
        .catch((error) => ctx.debug(`sso logout: ${(error as Error).message}`));
    }
    await writer.remove(path);
  });
}

async function exists(path: string): Promise<boolean> {
  return await Deno.lstat(path).then(() => true, () => false);
}
