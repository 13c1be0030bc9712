import assert from "node:assert/strict";
import {
  parsePlan,
  planKey,
  secretPathsIn,
  type SessionPlan,
  valuesAt,
} from "../../lib/auth/session_plan.ts";
import type { AuthConfig } from "../../lib/config/types.ts";

const AUTH = {
  identities: {
    base: {
      kind: "aws/user",
      credentials: { access_key_id: "AKIAEXAMPLE", secret_access_key: "s3cr3t/value=" },
    },
    prod: { kind: "aws/assume-role", via: { identity: "base" }, env: [{ key: "A", value: "x" }] },
  },
} as unknown as AuthConfig;

const PLAN: SessionPlan = {
  version: 1,
  key: "k",
  identity: "prod",
  output: "aws",
  dir: "/c/atmos/aws/aws-user",
  upstream: [{ role: "identity", name: "base" }],
  session: {
    identity: "prod",
    kind: "aws/assume-role",
    output: "aws",
    root: "aws-user",
    files: { credentials: "/c/atmos/aws/aws-user/credentials" },
    env: { set: { AWS_PROFILE: "prod" }, unset: ["AWS_ACCESS_KEY_ID"] },
    isolated: true,
    region: "us-west-2",
  },
  secretPaths: [["identities", "base", "credentials", "secret_access_key"]],
};

Deno.test("planKey() changes with the auth section, an !env value in it, the realm and the identity", async () => {
  const inputs = { configDir: "/c/atmos", realm: "", identity: "prod", auth: AUTH };
  const key = await planKey(inputs);
  assert.match(key, /^[0-9a-f]{64}$/);
  assert.equal(await planKey({ ...inputs }), key);
  const rotated = structuredClone(AUTH) as unknown as {
    identities: { base: { credentials: Record<string, string> } };
  };
  rotated.identities.base.credentials.secret_access_key = "other";
  for (
    const other of [
      { ...inputs, auth: rotated as unknown as AuthConfig },
      { ...inputs, realm: "acme" },
      { ...inputs, identity: "base" },
      { ...inputs, configDir: "/d/atmos" },
      { ...inputs, atmosCommand: ["/usr/local/bin/atmos"] },
    ]
  ) {
    assert.notEqual(await planKey(other), key);
  }
});

Deno.test("secretPathsIn() names where the secrets are, and valuesAt() reads them back", () => {
  const paths = secretPathsIn(AUTH, ["s3cr3t/value=", "not-in-config", ""]);
  assert.deepEqual(paths, [["identities", "base", "credentials", "secret_access_key"]]);
  assert.deepEqual(valuesAt(AUTH, paths), ["s3cr3t/value="]);
  assert.deepEqual(
    valuesAt(AUTH, [["identities", "gone", "x"], ["identities", "prod", "env"]]),
    [],
  );
  assert.deepEqual(secretPathsIn(AUTH, []), []);
});

Deno.test("parsePlan() takes a plan of this version and refuses anything else", () => {
  assert.deepEqual(parsePlan(JSON.stringify(PLAN)), PLAN);
  assert.equal(parsePlan("not json"), undefined);
  assert.equal(parsePlan(JSON.stringify({ ...PLAN, version: 2 })), undefined);
  const broken: unknown[] = [
    { ...PLAN, upstream: [{ role: "user", name: "base" }] },
    { ...PLAN, secretPaths: [["a", 1]] },
    { ...PLAN, session: { ...PLAN.session, env: { set: { A: 1 }, unset: [] } } },
    { ...PLAN, session: { ...PLAN.session, files: null } },
    { ...PLAN, session: { ...PLAN.session, isolated: "yes" } },
  ];
  for (const plan of broken) assert.equal(parsePlan(JSON.stringify(plan)), undefined);
});
