/**
 * `azure/cli`: reuses the user's own `az login`. Atmos reads the user's Azure CLI dir
 * (`AZURE_CONFIG_DIR`, else `~/.azure`) — never writes it, never runs `az` — and copies the
 * signed-in account of the tenant (its tokens and refresh token) into each identity's own
 * isolated dir, with the identity's subscription as the default. So steps of a workflow cannot
 * change each other's (or the user's) default subscription, and `az`, Terraform and the SDKs in a
 * child see exactly one subscription. The copy holds the user's refresh token (0600, in atmos's
 * tree; `auth logout` removes it). When the user's Resource Manager token has 5 minutes or less
 * left, atmos redeems the copied refresh token itself; the result goes only into atmos's dir.
 *
 * Ambient: never resumed from atmos's files — every run copies the user's current sign-in, so
 * `az logout` or `az login` as someone else takes effect at once.
 *
 * @module
 */
import { AtmosError, type ConfigError } from "../../errors.ts";
import type { ProviderConfig } from "../../config/types.ts";
import type { IssueFn, ProviderKind } from "../kind.ts";
import { join } from "../../fs/path.ts";
import { CLI_FILES, parseProfile } from "../../azure/cli_dir.ts";
import { CLI_SPEC, validateAzureSpec } from "./azure_spec.ts";
import type { UserTokenRequest } from "./azure_user_tokens.ts";

/** The `azure/cli` provider kind. */
export const azureCli: ProviderKind = {
  kind: "azure/cli",
  ambient: true,
  fields: { spec: CLI_SPEC },
  validate(config: ProviderConfig, issue: IssueFn): ConfigError[] {
    return validateAzureSpec(config.spec, issue);
  },
  async authenticate(link, ctx) {
    const [
      { azureSettings },
      { AZURE_CLI_CLIENT_ID },
      { providerAuthority, userCliDir, userVersionCheck },
      { freshUserSet, readCache, refreshUserSet },
    ] = await Promise.all([
      import("../../azure/link.ts"),
      import("../../azure/clouds.ts"),
      import("./azure_request.ts"),
      import("./azure_user_tokens.ts"),
    ]);
    const settings = azureSettings(link);
    const request: UserTokenRequest = {
      provider: link.name,
      authority: providerAuthority(settings, ctx.env),
      clientId: AZURE_CLI_CLIENT_ID,
      cliVersionCheck: await userVersionCheck(ctx.env),
    };
    const dir = userCliDir(ctx.env);
    const login = `az login --tenant ${settings.tenantId}`;
    if (!dir) {
      throw new AtmosError(`provider "${link.name}" (azure/cli) cannot find your Azure CLI dir`, {
        exitCode: 2,
        hint: "set AZURE_CONFIG_DIR or HOME",
      });
    }
    const cache = readCache(join(dir, CLI_FILES.tokenCache));
    if (!cache) {
      const encrypted = await Deno.lstat(join(dir, "msal_token_cache.bin")).then(
        () => true,
        () => false,
      );
      throw new AtmosError(
        encrypted
          ? `provider "${link.name}" (azure/cli) cannot read ${dir}: its token cache is encrypted (msal_token_cache.bin)`
          : `provider "${link.name}" (azure/cli) found no Azure CLI sign-in in ${dir}`,
        {
          exitCode: 2,
          hint: encrypted
            ? "use azure/device-code or azure/interactive on this machine"
            : `run "${login}" first`,
        },
      );
    }
    const username = userInTenant(dir, settings.tenantId);
    ctx.debug(`azure/cli "${link.name}": using the Azure CLI sign-in in ${dir}`);
    const set = freshUserSet(cache, request, ctx.now(), username) ??
      await refreshUserSet(request, [cache], ctx, username);
    if (!set) {
      throw new AtmosError(
        `provider "${link.name}" (azure/cli): your Azure CLI has no valid sign-in for tenant ${settings.tenantId}`,
        { exitCode: 2, hint: `run "${login}" again` },
      );
    }
    return set;
  },
};

/**
 * The user name the user's own profile signs in to `tenant` with (its default subscription
 * first), or undefined to accept any account of the tenant.
 */
function userInTenant(dir: string, tenant: string): string | undefined {
  let text: string;
  try {
    text = Deno.readTextFileSync(join(dir, CLI_FILES.profile));
  } catch {
    return undefined;
  }
  const profile = parseProfile(text);
  return profile && profile.tenantId.toLowerCase() === tenant && profile.user.type === "user"
    ? profile.user.name
    : undefined;
}
