/**
 * A small client for AWS IAM Identity Center: SSO OIDC (`RegisterClient`,
 * `StartDeviceAuthorization`, `CreateToken`) and the SSO portal (`ListAccounts`,
 * `ListAccountRoles`, `GetRoleCredentials`, `Logout`). Both are REST-JSON APIs: OIDC takes
 * unsigned JSON POSTs, the portal takes GETs with the access token in the
 * `x-amz-sso_bearer_token` header.
 *
 * Hand-written instead of `@aws-sdk/client-sso(-oidc)` for the reasons of `sts.ts`: SDK clients
 * read `~/.aws` and `AWS_*` variables, which atmos never consults while authenticating, and add
 * start-up time. Every result that holds a secret (client secret, access or refresh token,
 * role keys) redacts itself when printed; errors never contain secrets or full URLs with them.
 * Throttling, server errors and network failures are retried like the SDKs' standard mode
 * (`retry.ts`), except device-code polls, whose pace the device flow sets.
 *
 * @module
 */
import { AtmosError } from "../errors.ts";
import { redactFields } from "../redact.ts";
import type { AwsCredentials } from "./types.ts";
import { sendWithRetries } from "./retry.ts";

/** Where to call an Identity Center API. */
export interface SsoTarget {
  /** Base URL, e.g. `https://oidc.us-east-1.amazonaws.com` or `https://portal.sso.us-east-1.amazonaws.com`. */
  endpoint: string;
  /** Request timeout in milliseconds (default 30 s). */
  timeoutMs?: number;
  /**
   * Retries after the first attempt, for throttling, server errors and network failures
   * (default 2: three attempts, as the SDKs' standard mode; see `retry.ts`).
   */
  retries?: number;
  /** Waits between retries; replaced in tests (default: `setTimeout`). */
  sleep?: (ms: number) => Promise<void>;
  /** Where retries are logged (default: the process's debug log). */
  debug?: (message: string) => void;
}

/**
 * What a failed `CreateToken` poll of the device flow means, in RFC 8628 terms (for
 * `pollForToken`); `undefined` for any other error.
 */
export function ssoPollOutcome(
  error: unknown,
): "authorization_pending" | "slow_down" | "expired_token" | "access_denied" | undefined {
  if (!(error instanceof SsoError)) return undefined;
  switch (error.code) {
    case "AuthorizationPendingException":
      return "authorization_pending";
    case "SlowDownException":
      return "slow_down";
    case "ExpiredTokenException":
      return "expired_token";
    case "AccessDeniedException":
      return "access_denied";
    default:
      return undefined;
  }
}

/** A failed Identity Center call, with the AWS error name (e.g. `AuthorizationPendingException`). */
export class SsoError extends AtmosError {
  /** AWS error name, e.g. `SlowDownException`, `UnauthorizedException`, `HTTP500`. */
  readonly code: string;
  /** HTTP status. */
  readonly status: number;

  constructor(action: string, code: string, message: string, status: number) {
    super(`IAM Identity Center ${action} failed: ${code}${message ? `: ${message}` : ""}`);
    this.name = "SsoError";
    this.code = code;
    this.status = status;
  }
}

/** The OAuth scope that lets a token list accounts and get role credentials. */
export const SSO_SCOPE = "sso:account:access";
/** `grantType` of the device authorization flow. */
export const DEVICE_CODE_GRANT = "urn:ietf:params:oauth:grant-type:device_code";
/** `grantType` of a refresh. */
export const REFRESH_TOKEN_GRANT = "refresh_token";

/** A registered OIDC client. `clientSecret` is secret. */
export interface RegisteredClient {
  clientId: string;
  clientSecret: string;
  /** When the registration (and so every token made with it) can no longer be refreshed. */
  expiresAt: Date;
}

/** What the user must approve. `deviceCode` is secret; `userCode` is shown to the user. */
export interface DeviceAuthorization {
  deviceCode: string;
  userCode: string;
  verificationUri: string;
  /** The verification URL with the user code filled in. */
  verificationUriComplete: string;
  /** Seconds until the authorization expires. */
  expiresIn: number;
  /** Seconds to wait between polls. */
  interval: number;
}

/** A token from `CreateToken`. Both tokens are secret. */
export interface SsoToken {
  accessToken: string;
  /** Lifetime of the access token in seconds. */
  expiresIn: number;
  refreshToken?: string;
}

/** One account from `ListAccounts`. */
export interface SsoAccount {
  accountId: string;
  accountName: string;
  emailAddress?: string;
}

/** One page of a paginated list. */
export interface Page<T> {
  items: T[];
  nextToken?: string;
}

/** `RegisterClient`: registers a public OIDC client that may use refresh tokens. */
export async function registerClient(
  target: SsoTarget,
  clientName: string,
): Promise<RegisteredClient> {
  const body = await postJson(target, "RegisterClient", "/client/register", {
    clientName,
    clientType: "public",
    scopes: [SSO_SCOPE],
  });
  const clientId = stringField(body, "clientId", "RegisterClient");
  const clientSecret = stringField(body, "clientSecret", "RegisterClient");
  const expiresAt = numberField(body, "clientSecretExpiresAt", "RegisterClient");
  return redactFields({ clientId, clientSecret, expiresAt: new Date(expiresAt * 1000) }, [
    "clientSecret",
  ]);
}

/** `StartDeviceAuthorization` for a portal start URL. */
export async function startDeviceAuthorization(
  target: SsoTarget,
  client: RegisteredClient,
  startUrl: string,
): Promise<DeviceAuthorization> {
  const body = await postJson(target, "StartDeviceAuthorization", "/device_authorization", {
    clientId: client.clientId,
    clientSecret: client.clientSecret,
    startUrl,
  });
  const action = "StartDeviceAuthorization";
  const verificationUri = stringField(body, "verificationUri", action);
  return redactFields({
    deviceCode: stringField(body, "deviceCode", action),
    userCode: stringField(body, "userCode", action),
    verificationUri,
    verificationUriComplete: optionalString(body, "verificationUriComplete") ?? verificationUri,
    expiresIn: numberField(body, "expiresIn", action),
    interval: optionalNumber(body, "interval") ?? 5,
  }, ["deviceCode"]);
}

/** `CreateToken` with the device code (one poll of the device flow). */
export function createTokenWithDeviceCode(
  target: SsoTarget,
  client: RegisteredClient,
  deviceCode: string,
): Promise<SsoToken> {
  return createToken(target, {
    clientId: client.clientId,
    clientSecret: client.clientSecret,
    grantType: DEVICE_CODE_GRANT,
    deviceCode,
  });
}

/** `CreateToken` with a refresh token (a silent refresh). */
export function createTokenWithRefreshToken(
  target: SsoTarget,
  client: Pick<RegisteredClient, "clientId" | "clientSecret">,
  refreshToken: string,
): Promise<SsoToken> {
  return createToken(target, {
    clientId: client.clientId,
    clientSecret: client.clientSecret,
    grantType: REFRESH_TOKEN_GRANT,
    refreshToken,
  });
}

async function createToken(target: SsoTarget, request: Record<string, string>): Promise<SsoToken> {
  // Device-code polls are not retried here: the caller owns the polling interval. A refresh is.
  const poll = request.grantType === DEVICE_CODE_GRANT;
  const body = await postJson(
    poll ? { ...target, retries: 0 } : target,
    "CreateToken",
    "/token",
    request,
  );
  return redactFields({
    accessToken: stringField(body, "accessToken", "CreateToken"),
    expiresIn: numberField(body, "expiresIn", "CreateToken"),
    refreshToken: optionalString(body, "refreshToken"),
  }, ["accessToken", "refreshToken"]);
}

/** One page of `ListAccounts`. */
export async function listAccounts(
  target: SsoTarget,
  accessToken: string,
  nextToken?: string,
): Promise<Page<SsoAccount>> {
  const body = await portalGet(target, "ListAccounts", "/assignment/accounts", accessToken, {
    max_result: "100",
    next_token: nextToken,
  });
  const list = Array.isArray(body.accountList) ? body.accountList : [];
  return {
    items: list.filter(isRecord).map((a) => ({
      accountId: String(a.accountId ?? ""),
      accountName: String(a.accountName ?? ""),
      emailAddress: typeof a.emailAddress === "string" ? a.emailAddress : undefined,
    })),
    nextToken: optionalString(body, "nextToken"),
  };
}

/** One page of `ListAccountRoles` (role names) for an account. */
export async function listAccountRoles(
  target: SsoTarget,
  accessToken: string,
  accountId: string,
  nextToken?: string,
): Promise<Page<string>> {
  const body = await portalGet(target, "ListAccountRoles", "/assignment/roles", accessToken, {
    account_id: accountId,
    max_result: "100",
    next_token: nextToken,
  });
  const list = Array.isArray(body.roleList) ? body.roleList : [];
  return {
    items: list.filter(isRecord).map((r) => String(r.roleName ?? "")).filter((n) => n !== ""),
    nextToken: optionalString(body, "nextToken"),
  };
}

/** Every item of a paginated list, page by page. */
export async function allPages<T>(page: (nextToken?: string) => Promise<Page<T>>): Promise<T[]> {
  const items: T[] = [];
  let nextToken: string | undefined;
  do {
    const result = await page(nextToken);
    items.push(...result.items);
    nextToken = result.nextToken;
  } while (nextToken);
  return items;
}

/** `GetRoleCredentials`: session credentials of a permission set in an account. */
export async function getRoleCredentials(
  target: SsoTarget,
  accessToken: string,
  accountId: string,
  roleName: string,
): Promise<AwsCredentials> {
  const body = await portalGet(
    target,
    "GetRoleCredentials",
    "/federation/credentials",
    accessToken,
    { account_id: accountId, role_name: roleName },
  );
  const creds = isRecord(body.roleCredentials) ? body.roleCredentials : {};
  const action = "GetRoleCredentials";
  return redactFields({
    accessKeyId: stringField(creds, "accessKeyId", action),
    secretAccessKey: stringField(creds, "secretAccessKey", action),
    sessionToken: stringField(creds, "sessionToken", action),
    expiration: new Date(numberField(creds, "expiration", action)),
  }, ["secretAccessKey", "sessionToken"]);
}

/** `Logout`: ends the portal session of an access token. */
export async function logout(target: SsoTarget, accessToken: string): Promise<void> {
  await send(target, "Logout", "POST", new URL(`${base(target)}/logout`), {
    "x-amz-sso_bearer_token": accessToken,
  });
}

// ---------------------------------------------------------------------------------------------

type Json = Record<string, unknown>;

function postJson(target: SsoTarget, action: string, path: string, body: Json): Promise<Json> {
  return send(target, action, "POST", new URL(`${base(target)}${path}`), {
    "content-type": "application/json",
  }, JSON.stringify(body));
}

function portalGet(
  target: SsoTarget,
  action: string,
  path: string,
  accessToken: string,
  query: Record<string, string | undefined>,
): Promise<Json> {
  const url = new URL(`${base(target)}${path}`);
  for (const [key, value] of Object.entries(query)) {
    if (value !== undefined && value !== "") url.searchParams.set(key, value);
  }
  return send(target, action, "GET", url, { "x-amz-sso_bearer_token": accessToken });
}

async function send(
  target: SsoTarget,
  action: string,
  method: string,
  url: URL,
  headers: Record<string, string>,
  body?: string,
): Promise<Json> {
  const answer = await sendWithRetries({
    service: "IAM Identity Center",
    action,
    url,
    init: { method, headers: { accept: "application/json", ...headers }, body },
    timeoutMs: target.timeoutMs,
    errorCode: (failed) => errorCode(failed.headers, failed.status, parseJson(failed.text)),
    maxAttempts: (target.retries ?? 2) + 1,
    sleep: target.sleep,
    debug: target.debug,
    unreachableHint:
      "check the network, AWS_ENDPOINT_URL_SSO / AWS_ENDPOINT_URL_SSO_OIDC or spec.endpoint_url",
  });
  const json = parseJson(answer.text);
  if (answer.ok) return json;
  throw new SsoError(
    action,
    errorCode(answer.headers, answer.status, json),
    errorMessage(json),
    answer.status,
  );
}

const OAUTH_ERRORS: Record<string, string> = {
  authorization_pending: "AuthorizationPendingException",
  slow_down: "SlowDownException",
  expired_token: "ExpiredTokenException",
  access_denied: "AccessDeniedException",
  invalid_grant: "InvalidGrantException",
  invalid_client: "InvalidClientException",
  invalid_request: "InvalidRequestException",
  unauthorized_client: "UnauthorizedClientException",
};

function errorCode(headers: Headers, status: number, body: Json): string {
  const header = headers.get("x-amzn-errortype");
  if (header) return header.split(":")[0];
  if (typeof body.__type === "string") return body.__type.split("#").pop()!;
  if (typeof body.error === "string") return OAUTH_ERRORS[body.error] ?? body.error;
  return `HTTP${status}`;
}

function errorMessage(body: Json): string {
  for (const key of ["message", "Message", "error_description"]) {
    if (typeof body[key] === "string") return oneLine(body[key] as string);
  }
  return "";
}

function parseJson(text: string): Json {
  if (text.trim() === "") return {};
  try {
    const value = JSON.parse(text);
    return isRecord(value) ? value : {};
  } catch {
    return {};
  }
}

function base(target: SsoTarget): string {
  return target.endpoint.replace(/\/+$/, "");
}

function stringField(body: Json, key: string, action: string): string {
  const value = body[key];
  if (typeof value === "string" && value !== "") return value;
  throw new AtmosError(`IAM Identity Center ${action} returned no ${key}`);
}

function numberField(body: Json, key: string, action: string): number {
  const value = body[key];
  if (typeof value === "number" && Number.isFinite(value)) return value;
  throw new AtmosError(`IAM Identity Center ${action} returned no ${key}`);
}

function optionalString(body: Json, key: string): string | undefined {
  const value = body[key];
  return typeof value === "string" && value !== "" ? value : undefined;
}

function optionalNumber(body: Json, key: string): number | undefined {
  const value = body[key];
  return typeof value === "number" && Number.isFinite(value) && value > 0 ? value : undefined;
}

function isRecord(value: unknown): value is Json {
  return typeof value === "object" && value !== null && !Array.isArray(value);
}

function oneLine(text: string): string {
  return text.replace(/\s+/g, " ").trim().slice(0, 300);
}
