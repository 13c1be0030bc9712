import assert from "node:assert/strict";
import { findIdentityName, findProviderName } from "../../lib/config/types.ts";
import type { AuthConfig } from "../../lib/config/types.ts";

const AUTH: AuthConfig = {
  providers: { "Company-SSO": { kind: "aws/iam-identity-center" } },
  identities: {
    "Prod-Admin": { kind: "aws/assume-role" },
    "prod-admin-2": { kind: "aws/assume-role" },
  },
};

Deno.test("findIdentityName() prefers the exact name, then a case-insensitive match", () => {
  assert.equal(findIdentityName(AUTH, "Prod-Admin"), "Prod-Admin");
  assert.equal(findIdentityName(AUTH, "prod-admin"), "Prod-Admin");
  assert.equal(findIdentityName(AUTH, "PROD-ADMIN-2"), "prod-admin-2");
  assert.equal(findIdentityName(AUTH, "dev"), undefined);
  assert.equal(findIdentityName(undefined, "x"), undefined);
});

Deno.test("findProviderName() keeps the name as written", () => {
  assert.equal(findProviderName(AUTH, "company-sso"), "Company-SSO");
  assert.equal(findProviderName({}, "company-sso"), undefined);
});

Deno.test("findIdentityName() ignores inherited object keys", () => {
  assert.equal(findIdentityName(AUTH, "toString"), undefined);
  assert.equal(findIdentityName(AUTH, "constructor"), undefined);
});
