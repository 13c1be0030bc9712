/**
 * The Azure credential sets chain links pass on: a signed-in user (the MSAL cache entries of
 * one account: access tokens, refresh token, account) and an application federated with an OIDC
 * token (the token itself, the client assertion). Both redact themselves when printed or
 * serialised.
 *
 * @module
 */
import { REDACTED, sealed } from "../redact.ts";
import type { Authority } from "./clouds.ts";
import type { MsalCache } from "./msal_cache.ts";

/** A user signed in to Entra ID (device code, browser, or the user's own `az login`). */
export interface AzureUserSet {
  readonly type: "azure-user";
  readonly authority: Authority;
  readonly clientId: string;
  readonly homeAccountId: string;
  /** The user principal name. */
  readonly username: string;
  /** This account's entries only (access tokens, the newest refresh token, the account). */
  readonly cache: MsalCache;
  /** When the Azure Resource Manager access token expires. */
  readonly expiration: Date;
  readonly principal: string;
  /** The user's own `versionCheck.json`, to spare `az` its first-run check (not a secret). */
  readonly cliVersionCheck?: string;
}

/** An application signed in with a federated OIDC token (workload identity federation). */
export interface AzureAppSet {
  readonly type: "azure-app";
  readonly authority: Authority;
  readonly clientId: string;
  /** The federated token (a JWT): the client assertion. */
  readonly assertion: string;
  /** The user's own file holding it, when the token came from `token_file_path`. */
  readonly assertionFile?: string;
  /** When the assertion (or the app token it bought) expires, whichever is first. */
  readonly expiration: Date;
  readonly principal: string;
  readonly cliVersionCheck?: string;
}

/** Either Azure set. */
export type AzureCredentialSet = AzureUserSet | AzureAppSet;

/** Seals a user set. */
export function azureUserSet(set: Omit<AzureUserSet, "type" | "principal">): AzureUserSet {
  return sealed({ type: "azure-user" as const, ...set, principal: set.username }, (c) => ({
    type: c.type,
    tenant: c.authority.tenantId,
    clientId: c.clientId,
    username: c.username,
    cache: REDACTED,
    expiration: c.expiration.toISOString(),
  }));
}

/** Seals an app set. */
export function azureAppSet(set: Omit<AzureAppSet, "type" | "principal">): AzureAppSet {
  return sealed({ type: "azure-app" as const, ...set, principal: set.clientId }, (c) => ({
    type: c.type,
    tenant: c.authority.tenantId,
    clientId: c.clientId,
    assertion: REDACTED,
    assertionFile: c.assertionFile,
    expiration: c.expiration.toISOString(),
  }));
}

/** True for either Azure set. */
export function isAzureSet(
  creds: { type: string } | null | undefined,
): creds is AzureCredentialSet {
  return creds?.type === "azure-user" || creds?.type === "azure-app";
}
