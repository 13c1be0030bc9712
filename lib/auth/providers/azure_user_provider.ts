/**
 * What `azure/device-code` and `azure/interactive` share: the kind itself (spec, checks, the
 * token order of `azure_user_tokens.ts`) around their own sign-in, the terminal rule for a
 * sign-in, and Ctrl-C as a cancel (exit 130).
 *
 * @module
 */
import { AtmosError, type ConfigError } from "../../errors.ts";
import type { ProviderConfig } from "../../config/types.ts";
import type { AuthContext, IssueFn, LinkInfo, ProviderKind } from "../kind.ts";
import type { TokenResponse } from "../../azure/entra.ts";
import { azureSettings } from "../../azure/link.ts";
import { credentialDir } from "../../fs/layout.ts";
import {
  forcedTty,
  providerAuthority,
  publicClientId,
  USER_SPEC,
  userVersionCheck,
  validateAzureSpec,
} from "./azure_spec.ts";
import { providerUserSet, type UserTokenRequest } from "./azure_user_tokens.ts";

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

/**
 * Refuses an interactive sign-in without a terminal (unless `ATMOS_FORCE_TTY=true`), with one
 * line saying what to do.
 */
export function requireTerminal(request: UserTokenRequest, ctx: AuthContext): void {
  if (ctx.interactive || forcedTty(ctx.env)) return;
  throw new AtmosError(
    `provider "${request.provider}" needs you to sign in to Microsoft Entra ID: there is no valid token and this is not a terminal`,
    {
      exitCode: 2,
      hint:
        'run "atmos auth login" on a terminal first, or set ATMOS_FORCE_TTY=true to show the sign-in code here',
    },
  );
}

/** Runs `fn` with Ctrl-C turned into an abort of its signal (a cancel exits 130). */
export async function withInterrupt<T>(fn: (signal: AbortSignal) => Promise<T>): Promise<T> {
  const abort = new AbortController();
  const onInterrupt = () => abort.abort(new Error("cancelled"));
  let listening = false;
  try {
    Deno.addSignalListener("SIGINT", onInterrupt);
    listening = true;
  } catch {
    // no signal support here: Ctrl-C ends the process as usual
  }
  try {
    return await fn(abort.signal);
  } finally {
    if (listening) Deno.removeSignalListener("SIGINT", onInterrupt);
  }
}
