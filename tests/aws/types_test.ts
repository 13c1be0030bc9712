import assert from "node:assert/strict";
import { maskAccessKeyId, redactAwsCredentials } from "../../lib/aws/types.ts";

Deno.test("redactAwsCredentials() hides secrets and masks the access key ID", () => {
  const redacted = redactAwsCredentials({
    accessKeyId: "ASIAABCDEFGHIJKLWXYZ",
    secretAccessKey: "wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY",
    sessionToken: "IQoJb3JpZ2luX2Vj==",
    expiration: new Date("2026-08-20T18:04:05Z"),
    region: "us-east-1",
  });
  assert.deepEqual(redacted, {
    accessKeyId: "ASIA…WXYZ",
    secretAccessKey: "[redacted]",
    sessionToken: "[redacted]",
    expiration: "2026-08-20T18:04:05.000Z",
    region: "us-east-1",
  });
  assert.doesNotMatch(JSON.stringify(redacted), /wJalr|IQoJ|ABCDEFGHIJKL/);
});

Deno.test("maskAccessKeyId() redacts IDs too short to mask", () => {
  assert.equal(maskAccessKeyId("AKIA1234"), "[redacted]");
  assert.equal(maskAccessKeyId("AKIAIOSFODNN7EXAMPLE"), "AKIA…MPLE");
});
