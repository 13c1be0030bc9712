/**
 * One HTTP call to an AWS service, retried the way the AWS SDKs' *standard* retry mode does
 * (SDK reference "Retry behavior"; `@smithy/util-retry`'s `StandardRetryStrategy`), shared by
 * the STS and IAM Identity Center clients:
 *
 * - at most 3 attempts;
 * - retried: throttling (HTTP 429 or a throttling error code), transient server errors (HTTP
 *   500/502/503/504, `InternalFailure`-like codes, STS's `IDPCommunicationError`), connection
 *   failures and timeouts;
 * - never retried: every other answer — above all refused credentials (`InvalidClientTokenId`,
 *   `ExpiredToken`, `AccessDenied`, `SignatureDoesNotMatch`, …), which another try cannot fix;
 * - between attempts, exponential backoff with full jitter: `random × base × 2^attempt` with a
 *   base of 100 ms (500 ms after throttling), at most 20 s; a `Retry-After` the server sent wins
 *   (also at most 20 s);
 * - each retry is one debug line (never request data).
 *
 * The SDKs' client-wide retry quota (a token bucket that stops retries after many failures) is
 * left out: one atmos process makes a handful of calls.
 *
 * Hand-written: `@smithy/util-retry` expects the SDK's middleware stack, which atmos does not use
 * (see `sts.ts`); the policy itself is a few lines.
 *
 * Error texts never quote request headers: a header value with a character HTTP does not allow
 * (a malformed key or token) makes `fetch` throw a message that contains the whole header, which
 * may be a signature or a bearer token.
 *
 * @module
 */

import { AtmosError } from "../errors.ts";
import { processDebug } from "../log.ts";

/** Attempts in all, as in the SDKs' standard mode. */
export const MAX_ATTEMPTS = 3;
/** Longest wait between attempts. */
export const MAX_RETRY_DELAY_MS = 20_000;

const BASE_DELAY_MS = 100;
const THROTTLING_BASE_DELAY_MS = 500;

/** Error codes the SDKs treat as throttling (`@smithy/service-error-classification`). */
const THROTTLING_CODES = new Set([
  "BandwidthLimitExceeded",
  "EC2ThrottledException",
  "LimitExceededException",
  "PriorRequestNotComplete",
  "ProvisionedThroughputExceededException",
  "RequestLimitExceeded",
  "RequestThrottled",
  "RequestThrottledException",
  "SlowDown",
  "ThrottledException",
  "Throttling",
  "ThrottlingException",
  "TooManyRequestsException",
  "TransactionInProgressException",
]);

/** Error codes and statuses the SDKs treat as transient. */
const TRANSIENT_CODES = new Set([
  "RequestTimeout",
  "RequestTimeoutException",
  "InternalFailure",
  "InternalError",
  "InternalServerError",
  "InternalServerException",
  "ServiceUnavailable",
  "ServiceUnavailableException",
  // STS: the identity provider could not be reached (retried by the SDK's STS client).
  "IDPCommunicationError",
]);
const TRANSIENT_STATUSES = new Set([500, 502, 503, 504]);

/** An answer of the service: status, headers and the whole body. */
export interface HttpAnswer {
  status: number;
  ok: boolean;
  statusText: string;
  headers: Headers;
  text: string;
}

/** One call to retry. */
export interface RetriedCall {
  /** Service name for messages, e.g. `STS`, `IAM Identity Center`. */
  service: string;
  /** API action for messages, e.g. `AssumeRole`. */
  action: string;
  /** The request; sent again unchanged on each attempt. */
  url: URL;
  init: { method: string; headers: Record<string, string>; body?: string };
  /** Milliseconds each attempt may take (default 30 s). */
  timeoutMs?: number;
  /** The AWS error code of a failed answer, if the body names one. */
  errorCode(answer: HttpAnswer): string | undefined;
  /** Attempts in all (default {@linkcode MAX_ATTEMPTS}; 1 disables retries). */
  maxAttempts?: number;
  /** Waits between attempts (default: a timer). */
  sleep?: (ms: number) => Promise<void>;
  /** Where retries are logged (default: the process's debug log). */
  debug?: (message: string) => void;
  /** Random numbers in [0, 1) for the jitter (default `Math.random`). */
  random?: () => number;
  /** How to fix an unreachable endpoint, for the error's hint. */
  unreachableHint: string;
}

/**
 * Sends the request, retrying as described in the module doc. Returns the last answer, which
 * may be a failure the caller turns into its own error; throws {@linkcode AtmosError} when the
 * service could not be reached on any attempt, or the request cannot be sent at all.
 */
export async function sendWithRetries(call: RetriedCall): Promise<HttpAnswer> {
  const attempts = Math.max(1, call.maxAttempts ?? MAX_ATTEMPTS);
  const sleep = call.sleep ?? ((ms: number) => new Promise((done) => setTimeout(done, ms)));
  const debug = call.debug ?? processDebug;
  const random = call.random ?? Math.random;
  for (let attempt = 0;; attempt++) {
    let answer: HttpAnswer | undefined;
    let failure: unknown;
    try {
      answer = await sendOnce(call);
    } catch (error) {
      if (isUnsendable(error)) throw unsendable(call);
      failure = error;
    }
    const kind = answer ? answerKind(answer, call.errorCode(answer)) : "transient";
    const last = attempt + 1 >= attempts;
    if (kind === "final" || last) {
      if (answer) return answer;
      throw new AtmosError(
        `Cannot reach ${call.service} at ${call.url.origin} for ${call.action}: ${
          describeNetworkError(failure)
        }${attempts > 1 ? ` (${attempts} attempts)` : ""}`,
        { hint: call.unreachableHint, cause: failure },
      );
    }
    const delay = retryDelay(attempt, kind, answer?.headers.get("retry-after") ?? null, random());
    const what = answer
      ? `HTTP ${answer.status}${codeSuffix(call.errorCode(answer))}`
      : describeNetworkError(failure);
    debug(
      `${call.service} ${call.action}: attempt ${
        attempt + 1
      } of ${attempts} failed (${what}); retrying in ${delay} ms`,
    );
    await sleep(delay);
  }
}

/**
 * Milliseconds to wait before retry number `attempt + 1` (`attempt` counts from 0): the
 * server's `Retry-After` seconds when given, else full-jitter exponential backoff.
 */
export function retryDelay(
  attempt: number,
  kind: "throttling" | "transient",
  retryAfter: string | null,
  random: number,
): number {
  const seconds = retryAfter === null || retryAfter.trim() === "" ? NaN : Number(retryAfter);
  if (Number.isFinite(seconds) && seconds >= 0) {
    return Math.min(Math.round(seconds * 1000), MAX_RETRY_DELAY_MS);
  }
  const base = kind === "throttling" ? THROTTLING_BASE_DELAY_MS : BASE_DELAY_MS;
  return Math.floor(Math.min(MAX_RETRY_DELAY_MS, random * base * 2 ** attempt));
}

/** Whether a failed answer is worth another attempt, and which backoff it gets. */
export function answerKind(
  answer: Pick<HttpAnswer, "ok" | "status">,
  code: string | undefined,
): "final" | "throttling" | "transient" {
  if (answer.ok) return "final";
  if (answer.status === 429 || (code !== undefined && THROTTLING_CODES.has(code))) {
    return "throttling";
  }
  if (TRANSIENT_STATUSES.has(answer.status) || (code !== undefined && TRANSIENT_CODES.has(code))) {
    return "transient";
  }
  return "final";
}

async function sendOnce(call: RetriedCall): Promise<HttpAnswer> {
  const response = await fetch(call.url, {
    ...call.init,
    signal: AbortSignal.timeout(call.timeoutMs ?? 30_000),
  });
  return {
    status: response.status,
    ok: response.ok,
    statusText: response.statusText,
    headers: response.headers,
    text: await response.text(),
  };
}

/** `fetch` refused the request itself (a header value HTTP cannot carry): retrying cannot help. */
function isUnsendable(error: unknown): boolean {
  return error instanceof TypeError && /header|ByteString/i.test(error.message);
}

function unsendable(call: RetriedCall): AtmosError {
  // The fetch error quotes the whole header value (a signature, key ID or token): not shown.
  return new AtmosError(
    `Cannot send ${call.service} ${call.action}: a request header holds a character HTTP does not allow (a line break, control or non-ASCII character in a key or token)`,
    { hint: "check the credentials in the configuration or the credential store" },
  );
}

/**
 * Why a request got no answer, in words that hold nothing of the request itself: Deno's fetch
 * errors quote the URL (whose query may hold credentials, as the console sign-in's does) or a
 * whole header value; only the reason after them is kept, e.g. `tcp connect error: Connection
 * refused (os error 111)`.
 */
export function describeNetworkError(error: unknown): string {
  if (error instanceof DOMException && error.name === "TimeoutError") return "timed out";
  if (isUnsendable(error)) return "the request could not be sent";
  for (let e: unknown = error; e instanceof Error; e = e.cause) {
    const reason = /client error \(\w+\): (.*)$/.exec(e.message)?.[1];
    if (reason) return reason;
  }
  return "the connection failed";
}

function codeSuffix(code: string | undefined): string {
  return code === undefined ? "" : ` ${code}`;
}
