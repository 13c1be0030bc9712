/**
 * A local cloud emulator for e2e tests and the demo: AWS (STS, GitHub-style OIDC, IAM Identity
 * Center's SSO OIDC device flow and portal, the console sign-in federation endpoint), Google (STS
 * token exchange, IAM Credentials generateAccessToken, OAuth refresh, tokeninfo, Cloud Resource
 * Manager) and Microsoft Entra ID over https with a test CA (discovery, client credentials with a
 * federated assertion, device code, refresh token, authorization code with PKCE), plus a proxy
 * trap that refuses and logs any request a client tries to send off loopback.
 *
 * Test infrastructure, hand-written on purpose: we need a verifier that checks real SigV4
 * signatures, JWTs and PKCE against secrets it issued, attributes tokens to principals and counts
 * calls; no npm emulator does this offline.
 *
 * @example
 * ```ts
 * const emu = await startEmulator();
 * const keys = emu.createUser({ name: "alice" });
 * // … point a client at emu.url with keys …
 * await emu.stop();
 * ```
 *
 * @module
 */

export { startEmulator } from "./server.ts";
export { totp } from "./totp.ts";
export type {
  AzureAppOptions,
  AzureEmulator,
  AzureOptions,
  AzurePendingAuthorization,
  AzureTokenInfo,
  AzureUserOptions,
  AzureUserTokens,
  CreateUserOptions,
  CredentialAction,
  Emulator,
  EmulatorOptions,
  EmulatorTrap,
  FaultSpec,
  GcpAuthorizedUser,
  GcpEmulator,
  GcpOptions,
  GcpProjectOptions,
  GcpServiceAccountOptions,
  GcpTokenInfo,
  GcpWifProviderOptions,
  SigninSession,
  SsoAccountOptions,
  SsoOptions,
  UserKeys,
} from "./types.ts";
