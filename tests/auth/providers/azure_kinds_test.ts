import assert from "node:assert/strict";
import { ConfigError } from "../../../lib/errors.ts";
import type { IssueFn } from "../../../lib/auth/kind.ts";
import { registry } from "../../../lib/auth/registry/mod.ts";
import { freshUserSet, TOKEN_BUFFER_MS } from "../../../lib/auth/providers/azure_user_tokens.ts";
import { authorityFor, cloudEnvironment } from "../../../lib/azure/clouds.ts";
import { addTokenResponse, emptyCache } from "../../../lib/azure/msal_cache.ts";

const TENANT = "33333333-3333-3333-3333-333333333333";
const issue: IssueFn = (path, message) => new ConfigError(message, { configPath: path });

async function kinds() {
  await registry.loadAll();
  return registry;
}

Deno.test("every Azure provider kind requires a GUID tenant_id; azure/oidc requires client_id", async () => {
  const r = await kinds();
  for (const kind of ["azure/device-code", "azure/interactive", "azure/oidc", "azure/cli"]) {
    const provider = r.provider(kind)!;
    const missing = provider.validate({ kind, spec: {} }, issue);
    assert.ok(missing.some((e) => e.message === "spec.tenant_id is required"), kind);
    const bad = provider.validate({ kind, spec: { tenant_id: "contoso" } }, issue);
    assert.match(bad[0].message, /invalid tenant id "contoso": it must be a GUID/);
    assert.deepEqual(bad[0].configPath, ["spec", "tenant_id"]);
  }
  const oidc = r.provider("azure/oidc")!;
  assert.deepEqual(
    oidc.validate({ kind: "azure/oidc", spec: { tenant_id: TENANT } }, issue).map((e) => e.message),
    ["spec.client_id is required"],
  );
  assert.deepEqual(
    oidc.validate({
      kind: "azure/oidc",
      spec: { tenant_id: TENANT, client_id: TENANT, subscription_id: "x", audience: "" },
    }, issue).map((e) => e.message),
    ['invalid subscription id "x": it must be a GUID', "spec.audience must not be empty"],
  );
});

Deno.test("the Azure kinds declare every field Atmos documents", async () => {
  const fields = (await kinds()).fieldsByKind();
  const common = ["tenant_id", "subscription_id", "location", "cloud_environment"];
  assert.deepEqual(
    Object.keys(fields.providers["azure/device-code"].spec!).sort(),
    [
      ...common,
      "client_id",
    ].sort(),
  );
  assert.deepEqual(
    Object.keys(fields.providers["azure/interactive"].spec!).sort(),
    [...common, "client_id"].sort(),
  );
  assert.deepEqual(
    Object.keys(fields.providers["azure/oidc"].spec!).sort(),
    [
      ...common,
      "client_id",
      "audience",
      "token_file_path",
    ].sort(),
  );
  assert.deepEqual(Object.keys(fields.providers["azure/cli"].spec!).sort(), [...common].sort());
  assert.deepEqual(Object.keys(fields.identities["azure/subscription"].principal!).sort(), [
    "location",
    "resource_group",
    "subscription_id",
  ]);
  assert.deepEqual(fields.providers["azure/oidc"].spec!.cloud_environment, {
    oneOf: ["public", "usgovernment", "china"],
  });
});

Deno.test("azure/subscription requires a GUID subscription_id", async () => {
  const identity = (await kinds()).identity("azure/subscription")!;
  const config = { kind: "azure/subscription", via: { provider: "p" } };
  assert.deepEqual(identity.validate(config, issue).map((e) => e.configPath), [[
    "principal",
    "subscription_id",
  ]]);
  assert.deepEqual(
    identity.validate({ ...config, principal: { subscription_id: TENANT, location: "" } }, issue)
      .map((e) => e.message),
    ["principal.location must not be empty"],
  );
});

Deno.test("freshUserSet() wants more than 5 minutes left on the Resource Manager token of the authority's realm", () => {
  const authority = authorityFor(cloudEnvironment("public"), TENANT);
  const now = Date.parse("2026-12-05T08:00:00Z");
  const cacheWith = (expiresInMs: number) => {
    const cache = emptyCache();
    addTokenResponse(cache, {
      response: {
        accessToken: "at",
        expiresIn: expiresInMs / 1000,
        clientInfo: btoa(JSON.stringify({ uid: "u", utid: TENANT })),
        idToken: `x.${btoa(JSON.stringify({ preferred_username: "alice" }))}.y`,
        tokenType: "Bearer",
      },
      clientId: "04b07795-8ddb-461a-bbee-02f9e1bf7b46",
      environment: authority.environment,
      realm: authority.realm,
      scopes: ["https://management.core.windows.net//.default"],
      now: now / 1000,
    });
    return cache;
  };
  const request = {
    provider: "p",
    authority,
    clientId: "04b07795-8ddb-461a-bbee-02f9e1bf7b46",
  };
  assert.equal(freshUserSet(cacheWith(TOKEN_BUFFER_MS), request, now), undefined);
  const fresh = freshUserSet(cacheWith(TOKEN_BUFFER_MS + 1000), request, now)!;
  assert.equal(fresh.username, "alice");
  assert.equal(fresh.expiration.getTime(), now + TOKEN_BUFFER_MS + 1000);
  const adfs = authorityFor(cloudEnvironment("public"), TENANT, "https://127.0.0.1:1");
  assert.equal(
    freshUserSet(cacheWith(3600_000), { ...request, authority: adfs }, now),
    undefined,
    "another authority's tokens are not this one's",
  );
  assert.equal(freshUserSet(cacheWith(3600_000), request, now, "bob"), undefined);
});
