import assert from "node:assert/strict";
import { caseCollisions, findName, lookupName, ViaGraph } from "../../lib/config/names.ts";

const standalone = (kind: unknown) => kind === "root";

Deno.test("lookupName() prefers the exact name, then the one name equal ignoring case", () => {
  const table = { "GitHub-CI": 1, base: 2, Base: 3 };
  assert.deepEqual(lookupName(table, "GitHub-CI"), { found: "GitHub-CI" });
  assert.deepEqual(lookupName(table, "github-ci"), { found: "GitHub-CI" });
  assert.deepEqual(lookupName(table, "base"), { found: "base" });
  assert.deepEqual(lookupName(table, "BASE"), { ambiguous: ["base", "Base"] });
  assert.deepEqual(lookupName(table, "nope"), { missing: true });
  assert.deepEqual(lookupName(undefined, "x"), { missing: true });
  assert.equal(findName(table, "toString"), undefined, "inherited keys are not names");
  assert.equal(findName(table, "BASE"), undefined);
});

Deno.test("caseCollisions() groups names equal ignoring case, in document order", () => {
  assert.deepEqual(caseCollisions({ a: 1, B: 2, A: 3, b: 4, c: 5 }), [["a", "A"], ["B", "b"]]);
  assert.deepEqual(caseCollisions({}), []);
});

Deno.test("ViaGraph.chain() walks via links to the root, whatever case the references use", () => {
  const graph = new ViaGraph({
    providers: { "GitHub-CI": { kind: "p" } },
    identities: {
      Base: { kind: "role", via: { provider: "github-ci" } },
      "prod.admin": { kind: "role", via: { identity: "base" } },
      solo: { kind: "root" },
      found: { kind: "role", provider: "GitHub-CI" },
    },
  }, standalone);
  assert.deepEqual(graph.chain("prod.admin"), {
    ok: true,
    links: [
      { role: "provider", name: "GitHub-CI" },
      { role: "identity", name: "Base" },
      { role: "identity", name: "prod.admin" },
    ],
  });
  assert.deepEqual(graph.chain("solo"), { ok: true, links: [{ role: "identity", name: "solo" }] });
  assert.deepEqual(graph.chain("found"), {
    ok: true,
    links: [{ role: "provider", name: "GitHub-CI" }, { role: "identity", name: "found" }],
  });
});

Deno.test("ViaGraph names the first problem on a chain and each cycle once", () => {
  const graph = new ViaGraph({
    providers: {},
    identities: {
      a: { kind: "role", via: { identity: "b" } },
      b: { kind: "role", via: { identity: "a" } },
      c: { kind: "role", via: { identity: "a" } },
      lost: { kind: "role", via: { provider: "nowhere" } },
      both: { kind: "role", via: { provider: "x", identity: "a" } },
      none: { kind: "role" },
      bad: { kind: "role", via: "a" },
      list: "not a map",
      x: { kind: "role", via: { identity: "lost" } },
    },
  }, standalone);
  assert.deepEqual(graph.problemOf("c"), { type: "cycle", names: ["a", "b", "a"] });
  assert.deepEqual(graph.cycles(), [{ type: "cycle", names: ["a", "b", "a"] }]);
  assert.equal(graph.localProblem("c"), undefined, "c's own via is fine");
  assert.deepEqual(graph.problemOf("x"), {
    type: "unknown",
    from: "lost",
    key: "provider",
    ref: "nowhere",
    candidates: undefined,
  });
  assert.equal(graph.problemOf("both")?.type, "both-via");
  assert.equal(graph.problemOf("none")?.type, "no-via");
  assert.equal(graph.problemOf("bad")?.type, "bad-via");
  assert.equal(graph.problemOf("list")?.type, "not-a-map");
});

Deno.test("ViaGraph settles a 40,000-link chain without recursion, linearly", () => {
  const identities: Record<string, unknown> = { i0: { kind: "root" } };
  for (let i = 1; i < 40_000; i++) {
    identities[`i${i}`] = { kind: "role", via: { identity: `i${i - 1}` } };
  }
  const graph = new ViaGraph({ identities }, standalone);
  for (const name of Object.keys(identities)) assert.equal(graph.problemOf(name), undefined);
  const chain = graph.chain("i39999");
  assert.ok(chain.ok && chain.links.length === 40_000);
});
