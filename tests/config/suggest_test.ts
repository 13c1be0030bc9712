import assert from "node:assert/strict";
import { didYouMean, editDistance, suggest } from "../../lib/config/suggest.ts";

Deno.test("suggest() prefers a case-insensitive exact match", () => {
  assert.equal(suggest("PROD-admin", ["prod-admn", "prod-admin"]), "prod-admin");
});

Deno.test("suggest() finds close names by edit distance", () => {
  assert.equal(suggest("prd-admin", ["dev-admin", "prod-admin"]), "prod-admin");
  assert.equal(suggest("aws/usr", ["aws/user", "aws/assume-role"]), "aws/user");
  assert.equal(suggest("principle", ["principal", "provider"]), "principal");
});

Deno.test("suggest() counts an adjacent swap as one edit", () => {
  assert.equal(editDistance("reigon", "region"), 1);
  assert.equal(editDistance("", "abc"), 3);
  assert.equal(editDistance("kitten", "sitting"), 3);
});

Deno.test("suggest() returns undefined when nothing is close enough", () => {
  assert.equal(suggest("xyz", ["prod-admin", "dev"]), undefined);
  assert.equal(suggest("anything", []), undefined);
  // Short names allow at most 2 edits.
  assert.equal(suggest("ab", ["abcde"]), undefined);
  // Long names allow len/3 edits.
  assert.equal(suggest("company-sso-prod", ["company-sso-dev"]), "company-sso-dev");
});

Deno.test("didYouMean() formats the suggestion or returns an empty string", () => {
  assert.equal(didYouMean("prd-admin", ["prod-admin"]), '; did you mean "prod-admin"?');
  assert.equal(didYouMean("zzz", ["prod-admin"]), "");
});

Deno.test("suggest() answers at once for a name megabytes long", () => {
  const started = performance.now();
  assert.equal(suggest("\0".repeat(20_000_000), ["aws/user", "aws/assume-role"]), undefined);
  assert.equal(suggest(`aws/user${"x".repeat(5_000_000)}`, ["aws/user"]), undefined);
  assert.ok(performance.now() - started < 1_000, `${performance.now() - started} ms`);
});
