/**
 * `azure/interactive`: signs a user in to Microsoft Entra ID in the browser — authorization code
 * with PKCE on a loopback redirect (`http://localhost:<port>`), as `az login` does — and hands
 * the user's tokens to `azure/subscription` identities. Tokens come from the provider's cache
 * or a silent refresh first (see `azure_user_tokens.ts`). The sign-in URL is always printed on
 * stderr; the browser is opened unless `--no-browser` or CI says not to. Only on a terminal or
 * with `ATMOS_FORCE_TTY=true`; Ctrl-C cancels (exit 130).
 *
 * @module
 */
import type { AuthContext, ProviderKind } from "../kind.ts";
import type { TokenResponse } from "../../azure/entra.ts";
import type { UserTokenRequest } from "./azure_user_tokens.ts";
import { userProviderKind } from "./azure_user_provider.ts";

/** How long the browser sign-in may take. */
export const BROWSER_SIGN_IN_TIMEOUT_MS = 10 * 60 * 1000;

/** The `azure/interactive` provider kind. */
export const azureInteractive: ProviderKind = userProviderKind(
  "azure/interactive",
  browserSignIn,
);

/** The authorization code flow with PKCE at the login authority. */
async function browserSignIn(
  request: UserTokenRequest,
  ctx: AuthContext,
): Promise<TokenResponse> {
  const [
    { inCi, openBrowser },
    { redeemAuthorizationCode },
    { authorizeUrl, listenForRedirect, pkcePair, randomState },
    { requireTerminal, withInterrupt },
    { signInScope },
  ] = await Promise.all([
    import("../browser.ts"),
    import("../../azure/entra.ts"),
    import("../../azure/authorization_code.ts"),
    import("./azure_request.ts"),
    import("./azure_user_tokens.ts"),
  ]);
  requireTerminal(request, ctx);
  const pkce = await pkcePair();
  const state = randomState();
  const scope = signInScope(request.authority);
  const listener = listenForRedirect();
  try {
    const url = authorizeUrl({
      authority: request.authority.login,
      clientId: request.clientId,
      redirectUri: listener.redirectUri,
      scope,
      state,
      challenge: pkce.challenge,
    });
    ctx.notice(
      `Sign in to Microsoft Entra ID for provider "${request.provider}" (tenant ${request.authority.tenantId}) in your browser:\n` +
        `  open   ${url}`,
    );
    if (ctx.browser && !inCi(ctx.env) && openBrowser(url, ctx.env)) {
      ctx.notice("  A browser window has been opened.");
    }
    const code = await withInterrupt(async (signal) => {
      const progress = ctx.progress("Waiting for the sign-in in the browser (Ctrl-C cancels)…");
      try {
        return await listener.code(state, signal, BROWSER_SIGN_IN_TIMEOUT_MS);
      } finally {
        progress.stop();
      }
    });
    const response = await redeemAuthorizationCode({ authority: request.authority.login }, {
      clientId: request.clientId,
      code,
      codeVerifier: pkce.verifier,
      redirectUri: listener.redirectUri,
      scope,
    });
    ctx.notice(`✓ Signed in to Microsoft Entra ID (tenant ${request.authority.tenantId})`);
    return response;
  } finally {
    await listener.close();
  }
}
