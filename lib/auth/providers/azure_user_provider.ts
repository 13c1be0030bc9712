/**
 * What `azure/device-code` and `azure/interactive` share: the kind itself (spec, checks, the
 * token order of `azure_user_tokens.ts`) around their own sign-in, and the provider's root dir.
 *
 * @module
 */
import type { ConfigError } from "../../errors.ts";
import type { ProviderConfig } from "../../config/types.ts";
import type { AuthContext, IssueFn, LinkInfo, ProviderKind } from "../kind.ts";
import type { TokenResponse } from "../../azure/entra.ts";
import { credentialDir } from "../../fs/layout.ts";
import { USER_SPEC, validateAzureSpec } from "./azure_spec.ts";
import type { UserTokenRequest } from "./azure_user_tokens.ts";

/** An interactive sign-in for a request (device code or browser). */
export type UserSignIn = (request: UserTokenRequest, ctx: AuthContext) => Promise<TokenResponse>;

/**
 * A user provider kind: cached tokens, then a silent refresh, then `signIn`. The provider's
 * cache lives in its root directory, so `auth logout --provider` removes it with the
 * identities' dirs.
 */
export function userProviderKind(kind: string, signIn: UserSignIn): ProviderKind {
  return {
    kind,
    fields: { spec: USER_SPEC },
    validate(config: ProviderConfig, issue: IssueFn): ConfigError[] {
      return validateAzureSpec(config.spec, issue);
    },
    async authenticate(link, ctx) {
      // The token machinery loads only when a link is authenticated: a warm run reads files.
      const [
        { azureSettings },
        { providerAuthority, publicClientId, userVersionCheck },
        { providerUserSet },
      ] = await Promise.all([
        import("../../azure/link.ts"),
        import("./azure_request.ts"),
        import("./azure_user_tokens.ts"),
      ]);
      const request: UserTokenRequest = {
        provider: link.name,
        authority: providerAuthority(azureSettings(link), ctx.env),
        clientId: publicClientId(link.config.spec),
        cliVersionCheck: await userVersionCheck(ctx.env),
      };
      return await providerUserSet(
        request,
        providerRootDir(link, ctx),
        ctx,
        () => signIn(request, ctx),
      );
    },
  };
}

/** `<config>/atmos/[<realm>/]azure/<provider>`: the provider's cache and its identities' dirs. */
export function providerRootDir(link: LinkInfo<ProviderConfig>, ctx: AuthContext): string {
  return credentialDir(ctx.configDir, "azure", link.name, ctx.realm || undefined);
}
