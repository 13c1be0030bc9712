/**
 * `aws/permission-set`: role credentials of an IAM Identity Center permission set in one
 * account (`sso:GetRoleCredentials`), with the access token of an `aws/iam-identity-center`
 * provider. The account is given by ID, or by name (resolved with `sso:ListAccounts`, all
 * pages, exact name, a near-name suggestion when none matches).
 *
 * @module
 */
import { AtmosError, type ConfigError } from "../../errors.ts";
import type { IdentityConfig } from "../../config/types.ts";
import { didYouMean } from "../../config/suggest.ts";
import { resolveEndpoint } from "../../aws/endpoints.ts";
import {
  allPages,
  getRoleCredentials,
  listAccounts,
  SsoError,
  type SsoTarget,
} from "../../aws/sso.ts";
import { awsCredentialSet, isSsoSet, type SsoCredentialSet } from "../../aws/credential_set.ts";
import { awsFilesOutput } from "../../aws/output.ts";
import { stringAt } from "../../config/values.ts";
import type { IdentityKind, IssueFn, LinkInfo } from "../kind.ts";
import { chainEndpoint, chainRegion } from "../../aws/link.ts";
import { awsSettingProblems } from "../../aws/settings_check.ts";

/** The `aws/permission-set` identity kind. */
export const awsPermissionSet: IdentityKind = {
  kind: "aws/permission-set",
  output: awsFilesOutput,
  fields: {
    principal: { name: "string", account: { id: "scalar", name: "string" }, region: "string" },
    spec: { endpoint_url: "string", signin_endpoint_url: "string" },
  },
  validate(config: IdentityConfig, issue: IssueFn): ConfigError[] {
    const principal = config.principal;
    if (!principal || typeof principal !== "object") {
      return [issue(
        ["principal"],
        "principal is required",
        "set principal.name (the permission set) and principal.account.id or .name",
      )];
    }
    const errors = awsSettingProblems(config, issue, [["principal", "region"]]);
    const name = principal.name;
    if (typeof name !== "string" || name === "") {
      errors.push(issue(
        ["principal", "name"],
        "permission set name is required in principal",
        "set principal.name, e.g. AdministratorAccess",
      ));
    }
    const account = principal.account as Record<string, unknown> | undefined;
    const id = account?.id;
    const accountName = account?.name;
    const hasId = id !== undefined && id !== null && id !== "";
    const hasName = typeof accountName === "string" && accountName !== "";
    if (!account || typeof account !== "object" || (!hasId && !hasName)) {
      errors.push(issue(
        ["principal", "account"],
        "account specification is required in principal",
        'set principal.account.id (12 digits, quoted: "012345678901") or principal.account.name',
      ));
    } else if (hasId && !/^\d{12}$/.test(String(id))) {
      errors.push(issue(
        ["principal", "account", "id"],
        `invalid account ID "${id}"`,
        typeof id === "number"
          ? 'quote it so leading zeros are kept: id: "012345678901"'
          : "expected 12 digits",
      ));
    }
    return errors;
  },
  region(link: LinkInfo<IdentityConfig>): string | undefined {
    return chainRegion(link);
  },
  async authenticate(input, link, ctx) {
    if (!isSsoSet(input)) {
      throw new AtmosError(
        `identity "${link.name}" (aws/permission-set) needs an IAM Identity Center token, but its via link gives ${
          input?.type ?? "no"
        } credentials`,
        { exitCode: 2, hint: "point via.provider at an aws/iam-identity-center provider" },
      );
    }
    const provider = link.upstream[0]?.name ?? "";
    const target: SsoTarget = {
      endpoint: resolveEndpoint("SSO", input.region, chainEndpoint(link), ctx.env),
    };
    const principal = link.config.principal ?? {};
    const roleName = String(principal.name);
    const accountId = await accountIdOf(link, input, target, provider);
    ctx.debug(
      `aws/permission-set "${link.name}": GetRoleCredentials ${roleName} in ${accountId} at ${target.endpoint}`,
    );
    const creds = await getRoleCredentials(target, input.accessToken, accountId, roleName)
      .catch((error) => {
        throw refused(error, link.name, provider, `${roleName} in account ${accountId}`);
      });
    return awsCredentialSet({ ...creds, region: chainRegion(link) ?? input.region });
  },
};

async function accountIdOf(
  link: LinkInfo<IdentityConfig>,
  input: SsoCredentialSet,
  target: SsoTarget,
  provider: string,
): Promise<string> {
  const account = (link.config.principal?.account ?? {}) as Record<string, unknown>;
  const id = stringAt(account, "id");
  if (id) return id;
  const wanted = String(account.name);
  const accounts = await allPages((next) => listAccounts(target, input.accessToken, next))
    .catch((error) => {
      throw refused(error, link.name, provider, "the account list");
    });
  const matches = accounts.filter((a) => a.accountName === wanted);
  if (matches.length === 1) return matches[0].accountId;
  const names = [...new Set(accounts.map((a) => a.accountName))].sort();
  if (matches.length > 1) {
    throw new AtmosError(
      `identity "${link.name}": ${matches.length} accounts are named "${wanted}"`,
      {
        exitCode: 2,
        hint: `set principal.account.id instead: ${matches.map((a) => a.accountId).join(", ")}`,
      },
    );
  }
  throw new AtmosError(
    `identity "${link.name}": no account named "${wanted}" is assigned to you in ${input.startUrl}${
      didYouMean(wanted, names)
    }`,
    {
      exitCode: 2,
      hint: names.length > 0
        ? `your accounts: ${names.slice(0, 20).join(", ")}${names.length > 20 ? ", …" : ""}`
        : "no accounts are assigned to you",
    },
  );
}

function refused(error: unknown, identity: string, provider: string, what: string): Error {
  if (!(error instanceof SsoError)) return error as Error;
  if (error.code === "UnauthorizedException" || error.status === 401) {
    return new AtmosError(
      `identity "${identity}": IAM Identity Center refused the sign-in token of provider "${provider}"`,
      {
        cause: error,
        hint: `sign in again: atmos auth logout --provider ${provider} && atmos auth login`,
      },
    );
  }
  if (error.status === 403 || error.status === 404) {
    return new AtmosError(
      `identity "${identity}": cannot get credentials for ${what}: ${error.code}`,
      {
        exitCode: 2,
        cause: error,
        hint: "check principal.name and principal.account against your assignments",
      },
    );
  }
  return new AtmosError(`identity "${identity}": ${error.message}`, { cause: error });
}
