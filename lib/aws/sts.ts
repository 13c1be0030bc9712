/**
 * A small AWS STS client for the four calls atmos makes.
 *
 * Hand-written on purpose instead of `@aws-sdk/client-sts`: the SDK's client construction
 * reads `~/.aws/config`, `~/.aws/credentials` and many `AWS_*` variables (which atmos must
 * never consult while authenticating, reference atmos-auth.md §4.3) and adds ~145 ms of
 * start-up. Request signing uses the SDK's own `@smithy/signature-v4`; XML responses are
 * parsed with `fast-xml-parser`. Both are imported lazily so commands that make no network
 * call never load them. Throttling, server errors and network failures are retried like the
 * SDKs' standard mode (`retry.ts`).
 *
 * @module
 */
import { AtmosError } from "../errors.ts";
import type { AwsCredentials } from "./types.ts";
import { sendWithRetries } from "./retry.ts";

/** Where and how to call STS. */
export interface StsTarget {
  /** Region used for the SigV4 scope. */
  region: string;
  /** Base endpoint URL, e.g. `https://sts.us-east-1.amazonaws.com`. */
  endpoint: string;
  /** Signing credentials; omitted for unsigned calls (AssumeRoleWithWebIdentity). */
  credentials?: AwsCredentials;
  /** Request timeout in milliseconds (default 30 s). */
  timeoutMs?: number;
  /** Attempts in all, for throttling, server errors and network failures (default 3). */
  maxAttempts?: number;
  /** Waits between attempts; replaced in tests (default: a timer). */
  sleep?: (ms: number) => Promise<void>;
  /** Where retries are logged (default: the process's debug log). */
  debug?: (message: string) => void;
}

/** Temporary credentials plus what STS said about the principal. */
export interface StsCredentialsResult {
  credentials: AwsCredentials;
  /** ARN of the assumed role session, when STS returned one. */
  arn?: string;
}

/** Who signed a request, from GetCallerIdentity. */
export interface CallerIdentity {
  account: string;
  arn: string;
  userId: string;
}

/** A failed STS call, with the AWS error code (e.g. `AccessDenied`, `ExpiredToken`). */
export class StsError extends AtmosError {
  /** AWS error code. */
  readonly code: string;
  /** HTTP status. */
  readonly status: number;

  constructor(action: string, code: string, message: string, status: number) {
    super(`STS ${action} failed: ${code}: ${message}`, { exitCode: 1 });
    this.name = "StsError";
    this.code = code;
    this.status = status;
  }
}

/** Calls `sts:GetSessionToken` with long-lived user keys. */
export async function getSessionToken(
  target: StsTarget,
  params: { durationSeconds?: number; serialNumber?: string; tokenCode?: string },
): Promise<StsCredentialsResult> {
  const query: Record<string, string | undefined> = {
    DurationSeconds: params.durationSeconds?.toString(),
    SerialNumber: params.serialNumber,
    TokenCode: params.tokenCode,
  };
  const result = await callSts(target, "GetSessionToken", query);
  return { credentials: readCredentials(result, target.region) };
}

/** Calls `sts:AssumeRole`, signed with the caller's credentials. */
export async function assumeRole(
  target: StsTarget,
  params: { roleArn: string; sessionName: string; durationSeconds?: number; externalId?: string },
): Promise<StsCredentialsResult> {
  const result = await callSts(target, "AssumeRole", {
    RoleArn: params.roleArn,
    RoleSessionName: params.sessionName,
    DurationSeconds: params.durationSeconds?.toString(),
    ExternalId: params.externalId,
  });
  return {
    credentials: readCredentials(result, target.region),
    arn: text(result.AssumedRoleUser?.Arn),
  };
}

/** Calls `sts:AssumeRoleWithWebIdentity` (unsigned) with an OIDC token. */
export async function assumeRoleWithWebIdentity(
  target: StsTarget,
  params: {
    roleArn: string;
    sessionName: string;
    webIdentityToken: string;
    durationSeconds?: number;
  },
): Promise<StsCredentialsResult> {
  const result = await callSts({ ...target, credentials: undefined }, "AssumeRoleWithWebIdentity", {
    RoleArn: params.roleArn,
    RoleSessionName: params.sessionName,
    WebIdentityToken: params.webIdentityToken,
    DurationSeconds: params.durationSeconds?.toString(),
  });
  return {
    credentials: readCredentials(result, target.region),
    arn: text(result.AssumedRoleUser?.Arn),
  };
}

/** Calls `sts:GetCallerIdentity`. */
export async function getCallerIdentity(target: StsTarget): Promise<CallerIdentity> {
  const result = await callSts(target, "GetCallerIdentity", {});
  return {
    account: text(result.Account) ?? "",
    arn: text(result.Arn) ?? "",
    userId: text(result.UserId) ?? "",
  };
}

// deno-lint-ignore no-explicit-any
type XmlNode = any;

async function callSts(
  target: StsTarget,
  action: string,
  params: Record<string, string | undefined>,
): Promise<XmlNode> {
  const form = new URLSearchParams({ Action: action, Version: "2011-06-15" });
  for (const [key, value] of Object.entries(params)) {
    if (value !== undefined && value !== "") form.set(key, value);
  }
  const body = form.toString();
  const url = new URL(target.endpoint.endsWith("/") ? target.endpoint : `${target.endpoint}/`);
  let headers: Record<string, string> = {
    host: url.host,
    "content-type": "application/x-www-form-urlencoded; charset=utf-8",
  };
  if (target.credentials) {
    checkHeaderSafe(target.credentials, action);
    headers = await sign(target, url, headers, body);
  }
  const { XMLParser } = await import("fast-xml-parser");
  const parse = (xml: string): XmlNode =>
    new XMLParser({ ignoreAttributes: true, parseTagValue: false }).parse(xml);
  const errorOf = (doc: XmlNode) => doc?.ErrorResponse?.Error ?? doc?.Error ?? {};
  const answer = await sendWithRetries({
    service: "STS",
    action,
    url,
    init: { method: "POST", headers, body },
    timeoutMs: target.timeoutMs,
    errorCode: (failed) => text(errorOf(parse(failed.text)).Code),
    maxAttempts: target.maxAttempts,
    sleep: target.sleep,
    debug: target.debug,
    unreachableHint: "check the network, AWS_ENDPOINT_URL_STS or spec.endpoint_url",
  });
  const doc = parse(answer.text);
  if (!answer.ok) {
    const error = errorOf(doc);
    throw new StsError(
      action,
      text(error.Code) ?? `HTTP${answer.status}`,
      text(error.Message) ?? answer.statusText,
      answer.status,
    );
  }
  const result = doc?.[`${action}Response`]?.[`${action}Result`];
  if (!result) {
    throw new AtmosError(`STS ${action} returned an unexpected response (HTTP ${answer.status})`);
  }
  return result;
}

/**
 * Refuses credentials that cannot travel in HTTP headers (the key ID goes into `Authorization`,
 * the session token into `X-Amz-Security-Token`): a line break or other control or non-ASCII
 * character there means the value is damaged, and `fetch` would put the whole header — the
 * signature, or the token itself — into its error text. Names the field, never its value.
 */
function checkHeaderSafe(credentials: AwsCredentials, action: string): void {
  const fields: [string, string | undefined][] = [
    ["access key ID", credentials.accessKeyId],
    ["session token", credentials.sessionToken],
  ];
  for (const [name, value] of fields) {
    if (value !== undefined && !/^[\x21-\x7e]+$/.test(value)) {
      throw new AtmosError(
        `Cannot call STS ${action}: the ${name} holds a space, line break, control or non-ASCII character`,
        {
          exitCode: 2,
          hint: "check the key in atmos.yaml (or the value !env reads) or the credential store",
        },
      );
    }
  }
}

async function sign(
  target: StsTarget,
  url: URL,
  headers: Record<string, string>,
  body: string,
): Promise<Record<string, string>> {
  const [{ SignatureV4 }, { Sha256 }] = await Promise.all([
    import("@smithy/signature-v4"),
    import("@aws-crypto/sha256-js"),
  ]);
  const creds = target.credentials!;
  const signer = new SignatureV4({
    credentials: {
      accessKeyId: creds.accessKeyId,
      secretAccessKey: creds.secretAccessKey,
      sessionToken: creds.sessionToken,
    },
    region: target.region,
    service: "sts",
    sha256: Sha256,
  });
  const signed = await signer.sign({
    method: "POST",
    protocol: url.protocol,
    hostname: url.hostname,
    port: url.port ? Number(url.port) : undefined,
    path: url.pathname,
    query: {},
    headers,
    body,
  });
  return signed.headers as Record<string, string>;
}

function readCredentials(result: XmlNode, region: string): AwsCredentials {
  const c = result?.Credentials;
  const accessKeyId = text(c?.AccessKeyId);
  const secretAccessKey = text(c?.SecretAccessKey);
  if (!accessKeyId || !secretAccessKey) {
    throw new AtmosError("STS returned no credentials");
  }
  const expiration = text(c?.Expiration);
  return {
    accessKeyId,
    secretAccessKey,
    sessionToken: text(c?.SessionToken),
    expiration: expiration ? new Date(expiration) : undefined,
    region,
  };
}

function text(node: unknown): string | undefined {
  if (node === undefined || node === null) return undefined;
  if (typeof node === "object") return undefined;
  const value = String(node).trim();
  return value === "" ? undefined : value;
}
