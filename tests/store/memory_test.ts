import assert from "node:assert/strict";
import { MemoryStore, NoopStore } from "../../lib/store/mod.ts";

Deno.test("MemoryStore round-trips, lists and deletes entries", async () => {
  const store = new MemoryStore();
  const secret = {
    type: "aws",
    data: { access_key_id: "AKIAEXAMPLE", secret_access_key: "s3cr3t" },
  };
  assert.equal(await store.get("atmos_a"), undefined);
  await store.set("atmos_b", secret);
  await store.set("atmos_a", { type: "oidc", data: { token: "t" } });
  assert.deepEqual(await store.get("atmos_b"), secret);
  assert.deepEqual(await store.list(), ["atmos_a", "atmos_b"]);
  assert.equal(await store.delete("atmos_b"), true);
  assert.equal(await store.delete("atmos_b"), false);
  assert.deepEqual(await store.list(), ["atmos_a"]);
});

Deno.test("MemoryStore keeps its own copy of stored values", async () => {
  const store = new MemoryStore();
  const secret = { type: "aws", data: { access_key_id: "AKIAEXAMPLE" } };
  await store.set("k", secret);
  secret.data.access_key_id = "changed";
  const read = await store.get("k");
  assert.equal(read?.data.access_key_id, "AKIAEXAMPLE");
  read!.data.access_key_id = "changed again";
  assert.equal((await store.get("k"))?.data.access_key_id, "AKIAEXAMPLE");
});

Deno.test("NoopStore drops writes and finds nothing", async () => {
  const store = new NoopStore("because");
  await store.set("k", { type: "aws", data: {} });
  assert.equal(await store.get("k"), undefined);
  assert.equal(await store.delete("k"), false);
  assert.deepEqual(await store.list(), []);
  assert.equal(store.fallbackReason, "because");
});
