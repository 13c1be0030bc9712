import assert from "node:assert/strict";
import {
  checkQuery,
  evaluateQuery,
  parseQuery,
  QueryError,
  queryPath,
  runQuery,
} from "../../lib/config/query.ts";
import { thrown } from "../stack/helpers.ts";

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

Deno.test("evaluateQuery() answers paths directly and jq expressions with jq, like yq does", async () => {
  const data = {
    items: [{ name: "a", value: 1 }, { name: "b", value: 2 }],
    list: ["x", "y", "z"],
    bucket: null,
  };
  assert.ok(Array.isArray(queryPath(".items[0].name")));
  assert.ok(queryPath(".items | length") instanceof QueryError);
  assert.equal(await evaluateQuery(data, ".items[1].name"), "b");
  assert.equal(await evaluateQuery(data, ".nope.deeper"), null);
  assert.equal(await evaluateQuery(data, '.bucket // "default-bucket"'), "default-bucket");
  assert.equal(await evaluateQuery(data, ".items | length"), 2);
  assert.equal(await evaluateQuery(data, '.items[] | select(.name == "b") | .value'), 2);
  assert.equal(await evaluateQuery(data, ".list[-1]"), "z");
  assert.deepEqual(await evaluateQuery(data, "[.items[].name]"), ["a", "b"]);
  assert.equal(await evaluateQuery(data, "empty"), null);
});

Deno.test("evaluateQuery() and checkQuery() reject bad syntax, failing expressions and several results", async () => {
  const rejected = async (run: () => Promise<unknown>) => {
    try {
      await run();
    } catch (error) {
      assert.ok(error instanceof QueryError, String(error));
      return error.message;
    }
    assert.fail("expected a QueryError");
  };
  assert.match(await rejected(() => evaluateQuery({}, ".[[[bad")), /syntax error/);
  assert.match(await rejected(() => checkQuery(".a |")), /syntax error/);
  assert.match(
    await rejected(() => evaluateQuery({ a: [1, 2] }, ".a[]")),
    /gives 2 values; wrap it in \[ \]/,
  );
  assert.match(
    await rejected(() => evaluateQuery({ a: "s" }, ".a | .b")),
    /Cannot index string/,
  );
  // A query that would fail or loop on real data still passes the syntax check.
  await checkQuery(".a | keys");
  await checkQuery("repeat(.)");
});
