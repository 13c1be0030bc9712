import assert from "node:assert/strict";
import { positionAt, positionFinder } from "../../lib/config/yaml_snapshot.ts";

Deno.test("positionFinder() gives positionAt()'s line and column for every offset", () => {
  let seed = 7;
  const random = () => (seed = (seed * 1103515245 + 12345) % 2 ** 31) / 2 ** 31;
  for (let round = 0; round < 50; round++) {
    let text = "";
    const length = Math.floor(random() * 200);
    for (let i = 0; i < length; i++) text += random() < 0.2 ? "\n" : random() < 0.1 ? "\r" : "x";
    const find = positionFinder(text);
    for (let offset = 0; offset <= text.length; offset++) {
      assert.deepEqual(
        find(offset),
        positionAt(text, offset),
        `${JSON.stringify(text)} @${offset}`,
      );
    }
  }
});
