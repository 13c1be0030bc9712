import assert from "node:assert/strict";
import { registry } from "../../../lib/auth/registry/mod.ts";

const findIdentityKind = (kind: unknown) => registry.identity(kind);
const findProviderKind = (kind: unknown) => registry.provider(kind);
const isStandaloneIdentityKind = (kind: unknown) => registry.isStandalone(kind);
const kindLists = () => registry.kindLists();
const loadKinds = (auth: Parameters<typeof registry.load>[0]) => registry.load(auth);

// Each test file runs in a fresh isolate, so nothing is loaded before the first test.

Deno.test("findIdentityKind() refuses a known kind before loadKinds() and returns undefined for unknown ones", () => {
  assert.throws(() => findIdentityKind("aws/user"), /Internal error: identity kind "aws\/user"/);
  assert.throws(() => findProviderKind("github/oidc"), /Internal error: provider kind/);
  assert.equal(findIdentityKind("gcp/nothing"), undefined);
  assert.equal(findProviderKind(42), undefined);
});

Deno.test("loadKinds() loads only the kinds a configuration names, plus what its providers discover", async () => {
  await loadKinds({
    identities: { base: { kind: "aws/user" }, typo: { kind: "aws/usr" }, broken: null },
  });
  assert.equal(findIdentityKind("aws/user")?.kind, "aws/user");
  assert.throws(() => findIdentityKind("aws/assume-role"), /used before it was loaded/);
  assert.throws(() => findProviderKind("aws/iam-identity-center"), /used before it was loaded/);

  await loadKinds({ providers: { sso: { kind: "aws/iam-identity-center" } } });
  assert.equal(findProviderKind("aws/iam-identity-center")?.kind, "aws/iam-identity-center");
  assert.equal(findIdentityKind("aws/permission-set")?.kind, "aws/permission-set");
});

Deno.test("loadKinds() makes every registered kind available under its own name", async () => {
  const { providerKinds, identityKinds, standaloneIdentityKinds } = kindLists();
  const named = (kinds: string[]) => Object.fromEntries(kinds.map((kind) => [kind, { kind }]));
  await loadKinds({ providers: named(providerKinds), identities: named(identityKinds) });
  for (const kind of providerKinds) assert.equal(findProviderKind(kind)?.kind, kind);
  for (const kind of identityKinds) assert.equal(findIdentityKind(kind)?.kind, kind);
  assert.deepEqual(standaloneIdentityKinds, ["aws/user", "aws/ambient", "ambient"]);
  assert.ok(isStandaloneIdentityKind("aws/user"));
  assert.ok(!isStandaloneIdentityKind("aws/assume-role"));
  assert.ok(!isStandaloneIdentityKind("gcp/nothing"));
});
