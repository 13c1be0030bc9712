/**
 * The `/_emulator/gcp/*`, `/_emulator/azure/*` and `/_emulator/callers` control endpoints, for
 * tests and tools in another process: who a token stands for, Google users, device-code and
 * authorization decisions, token expiry. Test-only: these may return secrets.
 *
 * @module
 */

import { json } from "./http_util.ts";
import { createGcpUser, expireGcpTokens } from "./gcp_state.ts";
import {
  decideAuthorization,
  decideDevice,
  expireEntraTokens,
  pendingAuthorizations,
  pendingDeviceCodes,
} from "./entra_state.ts";
import type { EmulatorState } from "./state.ts";

async function bodyField(request: Request, name: string): Promise<string | undefined> {
  const input = await request.json().catch(() => ({})) as Record<string, unknown> | null;
  const value = input?.[name];
  return typeof value === "string" ? value : undefined;
}

/** Answers a cloud control route, or undefined when `route` is not one. */
export async function handleCloudControl(
  state: EmulatorState,
  route: string,
  request: Request,
): Promise<Response | undefined> {
  switch (route) {
    case "GET /_emulator/callers": {
      const action = new URL(request.url).searchParams.get("action") ?? "";
      return json(200, state.callers.get(action) ?? []);
    }
    case "POST /_emulator/gcp/tokeninfo": {
      const info = state.gcp.tokens.get(await bodyField(request, "token") ?? "");
      return info ? json(200, info) : json(404, { message: "not a token the emulator issued" });
    }
    case "POST /_emulator/gcp/users": {
      try {
        return json(200, createGcpUser(state, await bodyField(request, "email") ?? ""));
      } catch (error) {
        return json(400, { message: (error as Error).message });
      }
    }
    case "POST /_emulator/gcp/expire-tokens":
      expireGcpTokens(state);
      return json(200, {});
    case "POST /_emulator/azure/tokeninfo": {
      const info = state.entra.tokens.get(await bodyField(request, "token") ?? "");
      return info ? json(200, info) : json(404, { message: "not a token the emulator issued" });
    }
    case "GET /_emulator/azure/devices":
      return json(200, pendingDeviceCodes(state));
    case "POST /_emulator/azure/devices/approve":
    case "POST /_emulator/azure/devices/deny": {
      const decision = route.endsWith("approve") ? "approved" : "denied";
      const count = decideDevice(state, decision, await bodyField(request, "userCode"));
      return json(200, { count });
    }
    case "GET /_emulator/azure/authorizations":
      return json(200, pendingAuthorizations(state));
    case "POST /_emulator/azure/authorizations/approve":
    case "POST /_emulator/azure/authorizations/deny": {
      const decision = route.endsWith("approve") ? "approved" : "denied";
      const count = decideAuthorization(state, decision, await bodyField(request, "state"));
      return json(200, { count });
    }
    case "POST /_emulator/azure/expire-tokens":
      expireEntraTokens(state);
      return json(200, {});
    default:
      return undefined;
  }
}
