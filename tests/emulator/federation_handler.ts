/**
 * The AWS sign-in federation endpoint: `GET /federation?Action=getSigninToken&Session=…`
 * checks the role session credentials (issued by this emulator, unexpired, not an IAM user's
 * GetSessionToken session, which AWS refuses too) and returns a sign-in token;
 * `GET /federation?Action=login&…&SigninToken=…` redirects to `Destination` once per token,
 * within 15 minutes.
 *
 * @module
 */

import { constantTimeEqual } from "./crypto_util.ts";
import { countCall } from "./state.ts";
import type { EmulatorState } from "./state.ts";
import { newSecretToken } from "./sso_state.ts";

/** How long a sign-in token can be used. */
export const SIGNIN_TOKEN_LIFETIME_MS = 15 * 60 * 1000;

function problem(status: number, message: string): Response {
  return new Response(`${message}\n`, { status, headers: { "content-type": "text/plain" } });
}

function getSigninToken(state: EmulatorState, url: URL): Response {
  countCall(state, "signin.getSigninToken");
  let session: Record<string, unknown>;
  try {
    session = JSON.parse(url.searchParams.get("Session") ?? "");
  } catch {
    return problem(400, "Session must be JSON");
  }
  const key = state.keys.get(String(session?.sessionId ?? ""));
  const valid = key !== undefined && key.sessionToken !== undefined &&
    constantTimeEqual(String(session.sessionKey ?? ""), key.secretAccessKey) &&
    constantTimeEqual(String(session.sessionToken ?? ""), key.sessionToken) &&
    (key.expiresAtMs ?? 0) > Date.now();
  if (!valid || key.issuedBy === "GetSessionToken") {
    return problem(400, "The credentials in the session are not valid for console sign-in");
  }
  const raw = url.searchParams.get("SessionDuration");
  let sessionDuration: number | undefined;
  if (raw !== null) {
    sessionDuration = Number(raw);
    if (!Number.isInteger(sessionDuration) || sessionDuration < 900 || sessionDuration > 43200) {
      return problem(400, "SessionDuration must be 900 to 43200");
    }
  }
  const token = newSecretToken(state, "sgn", 180);
  state.sso.signinTokens.set(token, {
    arn: key.principal.arn,
    accessKeyId: key.accessKeyId,
    sessionDuration,
    issuedAtMs: Date.now(),
    used: false,
  });
  return new Response(JSON.stringify({ SigninToken: token }), {
    status: 200,
    headers: { "content-type": "application/json" },
  });
}

function login(state: EmulatorState, url: URL): Response {
  countCall(state, "signin.login");
  const found = state.sso.signinTokens.get(url.searchParams.get("SigninToken") ?? "");
  const destination = url.searchParams.get("Destination") ?? "";
  if (!found || found.used || Date.now() - found.issuedAtMs > SIGNIN_TOKEN_LIFETIME_MS) {
    return problem(400, "Invalid or expired sign-in token");
  }
  if (!/^https:\/\//.test(destination)) return problem(400, "Destination must be https");
  found.used = true;
  return new Response(null, { status: 302, headers: { location: destination } });
}

/** Answers `GET /federation`. */
export function handleFederation(state: EmulatorState, request: Request): Response {
  const url = new URL(request.url);
  switch (url.searchParams.get("Action")) {
    case "getSigninToken":
      return getSigninToken(state, url);
    case "login":
      return login(state, url);
    default:
      return problem(400, "Unknown Action");
  }
}
