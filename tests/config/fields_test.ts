import assert from "node:assert/strict";
import { checkFields, type FieldTable, typeName } from "../../lib/config/fields.ts";

const TABLE: FieldTable = {
  name: "string",
  enabled: "boolean",
  count: "integer",
  id: "scalar",
  lifetime: "duration",
  scopes: "strings",
  mode: { oneOf: ["file", "url"] },
  nested: { audience: "string" },
};

/** Problems as `path: message` lines. */
function check(value: unknown): string[] {
  return checkFields(value, TABLE, "spec", (sub, message) => `${sub.join(".")}: ${message}`);
}

Deno.test("checkFields() accepts well-typed values, null values and an absent section", () => {
  assert.deepEqual(check(undefined), []);
  assert.deepEqual(check(null), []);
  assert.deepEqual(
    check({
      name: "x",
      enabled: false,
      count: 3,
      id: 123456789012,
      lifetime: "1h",
      scopes: ["a", "b"],
      mode: "url",
      nested: { audience: "aud" },
    }),
    [],
  );
  assert.deepEqual(check({ lifetime: 3600, id: "0123", name: null }), []);
});

Deno.test("checkFields() reports each unknown key with a near name and each wrong type, located", () => {
  assert.deepEqual(check({ nmae: "x" }), ['nmae: unknown spec field "nmae"; did you mean "name"?']);
  assert.deepEqual(check({ name: { a: 1 } }), ['name: "name" must be a string, not a map']);
  assert.deepEqual(check({ enabled: "yes" }), [
    'enabled: "enabled" must be true or false, not a string',
  ]);
  assert.deepEqual(check({ count: 1.5 }), ['count: "count" must be a whole number, not a number']);
  assert.deepEqual(check({ id: ["a"] }), ['id: "id" must be a string, not a list']);
  assert.deepEqual(check({ lifetime: -1 }), [
    'lifetime: "lifetime" must be a duration such as 1h or a number of seconds, not a number',
  ]);
  assert.deepEqual(check({ scopes: "a" }), [
    'scopes: "scopes" must be a list of strings, not a string',
  ]);
  assert.deepEqual(check({ scopes: ["a", 2] }), [
    'scopes.1: "scopes" entries must be strings, not a number',
  ]);
  assert.deepEqual(check({ mode: "env" }), [
    'mode: "mode" must be one of "file", "url", not a string',
  ]);
  assert.deepEqual(check({ nested: { audiance: "x" } }), [
    'nested.audiance: unknown nested field "audiance"; did you mean "audience"?',
  ]);
  assert.deepEqual(check("text"), [': "spec" must be a map, not a string']);
});

Deno.test("checkFields() never echoes a value: a secret in a wrong place stays hidden", () => {
  const secret = "wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY";
  const lines = check({ name: [secret], extra: secret });
  assert.equal(lines.length, 2);
  for (const line of lines) assert.ok(!line.includes(secret), line);
  assert.equal(typeName([secret]), "a list");
});
