import assert from "node:assert/strict";
import { LruCache } from "../../lib/template/cache.ts";

Deno.test("LruCache forgets the least recently used entry when full", () => {
  const cache = new LruCache<string, number>(2);
  cache.set("a", 1);
  cache.set("b", 2);
  assert.equal(cache.get("a"), 1, "a is now the most recent");
  cache.set("c", 3);
  assert.equal(cache.size, 2);
  assert.equal(cache.get("b"), undefined, "b was the least recent");
  assert.equal(cache.get("a"), 1);
  assert.equal(cache.get("c"), 3);
  cache.set("a", 10);
  assert.equal(cache.get("a"), 10);
  assert.equal(cache.size, 2);
});
