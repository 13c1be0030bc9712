import assert from "node:assert/strict";
import { fnv1a64Hex } from "../lib/fnv1a.ts";
import { seededRandom } from "./seeded_random.ts";

/** The definition, with BigInt: the reference the limb arithmetic must match. */
function reference(text: string): string {
  let hash = 0xcbf29ce484222325n;
  for (const byte of new TextEncoder().encode(text)) {
    hash = BigInt.asUintN(64, (hash ^ BigInt(byte)) * 0x100000001b3n);
  }
  return hash.toString(16).padStart(16, "0");
}

Deno.test("fnv1a64Hex() matches the FNV-1a 64-bit test vectors", () => {
  assert.equal(fnv1a64Hex(""), "cbf29ce484222325");
  assert.equal(fnv1a64Hex("a"), "af63dc4c8601ec8c");
  assert.equal(fnv1a64Hex("foobar"), "85944171f73967e8");
});

Deno.test("fnv1a64Hex() agrees with a BigInt FNV-1a on 2,000 random strings", () => {
  const random = seededRandom(7);
  const alphabet = ["a", "Z", "/", ".", "0", " ", "\0", "é", "€", "😀", "\uffff", "\u0080"];
  for (let n = 0; n < 2000; n++) {
    let text = "";
    const length = Math.floor(random() * 80);
    for (let i = 0; i < length; i++) text += alphabet[Math.floor(random() * alphabet.length)];
    assert.equal(fnv1a64Hex(text), reference(text), JSON.stringify(text));
  }
});
