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
  /**
   * Also serve every route over https with a test CA (default true). Needs `openssl` and
   * permission to run it and to write a temp dir; without https there are no Entra endpoints and
   * `httpsUrl`/`caFile` are empty.
   */
  https?: boolean;
  /** IAM Identity Center (SSO OIDC + portal) behaviour. */
  sso?: SsoOptions;
  /**
   * The clock of the device flow's poll pacing (default `Date.now`): a test moves it forward
   * instead of waiting out the poll interval.
   */
  now?: () => number;
  /** Google STS, IAM Credentials, OAuth and Cloud Resource Manager behaviour. */
  gcp?: GcpOptions;
  /** Microsoft Entra ID (served on the https port) behaviour. */
  azure?: AzureOptions;
}

/** A Google project Cloud Resource Manager knows. */
export interface GcpProjectOptions {
  /** e.g. `my-proj`. */
  projectId: string;
  /** Digits, e.g. `123456`. */
  projectNumber: string;
  /** Display name (default: the project id). */
  name?: string;
}

/**
 * A workload identity pool provider. Its STS audience is
 * `//iam.googleapis.com/projects/<projectNumber>/locations/global/workloadIdentityPools/<pool>/providers/<provider>`;
 * it trusts the emulator's own GitHub-style issuer.
 */
export interface GcpWifProviderOptions {
  projectNumber: string;
  pool: string;
  provider: string;
}

/** A service account and the principals allowed to mint its tokens (roles/iam.serviceAccountTokenCreator). */
export interface GcpServiceAccountOptions {
  /** `<name>@<project>.iam.gserviceaccount.com`. */
  email: string;
  /**
   * IAM members: `principal://iam.googleapis.com/projects/<n>/locations/global/workloadIdentityPools/<pool>/subject/<sub>`,
   * `principalSet://iam.googleapis.com/projects/<n>/locations/global/workloadIdentityPools/<pool>/*`,
   * `user:<email>` or `serviceAccount:<email>`.
   */
  members: string[];
}

/** Google options. */
export interface GcpOptions {
  /** Projects (default one: `my-proj`, number `123456`). */
  projects?: GcpProjectOptions[];
  /** Providers STS accepts as `audience` (default one: project `123456`, pool `pool`, provider `prov`). */
  workloadIdentityProviders?: GcpWifProviderOptions[];
  /** Service accounts that can be impersonated (default none). */
  serviceAccounts?: GcpServiceAccountOptions[];
  /**
   * When set, every Google access token (STS, generateAccessToken, OAuth refresh) lives this many
   * seconds whatever was asked, e.g. 30 for tests that cross an expiry in real time. Default:
   * 3600, or the `lifetime` a generateAccessToken call asks for.
   */
  tokenLifetime?: number;
  /**
   * Forward `CONNECT`s to `oauth2.googleapis.com`, `sts.googleapis.com` and
   * `iamcredentials.googleapis.com` (port 443) from the proxy trap to the https listener, whose
   * certificate names them too (default false: the trap refuses them like any other host). For
   * clients that cannot be pointed at another host, e.g. google-auth-library's user refresh and
   * impersonation of an `impersonated_service_account` file; they must trust `caFile`.
   */
  googleHosts?: boolean;
}

/** The `authorized_user` ADC JSON of a Google user, as `gcloud auth application-default login` writes it. */
export interface GcpAuthorizedUser {
  type: "authorized_user";
  client_id: string;
  client_secret: string;
  refresh_token: string;
}

/** Who a Google access token issued by the emulator stands for. */
export interface GcpTokenInfo {
  /** `federated` (STS), `service_account` (generateAccessToken) or `user` (OAuth refresh). */
  kind: "federated" | "service_account" | "user";
  /**
   * IAM member form of the principal: `principal://…/subject/<sub>` for federated tokens,
   * `serviceAccount:<email>` or `user:<email>`.
   */
  principal: string;
  /** E-mail of the service account or user (absent for federated tokens). */
  email?: string;
  scopes: string[];
  /** Expiry in ms since the epoch. */
  expiresAtMs: number;
}

/** A Microsoft Entra application that federates with the emulator's GitHub-style issuer. */
export interface AzureAppOptions {
  /** Application (client) id, a GUID. */
  clientId: string;
  /** `sub` claims its federated credentials accept (default: the emulator's `oidcSubject`). */
  federatedSubjects?: string[];
  /** Display name (default `app-<clientId>`). */
  name?: string;
}

/** The Entra user who signs in for device-code and authorization-code flows. */
export interface AzureUserOptions {
  /** User principal name (default `alice@example.com`). */
  upn?: string;
  /** Object id, a GUID (default fixed). */
  oid?: string;
  /** Display name (default `Alice`). */
  name?: string;
}

/** Microsoft Entra ID options. */
export interface AzureOptions {
  /** Directory (tenant) id (default `33333333-3333-3333-3333-333333333333`). */
  tenantId?: string;
  /** The one user (default alice@example.com). */
  user?: AzureUserOptions;
  /** Confidential apps for `client_credentials` with a `client_assertion` (default none). */
  apps?: AzureAppOptions[];
  /**
   * Public clients allowed to use device code, authorization code and refresh grants, besides the
   * Azure CLI's `04b07795-8ddb-461a-bbee-02f9e1bf7b46` (which is in Microsoft's family "1").
   */
  publicClients?: string[];
  /** Access token lifetime in seconds (default 3600). */
  accessTokenLifetime?: number;
  /** Refresh token lifetime in seconds (default 90 days). */
  refreshTokenLifetime?: number;
  /** Device code lifetime in seconds (default 900). */
  deviceCodeLifetime?: number;
  /** Poll interval the device code endpoint returns, in seconds (default 1). */
  pollInterval?: number;
  /** Approve device codes and authorization requests as soon as they arrive (default false). */
  autoApprove?: boolean;
}

/** Who an Entra access token issued by the emulator stands for. */
export interface AzureTokenInfo {
  /** `app` (client credentials) or `user` (device code, authorization code, refresh). */
  kind: "app" | "user";
  /** Object id of the user or of the app's service principal. */
  oid: string;
  /** The user's UPN (users only). */
  upn?: string;
  /** The client id the token was issued to. */
  clientId: string;
  tenantId: string;
  /** `aud`: the resource the token is for. */
  audience: string;
  /** The grant that issued it (`client_credentials`, `device_code`, `authorization_code`, `refresh_token`). */
  grant: string;
  /** Expiry in ms since the epoch. */
  expiresAtMs: number;
}

/** Tokens the emulator issued to a user, as its token endpoint returns them. */
export interface AzureUserTokens {
  token_type: "Bearer";
  scope: string;
  expires_in: number;
  ext_expires_in: number;
  access_token: string;
  refresh_token: string;
  id_token: string;
  /** base64url `{"uid","utid"}`. */
  client_info: string;
  /** `"1"` for clients in Microsoft's family of client ids. */
  foci?: string;
}

/** An authorization request (`GET …/oauth2/v2.0/authorize`) waiting for the user. */
export interface AzurePendingAuthorization {
  clientId: string;
  redirectUri: string;
  scope: string;
  /** The client's `state` parameter. */
  state?: string;
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

/** Google endpoints of a running emulator. */
export interface GcpEmulator {
  /** STS token URL, `<url>/v1/token` (an `external_account` file's `token_url`). */
  tokenUrl(options?: { https?: boolean }): string;
  /** generateAccessToken URL of a service account (an `external_account` file's `service_account_impersonation_url`). */
  impersonationUrl(email: string, options?: { https?: boolean }): string;
  /** Google OAuth token URL for user refresh, `<url>/google/oauth2/token` (gcloud's `CLOUDSDK_AUTH_TOKEN_HOST`). */
  oauthTokenUrl(options?: { https?: boolean }): string;
  /** STS audience of the configured provider at `index` (default 0). */
  audience(index?: number): string;
  /**
   * gcloud's own variables pointing at the emulator: `CLOUDSDK_API_ENDPOINT_OVERRIDES_STS`,
   * `…_IAMCREDENTIALS`, `…_CLOUDRESOURCEMANAGER` (base URLs ending in `/`) and
   * `CLOUDSDK_AUTH_TOKEN_HOST` (the full OAuth token URL).
   */
  env(options?: { https?: boolean }): Record<string, string>;
  /** Registers a Google user and returns an `authorized_user` ADC JSON the OAuth route accepts. */
  createUser(email: string): GcpAuthorizedUser;
  /** What an access token issued by the emulator stands for, or undefined. */
  tokenInfo(token: string): GcpTokenInfo | undefined;
  /** Makes every Google access token issued so far expired. */
  expireTokens(): void;
}

/** Microsoft Entra endpoints of a running emulator (https only). */
export interface AzureEmulator {
  tenantId: string;
  /** `https://127.0.0.1:<https port>`: the value for `AZURE_AUTHORITY_HOST`. */
  authorityHost: string;
  /** The user who signs in. */
  user: Required<AzureUserOptions>;
  /**
   * A cloud definition for `az cloud register --cloud-config` whose Active Directory endpoint is
   * `<authorityHost>/adfs` (the shape with which az skips instance discovery).
   */
  cloudConfig(): Record<string, unknown>;
  /** Issues user tokens as a finished device-code login would (to seed caches in tests). */
  issueUserTokens(options: {
    scope: string;
    clientId?: string;
    /** Tenant path segment the tokens are for: the tenant id (default) or `adfs`. */
    tenant?: string;
    /** Access token lifetime in seconds (negative: already expired). */
    lifetime?: number;
  }): Promise<AzureUserTokens>;
  /** User codes of device codes waiting for approval. */
  pendingDeviceCodes(): string[];
  /** Resolves with the user code of the next device code request (at once when one is pending). */
  nextDeviceCode(): Promise<string>;
  /** Approves the device code with `userCode` (all pending when omitted); returns how many. */
  approveDevice(userCode?: string): number;
  /** Declines the device code with `userCode` (all pending when omitted); returns how many. */
  denyDevice(userCode?: string): number;
  /** Authorization requests waiting for the user. */
  pendingAuthorizations(): AzurePendingAuthorization[];
  /** Resolves with the next authorization request (at once when one is pending). */
  nextAuthorization(): Promise<AzurePendingAuthorization>;
  /** Approves pending authorization requests (with this `state`, or all); returns how many. */
  approveAuthorization(state?: string): number;
  /** Denies pending authorization requests (with this `state`, or all); returns how many. */
  denyAuthorization(state?: string): number;
  /** What an access token issued by the emulator stands for, or undefined. */
  tokenInfo(token: string): AzureTokenInfo | undefined;
  /** True while a refresh token is valid (using it rotates it). */
  refreshTokenValid(token: string): boolean;
  /** Makes every Entra access token issued so far expired. */
  expireTokens(): void;
}

/** The proxy trap of a running emulator. */
export interface EmulatorTrap {
  /** `http://127.0.0.1:<port>`. */
  url: string;
  /** `"<METHOD> <target>"` of every request a client sent through the trap. */
  log(): string[];
  /** `"<host>:<port>"` of every tunnel forwarded to the emulator (`GcpOptions.googleHosts`). */
  forwarded(): string[];
  /** `HTTPS_PROXY`, `HTTP_PROXY`, their lower-case forms → the trap; `NO_PROXY`/`no_proxy` = `127.0.0.1,localhost`. */
  env(): Record<string, string>;
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
  /** The same routes over TLS, `https://127.0.0.1:<httpsPort>` (certificate for 127.0.0.1 and localhost); empty with `https: false`. */
  httpsUrl: string;
  /** The TLS port (0 with `https: false`). */
  httpsPort: number;
  /** PEM file of the test CA that signed the https certificate (for NODE_EXTRA_CA_CERTS, REQUESTS_CA_BUNDLE, DENO_CERT); empty with `https: false`. */
  caFile: string;
  /** The proxy trap: any request sent through it is refused and logged. */
  trap: EmulatorTrap;
  /** Google endpoints. */
  gcp: GcpEmulator;
  /** Microsoft Entra endpoints. */
  azure: AzureEmulator;
  /**
   * Principals whose bearer tokens called `action` (`gcp.projects.get`, `echo`), in order: Google
   * ones in IAM member form (`serviceAccount:<email>`, `user:<email>`, `principal://…`), Entra
   * ones as `user:<upn>` or `app:<client id>`.
   */
  callers(action: string): string[];
  /** Signs a JWT with the emulator's GitHub-style issuer (as `GET /oidc/token` would) and records it as secret. */
  oidcToken(options?: { audience?: string; lifetime?: number; subject?: string }): Promise<string>;
  /** Stops the servers and the trap and waits until they have closed (a second call waits for the first). */
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
  /** Every secret the emulator ever issued, received or was configured with: secret access keys, session tokens, OIDC JWTs, the OIDC request token, MFA secrets, SSO client secrets, device codes, SSO access and refresh tokens, console sign-in tokens; Google access tokens, OAuth client secrets and refresh tokens, STS subject tokens received; Entra access, refresh and ID tokens, device and authorization codes, client assertions received. Used by tests to scan output/env for leaks. Access key IDs, user codes, client ids and tenant ids are not secret and are not included. */
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
