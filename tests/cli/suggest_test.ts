import assert from "node:assert/strict";
import { levenshtein, suggest } from "../../lib/cli/suggest.ts";

Deno.test("levenshtein() counts single edits", () => {
  assert.equal(levenshtein("login", "login"), 0);
  assert.equal(levenshtein("logn", "login"), 1);
  assert.equal(levenshtein("kitten", "sitting"), 3);
  assert.equal(levenshtein("", "abc"), 3);
});

Deno.test("suggest() picks the closest candidate within two edits or by prefix", () => {
  assert.equal(suggest("logn", ["logout", "login", "list"]), "login");
  assert.equal(suggest("LOGIN", ["login"]), "login");
  assert.equal(suggest("ident", ["identity", "provider"]), "identity");
  assert.equal(suggest("zzzz", ["login", "list"]), undefined);
  assert.equal(suggest("lst", ["list", "last"]), "last");
});
