/**
 * IAM Credentials `POST /v1/projects/-/serviceAccounts/<email>:generateAccessToken`: the bearer
 * must be an unexpired token the emulator issued whose principal may impersonate the service
 * account (directly, or through the `delegates` chain, each hop a member of the next; a delegate
 * is `projects/-/serviceAccounts/<email>` or the bare e-mail gcloud sends). Answers
 * `{"accessToken","expireTime"}` with `expireTime` in whole seconds (Python google-auth, inside
 * gcloud, rejects fractions). Errors use Google's API shape `{"error":{code,message,status}}`.
 *
 * @module
 */

import { bearerToken, json, rfc3339Seconds } from "./http_util.ts";
import { issueGcpToken, memberMatches, validGcpToken } from "./gcp_state.ts";
import { countCall } from "./state.ts";
import type { EmulatorState } from "./state.ts";

/** The longest lifetime Google grants without an organisation policy, in seconds. */
export const MAX_LIFETIME = 3600;

const PATH = /^\/v1\/projects\/-\/serviceAccounts\/([^/:]+):generateAccessToken$/;

/** True for the generateAccessToken path. */
export function isGenerateAccessTokenPath(path: string): boolean {
  return PATH.test(path);
}

/** Google's API error shape. */
export function apiError(code: number, status: string, message: string): Response {
  return json(code, { error: { code, message, status } });
}

/** The 401 Google answers for a missing, unknown or expired bearer token. */
export function unauthenticated(): Response {
  return apiError(
    401,
    "UNAUTHENTICATED",
    "Request had invalid authentication credentials. Expected OAuth 2 access token, login " +
      "cookie or other valid authentication credential.",
  );
}

function denied(email: string): Response {
  return apiError(
    403,
    "PERMISSION_DENIED",
    `Permission 'iam.serviceAccounts.getAccessToken' denied on resource (or it may not exist). ` +
      `(projects/-/serviceAccounts/${email})`,
  );
}

function mayImpersonate(state: EmulatorState, principal: string, email: string): boolean {
  const account = state.gcp.serviceAccounts.get(email);
  return account !== undefined && account.members.some((m) => memberMatches(m, principal));
}

/** Parses `"3600s"` / `"3600.5s"` into whole seconds, or undefined when malformed. */
export function parseLifetime(value: unknown): number | undefined {
  if (typeof value !== "string") return undefined;
  const m = /^(\d+)(\.\d+)?s$/.exec(value);
  return m ? Number(m[1]) : undefined;
}

/** Answers a generateAccessToken request. */
export async function handleGenerateAccessToken(
  state: EmulatorState,
  request: Request,
): Promise<Response> {
  countCall(state, "gcp.iam.generateAccessToken");
  const path = new URL(request.url).pathname;
  const email = decodeURIComponent(PATH.exec(path)![1]);
  const caller = validGcpToken(state, bearerToken(request));
  if (caller === undefined) return unauthenticated();
  let body: Record<string, unknown>;
  try {
    body = await request.json();
    if (typeof body !== "object" || body === null) throw new Error();
  } catch {
    return apiError(400, "INVALID_ARGUMENT", "Invalid JSON payload received.");
  }
  const scopes = body.scope;
  if (!Array.isArray(scopes) || scopes.length === 0 || scopes.some((s) => typeof s !== "string")) {
    return apiError(400, "INVALID_ARGUMENT", "Scope required.");
  }
  let lifetime = MAX_LIFETIME;
  if (body.lifetime !== undefined && body.lifetime !== null) {
    const parsed = parseLifetime(body.lifetime);
    if (parsed === undefined || parsed < 1 || parsed > MAX_LIFETIME) {
      return apiError(
        400,
        "INVALID_ARGUMENT",
        `The lifetime must be between 1s and ${MAX_LIFETIME}s, got ${
          JSON.stringify(body.lifetime)
        }.`,
      );
    }
    lifetime = parsed;
  }
  const delegates = Array.isArray(body.delegates) ? body.delegates : [];
  // The chain: caller → delegates[0] → … → target; each hop must be a token creator on the next.
  let principal = caller.principal;
  for (const delegate of delegates) {
    // IAM's documented form, or a bare e-mail (gcloud's own impersonation sends those).
    const m = /^(?:projects\/-\/serviceAccounts\/)?([^/]+@[^/]+)$/.exec(String(delegate));
    if (!m) {
      return apiError(400, "INVALID_ARGUMENT", `Invalid delegate: ${String(delegate)}`);
    }
    if (!mayImpersonate(state, principal, m[1])) return denied(m[1]);
    principal = `serviceAccount:${m[1]}`;
  }
  if (!mayImpersonate(state, principal, email)) return denied(email);
  const issued = issueGcpToken(state, {
    kind: "service_account",
    principal: `serviceAccount:${email}`,
    email,
    scopes: scopes as string[],
  }, lifetime);
  return json(200, { accessToken: issued.token, expireTime: rfc3339Seconds(issued.expiresAtMs) });
}
