/**
 * Test helpers for talking to the emulator without the AWS CLI: a SigV4-signed STS call made
 * with @smithy/signature-v4 (an independent signer), and XML field extraction.
 *
 * @module
 */

import { Sha256 } from "@aws-crypto/sha256-js";
import { SignatureV4 } from "@smithy/signature-v4";

/** Keys to sign with. */
export interface SigningKeys {
  accessKeyId: string;
  secretAccessKey: string;
  sessionToken?: string;
}

/** Options for {@linkcode stsCall}. */
export interface StsCallOptions {
  /** HTTP method (default POST with a form body; GET puts the parameters in the query). */
  method?: "POST" | "GET";
  /** Signing time (default now). */
  signingDate?: Date;
  /** Region in the credential scope (default us-east-1). */
  region?: string;
  /** Service in the credential scope (default sts). */
  service?: string;
  /** Send a signed x-amz-content-sha256 header (default false, like botocore for STS). */
  applyChecksum?: boolean;
  /** Changes the request after signing, e.g. to tamper with it. */
  afterSign?: (request: { headers: Record<string, string>; body: string }) => void;
}

/** The answer of an STS call. */
export interface StsAnswer {
  status: number;
  body: string;
}

/** Sends an STS Query request, signed when `keys` is given, and returns status and XML. */
export async function stsCall(
  url: string,
  params: Record<string, string>,
  keys?: SigningKeys,
  options: StsCallOptions = {},
): Promise<StsAnswer> {
  const target = new URL(url);
  const method = options.method ?? "POST";
  const form = new URLSearchParams({ Version: "2011-06-15", ...params }).toString();
  const query: Record<string, string> = method === "GET"
    ? Object.fromEntries(new URLSearchParams(form))
    : {};
  const body = method === "POST" ? form : "";
  let headers: Record<string, string> = { host: target.host };
  if (method === "POST") headers["content-type"] = "application/x-www-form-urlencoded";
  if (keys !== undefined) {
    const signer = new SignatureV4({
      service: options.service ?? "sts",
      region: options.region ?? "us-east-1",
      credentials: keys,
      sha256: Sha256,
      applyChecksum: options.applyChecksum ?? false,
    });
    const signed = await signer.sign(
      {
        method,
        protocol: target.protocol,
        hostname: target.hostname,
        port: Number(target.port),
        path: "/",
        query,
        headers,
        body: body === "" ? undefined : body,
      },
      { signingDate: options.signingDate },
    );
    headers = signed.headers as Record<string, string>;
  }
  const request = { headers: { ...headers }, body };
  options.afterSign?.(request);
  delete request.headers.host;
  const search = method === "GET" ? `?${form}` : "";
  const response = await fetch(`${target.origin}/${search}`, {
    method,
    headers: request.headers,
    body: method === "POST" ? request.body : undefined,
  });
  return { status: response.status, body: await response.text() };
}

/** Text of the first `<tag>` element in an XML document, or undefined. */
export function xmlField(xml: string, tag: string): string | undefined {
  const m = new RegExp(`<${tag}>([^<]*)</${tag}>`).exec(xml);
  return m?.[1];
}
