/**
 * The SSO portal (REST-JSON with the access token in `x-amz-sso_bearer_token`):
 * `GET /assignment/accounts`, `GET /assignment/roles`, `GET /federation/credentials` and
 * `POST /logout`. Role credentials are real emulator sessions, so STS (GetCallerIdentity,
 * AssumeRole) and the console sign-in accept them.
 *
 * @module
 */

import { sha256Hex } from "./crypto_util.ts";
import { countCall, issueSession, roleId } from "./state.ts";
import { takeFault } from "./faults.ts";
import type { EmulatorState } from "./state.ts";
import { ssoSetting, takeThrottle } from "./sso_state.ts";
import type { SsoAccountOptions } from "./types.ts";

class PortalFault extends Error {
  constructor(readonly type: string, readonly status: number, message: string) {
    super(message);
  }
}

function json(status: number, value: unknown, headers: Record<string, string> = {}): Response {
  return new Response(JSON.stringify(value), {
    status,
    headers: { "content-type": "application/json", ...headers },
  });
}

const ACTIONS: Record<string, string> = {
  "GET /assignment/accounts": "ListAccounts",
  "GET /assignment/roles": "ListAccountRoles",
  "GET /federation/credentials": "GetRoleCredentials",
  "POST /logout": "Logout",
};

/** True when the emulator serves this method and path as the SSO portal. */
export function isPortalRoute(method: string, path: string): boolean {
  return `${method} ${path}` in ACTIONS;
}

/** The access token of a request, when it is valid and unexpired. */
function bearer(state: EmulatorState, request: Request): string {
  const token = request.headers.get("x-amz-sso_bearer_token") ?? "";
  const found = token === "" ? undefined : state.sso.accessTokens.get(token);
  if (!found || found.expiresAtMs <= Date.now()) {
    throw new PortalFault("UnauthorizedException", 401, "Session token not found or invalid");
  }
  return token;
}

function page<T>(items: T[], url: URL, pageSize: number): { items: T[]; nextToken?: string } {
  const max = Math.min(
    Number(url.searchParams.get("max_result") ?? pageSize) || pageSize,
    pageSize,
  );
  const start = Number(url.searchParams.get("next_token") ?? "0");
  if (!Number.isInteger(start) || start < 0 || start > items.length) {
    throw new PortalFault("InvalidRequestException", 400, "Invalid next_token");
  }
  const end = start + max;
  return {
    items: items.slice(start, end),
    nextToken: end < items.length ? String(end) : undefined,
  };
}

function account(state: EmulatorState, url: URL): SsoAccountOptions {
  const id = url.searchParams.get("account_id") ?? "";
  const found = state.sso.accounts.find((a) => a.accountId === id);
  if (!found) throw new PortalFault("ForbiddenException", 403, "No access");
  return found;
}

async function getRoleCredentials(state: EmulatorState, url: URL): Promise<Response> {
  const assigned = account(state, url);
  const role = url.searchParams.get("role_name") ?? "";
  if (!assigned.roles.includes(role)) throw new PortalFault("ForbiddenException", 403, "No access");
  const user = ssoSetting(state, "user");
  const suffix = (await sha256Hex(`${assigned.accountId}/${role}`)).slice(0, 16);
  const roleName = `AWSReservedSSO_${role}_${suffix}`;
  const roleArn =
    `arn:aws:iam::${assigned.accountId}:role/aws-reserved/sso.amazonaws.com/${roleName}`;
  const key = issueSession(
    state,
    {
      account: assigned.accountId,
      arn: `arn:aws:sts::${assigned.accountId}:assumed-role/${roleName}/${user}`,
      userId: `${roleId(state, roleArn)}:${user}`,
      roleArn,
    },
    ssoSetting(state, "roleCredentialLifetime"),
    "GetRoleCredentials",
  );
  return json(200, {
    roleCredentials: {
      accessKeyId: key.accessKeyId,
      secretAccessKey: key.secretAccessKey,
      sessionToken: key.sessionToken,
      expiration: key.expiresAtMs,
    },
  });
}

/** Answers one portal request. */
export async function handleSsoPortal(state: EmulatorState, request: Request): Promise<Response> {
  const url = new URL(request.url);
  const action = ACTIONS[`${request.method} ${url.pathname}`];
  countCall(state, `sso.${action}`);
  try {
    const fault = takeFault(state, `sso.${action}`);
    if (fault) throw new PortalFault(fault.code, fault.status, fault.message);
    if (takeThrottle(state, action)) {
      throw new PortalFault("TooManyRequestsException", 429, "Rate exceeded");
    }
    const token = bearer(state, request);
    const pageSize = ssoSetting(state, "pageSize");
    switch (action) {
      case "ListAccounts": {
        const result = page(state.sso.accounts, url, pageSize);
        return json(200, {
          accountList: result.items.map((a) => ({
            accountId: a.accountId,
            accountName: a.accountName,
            emailAddress: a.emailAddress ?? `aws+${a.accountId}@example.com`,
          })),
          nextToken: result.nextToken,
        });
      }
      case "ListAccountRoles": {
        const assigned = account(state, url);
        const result = page(assigned.roles, url, pageSize);
        return json(200, {
          roleList: result.items.map((roleName) => ({ accountId: assigned.accountId, roleName })),
          nextToken: result.nextToken,
        });
      }
      case "GetRoleCredentials":
        return await getRoleCredentials(state, url);
      default:
        state.sso.accessTokens.delete(token);
        return new Response(null, { status: 200 });
    }
  } catch (error) {
    if (!(error instanceof PortalFault)) throw error;
    return json(error.status, { message: error.message }, {
      "x-amzn-errortype": error.type,
    });
  }
}
