import assert from "node:assert/strict";
import { displayEnv, isSecretName, MASK, scrub } from "../../lib/exec/redact.ts";

Deno.test("isSecretName() knows credential-like variable names", () => {
  for (
    const name of [
      "AWS_SECRET_ACCESS_KEY",
      "AWS_SESSION_TOKEN",
      "GITHUB_TOKEN",
      "ARM_CLIENT_SECRET",
      "DB_PASSWORD",
      "AWS_ACCESS_KEY_ID",
      "GOOGLE_APPLICATION_CREDENTIALS",
    ]
  ) {
    assert.ok(isSecretName(name), name);
  }
  for (const name of ["AWS_PROFILE", "HOME", "AWS_REGION", "ATMOS_IDENTITY"]) {
    assert.ok(!isSecretName(name), name);
  }
});

Deno.test("displayEnv() masks secret names, tainted variables and known secret values", () => {
  assert.deepEqual(
    displayEnv(
      { GITHUB_TOKEN: "t", A: "known-secret", B: "x", C: "plain", EMPTY_TOKEN: "" },
      new Set(["known-secret"]),
      new Set(["B"]),
    ),
    { GITHUB_TOKEN: MASK, A: MASK, B: MASK, C: "plain", EMPTY_TOKEN: "" },
  );
});

Deno.test("scrub() masks known secrets of 4 characters or more", () => {
  assert.equal(scrub("key=abcd1234 x=ab", ["abcd1234", "ab"]), "key=*** x=ab");
});
