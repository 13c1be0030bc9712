/**
 * Microsoft Entra ID state of the emulator: the tenant, its user, federated apps and public
 * clients, device codes, authorization requests and codes, refresh tokens, every access token
 * issued with what it stands for, and the waiters tests use to synchronise on a client's request.
 *
 * @module
 */

import { createOidcSigner } from "./jwt.ts";
import type { OidcSigner } from "./jwt.ts";
import type { EmulatorState } from "./state.ts";
import type {
  AzureOptions,
  AzurePendingAuthorization,
  AzureTokenInfo,
  AzureUserOptions,
} from "./types.ts";

/** The Azure CLI's public client id (in Microsoft's family "1" of client ids). */
export const AZURE_CLI_CLIENT_ID = "04b07795-8ddb-461a-bbee-02f9e1bf7b46";

/** Defaults of the Entra options. */
export const ENTRA_DEFAULTS = {
  tenantId: "33333333-3333-3333-3333-333333333333",
  accessTokenLifetime: 3600,
  refreshTokenLifetime: 90 * 86400,
  deviceCodeLifetime: 900,
  pollInterval: 1,
  user: {
    upn: "alice@example.com",
    oid: "44444444-4444-4444-4444-444444444444",
    name: "Alice",
  } satisfies Required<AzureUserOptions>,
};

/** A federated app. */
export interface EntraApp {
  clientId: string;
  name: string;
  /** Object id of its service principal. */
  oid: string;
  subjects: string[];
}

/** One device code, from the devicecode request to its token. */
export interface EntraDevice {
  deviceCode: string;
  userCode: string;
  clientId: string;
  scope: string;
  expiresAtMs: number;
  status: "pending" | "approved" | "denied" | "used";
}

/** A held authorization request, answered once the user decides. */
export interface EntraAuthorization extends AzurePendingAuthorization {
  decide(decision: "approved" | "denied"): void;
}

/** An issued authorization code. */
export interface EntraCode {
  clientId: string;
  redirectUri: string;
  scope: string;
  nonce?: string;
  codeChallenge: string;
  codeChallengeMethod: string;
  tenant: string;
  expiresAtMs: number;
  used: boolean;
}

/** An issued refresh token. */
export interface EntraRefreshToken {
  clientId: string;
  /** `"1"` when issued to a family client: any family client may redeem it. */
  family?: string;
  expiresAtMs: number;
}

/** All Entra state of one emulator. */
export interface EntraState {
  tenantId: string;
  user: Required<AzureUserOptions>;
  apps: Map<string, EntraApp>;
  publicClients: Set<string>;
  devices: Map<string, EntraDevice>;
  authorizations: EntraAuthorization[];
  codes: Map<string, EntraCode>;
  refreshTokens: Map<string, EntraRefreshToken>;
  tokens: Map<string, AzureTokenInfo>;
  deviceWaiters: ((userCode: string) => void)[];
  authorizationWaiters: ((request: AzurePendingAuthorization) => void)[];
  /** The key that signs Entra tokens, made on first use (RSA key generation is not free). */
  signer?: Promise<OidcSigner>;
}

/** A stable GUID-shaped object id derived from a client id (for an app's service principal). */
function servicePrincipalOid(clientId: string): string {
  const hex = [...clientId.replaceAll("-", "")].reverse().join("").padEnd(32, "0").slice(0, 32);
  return `${hex.slice(0, 8)}-${hex.slice(8, 12)}-${hex.slice(12, 16)}-${hex.slice(16, 20)}-${
    hex.slice(20)
  }`;
}

/** Creates Entra state from the emulator options. */
export function createEntraState(options: AzureOptions = {}, oidcSubject: string): EntraState {
  return {
    tenantId: options.tenantId ?? ENTRA_DEFAULTS.tenantId,
    user: { ...ENTRA_DEFAULTS.user, ...options.user },
    apps: new Map((options.apps ?? []).map((app) => [app.clientId, {
      clientId: app.clientId,
      name: app.name ?? `app-${app.clientId}`,
      oid: servicePrincipalOid(app.clientId),
      subjects: [...(app.federatedSubjects ?? [oidcSubject])],
    }])),
    publicClients: new Set([AZURE_CLI_CLIENT_ID, ...(options.publicClients ?? [])]),
    devices: new Map(),
    authorizations: [],
    codes: new Map(),
    refreshTokens: new Map(),
    tokens: new Map(),
    deviceWaiters: [],
    authorizationWaiters: [],
  };
}

/** An option of `options.azure`, or its default. */
export function entraSetting<
  K extends "accessTokenLifetime" | "refreshTokenLifetime" | "deviceCodeLifetime" | "pollInterval",
>(state: EmulatorState, key: K): number {
  return state.options.azure?.[key] ?? ENTRA_DEFAULTS[key];
}

/** The signing key of Entra tokens. */
export function entraSigner(state: EmulatorState): Promise<OidcSigner> {
  state.entra.signer ??= createOidcSigner();
  return state.entra.signer;
}

/**
 * The tenant a path segment names: `adfs` (the shape az uses for a custom cloud) or the tenant
 * id (for the tenant id itself, `common` and `organizations`); undefined for any other tenant.
 */
export function resolveTenant(state: EmulatorState, segment: string): string | undefined {
  if (segment === "adfs") return "adfs";
  if (["common", "organizations", state.entra.tenantId].includes(segment.toLowerCase())) {
    return state.entra.tenantId;
  }
  return undefined;
}

/** True when the client in Microsoft's family "1" (refresh tokens shared across the family). */
export function isFamilyClient(clientId: string): boolean {
  return clientId === AZURE_CLI_CLIENT_ID;
}

/** Records a new device code and wakes a test waiting for one. */
export function addDevice(state: EmulatorState, device: EntraDevice): void {
  state.entra.devices.set(device.deviceCode, device);
  if (state.options.azure?.autoApprove) device.status = "approved";
  for (const wake of state.entra.deviceWaiters.splice(0)) wake(device.userCode);
}

/** User codes of the device codes waiting for approval. */
export function pendingDeviceCodes(state: EmulatorState): string[] {
  const now = Date.now();
  return [...state.entra.devices.values()]
    .filter((d) => d.status === "pending" && d.expiresAtMs > now)
    .map((d) => d.userCode);
}

/** Resolves with the user code of a pending device code, or of the next one to arrive. */
export function nextDeviceCode(state: EmulatorState): Promise<string> {
  const pending = pendingDeviceCodes(state);
  if (pending.length > 0) return Promise.resolve(pending[0]);
  return new Promise((resolve) => state.entra.deviceWaiters.push(resolve));
}

/** Approves or declines pending device codes (the one with `userCode`, or all). */
export function decideDevice(
  state: EmulatorState,
  decision: "approved" | "denied",
  userCode?: string,
): number {
  let count = 0;
  for (const device of state.entra.devices.values()) {
    if (device.status !== "pending") continue;
    if (userCode !== undefined && device.userCode !== userCode) continue;
    device.status = decision;
    count++;
  }
  return count;
}

/** Holds an authorization request until the user decides (at once in auto-approve mode). */
export function addAuthorization(state: EmulatorState, request: EntraAuthorization): void {
  if (state.options.azure?.autoApprove) {
    request.decide("approved");
    return;
  }
  state.entra.authorizations.push(request);
  const view = publicView(request);
  for (const wake of state.entra.authorizationWaiters.splice(0)) wake(view);
}

function publicView(request: EntraAuthorization): AzurePendingAuthorization {
  return {
    clientId: request.clientId,
    redirectUri: request.redirectUri,
    scope: request.scope,
    state: request.state,
  };
}

/** The authorization requests waiting for the user. */
export function pendingAuthorizations(state: EmulatorState): AzurePendingAuthorization[] {
  return state.entra.authorizations.map(publicView);
}

/** Resolves with a pending authorization request, or the next one to arrive. */
export function nextAuthorization(state: EmulatorState): Promise<AzurePendingAuthorization> {
  const pending = pendingAuthorizations(state);
  if (pending.length > 0) return Promise.resolve(pending[0]);
  return new Promise((resolve) => state.entra.authorizationWaiters.push(resolve));
}

/** Answers pending authorization requests (the ones with `requestState`, or all). */
export function decideAuthorization(
  state: EmulatorState,
  decision: "approved" | "denied",
  requestState?: string,
): number {
  const chosen = state.entra.authorizations.filter((a) =>
    requestState === undefined || a.state === requestState
  );
  state.entra.authorizations = state.entra.authorizations.filter((a) => !chosen.includes(a));
  for (const request of chosen) request.decide(decision);
  return chosen.length;
}

/** Makes every Entra access token issued so far expired. */
export function expireEntraTokens(state: EmulatorState): void {
  for (const info of state.entra.tokens.values()) info.expiresAtMs = Date.now() - 1000;
}
