import assert from "node:assert/strict";
import { parseQuery, runQuery } from "../../lib/stack/mod.ts";
import { thrown } from "./helpers.ts";

Deno.test("runQuery() follows dotted keys, hyphens, quoted keys and indexes", () => {
  const value = {
    vars: { stage: "dev", list: [{ a: 1 }] },
    auth: { identities: { "data-default": { default: true } } },
    "odd key": 2,
  };
  assert.equal(runQuery(value, ".vars.stage"), "dev");
  assert.equal(runQuery(value, ".auth.identities.data-default.default"), true);
  assert.equal(runQuery(value, '.["odd key"]'), 2);
  assert.equal(runQuery(value, ".vars.list[0].a"), 1);
  assert.deepEqual(runQuery(value, "."), value);
});

Deno.test("runQuery() gives null for missing paths, like yq", () => {
  assert.equal(runQuery({ a: {} }, ".a.b.c"), null);
  assert.equal(runQuery({ a: [1] }, ".a[3]"), null);
});

Deno.test("parseQuery() rejects paths that do not start with a dot or have bad indexes", () => {
  assert.equal(thrown(() => parseQuery("vars")).exitCode, 2);
  assert.match(thrown(() => parseQuery(".a[x]")).message, /bad index/);
  assert.match(thrown(() => parseQuery(".a[0")).message, /missing "\]"/);
});
