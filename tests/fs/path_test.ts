import assert from "node:assert/strict";
import { posix as node } from "node:path";
import { posixPath as ours } from "../../lib/fs/path.ts";

const PIECES = [
  "",
  ".",
  "..",
  "a",
  "b",
  "c.txt",
  ".hidden",
  "..a",
  "a.",
  "...",
  "a..b",
  "x.y.z",
  "/",
  "//",
];

/** Every path of up to three pieces, each glued with "/" or nothing, with and without a leading "/". */
function samplePaths(): string[] {
  const out = new Set<string>();
  const grow = (path: string, depth: number) => {
    out.add(path);
    if (depth === 3) return;
    for (const piece of PIECES) {
      grow(`${path}/${piece}`, depth + 1);
      if (depth > 0) grow(`${path}${piece}`, depth + 1);
    }
  };
  for (const piece of PIECES) grow(piece, 1);
  return [...out];
}

const PATHS = samplePaths();

Deno.test("posixPath's one-argument functions agree with node:path on every sample path", () => {
  assert.ok(PATHS.length > 2000, `${PATHS.length} samples`);
  for (const path of PATHS) {
    for (const fn of ["normalize", "dirname", "basename", "extname", "isAbsolute"] as const) {
      assert.equal(ours[fn](path), node[fn](path), `${fn}(${JSON.stringify(path)})`);
    }
    assert.equal(ours.resolve(path), node.resolve(path), `resolve(${JSON.stringify(path)})`);
  }
});

Deno.test("posixPath.join(), resolve() and relative() agree with node:path on pairs of sample paths", () => {
  const some = PATHS.filter((_, i) => i % 29 === 0);
  for (const a of some) {
    for (const b of some) {
      const args = `(${JSON.stringify(a)}, ${JSON.stringify(b)})`;
      assert.equal(ours.join(a, b), node.join(a, b), `join${args}`);
      assert.equal(ours.resolve(a, b), node.resolve(a, b), `resolve${args}`);
      assert.equal(ours.relative(a, b), node.relative(a, b), `relative${args}`);
    }
  }
  assert.equal(ours.join(), node.join());
  assert.equal(ours.resolve(), node.resolve());
  assert.equal(ours.join("a", "", "b"), node.join("a", "", "b"));
  assert.equal(ours.resolve("/x", "", "y"), node.resolve("/x", "", "y"));
});
