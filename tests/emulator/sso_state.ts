/**
 * IAM Identity Center state of the emulator: the user's account assignments, registered OIDC
 * clients, device authorizations, access and refresh tokens, and console sign-in tokens.
 *
 * @module
 */

import { randomBytes, randomString, toBase64Url } from "./crypto_util.ts";
import type { EmulatorState } from "./state.ts";
import type { EmulatorOptions, SigninSession, SsoAccountOptions } from "./types.ts";

/** Default lifetimes and limits (seconds unless noted). */
export const SSO_DEFAULTS = {
  user: "alice",
  accessTokenLifetime: 8 * 3600,
  deviceCodeLifetime: 600,
  pollInterval: 1,
  registrationLifetime: 90 * 86400,
  roleCredentialLifetime: 3600,
  pageSize: 100,
  slowDownStep: 5,
};

/** A registered OIDC client. */
export interface SsoClient {
  clientId: string;
  clientSecret: string;
  expiresAtMs: number;
}

/** One device authorization, from StartDeviceAuthorization to its token. */
export interface DeviceAuthorization {
  deviceCode: string;
  userCode: string;
  clientId: string;
  startUrl: string;
  expiresAtMs: number;
  status: "pending" | "approved" | "denied" | "used";
  /** Seconds a client must wait between polls (grows by 5 on each slow_down). */
  intervalSeconds: number;
  lastPollMs?: number;
}

/** An issued access token. */
export interface SsoAccessToken {
  clientId: string;
  startUrl: string;
  expiresAtMs: number;
}

/** An issued refresh token (single use: refreshing rotates it). */
export interface SsoRefreshToken {
  clientId: string;
  startUrl: string;
}

/** All Identity Center state of one emulator. */
export interface SsoState {
  accounts: SsoAccountOptions[];
  clients: Map<string, SsoClient>;
  devices: Map<string, DeviceAuthorization>;
  accessTokens: Map<string, SsoAccessToken>;
  refreshTokens: Map<string, SsoRefreshToken>;
  signinTokens: Map<string, SigninSession & { issuedAtMs: number; used: boolean }>;
  /** Remaining forced answers per action (429 throttles, slow_down polls). */
  throttles: Map<string, number>;
  slowDowns: number;
}

/** Creates Identity Center state from the emulator options. */
export function createSsoState(options: EmulatorOptions): SsoState {
  const sso = options.sso ?? {};
  return {
    accounts: (sso.accounts ?? []).map((a) => ({ ...a, roles: [...a.roles] })),
    clients: new Map(),
    devices: new Map(),
    accessTokens: new Map(),
    refreshTokens: new Map(),
    signinTokens: new Map(),
    throttles: new Map(Object.entries(sso.throttle ?? {})),
    slowDowns: sso.slowDown ?? 0,
  };
}

/** An option of `options.sso`, or its default. */
export function ssoSetting<K extends keyof typeof SSO_DEFAULTS>(
  state: EmulatorState,
  key: K,
): (typeof SSO_DEFAULTS)[K] {
  const value = state.options.sso?.[key];
  return (value ?? SSO_DEFAULTS[key]) as (typeof SSO_DEFAULTS)[K];
}

/** A new secret-looking token (recorded as secret). */
export function newSecretToken(state: EmulatorState, prefix: string, bytes = 48): string {
  const token = `${prefix}${toBase64Url(randomBytes(bytes))}`;
  state.secrets.add(token);
  return token;
}

/** A user code like `ABCD-EFGH` (shown to the user; not secret). */
export function newUserCode(): string {
  const alphabet = "BCDFGHJKLMNPQRSTVWXZ";
  return `${randomString(alphabet, 4)}-${randomString(alphabet, 4)}`;
}

/** Issues an access token and a refresh token for a client. */
export function issueTokens(
  state: EmulatorState,
  clientId: string,
  startUrl: string,
): { accessToken: string; refreshToken: string; expiresIn: number } {
  const expiresIn = ssoSetting(state, "accessTokenLifetime");
  const accessToken = newSecretToken(state, "aoa");
  const refreshToken = newSecretToken(state, "aor");
  state.sso.accessTokens.set(accessToken, {
    clientId,
    startUrl,
    expiresAtMs: Date.now() + expiresIn * 1000,
  });
  state.sso.refreshTokens.set(refreshToken, { clientId, startUrl });
  return { accessToken, refreshToken, expiresIn };
}

/** User codes of the device authorizations waiting for approval. */
export function pendingUserCodes(state: EmulatorState): string[] {
  const now = Date.now();
  return [...state.sso.devices.values()]
    .filter((d) => d.status === "pending" && d.expiresAtMs > now)
    .map((d) => d.userCode);
}

/** Approves (or denies) the pending authorization with `userCode`, or every pending one. */
export function decide(
  state: EmulatorState,
  decision: "approved" | "denied",
  userCode?: string,
): number {
  let count = 0;
  for (const device of state.sso.devices.values()) {
    if (device.status !== "pending") continue;
    if (userCode !== undefined && device.userCode !== userCode) continue;
    device.status = decision;
    count++;
  }
  return count;
}

/** Makes every access token issued so far expired. */
export function expireAccessTokens(state: EmulatorState): void {
  for (const token of state.sso.accessTokens.values()) token.expiresAtMs = Date.now() - 1000;
}

/** Takes one forced answer for `action` when any are left. */
export function takeThrottle(state: EmulatorState, action: string): boolean {
  const left = state.sso.throttles.get(action) ?? 0;
  if (left <= 0) return false;
  state.sso.throttles.set(action, left - 1);
  return true;
}
