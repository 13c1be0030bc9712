import assert from "node:assert/strict";
import {
  checkSegment,
  credentialDir,
  identitySegment,
  segmentProblem,
} from "../../lib/fs/layout.ts";
import { identityNameProblem, providerNameProblem } from "../../lib/config/names.ts";
import { ConfigError } from "../../lib/errors.ts";

Deno.test("identitySegment() leaves ordinary names as they are", () => {
  for (const name of ["prod-admin", "dev_1", "Base", "prod.admin", "alice@example.com", "ünï"]) {
    assert.equal(identitySegment(name), name);
  }
});

Deno.test("identitySegment() gives one safe segment for every name, never the same for two", () => {
  const alphabet = ["a", "/", "\\", "%", ".", " ", ":", "*", "\x1b", "\n", "é", "2", "A"];
  const seen = new Map<string, string>();
  let seed = 11;
  const pick = () => alphabet[(seed = (seed * 48271) % 2147483647) % alphabet.length];
  for (let i = 0; i < 5000; i++) {
    const name = Array.from({ length: 1 + (i % 7) }, pick).join("");
    const segment = identitySegment(name);
    assert.equal(segmentProblem(segment), undefined, `${JSON.stringify(name)} → ${segment}`);
    assert.ok(!segment.startsWith("."), `${JSON.stringify(name)} → a hidden name`);
    assert.ok(!/[. ]$/.test(segment), `${JSON.stringify(name)} → ends in a dot or space`);
    assert.ok(!/[<>:"|?*]/.test(segment), `${JSON.stringify(name)} → a name Windows refuses`);
    const other = seen.get(segment);
    assert.ok(other === undefined || other === name, `${other} and ${name} share ${segment}`);
    seen.set(segment, name);
  }
  assert.equal(
    identitySegment("Development/AdministratorAccess"),
    "Development%2FAdministratorAccess",
  );
  assert.equal(identitySegment(".."), "%2E%2E");
  assert.equal(identitySegment("a%2Fb"), "a%252Fb");
});

Deno.test("provider names are directory names as written; identity names may hold /", () => {
  assert.equal(providerNameProblem("../../etc"), 'holds "/" or "\\"');
  assert.equal(providerNameProblem(".."), "is a relative directory name");
  assert.equal(providerNameProblem("x".repeat(256)), "is longer than 255 bytes");
  assert.equal(providerNameProblem("company-sso"), undefined);
  assert.equal(identityNameProblem("Development/AdministratorAccess"), undefined);
  assert.equal(identityNameProblem("x]"), 'holds "[" or "]", which INI section names cannot');
  assert.equal(identityNameProblem("a\u202eb"), "holds a control character");
  assert.equal(identityNameProblem("/".repeat(67)), "is too long"); // 201 bytes encoded
  assert.throws(() => checkSegment("provider name", "a/b"), ConfigError);
  assert.throws(() => credentialDir("/c/atmos", "aws", ".."), ConfigError);
});
