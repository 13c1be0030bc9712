/**
 * Server-side AWS Signature Version 4 verification for header-signed requests.
 *
 * Hand-written: the emulator must check signatures independently of the signer it is testing,
 * against the secrets it issued; @smithy/signature-v4 only signs.
 *
 * @module
 */

import { constantTimeEqual, hmac, sha256Hex, toHex, utf8 } from "./crypto_util.ts";
import { StsFault } from "./sts_fault.ts";

/** How far `x-amz-date` may be from the server clock, in ms (15 minutes, as AWS). */
export const MAX_CLOCK_SKEW_MS = 15 * 60 * 1000;

/** The parts of an `Authorization: AWS4-HMAC-SHA256 …` header. */
export interface ParsedAuthorization {
  accessKeyId: string;
  /** `YYYYMMDD` from the credential scope. */
  date: string;
  region: string;
  service: string;
  /** Lowercase header names, in the order given. */
  signedHeaders: string[];
  /** Lowercase hex signature. */
  signature: string;
}

/** The request pieces a signature covers. */
export interface SignedRequest {
  method: string;
  /** Full request URL; its path and query are used as sent. */
  url: string;
  headers: Headers;
  body: Uint8Array;
}

function incomplete(message: string): StsFault {
  return new StsFault("IncompleteSignature", message, 400);
}

/** Parses an SigV4 `Authorization` header; throws `IncompleteSignature` when malformed. */
export function parseAuthorization(header: string): ParsedAuthorization {
  const match = /^AWS4-HMAC-SHA256\s+(.*)$/s.exec(header.trim());
  if (!match) {
    throw incomplete("Authorization header is not an AWS4-HMAC-SHA256 signature");
  }
  const fields = new Map<string, string>();
  for (const part of match[1].split(",")) {
    const eq = part.indexOf("=");
    if (eq < 0) throw incomplete(`Authorization header component '${part.trim()}' has no '='`);
    fields.set(part.slice(0, eq).trim(), part.slice(eq + 1).trim());
  }
  const credential = fields.get("Credential");
  const signedHeaders = fields.get("SignedHeaders");
  const signature = fields.get("Signature");
  if (!credential || !signedHeaders || !signature) {
    throw incomplete(
      "Authorization header requires 'Credential', 'SignedHeaders' and 'Signature' parameters",
    );
  }
  const scope = credential.split("/");
  if (scope.length !== 5 || scope[4] !== "aws4_request" || !/^\d{8}$/.test(scope[1])) {
    throw incomplete(
      "Credential must have the form <key>/<YYYYMMDD>/<region>/<service>/aws4_request",
    );
  }
  if (!/^[0-9a-f]{64}$/.test(signature)) throw incomplete("Signature is not 64 hex characters");
  return {
    accessKeyId: scope[0],
    date: scope[1],
    region: scope[2],
    service: scope[3],
    signedHeaders: signedHeaders.split(";").map((h) => h.trim().toLowerCase()),
    signature,
  };
}

/** RFC 3986 percent-encoding as SigV4 wants it (only A-Z a-z 0-9 - _ . ~ stay as they are). */
export function uriEncode(text: string): string {
  return encodeURIComponent(text).replace(
    /[!'()*]/g,
    (c) => "%" + c.charCodeAt(0).toString(16).toUpperCase(),
  );
}

/** The canonical URI of a non-S3 request: each already-encoded path segment encoded again. */
export function canonicalUri(pathname: string): string {
  if (pathname === "") return "/";
  return pathname.split("/").map(uriEncode).join("/");
}

/** The canonical query string: decoded, re-encoded, sorted by name then value. */
export function canonicalQuery(search: string): string {
  const pairs: [string, string][] = [];
  for (const [name, value] of new URLSearchParams(search)) {
    pairs.push([uriEncode(name), uriEncode(value)]);
  }
  pairs.sort((
    a,
    b,
  ) => (a[0] < b[0] ? -1 : a[0] > b[0] ? 1 : a[1] < b[1] ? -1 : a[1] > b[1] ? 1 : 0));
  return pairs.map(([n, v]) => `${n}=${v}`).join("&");
}

/** Builds the canonical request text from the request as received. */
export function canonicalRequest(
  request: SignedRequest,
  signedHeaders: string[],
  payloadHash: string,
): string {
  const url = new URL(request.url);
  const headerLines = signedHeaders.map((name) => {
    const value = request.headers.get(name);
    if (value === null) {
      throw new StsFault(
        "SignatureDoesNotMatch",
        `The request signature lists header '${name}' that the request does not carry`,
        403,
      );
    }
    return `${name}:${value.trim().replace(/\s+/g, " ")}\n`;
  });
  return [
    request.method.toUpperCase(),
    canonicalUri(url.pathname),
    canonicalQuery(url.search),
    headerLines.join(""),
    signedHeaders.join(";"),
    payloadHash,
  ].join("\n");
}

/** The SigV4 signing key for a secret and credential scope. */
export async function signingKey(
  secretAccessKey: string,
  date: string,
  region: string,
  service: string,
): Promise<Uint8Array> {
  const kDate = await hmac("SHA-256", utf8(`AWS4${secretAccessKey}`), date);
  const kRegion = await hmac("SHA-256", kDate, region);
  const kService = await hmac("SHA-256", kRegion, service);
  return hmac("SHA-256", kService, "aws4_request");
}

/** Parses a SigV4 `YYYYMMDDTHHMMSSZ` timestamp to ms, or NaN. */
export function parseAmzDate(value: string): number {
  const m = /^(\d{4})(\d{2})(\d{2})T(\d{2})(\d{2})(\d{2})Z$/.exec(value);
  if (!m) return NaN;
  return Date.UTC(+m[1], +m[2] - 1, +m[3], +m[4], +m[5], +m[6]);
}

/**
 * Checks that `request` carries a valid signature under `secretAccessKey` for the parsed
 * authorization. Throws {@linkcode StsFault} (`SignatureDoesNotMatch`, `IncompleteSignature`,
 * `XAmzContentSHA256Mismatch`) otherwise. `expectedService` is the service the scope must name.
 */
export async function verifySignature(
  request: SignedRequest,
  auth: ParsedAuthorization,
  secretAccessKey: string,
  expectedService: string,
  nowMs: number = Date.now(),
): Promise<void> {
  if (auth.service !== expectedService) {
    throw new StsFault(
      "SignatureDoesNotMatch",
      `Credential should be scoped to correct service: '${expectedService}'.`,
      403,
    );
  }
  if (!auth.signedHeaders.includes("host")) {
    throw incomplete("SignedHeaders must include 'host'");
  }
  const amzDate = request.headers.get("x-amz-date");
  if (amzDate === null) {
    throw incomplete("Authorization header requires existence of an 'X-Amz-Date' header.");
  }
  const signedAt = parseAmzDate(amzDate);
  if (Number.isNaN(signedAt)) throw incomplete(`X-Amz-Date '${amzDate}' is not YYYYMMDDTHHMMSSZ`);
  if (Math.abs(nowMs - signedAt) > MAX_CLOCK_SKEW_MS) {
    throw new StsFault(
      "SignatureDoesNotMatch",
      `Signature expired: ${amzDate} is outside the 15 minute window around the server time`,
      403,
    );
  }
  if (amzDate.slice(0, 8) !== auth.date) {
    throw new StsFault(
      "SignatureDoesNotMatch",
      `Credential date '${auth.date}' does not match X-Amz-Date '${amzDate}'`,
      403,
    );
  }
  const bodyHash = await sha256Hex(request.body);
  const declared = request.headers.get("x-amz-content-sha256");
  if (declared !== null && declared !== "UNSIGNED-PAYLOAD" && declared !== bodyHash) {
    throw new StsFault(
      "XAmzContentSHA256Mismatch",
      "The provided 'x-amz-content-sha256' header does not match what was computed.",
      400,
    );
  }
  const payloadHash = declared ?? bodyHash;
  const canonical = canonicalRequest(request, auth.signedHeaders, payloadHash);
  const scope = `${auth.date}/${auth.region}/${auth.service}/aws4_request`;
  const stringToSign = ["AWS4-HMAC-SHA256", amzDate, scope, await sha256Hex(canonical)].join(
    "\n",
  );
  const key = await signingKey(secretAccessKey, auth.date, auth.region, auth.service);
  const expected = toHex(await hmac("SHA-256", key, stringToSign));
  if (!constantTimeEqual(expected, auth.signature)) {
    throw new StsFault(
      "SignatureDoesNotMatch",
      "The request signature we calculated does not match the signature you provided. " +
        "Check your AWS Secret Access Key and signing method. " +
        "Consult the service documentation for details.",
      403,
    );
  }
}
