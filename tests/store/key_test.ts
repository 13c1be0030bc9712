import assert from "node:assert/strict";
import { storeKey } from "../../lib/store/mod.ts";

Deno.test("storeKey() joins realm and alias with underscores like Atmos", () => {
  assert.equal(storeKey("dev-user", "test-realm"), "atmos_test-realm_dev-user");
});

Deno.test("storeKey() omits the realm when it is empty or absent", () => {
  assert.equal(storeKey("dev-user"), "atmos_dev-user");
  assert.equal(storeKey("dev-user", ""), "atmos_dev-user");
});
