/**
 * HTTP handling of STS Query-protocol requests: parameter parsing, call counting,
 * authentication (SigV4 against issued secrets) and dispatch to the actions.
 *
 * @module
 */

import { constantTimeEqual } from "./crypto_util.ts";
import { newRequestId } from "./ids.ts";
import { parseAuthorization, verifySignature } from "./sigv4_verify.ts";
import { countCall } from "./state.ts";
import type { EmulatorState, IssuedKey } from "./state.ts";
import {
  assumeRole,
  assumeRoleWithWebIdentity,
  getCallerIdentity,
  getSessionToken,
} from "./sts_actions.ts";
import { StsFault } from "./sts_fault.ts";
import { takeFault } from "./faults.ts";
import { errorXml, successXml } from "./sts_xml.ts";
import type { XmlNode } from "./sts_xml.ts";

/** The only STS API version the emulator speaks. */
export const STS_API_VERSION = "2011-06-15";

/** Actions that are called without a signature. */
const UNSIGNED_ACTIONS = new Set(["AssumeRoleWithWebIdentity"]);

/** Merges query parameters with a form-encoded body (body wins). */
export function requestParams(
  url: string,
  contentType: string | null,
  body: Uint8Array,
): URLSearchParams {
  const params = new URLSearchParams(new URL(url).search);
  const isForm = contentType === null ||
    contentType.toLowerCase().startsWith("application/x-www-form-urlencoded");
  if (isForm && body.length > 0) {
    for (const [name, value] of new URLSearchParams(new TextDecoder().decode(body))) {
      params.set(name, value);
    }
  }
  return params;
}

/**
 * Finds the issued key that signed the request and checks token, expiry and signature.
 * Throws {@linkcode StsFault} with the code real STS uses for each failure.
 */
export async function authenticate(
  state: EmulatorState,
  request: Request,
  body: Uint8Array,
): Promise<IssuedKey> {
  const header = request.headers.get("authorization");
  if (header === null) {
    throw new StsFault(
      "MissingAuthenticationToken",
      "Request is missing Authentication Token",
      403,
    );
  }
  const auth = parseAuthorization(header);
  const key = state.keys.get(auth.accessKeyId);
  const invalid = new StsFault(
    "InvalidClientTokenId",
    "The security token included in the request is invalid.",
    403,
  );
  if (key === undefined) throw invalid;
  const token = request.headers.get("x-amz-security-token");
  if (key.sessionToken === undefined ? token !== null : token === null) throw invalid;
  if (key.sessionToken !== undefined && !constantTimeEqual(token!, key.sessionToken)) {
    throw invalid;
  }
  if (key.expiresAtMs !== undefined && key.expiresAtMs <= Date.now()) {
    throw new StsFault(
      "ExpiredToken",
      "The security token included in the request is expired",
      403,
    );
  }
  await verifySignature(
    { method: request.method, url: request.url, headers: request.headers, body },
    auth,
    key.secretAccessKey,
    "sts",
  );
  return key;
}

async function runAction(
  state: EmulatorState,
  action: string,
  params: URLSearchParams,
  caller: IssuedKey | null,
): Promise<XmlNode> {
  switch (action) {
    case "GetSessionToken":
      return await getSessionToken(state, params, caller!);
    case "AssumeRole":
      return await assumeRole(state, params, caller!);
    case "AssumeRoleWithWebIdentity":
      return await assumeRoleWithWebIdentity(state, params);
    case "GetCallerIdentity":
      return getCallerIdentity(caller!);
    default:
      throw new StsFault(
        "InvalidAction",
        `Could not find operation ${action} for version ${STS_API_VERSION}`,
        400,
      );
  }
}

function xmlResponse(status: number, xml: string, requestId: string): Response {
  return new Response(xml, {
    status,
    headers: { "content-type": "text/xml", "x-amzn-requestid": requestId },
  });
}

/** Answers one STS request (POST form body or GET query) with an XML document. */
export async function handleSts(state: EmulatorState, request: Request): Promise<Response> {
  const requestId = newRequestId();
  try {
    const body = new Uint8Array(await request.arrayBuffer());
    const params = requestParams(request.url, request.headers.get("content-type"), body);
    const action = params.get("Action");
    if (action === null || action === "") {
      throw new StsFault("MissingAction", "Request is missing Action parameter", 400);
    }
    countCall(state, action);
    const fault = takeFault(state, action);
    if (fault) {
      const type = fault.status >= 500 ? "Receiver" : "Sender";
      throw new StsFault(fault.code, fault.message, fault.status, type);
    }
    const version = params.get("Version");
    if (version !== null && version !== STS_API_VERSION) {
      throw new StsFault(
        "InvalidAction",
        `Could not find operation ${action} for version ${version}`,
        400,
      );
    }
    const caller = UNSIGNED_ACTIONS.has(action) ? null : await authenticate(state, request, body);
    const result = await runAction(state, action, params, caller);
    return xmlResponse(200, successXml(action, result, requestId), requestId);
  } catch (error) {
    if (error instanceof StsFault) {
      return xmlResponse(error.status, errorXml(error, requestId), requestId);
    }
    const fault = new StsFault(
      "InternalFailure",
      "The emulator failed to process the request",
      500,
      "Receiver",
    );
    console.error(`aws emulator: internal error: ${(error as Error)?.name ?? "unknown"}`);
    return xmlResponse(500, errorXml(fault, requestId), requestId);
  }
}
