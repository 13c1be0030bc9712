import assert from "node:assert/strict";
import { mergeCommands, mergeConfig } from "../../lib/config/merge.ts";

Deno.test("mergeConfig() merges maps deeply and lets lists and scalars replace", () => {
  const lower = { a: { b: 1, c: [1, 2], d: { e: "x" } }, keep: true };
  const higher = { a: { b: 2, c: [3], d: { f: "y" } } };
  assert.deepEqual(mergeConfig(lower, higher), {
    a: { b: 2, c: [3], d: { e: "x", f: "y" } },
    keep: true,
  });
  assert.deepEqual(lower, { a: { b: 1, c: [1, 2], d: { e: "x" } }, keep: true }, "input untouched");
});

Deno.test("mergeConfig() keeps the lower value when the higher one is null", () => {
  assert.deepEqual(mergeConfig({ auth: { realm: "r" } }, { auth: null }), { auth: { realm: "r" } });
  assert.deepEqual(mergeConfig({ a: 1 }, { a: { b: 2 } }), { a: { b: 2 } });
});

Deno.test("mergeConfig() merges the top-level commands list by name", () => {
  const merged = mergeConfig(
    { commands: [{ name: "a", description: "low", steps: ["x"] }, { name: "b" }] },
    { commands: [{ name: "c" }, { name: "a", description: "high" }] },
  );
  assert.deepEqual(merged, {
    commands: [
      { name: "a", description: "high", steps: ["x"] },
      { name: "b" },
      { name: "c" },
    ],
  });
  // Only the top-level key is special.
  assert.deepEqual(
    mergeConfig({ x: { commands: [{ name: "a" }] } }, { x: { commands: [{ name: "b" }] } }),
    { x: { commands: [{ name: "b" }] } },
  );
});

Deno.test("mergeCommands() merges nested commands and expands path-style names", () => {
  const merged = mergeCommands(
    [{ name: "list", description: "listing", commands: [{ name: "stacks", steps: ["1"] }] }],
    [{ name: "list stacks", description: "stacks" }, { name: "list vars", steps: ["2"] }],
  );
  assert.deepEqual(merged, [
    {
      name: "list",
      description: "listing",
      commands: [
        { name: "stacks", steps: ["1"], description: "stacks" },
        { name: "vars", steps: ["2"] },
      ],
    },
  ]);
});
