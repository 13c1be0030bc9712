/**
 * Google state of the emulator: projects, workload identity providers, service accounts and who
 * may impersonate them, OAuth users, and every access token issued with the principal it stands
 * for.
 *
 * @module
 */

import { randomBytes, toBase64Url } from "./crypto_util.ts";
import { recordSecret } from "./state.ts";
import type { EmulatorState } from "./state.ts";
import type {
  GcpAuthorizedUser,
  GcpOptions,
  GcpProjectOptions,
  GcpServiceAccountOptions,
  GcpTokenInfo,
  GcpWifProviderOptions,
} from "./types.ts";

/** Google's default lifetime of access tokens, in seconds. */
export const GCP_TOKEN_LIFETIME = 3600;

/** The project used when none is configured. */
export const DEFAULT_GCP_PROJECT: GcpProjectOptions = {
  projectId: "my-proj",
  projectNumber: "123456",
  name: "my-proj",
};

/** The workload identity provider used when none is configured. */
export const DEFAULT_WIF_PROVIDER: GcpWifProviderOptions = {
  projectNumber: "123456",
  pool: "pool",
  provider: "prov",
};

/** A registered OAuth user (`authorized_user` credentials). */
export interface GcpUser {
  email: string;
  clientId: string;
  clientSecret: string;
  refreshToken: string;
}

/** All Google state of one emulator. */
export interface GcpState {
  projects: GcpProjectOptions[];
  providers: GcpWifProviderOptions[];
  serviceAccounts: Map<string, GcpServiceAccountOptions>;
  /** Users by refresh token. */
  users: Map<string, GcpUser>;
  tokens: Map<string, GcpTokenInfo>;
}

/** Creates Google state from the emulator options. */
export function createGcpState(options: GcpOptions = {}): GcpState {
  return {
    projects: (options.projects ?? [DEFAULT_GCP_PROJECT]).map((p) => ({ ...p })),
    providers: (options.workloadIdentityProviders ?? [DEFAULT_WIF_PROVIDER]).map((p) => ({ ...p })),
    serviceAccounts: new Map(
      (options.serviceAccounts ?? []).map((sa) => [sa.email, { ...sa, members: [...sa.members] }]),
    ),
    users: new Map(),
    tokens: new Map(),
  };
}

/** The STS audience of a provider. */
export function providerAudience(p: GcpWifProviderOptions): string {
  return `//iam.googleapis.com/projects/${p.projectNumber}/locations/global/` +
    `workloadIdentityPools/${p.pool}/providers/${p.provider}`;
}

/** The IAM member of a federated subject of a provider's pool. */
export function federatedPrincipal(p: GcpWifProviderOptions, subject: string): string {
  return `principal://iam.googleapis.com/projects/${p.projectNumber}/locations/global/` +
    `workloadIdentityPools/${p.pool}/subject/${subject}`;
}

/** True when the principal (IAM member form) is `member` or belongs to the `principalSet` it names. */
export function memberMatches(member: string, principal: string): boolean {
  if (member === principal) return true;
  const set =
    /^principalSet:\/\/iam\.googleapis\.com\/(projects\/[^/]+\/locations\/global\/workloadIdentityPools\/[^/]+)\/\*$/
      .exec(member);
  return set !== null &&
    principal.startsWith(`principal://iam.googleapis.com/${set[1]}/subject/`);
}

function newToken(state: EmulatorState, prefix: string): string {
  const token = `${prefix}${toBase64Url(randomBytes(48))}`;
  recordSecret(state, token);
  return token;
}

/**
 * Issues an access token for `info` (without `expiresAtMs`), living `lifetime` seconds unless
 * the `tokenLifetime` option overrides it.
 */
export function issueGcpToken(
  state: EmulatorState,
  info: Omit<GcpTokenInfo, "expiresAtMs">,
  lifetime: number = GCP_TOKEN_LIFETIME,
): { token: string; lifetime: number; expiresAtMs: number } {
  const seconds = state.options.gcp?.tokenLifetime ?? lifetime;
  const prefix = info.kind === "federated"
    ? "ya29.d."
    : info.kind === "user"
    ? "ya29.a0"
    : "ya29.c.";
  const token = newToken(state, prefix);
  // Whole seconds, so expireTime (no fractions) and the emulator's own check agree.
  const expiresAtMs = Math.floor(Date.now() / 1000 + seconds) * 1000;
  state.gcp.tokens.set(token, { ...info, expiresAtMs });
  return { token, lifetime: seconds, expiresAtMs };
}

/** The record of an unexpired token the emulator issued, or undefined. */
export function validGcpToken(
  state: EmulatorState,
  token: string | undefined,
): GcpTokenInfo | undefined {
  if (token === undefined) return undefined;
  const info = state.gcp.tokens.get(token);
  return info !== undefined && info.expiresAtMs > Date.now() ? info : undefined;
}

/** Registers a user and returns its `authorized_user` credentials. */
export function createGcpUser(state: EmulatorState, email: string): GcpAuthorizedUser {
  if (!/^[^@\s]+@[^@\s]+$/.test(email)) throw new Error(`'${email}' is not an e-mail address`);
  const user: GcpUser = {
    email,
    clientId: `${Date.now()}-${toBase64Url(randomBytes(9))}.apps.googleusercontent.com`,
    clientSecret: newToken(state, "GOCSPX-"),
    refreshToken: newToken(state, "1//0"),
  };
  state.gcp.users.set(user.refreshToken, user);
  return {
    type: "authorized_user",
    client_id: user.clientId,
    client_secret: user.clientSecret,
    refresh_token: user.refreshToken,
  };
}

/** Makes every Google access token issued so far expired. */
export function expireGcpTokens(state: EmulatorState): void {
  for (const info of state.gcp.tokens.values()) info.expiresAtMs = Date.now() - 1000;
}
