import assert from "node:assert/strict";
import { join } from "node:path";
import { azureOutput, azurePaths } from "../../lib/azure/output.ts";
import { azureAppSet, azureUserSet } from "../../lib/azure/credential_set.ts";
import { authorityFor, cloudEnvironment } from "../../lib/azure/clouds.ts";
import { addTokenResponse, emptyCache } from "../../lib/azure/msal_cache.ts";
import { directWriter } from "../../lib/fs/writer.ts";
import type { OutputLink } from "../../lib/auth/output.ts";
import type { IdentityConfig, ProviderConfig } from "../../lib/config/types.ts";
import { CREDENTIAL_VARIABLES } from "../../lib/azure/variables.ts";

const TENANT = "33333333-3333-3333-3333-333333333333";
const SUB = "55555555-5555-5555-5555-555555555555";
const APP = "22222222-2222-2222-2222-222222222222";
const OID = "44444444-4444-4444-4444-444444444444";
const CLI = "04b07795-8ddb-461a-bbee-02f9e1bf7b46";
const ARM = "https://management.core.windows.net//.default";

function b64(value: unknown): string {
  return btoa(JSON.stringify(value)).replace(/=+$/, "").replace(/\+/g, "-").replace(/\//g, "_");
}

function jwt(claims: Record<string, unknown>): string {
  return `${b64({ alg: "none" })}.${b64(claims)}.sig`;
}

function link(dir: string, provider: ProviderConfig, identity = "dev"): OutputLink {
  const config: IdentityConfig = {
    kind: "azure/subscription",
    via: { provider: "p" },
    principal: { subscription_id: SUB, resource_group: "rg" },
  };
  return {
    identity,
    config,
    upstream: [{ name: "p", config: provider }],
    dir,
    region: "westeurope",
  };
}

const USER_PROVIDER: ProviderConfig = { kind: "azure/device-code", spec: { tenant_id: TENANT } };
const APP_PROVIDER: ProviderConfig = {
  kind: "azure/oidc",
  spec: { tenant_id: TENANT, client_id: APP, cloud_environment: "usgovernment" },
};

function userSet(expiresIn: number, secret = "at-secret") {
  const authority = authorityFor(cloudEnvironment("public"), TENANT, "https://127.0.0.1:8443");
  const cache = emptyCache();
  const home = addTokenResponse(cache, {
    response: {
      accessToken: secret,
      expiresIn,
      refreshToken: "rt-secret",
      idToken: jwt({ oid: OID, preferred_username: "alice@example.com" }),
      clientInfo: b64({ uid: OID, utid: "adfs" }),
      scope: ARM,
      foci: "1",
      tokenType: "Bearer",
    },
    clientId: CLI,
    environment: authority.environment,
    realm: authority.realm,
    scopes: [ARM],
    now: Math.floor(Date.now() / 1000),
  })!;
  return azureUserSet({
    authority,
    clientId: CLI,
    homeAccountId: home,
    username: "alice@example.com",
    cache,
    expiration: new Date(Date.now() + expiresIn * 1000),
  });
}

async function withDir(
  fn: (dir: string, writer: ReturnType<typeof directWriter>) => Promise<void>,
) {
  const root = await Deno.makeTempDir({ prefix: "atmos_azure_output_" });
  try {
    const writer = directWriter(join(root, "atmos"));
    await fn(join(root, "atmos", "azure", "p"), writer);
  } finally {
    await Deno.remove(root, { recursive: true });
  }
}

Deno.test("azureOutput writes a user's isolated dir and reads it back with the Resource Manager token's expiry", async () => {
  await withDir(async (dir, writer) => {
    const target = link(dir, USER_PROVIDER);
    await azureOutput.write(writer, target, userSet(3600));
    const paths = azurePaths(target);
    assert.equal(paths.dir, join(dir, "dev"));
    for (const file of [paths.config, paths.clouds, paths.profile, paths.tokenCache]) {
      assert.equal((await Deno.stat(file)).mode! & 0o777, 0o600, file);
    }
    assert.equal((await Deno.stat(paths.dir)).mode! & 0o777, 0o700);
    const cached = azureOutput.readCached(target)!;
    assert.equal(cached.type, "azure-user");
    assert.equal(cached.principal, "alice@example.com");
    assert.ok(Math.abs(cached.expiration!.getTime() - (Date.now() + 3600_000)) < 5_000);
    assert.ok(!JSON.stringify(cached).includes("at-secret"), "the set redacts itself");
    assert.deepEqual(
      await azureOutput.whoami!(target, { env: { get: () => undefined }, debug() {} }),
      {
        principal: "alice@example.com",
        details: { tenant: TENANT, subscription: SUB },
      },
    );
    // A second login keeps one account and the newest tokens.
    await azureOutput.write(writer, target, userSet(3600, "at-newer"));
    const cache = JSON.parse(await Deno.readTextFile(paths.tokenCache));
    assert.equal(Object.keys(cache.Account).length, 1);
    assert.equal(Object.keys(cache.RefreshToken).length, 1);
  });
});

Deno.test("azureOutput gives a user's children the dir, az as credential and ids, never a token", () => {
  const env = azureOutput.env(link("/cfg/atmos/azure/p", USER_PROVIDER));
  assert.deepEqual(env.set, {
    AZURE_CONFIG_DIR: "/cfg/atmos/azure/p/dev",
    AZURE_TENANT_ID: TENANT,
    ARM_TENANT_ID: TENANT,
    AZURE_SUBSCRIPTION_ID: SUB,
    ARM_SUBSCRIPTION_ID: SUB,
    AZURE_LOCATION: "westeurope",
    ARM_LOCATION: "westeurope",
    AZURE_RESOURCE_GROUP: "rg",
    ARM_USE_CLI: "true",
    ARM_USE_MSI: "false",
    AZURE_TOKEN_CREDENTIALS: "AzureCliCredential",
  });
  assert.equal(env.unset, CREDENTIAL_VARIABLES);
  assert.deepEqual(Object.keys(azureOutput.files(link("/cfg", USER_PROVIDER))), [
    "config_dir",
    "token_cache",
    "profile",
  ]);
});

Deno.test("azureOutput gives an application's children the token file and OIDC switches; sovereign clouds are named", () => {
  const env = azureOutput.env(link("/cfg/atmos/azure/p", APP_PROVIDER)).set;
  assert.equal(env.ARM_USE_OIDC, "true");
  assert.equal(env.ARM_USE_CLI, "false");
  assert.equal(env.AZURE_CLIENT_ID, APP);
  assert.equal(env.ARM_CLIENT_ID, APP);
  assert.equal(env.AZURE_FEDERATED_TOKEN_FILE, "/cfg/atmos/azure/p/dev/federated_token");
  assert.equal(env.ARM_OIDC_TOKEN_FILE_PATH, env.AZURE_FEDERATED_TOKEN_FILE);
  assert.equal(env.AZURE_TOKEN_CREDENTIALS, "WorkloadIdentityCredential");
  assert.equal(env.ARM_ENVIRONMENT, "usgovernment");
  assert.equal(env.AZURE_ENVIRONMENT, "AzureUSGovernmentCloud");
  const own = azureOutput.env(link("/cfg", {
    ...APP_PROVIDER,
    spec: { ...APP_PROVIDER.spec, token_file_path: "/var/run/token" },
  })).set;
  assert.equal(own.AZURE_FEDERATED_TOKEN_FILE, "/var/run/token");
});

Deno.test("azureOutput writes an application's token file and client assertion; switching to a user removes them", async () => {
  await withDir(async (dir, writer) => {
    const target = link(dir, APP_PROVIDER);
    const token = jwt({ exp: Math.floor(Date.now() / 1000) + 300, sub: "repo" });
    const authority = authorityFor(cloudEnvironment("usgovernment"), TENANT);
    await azureOutput.write(
      writer,
      target,
      azureAppSet({
        authority,
        clientId: APP,
        assertion: token,
        expiration: new Date(Date.now() + 300_000),
      }),
    );
    const paths = azurePaths(target);
    assert.equal(await Deno.readTextFile(paths.federatedToken), token);
    assert.equal((await Deno.stat(paths.federatedToken)).mode! & 0o777, 0o600);
    assert.equal(
      JSON.parse(await Deno.readTextFile(paths.servicePrincipals))[0].client_assertion,
      token,
    );
    assert.match(await Deno.readTextFile(paths.config), /name = AzureUSGovernment/);
    const cached = azureOutput.readCached(target)!;
    assert.equal(cached.type, "azure-app");
    assert.equal(cached.expiration!.getTime(), (Math.floor(Date.now() / 1000) + 300) * 1000);

    await azureOutput.write(writer, link(dir, USER_PROVIDER), userSet(3600));
    assert.equal(await Deno.stat(paths.federatedToken).then(() => true, () => false), false);
    assert.equal(await Deno.stat(paths.servicePrincipals).then(() => true, () => false), false);
  });
});

Deno.test("azureOutput removes exactly the identity's dir; a dry run only reports it", async () => {
  await withDir(async (dir, writer) => {
    await azureOutput.write(writer, link(dir, USER_PROVIDER, "dev"), userSet(3600));
    await azureOutput.write(writer, link(dir, USER_PROVIDER, "prod"), userSet(3600));
    const dev = link(dir, USER_PROVIDER, "dev");
    assert.deepEqual(await azureOutput.remove(dev), [join(dir, "dev")]);
    assert.ok(await Deno.stat(join(dir, "dev")));
    assert.deepEqual(await azureOutput.remove(dev, writer), [join(dir, "dev")]);
    assert.equal(await Deno.stat(join(dir, "dev")).then(() => true, () => false), false);
    assert.ok(await Deno.stat(join(dir, "prod")));
    assert.deepEqual(await azureOutput.remove(dev, writer), []);
  });
});

Deno.test("an identity name that is not one path segment gets an encoded directory", () => {
  assert.equal(azurePaths(link("/r", USER_PROVIDER, "team/dev")).dir, "/r/team%2Fdev");
  assert.equal(azurePaths(link("/r", USER_PROVIDER, "..")).dir, "/r/%2E%2E");
  assert.equal(azurePaths(link("/r", USER_PROVIDER, "a.b")).dir, "/r/a.b");
});

Deno.test("readCached() is undefined for a missing, foreign or unreadable dir", async () => {
  await withDir(async (dir, writer) => {
    const target = link(dir, USER_PROVIDER);
    assert.equal(azureOutput.readCached(target), undefined);
    await azureOutput.write(writer, target, userSet(3600));
    await writer.writeAtomic(azurePaths(target).tokenCache, "{broken", 0o600);
    assert.equal(azureOutput.readCached(target), undefined);
  });
});
