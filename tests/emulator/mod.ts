/**
 * A local AWS emulator (STS + GitHub-style OIDC) for e2e tests and the demo.
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
  UserKeys,
} from "./types.ts";
