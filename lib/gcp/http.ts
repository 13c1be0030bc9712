/**
 * One Google HTTP call: a timeout, and failures as one clear line carrying Google's own
 * explanation (`{"error","error_description"}` from OAuth and STS, `{"error":{"message"}}` from
 * the APIs). Request bodies hold secrets and are never part of a message.
 *
 * Hand-written over `fetch`: Google's Node library cannot be pointed at every endpoint atmos
 * must honour (its user refresh URL is fixed), and four small JSON calls need no more.
 *
 * @module
 */
import { AtmosError } from "../errors.ts";

/** How long one Google call may take. */
export const GOOGLE_TIMEOUT_MS = 15_000;

/** A failed call's status and Google's explanation (`error` code, human description). */
export class GoogleCallError extends AtmosError {
  /** HTTP status (0 when no answer came). */
  readonly status: number;
  /** Google's `error` code (`invalid_grant`, `PERMISSION_DENIED`, …), when it sent one. */
  readonly code?: string;

  constructor(message: string, status: number, code?: string, hint?: string) {
    super(message, { hint });
    this.name = "GoogleCallError";
    this.status = status;
    this.code = code;
  }
}

/**
 * Sends `init` to `url` and returns the JSON answer.
 *
 * @param what what the call does, for messages (`refresh the user's token`).
 * @throws {GoogleCallError} on a network failure, a non-2xx answer or a non-JSON body.
 */
export async function googleJson(
  url: string,
  init: RequestInit,
  what: string,
): Promise<Record<string, unknown>> {
  let response: Response;
  try {
    response = await fetch(url, { ...init, signal: AbortSignal.timeout(GOOGLE_TIMEOUT_MS) });
  } catch (error) {
    throw new GoogleCallError(`Cannot ${what}: ${(error as Error).message}`, 0);
  }
  const text = await response.text();
  let body: unknown;
  try {
    body = JSON.parse(text);
  } catch {
    body = undefined;
  }
  if (!response.ok) {
    const { code, description } = googleError(body);
    throw new GoogleCallError(
      `Cannot ${what}: ${origin(url)} answered HTTP ${response.status}${
        description ? `: ${description}` : ""
      }`,
      response.status,
      code,
    );
  }
  if (typeof body !== "object" || body === null || Array.isArray(body)) {
    throw new GoogleCallError(
      `Cannot ${what}: ${origin(url)} did not answer JSON`,
      response.status,
    );
  }
  return body as Record<string, unknown>;
}

/** A form-encoded POST. */
export function formPost(params: Record<string, string>, headers: Record<string, string> = {}) {
  return {
    method: "POST",
    headers: { "content-type": "application/x-www-form-urlencoded", ...headers },
    body: new URLSearchParams(params).toString(),
  };
}

/** Google's error code and description from either error shape. */
export function googleError(body: unknown): { code?: string; description?: string } {
  if (typeof body !== "object" || body === null) return {};
  const record = body as Record<string, unknown>;
  const error = record.error;
  if (typeof error === "string") {
    const description = typeof record.error_description === "string"
      ? record.error_description
      : undefined;
    return { code: error, description: description ? `${error}: ${description}` : error };
  }
  if (typeof error === "object" && error !== null) {
    const api = error as Record<string, unknown>;
    return {
      code: typeof api.status === "string" ? api.status : undefined,
      description: typeof api.message === "string" ? api.message : undefined,
    };
  }
  return {};
}

function origin(url: string): string {
  try {
    const parsed = new URL(url);
    return `${parsed.origin}${parsed.pathname}`;
  } catch {
    return "the endpoint";
  }
}
