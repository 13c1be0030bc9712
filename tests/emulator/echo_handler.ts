/**
 * `GET /echo`: answers the `Authorization` header a client sent and, when the bearer token is
 * one the emulator issued (Google or Entra) and unexpired, who it stands for — so a test can check
 * which token a real client library attaches to its requests.
 *
 * @module
 */

import { bearerToken, json } from "./http_util.ts";
import { validGcpToken } from "./gcp_state.ts";
import { countCall, recordCaller } from "./state.ts";
import type { EmulatorState } from "./state.ts";

/** Answers `GET /echo`. */
export function handleEcho(state: EmulatorState, request: Request): Response {
  countCall(state, "echo");
  const token = bearerToken(request);
  const google = validGcpToken(state, token);
  const entra = token === undefined ? undefined : state.entra.tokens.get(token);
  const principal = google?.principal ??
    (entra !== undefined && entra.expiresAtMs > Date.now()
      ? (entra.upn !== undefined ? `user:${entra.upn}` : `app:${entra.clientId}`)
      : null);
  if (principal !== null) recordCaller(state, "echo", principal);
  return json(200, { authorization: request.headers.get("authorization"), principal });
}
