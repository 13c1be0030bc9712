/**
 * `azure/device-code`: signs a user in to Microsoft Entra ID with the device code flow (RFC
 * 8628) and hands the user's tokens to `azure/subscription` identities. Tokens come from the
 * provider's cache, a silent refresh, or a new sign-in (see `azure_user_tokens.ts`); the
 * sign-in shows the code and URL on stderr, only on a terminal or with `ATMOS_FORCE_TTY=true`,
 * and Ctrl-C cancels it (exit 130).
 *
 * @module
 */
import type { AuthContext, ProviderKind } from "../kind.ts";
import type { TokenResponse } from "../../azure/entra.ts";
import type { UserTokenRequest } from "./azure_user_tokens.ts";
import { userProviderKind } from "./azure_user_provider.ts";

/** The `azure/device-code` provider kind. */
export const azureDeviceCode: ProviderKind = userProviderKind(
  "azure/device-code",
  deviceCodeSignIn,
);

/** The device code flow at the login authority. */
async function deviceCodeSignIn(
  request: UserTokenRequest,
  ctx: AuthContext,
): Promise<TokenResponse> {
  const [
    { abortableSleep, pollForToken },
    { entraPollOutcome, redeemDeviceCode, requestDeviceCode },
    { requireTerminal, withInterrupt },
    { signInScope },
  ] = await Promise.all([
    import("../device_flow.ts"),
    import("../../azure/entra.ts"),
    import("./azure_request.ts"),
    import("./azure_user_tokens.ts"),
  ]);
  requireTerminal(request, ctx);
  const target = { authority: request.authority.login };
  const response = await withInterrupt(async (signal) => {
    const code = await requestDeviceCode(target, request.clientId, signInScope(request.authority));
    ctx.notice(
      `Sign in to Microsoft Entra ID for provider "${request.provider}" (tenant ${request.authority.tenantId}):\n` +
        `  open   ${code.verificationUri}\n` +
        `  code   ${code.userCode}`,
    );
    const progress = ctx.progress(
      `Waiting for the sign-in in the browser (expires in ${
        Math.round(code.expiresIn / 60)
      }m; Ctrl-C cancels)…`,
    );
    try {
      return await pollForToken({
        poll: () => redeemDeviceCode(target, request.clientId, code.deviceCode),
        classify: entraPollOutcome,
        interval: code.interval,
        expiresIn: code.expiresIn,
        now: () => ctx.now(),
        sleep: abortableSleep,
        signal,
        onPending: (outcome, interval) =>
          ctx.debug(`azure device code: ${outcome}, next poll in ${interval}s`),
      });
    } finally {
      progress.stop();
    }
  });
  ctx.notice(`✓ Signed in to Microsoft Entra ID (tenant ${request.authority.tenantId})`);
  return response;
}
