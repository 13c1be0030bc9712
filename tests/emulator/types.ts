/**
 * Public types of the local AWS emulator.
 *
 * @module
 */

/** The STS actions whose credential lifetime can be overridden. */
export type CredentialAction = "AssumeRole" | "AssumeRoleWithWebIdentity" | "GetSessionToken";

/** Options for {@linkcode startEmulator}. */
export interface EmulatorOptions {
  /** Override credential lifetime in seconds per action, e.g. { AssumeRole: 120 } so issued creds look almost expired. */
  durationOverride?: Partial<Record<CredentialAction, number>>;
  /** Roles that require an ExternalId: roleArn -> externalId. */
  externalIds?: Record<string, string>;
  /** Lifetime in seconds of the JWTs served by `GET /oidc/token` (default 300). */
  oidcTokenLifetime?: number;
  /** `sub` claim of the JWTs served by `GET /oidc/token` (default `repo:acme/infra:ref:refs/heads/main`). */
  oidcSubject?: string;
  /** TCP port to listen on (default 0: a random free port). */
  port?: number;
}

/** Options for {@linkcode Emulator.createUser}. */
export interface CreateUserOptions {
  /** IAM user name. */
  name: string;
  /** 12-digit account ID (default `123456789012`). */
  account?: string;
  /** MFA device serial (default `arn:aws:iam::<account>:mfa/<name>` when `mfaSecret` is set). */
  mfaSerial?: string;
  /** Base32 TOTP secret; when set, GetSessionToken requires a valid SerialNumber/TokenCode. */
  mfaSecret?: string;
}

/** Keys of a long-lived IAM user. */
export interface UserKeys {
  /** `AKIA…` access key ID. */
  accessKeyId: string;
  /** 40-character secret access key. */
  secretAccessKey: string;
}

/** A running emulator. */
export interface Emulator {
  /** Base URL, `http://127.0.0.1:<port>`. */
  url: string;
  /** The port it listens on. */
  port: number;
  /** Stops the server and waits until it has closed. */
  stop(): Promise<void>;
  /** Number of calls per action so far ("AssumeRole", "GetSessionToken", "AssumeRoleWithWebIdentity", "GetCallerIdentity", "oidc.token"), or total when no action. */
  calls(action?: string): number;
  /** Sets every call counter back to zero. */
  resetCalls(): void;
  /** Register a long-lived IAM user; returns its keys (AKIA... access key id, 40-char secret). mfaSecret: base32 TOTP secret to require MFA via GetSessionToken SerialNumber/TokenCode. */
  createUser(opts: CreateUserOptions): UserKeys;
  /** Every secret the emulator ever issued or was configured with: secret access keys, session tokens, OIDC JWTs, the OIDC request token, MFA secrets. Used by tests to scan output/env for leaks. Access key IDs are not secret and are not included. */
  secrets(): string[];
  /** GitHub-Actions-style env for the github/oidc provider: { ACTIONS_ID_TOKEN_REQUEST_URL, ACTIONS_ID_TOKEN_REQUEST_TOKEN, GITHUB_ACTIONS: "true" } */
  githubActionsEnv(): Record<string, string>;
}
