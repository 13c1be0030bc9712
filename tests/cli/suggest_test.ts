import assert from "node:assert/strict";
import { suggest } from "../../lib/cli/suggest.ts";

Deno.test("suggest() picks the closest candidate within two edits or by prefix", () => {
  assert.equal(suggest("logn", ["logout", "login", "list"]), "login");
  assert.equal(suggest("LOGIN", ["login"]), "login");
  assert.equal(suggest("ident", ["identity", "provider"]), "identity");
  assert.equal(suggest("zzzz", ["login", "list"]), undefined);
  assert.equal(suggest("lst", ["list", "last"]), "last");
});
