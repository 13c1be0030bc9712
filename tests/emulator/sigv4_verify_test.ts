import assert from "node:assert/strict";
import { Sha256 } from "@aws-crypto/sha256-js";
import { SignatureV4 } from "@smithy/signature-v4";
import { canonicalQuery, parseAuthorization, uriEncode, verifySignature } from "./sigv4_verify.ts";
import type { SignedRequest } from "./sigv4_verify.ts";
import { StsFault } from "./sts_fault.ts";

const KEYS = {
  accessKeyId: "AKIAIOSFODNN7EXAMPLE",
  secretAccessKey: "wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY",
};

async function signedRequest(
  body: string,
  options: {
    date?: Date;
    query?: Record<string, string>;
    service?: string;
    applyChecksum?: boolean;
  } = {},
): Promise<SignedRequest> {
  const signer = new SignatureV4({
    service: options.service ?? "sts",
    region: "eu-central-1",
    credentials: KEYS,
    sha256: Sha256,
    applyChecksum: options.applyChecksum ?? true,
  });
  const signed = await signer.sign({
    method: "POST",
    protocol: "http:",
    hostname: "127.0.0.1",
    port: 4566,
    path: "/",
    query: options.query ?? {},
    headers: { host: "127.0.0.1:4566", "content-type": "application/x-www-form-urlencoded" },
    body,
  }, { signingDate: options.date });
  const search = new URLSearchParams(options.query ?? {}).toString();
  return {
    method: "POST",
    url: `http://127.0.0.1:4566/${search ? "?" + search : ""}`,
    headers: new Headers(signed.headers as Record<string, string>),
    body: new TextEncoder().encode(body),
  };
}

async function faultCode(promise: Promise<unknown>): Promise<string> {
  try {
    await promise;
  } catch (error) {
    if (error instanceof StsFault) return error.code;
    throw error;
  }
  return "none";
}

function authOf(request: SignedRequest) {
  return parseAuthorization(request.headers.get("authorization")!);
}

Deno.test("verifySignature() accepts a request signed by @smithy/signature-v4", async () => {
  const request = await signedRequest("Action=GetCallerIdentity&Version=2011-06-15", {
    query: { "b": "x y", "a": "1/2*" },
  });
  const auth = authOf(request);
  assert.equal(auth.accessKeyId, KEYS.accessKeyId);
  assert.equal(auth.region, "eu-central-1");
  assert.ok(auth.signedHeaders.includes("host"));
  await verifySignature(request, auth, KEYS.secretAccessKey, "sts");
});

Deno.test("verifySignature() refuses a wrong secret, a changed body and a changed header", async () => {
  const body = "Action=GetCallerIdentity&Version=2011-06-15";
  // Without x-amz-content-sha256 the verifier must hash the body itself.
  const request = await signedRequest(body, { applyChecksum: false });
  assert.equal(request.headers.get("x-amz-content-sha256"), null);
  const auth = authOf(request);
  assert.equal(
    await faultCode(verifySignature(request, auth, KEYS.secretAccessKey + "x", "sts")),
    "SignatureDoesNotMatch",
  );
  const changedBody = { ...request, body: new TextEncoder().encode(body + "&X=1") };
  assert.equal(
    await faultCode(verifySignature(changedBody, auth, KEYS.secretAccessKey, "sts")),
    "SignatureDoesNotMatch",
  );
  const headers = new Headers(request.headers);
  headers.set("content-type", "text/plain");
  assert.equal(
    await faultCode(verifySignature({ ...request, headers }, auth, KEYS.secretAccessKey, "sts")),
    "SignatureDoesNotMatch",
  );
});

Deno.test("verifySignature() refuses a signature older than 15 minutes", async () => {
  const request = await signedRequest("Action=GetCallerIdentity", {
    date: new Date(Date.now() - 16 * 60 * 1000),
  });
  assert.equal(
    await faultCode(verifySignature(request, authOf(request), KEYS.secretAccessKey, "sts")),
    "SignatureDoesNotMatch",
  );
  const recent = await signedRequest("Action=GetCallerIdentity", {
    date: new Date(Date.now() - 14 * 60 * 1000),
  });
  await verifySignature(recent, authOf(recent), KEYS.secretAccessKey, "sts");
});

Deno.test("verifySignature() refuses a scope for another service", async () => {
  const request = await signedRequest("Action=GetCallerIdentity", { service: "iam" });
  assert.equal(
    await faultCode(verifySignature(request, authOf(request), KEYS.secretAccessKey, "sts")),
    "SignatureDoesNotMatch",
  );
});

Deno.test("verifySignature() refuses an x-amz-content-sha256 that does not match the body", async () => {
  const request = await signedRequest("Action=GetCallerIdentity");
  request.headers.set("x-amz-content-sha256", "0".repeat(64));
  assert.equal(
    await faultCode(verifySignature(request, authOf(request), KEYS.secretAccessKey, "sts")),
    "XAmzContentSHA256Mismatch",
  );
});

Deno.test("parseAuthorization() refuses headers that are not AWS4-HMAC-SHA256", () => {
  assert.throws(
    () => parseAuthorization("Bearer abc"),
    (e) => (e as StsFault).code === "IncompleteSignature",
  );
  assert.throws(
    () =>
      parseAuthorization(
        "AWS4-HMAC-SHA256 Credential=AK/2024/us-east-1/sts/aws4_request, SignedHeaders=host, Signature=" +
          "a".repeat(64),
      ),
    (e) => (e as StsFault).code === "IncompleteSignature",
  );
});

Deno.test("canonicalQuery() sorts and RFC 3986-encodes parameters", () => {
  assert.equal(canonicalQuery("?b=x+y&a=2&a=1&c=*~"), "a=1&a=2&b=x%20y&c=%2A~");
  assert.equal(uriEncode("a b/!'()*~"), "a%20b%2F%21%27%28%29%2A~");
});
