/**
 * A local AWS emulator for e2e tests and the demo: STS, GitHub-style OIDC, IAM Identity Center
 * (SSO OIDC device flow and the SSO portal) and the console sign-in federation endpoint.
 *
 * Test infrastructure, hand-written on purpose: we need a verifier that checks real SigV4
 * signatures against secrets it issued and counts calls; no npm emulator does this offline.
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
  CreateUserOptions,
  CredentialAction,
  Emulator,
  EmulatorOptions,
  FaultSpec,
  SigninSession,
  SsoAccountOptions,
  SsoOptions,
  UserKeys,
} from "./types.ts";
