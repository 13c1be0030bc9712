/**
 * The STS actions the emulator implements: GetSessionToken, AssumeRole,
 * AssumeRoleWithWebIdentity and GetCallerIdentity. Each takes the request parameters (and the
 * authenticated caller) and returns the children of its `<…Result>` element.
 *
 * @module
 */

import { JwtError, verifyJwt } from "./jwt.ts";
import { issueSession, roleId } from "./state.ts";
import type { EmulatorState, IssuedKey, Principal } from "./state.ts";
import { StsFault, validationError } from "./sts_fault.ts";
import { credentialsNode, formatExpiration } from "./sts_xml.ts";
import type { XmlNode } from "./sts_xml.ts";
import { verifyTotp } from "./totp.ts";
import type { CredentialAction } from "./types.ts";

/** Longest session allowed when an assumed role assumes another role (role chaining). */
export const ROLE_CHAINING_LIMIT_SECONDS = 3600;

const ROLE_ARN = /^arn:(aws[\w-]*):iam::(\d{12}):role\/((?:[\w+=,.@-]+\/)*)([\w+=,.@-]{1,64})$/;
const SESSION_NAME = /^[\w+=,.@-]{2,64}$/;

/** A parsed IAM role ARN. */
export interface RoleArn {
  arn: string;
  partition: string;
  account: string;
  /** Role name without its path. */
  name: string;
}

function required(params: URLSearchParams, name: string, member: string): string {
  const value = params.get(name);
  if (value === null || value === "") {
    throw validationError(
      `Value null at '${member}' failed to satisfy constraint: Member must not be null`,
    );
  }
  return value;
}

/** Parses `RoleArn`; throws `ValidationError` when it is not an IAM role ARN. */
export function parseRoleArn(value: string): RoleArn {
  const m = ROLE_ARN.exec(value);
  if (!m) {
    throw validationError(
      `Value '${value}' at 'roleArn' failed to satisfy constraint: ` +
        "Member must be an IAM role ARN (arn:aws:iam::<12 digits>:role/<name>)",
    );
  }
  return { arn: value, partition: m[1], account: m[2], name: m[4] };
}

/** Checks `RoleSessionName` against STS's pattern and length limits. */
export function checkSessionName(value: string): string {
  if (!SESSION_NAME.test(value)) {
    throw validationError(
      `Value '${value}' at 'roleSessionName' failed to satisfy constraint: ` +
        "Member must satisfy regular expression pattern: [\\w+=,.@-]* and have length 2 to 64",
    );
  }
  return value;
}

/**
 * Reads `DurationSeconds` (default `fallback`), checks it lies in [min, max], and returns the
 * lifetime to issue: the configured override for `action` when there is one.
 */
export function sessionDuration(
  state: EmulatorState,
  action: CredentialAction,
  params: URLSearchParams,
  limits: { min: number; max: number; fallback: number },
): number {
  const raw = params.get("DurationSeconds");
  let seconds = limits.fallback;
  if (raw !== null) {
    if (!/^\d+$/.test(raw)) {
      throw validationError(
        `Value '${raw}' at 'durationSeconds' failed to satisfy constraint: Member must be an integer`,
      );
    }
    seconds = Number(raw);
  }
  if (seconds < limits.min) {
    throw validationError(
      `Value '${seconds}' at 'durationSeconds' failed to satisfy constraint: ` +
        `Member must have value greater than or equal to ${limits.min}`,
    );
  }
  if (seconds > limits.max) {
    throw validationError(
      `Value '${seconds}' at 'durationSeconds' failed to satisfy constraint: ` +
        `Member must have value less than or equal to ${limits.max}`,
    );
  }
  return state.options.durationOverride?.[action] ?? seconds;
}

function mfaFailed(detail: string): StsFault {
  return new StsFault("AccessDenied", `MultiFactorAuthentication failed${detail}`, 403);
}

/**
 * Checks `SerialNumber`/`TokenCode` against the caller's MFA device. With `required`, a user
 * that has a device must present a code.
 */
async function checkMfa(
  caller: Principal,
  params: URLSearchParams,
  required: boolean,
): Promise<void> {
  const serial = params.get("SerialNumber");
  const code = params.get("TokenCode");
  const user = caller.user;
  const hasDevice = user?.mfaSerial !== undefined;
  if (serial === null && code === null) {
    if (required && hasDevice) {
      throw mfaFailed(", must provide both MFA serial number and one time pass code.");
    }
    return;
  }
  if (serial === null || code === null) {
    throw mfaFailed(", must provide both MFA serial number and one time pass code.");
  }
  if (!hasDevice || serial !== user!.mfaSerial) {
    throw mfaFailed(", unable to validate MFA code.");
  }
  const valid = user!.mfaSecret === undefined
    ? /^\d{6}$/.test(code)
    : await verifyTotp(user!.mfaSecret, code);
  if (!valid) throw mfaFailed(" with invalid MFA one time pass code.");
}

/** GetSessionToken: session credentials for the IAM user whose long-lived keys signed. */
export async function getSessionToken(
  state: EmulatorState,
  params: URLSearchParams,
  caller: IssuedKey,
): Promise<XmlNode> {
  if (caller.sessionToken !== undefined || caller.principal.user === undefined) {
    throw new StsFault("AccessDenied", "Cannot call GetSessionToken with session credentials", 403);
  }
  const duration = sessionDuration(state, "GetSessionToken", params, {
    min: 900,
    max: 129600,
    fallback: 43200,
  });
  await checkMfa(caller.principal, params, true);
  const key = issueSession(state, caller.principal, duration, "GetSessionToken");
  return { Credentials: credentialsNode(key) };
}

function assumedRolePrincipal(state: EmulatorState, role: RoleArn, session: string): Principal {
  return {
    account: role.account,
    arn: `arn:${role.partition}:sts::${role.account}:assumed-role/${role.name}/${session}`,
    userId: `${roleId(state, role.arn)}:${session}`,
    roleArn: role.arn,
  };
}

function assumedRoleUserNode(principal: Principal): XmlNode {
  return { AssumedRoleId: principal.userId, Arn: principal.arn };
}

/** AssumeRole: any authenticated caller may assume any well-formed role. */
export async function assumeRole(
  state: EmulatorState,
  params: URLSearchParams,
  caller: IssuedKey,
): Promise<XmlNode> {
  const role = parseRoleArn(required(params, "RoleArn", "roleArn"));
  const session = checkSessionName(required(params, "RoleSessionName", "roleSessionName"));
  const duration = sessionDuration(state, "AssumeRole", params, {
    min: 900,
    max: 43200,
    fallback: 3600,
  });
  const requested = Number(params.get("DurationSeconds") ?? 3600);
  if (caller.principal.roleArn !== undefined && requested > ROLE_CHAINING_LIMIT_SECONDS) {
    throw validationError(
      "The requested DurationSeconds exceeds the 1 hour session limit for roles assumed by role chaining.",
    );
  }
  const wantedExternalId = state.options.externalIds?.[role.arn];
  if (wantedExternalId !== undefined && params.get("ExternalId") !== wantedExternalId) {
    throw new StsFault(
      "AccessDenied",
      `User: ${caller.principal.arn} is not authorized to perform: sts:AssumeRole on resource: ${role.arn}`,
      403,
    );
  }
  await checkMfa(caller.principal, params, false);
  const principal = assumedRolePrincipal(state, role, session);
  const key = issueSession(state, principal, duration, "AssumeRole");
  return { Credentials: credentialsNode(key), AssumedRoleUser: assumedRoleUserNode(principal) };
}

/** AssumeRoleWithWebIdentity: unsigned; the JWT must come from this emulator's OIDC issuer. */
export async function assumeRoleWithWebIdentity(
  state: EmulatorState,
  params: URLSearchParams,
): Promise<XmlNode> {
  const role = parseRoleArn(required(params, "RoleArn", "roleArn"));
  const session = checkSessionName(required(params, "RoleSessionName", "roleSessionName"));
  const token = required(params, "WebIdentityToken", "webIdentityToken");
  const duration = sessionDuration(state, "AssumeRoleWithWebIdentity", params, {
    min: 900,
    max: 43200,
    fallback: 3600,
  });
  let claims;
  try {
    claims = await verifyJwt(state.oidc, token, `${state.url}/oidc`);
  } catch (error) {
    if (!(error instanceof JwtError)) throw error;
    if (error.reason === "expired") {
      const now = formatExpiration(Date.now());
      throw new StsFault(
        "ExpiredTokenException",
        `Token expired: current date/time ${now} must be before the expiration date/time of the token`,
        400,
      );
    }
    throw new StsFault(
      "InvalidIdentityToken",
      `The web identity token is invalid: ${error.message}`,
      400,
    );
  }
  const principal = assumedRolePrincipal(state, role, session);
  const key = issueSession(state, principal, duration, "AssumeRoleWithWebIdentity");
  const aud = Array.isArray(claims.aud) ? String(claims.aud[0]) : String(claims.aud);
  const issuerHost = `${state.url}/oidc`.replace(/^https?:\/\//, "");
  return {
    Credentials: credentialsNode(key),
    SubjectFromWebIdentityToken: String(claims.sub),
    AssumedRoleUser: assumedRoleUserNode(principal),
    Provider: `arn:${role.partition}:iam::${role.account}:oidc-provider/${issuerHost}`,
    Audience: aud,
  };
}

/** GetCallerIdentity: who signed the request. */
export function getCallerIdentity(caller: IssuedKey): XmlNode {
  return {
    Arn: caller.principal.arn,
    UserId: caller.principal.userId,
    Account: caller.principal.account,
  };
}
