/**
 * The `/_emulator/*` control endpoints for other processes (tests, the demo): call counters,
 * reset, user creation, the secret list, the endpoints, the proxy trap's log and fault injection
 * (`POST /_emulator/faults` with a `FaultSpec`, `POST /_emulator/drop-connections` with
 * `{count}`; the cloud routes are in cloud_control_handler.ts). Test-only: these may return
 * secrets.
 *
 * @module
 */

import { handleCloudControl } from "./cloud_control_handler.ts";
import { callCount, createUser } from "./state.ts";
import { decide, expireAccessTokens, pendingUserCodes } from "./sso_state.ts";
import type { EmulatorState } from "./state.ts";
import { parseFaultSpec, queueFault } from "./faults.ts";
import type { CreateUserOptions } from "./types.ts";

function json(status: number, value: unknown): Response {
  return new Response(JSON.stringify(value), {
    status,
    headers: { "content-type": "application/json" },
  });
}

/** `{action: count}` for every action seen, plus `total`. */
export function callsSnapshot(state: EmulatorState): Record<string, number> {
  return { ...Object.fromEntries(state.calls), total: callCount(state) };
}

function parseUserOptions(value: unknown): CreateUserOptions {
  if (typeof value !== "object" || value === null) throw new Error("body must be a JSON object");
  const v = value as Record<string, unknown>;
  if (typeof v.name !== "string") throw new Error("'name' must be a string");
  for (const field of ["account", "mfaSerial", "mfaSecret"]) {
    if (v[field] !== undefined && typeof v[field] !== "string") {
      throw new Error(`'${field}' must be a string`);
    }
  }
  return {
    name: v.name,
    account: v.account as string | undefined,
    mfaSerial: v.mfaSerial as string | undefined,
    mfaSecret: v.mfaSecret as string | undefined,
  };
}

/** What the control routes need from the running emulator beyond its state. */
export interface ControlContext {
  githubActionsEnv(): Record<string, string>;
  /** `url`, `httpsUrl`, `caFile` and `trapUrl`. */
  endpoints(): Record<string, string>;
  trapLog(): string[];
}

/** Routes `/_emulator/…` requests. */
export async function handleControl(
  state: EmulatorState,
  request: Request,
  context: ControlContext,
): Promise<Response> {
  const path = new URL(request.url).pathname;
  const route = `${request.method} ${path}`;
  switch (route) {
    case "GET /_emulator/calls":
      return json(200, callsSnapshot(state));
    case "POST /_emulator/reset":
      state.calls.clear();
      return json(200, {});
    case "GET /_emulator/secrets":
      return json(200, [...state.secrets]);
    case "GET /_emulator/github-env":
      return json(200, context.githubActionsEnv());
    case "GET /_emulator/endpoints":
      return json(200, context.endpoints());
    case "GET /_emulator/trap":
      return json(200, context.trapLog());
    case "GET /_emulator/sso/pending":
      return json(200, pendingUserCodes(state));
    case "POST /_emulator/sso/approve":
    case "POST /_emulator/sso/deny": {
      const input = await request.json().catch(() => ({})) as { userCode?: unknown };
      const userCode = typeof input?.userCode === "string" ? input.userCode : undefined;
      const decision = path.endsWith("approve") ? "approved" : "denied";
      return json(200, { count: decide(state, decision, userCode) });
    }
    case "POST /_emulator/sso/expire-tokens":
      expireAccessTokens(state);
      return json(200, {});
    case "POST /_emulator/faults": {
      try {
        queueFault(state, parseFaultSpec(await request.json()));
        return json(200, {});
      } catch (error) {
        return json(400, { message: (error as Error).message });
      }
    }
    case "POST /_emulator/drop-connections": {
      const input = await request.json().catch(() => ({})) as { count?: unknown };
      if (!Number.isInteger(input?.count)) {
        return json(400, { message: "'count' must be an integer" });
      }
      state.dropConnections += input.count as number;
      return json(200, {});
    }
    case "POST /_emulator/users": {
      let options: CreateUserOptions;
      try {
        options = parseUserOptions(await request.json());
        return json(200, { ...createUser(state, options) });
      } catch (error) {
        return json(400, { message: (error as Error).message });
      }
    }
    default:
      return await handleCloudControl(state, route, request) ??
        json(404, { message: `no control route '${route}'` });
  }
}
