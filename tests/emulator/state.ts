/**
 * The emulator's in-memory state: users, issued keys, role IDs, call counters and the record of
 * every secret handed out.
 *
 * @module
 */

import {
  newPrincipalId,
  newSecretAccessKey,
  newSessionAccessKeyId,
  newSessionToken,
  newUserAccessKeyId,
} from "./ids.ts";
import type { OidcSigner } from "./jwt.ts";
import { createSsoState, type SsoState } from "./sso_state.ts";
import { createGcpState, type GcpState } from "./gcp_state.ts";
import { createEntraState, type EntraState } from "./entra_state.ts";
import { DEFAULT_OIDC_SUBJECT } from "./oidc_handler.ts";
import type { QueuedFault } from "./faults.ts";
import type { CreateUserOptions, EmulatorOptions, UserKeys } from "./types.ts";

/** The account used when a user is created without one. */
export const DEFAULT_ACCOUNT = "123456789012";

/** A registered IAM user. */
export interface UserRecord {
  name: string;
  account: string;
  arn: string;
  /** `AIDA…` unique ID. */
  userId: string;
  mfaSerial?: string;
  mfaSecret?: string;
}

/** Who a set of keys acts as, as GetCallerIdentity reports it. */
export interface Principal {
  account: string;
  arn: string;
  /** `AIDA…` for users, `AROA…:<session>` for assumed roles. */
  userId: string;
  /** Set when the principal is an IAM user (long-lived keys or GetSessionToken). */
  user?: UserRecord;
  /** Set for assumed-role sessions. */
  roleArn?: string;
}

/** Keys the emulator issued, long-lived (`AKIA`) or temporary (`ASIA`). */
export interface IssuedKey {
  accessKeyId: string;
  secretAccessKey: string;
  /** Present exactly for temporary keys. */
  sessionToken?: string;
  /** Expiry in ms since the epoch, for temporary keys. */
  expiresAtMs?: number;
  /** The action that issued temporary keys. */
  issuedBy?: string;
  principal: Principal;
}

/** All mutable state of one emulator instance. */
export interface EmulatorState {
  url: string;
  /** `https://127.0.0.1:<port>` of the TLS listener. */
  httpsUrl: string;
  options: EmulatorOptions;
  users: Map<string, UserRecord>;
  keys: Map<string, IssuedKey>;
  roleIds: Map<string, string>;
  calls: Map<string, number>;
  secrets: Set<string>;
  /** Bearer token the OIDC endpoint requires (GitHub's ACTIONS_ID_TOKEN_REQUEST_TOKEN). */
  oidcRequestToken: string;
  oidc: OidcSigner;
  /** IAM Identity Center (SSO OIDC, portal) and console sign-in state. */
  sso: SsoState;
  /** Google STS, IAM Credentials and OAuth state. */
  gcp: GcpState;
  /** Microsoft Entra ID state. */
  entra: EntraState;
  /** Principals (as each cloud names them) whose bearer tokens called each action, in order. */
  callers: Map<string, string[]>;
  /** Injected faults per call name (`faults.ts`). */
  faults: Map<string, QueuedFault[]>;
  /** Connections the flaky front door closes at once (`flaky_proxy.ts`). */
  dropConnections: number;
}

/** Creates empty state for an emulator listening at `url`. */
export function createState(
  url: string,
  options: EmulatorOptions,
  oidc: OidcSigner,
  oidcRequestToken: string,
): EmulatorState {
  const state: EmulatorState = {
    url,
    httpsUrl: "",
    options,
    users: new Map(),
    keys: new Map(),
    roleIds: new Map(),
    calls: new Map(),
    secrets: new Set(),
    oidcRequestToken,
    oidc,
    sso: createSsoState(options),
    gcp: createGcpState(options.gcp),
    entra: createEntraState(options.azure, options.oidcSubject ?? DEFAULT_OIDC_SUBJECT),
    callers: new Map(),
    faults: new Map(),
    dropConnections: 0,
  };
  recordSecret(state, oidcRequestToken);
  return state;
}

/** Remembers a value as secret so {@linkcode EmulatorState.secrets} lists it. */
export function recordSecret(state: EmulatorState, value: string): void {
  if (value !== "") state.secrets.add(value);
}

/** Adds one to the counter of `action`. */
export function countCall(state: EmulatorState, action: string): void {
  state.calls.set(action, (state.calls.get(action) ?? 0) + 1);
}

/** Remembers that `principal` called `action` with a bearer token. */
export function recordCaller(state: EmulatorState, action: string, principal: string): void {
  const list = state.callers.get(action) ?? [];
  list.push(principal);
  state.callers.set(action, list);
}

/** Calls of one action, or of all actions when `action` is undefined. */
export function callCount(state: EmulatorState, action?: string): number {
  if (action !== undefined) return state.calls.get(action) ?? 0;
  let total = 0;
  for (const n of state.calls.values()) total += n;
  return total;
}

/** Registers a long-lived IAM user and returns its new keys. */
export function createUser(state: EmulatorState, opts: CreateUserOptions): UserKeys {
  const account = opts.account ?? DEFAULT_ACCOUNT;
  if (!/^\d{12}$/.test(account)) throw new Error(`account '${account}' is not 12 digits`);
  if (!/^[\w+=,.@-]{1,64}$/.test(opts.name)) {
    throw new Error(`user name '${opts.name}' is not a valid IAM user name`);
  }
  const user: UserRecord = {
    name: opts.name,
    account,
    arn: `arn:aws:iam::${account}:user/${opts.name}`,
    userId: state.users.get(`${account}/${opts.name}`)?.userId ?? newPrincipalId("AIDA"),
    mfaSecret: opts.mfaSecret,
    mfaSerial: opts.mfaSerial ??
      (opts.mfaSecret ? `arn:aws:iam::${account}:mfa/${opts.name}` : undefined),
  };
  state.users.set(`${account}/${opts.name}`, user);
  const key: IssuedKey = {
    accessKeyId: newUserAccessKeyId(),
    secretAccessKey: newSecretAccessKey(),
    principal: { account, arn: user.arn, userId: user.userId, user },
  };
  state.keys.set(key.accessKeyId, key);
  recordSecret(state, key.secretAccessKey);
  if (user.mfaSecret) recordSecret(state, user.mfaSecret);
  return { accessKeyId: key.accessKeyId, secretAccessKey: key.secretAccessKey };
}

/** The stable `AROA…` ID of a role, made on first use. */
export function roleId(state: EmulatorState, roleArn: string): string {
  let id = state.roleIds.get(roleArn);
  if (id === undefined) {
    id = newPrincipalId("AROA");
    state.roleIds.set(roleArn, id);
  }
  return id;
}

/** Issues temporary `ASIA` keys for `principal`, valid for `durationSeconds` from now. */
export function issueSession(
  state: EmulatorState,
  principal: Principal,
  durationSeconds: number,
  issuedBy: string,
): IssuedKey {
  const key: IssuedKey = {
    accessKeyId: newSessionAccessKeyId(),
    secretAccessKey: newSecretAccessKey(),
    sessionToken: newSessionToken(),
    // Whole seconds, so the XML Expiration and the emulator's own check agree.
    expiresAtMs: Math.floor(Date.now() / 1000 + durationSeconds) * 1000,
    issuedBy,
    principal,
  };
  state.keys.set(key.accessKeyId, key);
  recordSecret(state, key.secretAccessKey);
  recordSecret(state, key.sessionToken!);
  return key;
}
