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
  /** IAM Identity Center (SSO OIDC + portal) behaviour. */
  sso?: SsoOptions;
}

/** One account assigned to the SSO user, with its permission sets. */
export interface SsoAccountOptions {
  /** 12 digits. */
  accountId: string;
  accountName: string;
  emailAddress?: string;
  /** Permission set names the user may use in this account. */
  roles: string[];
}

/** Portal actions that can be throttled. */
export type SsoPortalAction = "ListAccounts" | "ListAccountRoles" | "GetRoleCredentials";

/** IAM Identity Center options. */
export interface SsoOptions {
  /** Accounts assigned to the user (default none). */
  accounts?: SsoAccountOptions[];
  /** User name in role session ARNs (default `alice`). */
  user?: string;
  /** Access token lifetime in seconds (default 8 h). */
  accessTokenLifetime?: number;
  /** Device authorization lifetime in seconds (default 600). */
  deviceCodeLifetime?: number;
  /** Poll interval returned by StartDeviceAuthorization, in seconds (default 1). */
  pollInterval?: number;
  /** Client registration lifetime in seconds (default 90 days). */
  registrationLifetime?: number;
  /** GetRoleCredentials lifetime in seconds (default 3600). */
  roleCredentialLifetime?: number;
  /** Items per page of ListAccounts / ListAccountRoles (default 100). */
  pageSize?: number;
  /** The first N calls of an action answer HTTP 429 TooManyRequestsException. */
  throttle?: Partial<Record<SsoPortalAction, number>>;
  /** The first N polls of a pending authorization answer slow_down. */
  slowDown?: number;
  /** Seconds a slow_down adds to the interval the emulator enforces (default 5, RFC 8628). */
  slowDownStep?: number;
}

/** A fault the emulator answers with instead of handling a call (see {@linkcode Emulator.fail}). */
export interface FaultSpec {
  /**
   * The call it replaces, named like the call counters: an STS action (`AssumeRole`), or
   * `sso-oidc.RegisterClient`, `sso-oidc.CreateToken.refresh_token`,
   * `sso-oidc.CreateToken.device_code`, `sso.GetRoleCredentials`, `sso.ListAccounts`, …
   */
  call: string;
  /** HTTP status (default 500). */
  status?: number;
  /** AWS error code (default `InternalFailure` for 5xx, `Throttling` for 400). */
  code?: string;
  /** Error message (default a generic one; never a secret). */
  message?: string;
  /** How many calls in a row get it (default 1). */
  times?: number;
}

/** What a console sign-in token stands for. */
export interface SigninSession {
  /** ARN of the role session the token was made from. */
  arn: string;
  /** Access key ID of that session. */
  accessKeyId: string;
  /** `SessionDuration` of getSigninToken, when given. */
  sessionDuration?: number;
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
  /**
   * The same emulator behind a flaky front door: a URL whose next connections can be dropped
   * ({@linkcode Emulator.dropConnections}).
   */
  flakyUrl: string;
  /** The port it listens on. */
  port: number;
  /** Stops the server and waits until it has closed. */
  stop(): Promise<void>;
  /** Number of calls per action so far ("AssumeRole", "GetSessionToken", "AssumeRoleWithWebIdentity", "GetCallerIdentity", "oidc.token"), or total when no action. */
  calls(action?: string): number;
  /** Sets every call counter back to zero. */
  resetCalls(): void;
  /** Answers the next `spec.times` calls of `spec.call` with an error (queued after earlier ones). */
  fail(spec: FaultSpec): void;
  /** Closes the next `count` connections to {@linkcode Emulator.flakyUrl} as soon as they open. */
  dropConnections(count: number): void;
  /** Register a long-lived IAM user; returns its keys (AKIA... access key id, 40-char secret). mfaSecret: base32 TOTP secret to require MFA via GetSessionToken SerialNumber/TokenCode. */
  createUser(opts: CreateUserOptions): UserKeys;
  /** Every secret the emulator ever issued or was configured with: secret access keys, session tokens, OIDC JWTs, the OIDC request token, MFA secrets, SSO client secrets, device codes, SSO access and refresh tokens, console sign-in tokens. Used by tests to scan output/env for leaks. Access key IDs and SSO user codes are not secret and are not included. */
  secrets(): string[];
  /** GitHub-Actions-style env for the github/oidc provider: { ACTIONS_ID_TOKEN_REQUEST_URL, ACTIONS_ID_TOKEN_REQUEST_TOKEN, GITHUB_ACTIONS: "true" } */
  githubActionsEnv(): Record<string, string>;
  /** `AWS_ENDPOINT_URL_SSO`, `AWS_ENDPOINT_URL_SSO_OIDC` and `AWS_ENDPOINT_URL_SIGNIN` pointing here. */
  ssoEnv(): Record<string, string>;
  /** User codes of device authorizations waiting for approval. */
  ssoPending(): string[];
  /** Approves the pending device authorization with `userCode` (all when omitted); returns how many. */
  ssoApprove(userCode?: string): number;
  /** Denies the pending device authorization with `userCode` (all when omitted); returns how many. */
  ssoDeny(userCode?: string): number;
  /** Makes every access token issued so far expired (the portal then refuses them). */
  ssoExpireAccessTokens(): void;
  /** True while the refresh token is valid (refreshing rotates it). */
  ssoRefreshTokenValid(token: string): boolean;
  /** What a console sign-in token stands for, or undefined when the emulator never issued it. */
  signinSession(token: string): SigninSession | undefined;
}
