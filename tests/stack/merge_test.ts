import assert from "node:assert/strict";
import { deepMerge, mergeAll } from "../../lib/stack/merge.ts";

Deno.test("deepMerge() merges maps key by key and the higher value wins", () => {
  const lower = { a: 1, m: { x: 1, y: { z: 1 } } };
  const higher = { b: 2, m: { y: { w: 2 } } };
  assert.deepEqual(deepMerge(lower, higher), { a: 1, b: 2, m: { x: 1, y: { z: 1, w: 2 } } });
});

Deno.test("deepMerge() replaces lists by default and on type changes, including with null", () => {
  assert.deepEqual(deepMerge({ l: [1, 2, 3] }, { l: [4] }), { l: [4] });
  assert.deepEqual(deepMerge({ v: { a: 1 } }, { v: "text" }), { v: "text" });
  assert.deepEqual(deepMerge({ v: "text" }, { v: { a: 1 } }), { v: { a: 1 } });
  assert.deepEqual(deepMerge({ v: 1, w: 2 }, { v: null }), { v: null, w: 2 });
});

Deno.test("deepMerge() appends lists with list_merge_strategy append", () => {
  assert.deepEqual(deepMerge({ l: [1, 2] }, { l: [3] }, "append"), { l: [1, 2, 3] });
});

Deno.test("deepMerge() merges list elements by index with list_merge_strategy merge", () => {
  const lower = { l: [{ a: 1, b: 1 }, "keep", { c: 1 }] };
  const higher = { l: [{ b: 2 }, "ignored", { d: 2 }, { e: 3 }] };
  assert.deepEqual(deepMerge(lower, higher, "merge"), {
    l: [{ a: 1, b: 2 }, "keep", { c: 1, d: 2 }, { e: 3 }],
  });
});

Deno.test("deepMerge() and mergeAll() never modify their inputs", () => {
  const lower = { m: { x: 1 }, l: [1] };
  const higher = { m: { y: 2 }, l: [2] };
  const before = JSON.stringify([lower, higher]);
  deepMerge(lower, higher, "append");
  mergeAll([lower, higher, { m: { z: 3 } }]);
  assert.equal(JSON.stringify([lower, higher]), before);
});

Deno.test("mergeAll() merges left to right and skips missing layers", () => {
  assert.deepEqual(mergeAll([{ a: 1 }, undefined, null, { a: 2, b: 1 }, { b: 3 }]), { a: 2, b: 3 });
  assert.deepEqual(mergeAll([]), {});
});
