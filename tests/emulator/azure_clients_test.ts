/**
 * Real Azure clients against the emulator's Entra endpoints (https, test CA), behind its proxy
 * trap, with hand-written files (the recipes CLIENTS.md records): @azure/identity under Node, and
 * the Azure CLI from an isolated AZURE_CONFIG_DIR written without running `az cloud register`.
 */
import assert from "node:assert/strict";
import { join } from "node:path";
import {
  azureCliCheck,
  clientTest,
  nodeClientsCheck,
  probeJson,
  runClient,
  runNodeProbe,
  withClients,
} from "./client_runner.ts";
import {
  AZURE_CLI_CLIENT,
  cloudsConfig,
  installedAzVersion,
  writeAzureCliDir,
  writePrivate,
} from "./client_files.ts";
import type { Emulator } from "./mod.ts";

const APP = "22222222-2222-2222-2222-222222222222";
const SUBSCRIPTION = "55555555-5555-5555-5555-555555555555";
const ARM_LEGACY = "https://management.core.windows.net//.default";

/**
 * az's command index (its own cache of which module serves which command, ~2 s to build on a
 * config dir's first run; nothing to do with auth), kept from the first az run of this process
 * and copied into later dirs so each test does not rebuild it.
 */
let commandIndex: string | undefined;

async function seedCommandIndex(dir: string): Promise<void> {
  if (commandIndex !== undefined) await writePrivate(join(dir, "commandIndex.json"), commandIndex);
}

async function keepCommandIndex(dir: string): Promise<void> {
  commandIndex ??= await Deno.readTextFile(join(dir, "commandIndex.json")).catch(() => undefined);
}

/** The variables with which az trusts the emulator and uses `dir`. */
function azEnv(emu: Emulator, dir: string): Record<string, string> {
  return { AZURE_CONFIG_DIR: dir, REQUESTS_CA_BUNDLE: emu.caFile };
}

/** An Azure CLI dir logged in as the emulator's user, with tokens for ARM (legacy resource id). */
async function userAzDir(
  emu: Emulator,
  dir: string,
  accessTokenLifetime?: number,
) {
  const tokens = await emu.azure.issueUserTokens({
    scope: ARM_LEGACY,
    tenant: "adfs",
    lifetime: accessTokenLifetime,
  });
  await writeAzureCliDir(dir, {
    cloudName: "AtmosEmu",
    authority: emu.azure.authorityHost,
    subscriptionId: SUBSCRIPTION,
    account: {
      type: "user",
      username: emu.azure.user.upn,
      oid: emu.azure.user.oid,
      tokens,
      accessTokenExpiresOn: accessTokenLifetime === undefined
        ? undefined
        : Math.floor(Date.now() / 1000) + accessTokenLifetime,
    },
    azVersion: installedAzVersion(),
  });
  return tokens;
}

async function getAccessToken(emu: Emulator, dir: string, args: string[] = []) {
  await seedCommandIndex(dir);
  const out = await runClient(
    emu,
    ["/usr/bin/az", "account", "get-access-token", "-o", "json", ...args],
    azEnv(emu, dir),
  );
  await keepCommandIndex(dir);
  assert.equal(out.code, 0, out.stderr);
  return JSON.parse(out.stdout) as Record<string, string>;
}

clientTest(
  "@azure/identity: WorkloadIdentityCredential exchanges AZURE_FEDERATED_TOKEN_FILE at an https loopback authority",
  [nodeClientsCheck()],
  async () => {
    await withClients({ azure: { apps: [{ clientId: APP }] } }, async (emu, scratch) => {
      const federated = join(scratch, "federated_token");
      await writePrivate(
        federated,
        await emu.oidcToken({ audience: "api://AzureADTokenExchange" }),
      );
      const out = probeJson(
        await runNodeProbe(emu, "azure_token.cjs", ["workload"], {
          AZURE_FEDERATED_TOKEN_FILE: federated,
          AZURE_CLIENT_ID: APP,
          AZURE_TENANT_ID: emu.azure.tenantId,
          AZURE_AUTHORITY_HOST: emu.azure.authorityHost,
          NODE_EXTRA_CA_CERTS: emu.caFile,
        }),
        "azure_token.cjs workload",
      );
      const info = emu.azure.tokenInfo(String(out.token))!;
      assert.deepEqual(
        [info.kind, info.clientId, info.audience],
        ["app", APP, "https://management.azure.com"],
      );
      assert.equal(emu.calls("entra.openid-configuration"), 1);
      assert.equal(emu.calls("entra.token.client_credentials"), 1);
    });
  },
);

clientTest(
  "@azure/identity: DeviceCodeCredential polls until the emulator's user approves",
  [nodeClientsCheck()],
  async () => {
    await withClients({}, async (emu) => {
      const probe = runNodeProbe(emu, "azure_token.cjs", ["device"], {
        AZURE_CLIENT_ID: AZURE_CLI_CLIENT,
        AZURE_TENANT_ID: emu.azure.tenantId,
        AZURE_AUTHORITY_HOST: emu.azure.authorityHost,
        NODE_EXTRA_CA_CERTS: emu.caFile,
      });
      const userCode = await emu.azure.nextDeviceCode();
      assert.equal(emu.azure.approveDevice(userCode), 1);
      const result = await probe;
      const out = probeJson(result, "azure_token.cjs device");
      assert.match(result.stderr, new RegExp(`enter the code ${userCode}`));
      const info = emu.azure.tokenInfo(String(out.token))!;
      assert.deepEqual([info.kind, info.upn, info.grant], [
        "user",
        "alice@example.com",
        "device_code",
      ]);
      assert.equal(emu.calls("entra.devicecode"), 1);
    });
  },
);

clientTest(
  "@azure/identity: InteractiveBrowserCredential gets a code with PKCE on a loopback redirect once the user approves",
  [nodeClientsCheck()],
  async () => {
    await withClients({}, async (emu, scratch) => {
      // The "browser" xdg-open starts: it follows the authorize redirect to MSAL's loopback port.
      const browser = join(scratch, "browser");
      await Deno.writeTextFile(
        browser,
        `#!/bin/sh\nexec /usr/bin/curl -sS --cacert '${emu.caFile}' -L -o /dev/null "$1"\n`,
        { mode: 0o700 },
      );
      const probe = runNodeProbe(emu, "azure_token.cjs", ["interactive"], {
        AZURE_CLIENT_ID: AZURE_CLI_CLIENT,
        AZURE_TENANT_ID: emu.azure.tenantId,
        AZURE_AUTHORITY_HOST: emu.azure.authorityHost,
        NODE_EXTRA_CA_CERTS: emu.caFile,
        BROWSER: browser,
      });
      const request = await emu.azure.nextAuthorization();
      assert.match(request.redirectUri, /^http:\/\/localhost:\d+$/);
      assert.equal(
        request.scope,
        "https://management.azure.com/.default openid profile offline_access",
      );
      assert.equal(emu.azure.approveAuthorization(), 1);
      const out = probeJson(await probe, "azure_token.cjs interactive");
      const info = emu.azure.tokenInfo(String(out.token))!;
      assert.deepEqual([info.upn, info.grant], ["alice@example.com", "authorization_code"]);
      assert.equal(emu.calls("entra.token.authorization_code"), 1);
    });
  },
);

clientTest(
  "az: a prepared AZURE_CONFIG_DIR with a valid cached token answers from the cache (only discovery on the wire)",
  [azureCliCheck()],
  async () => {
    await withClients({}, async (emu, scratch) => {
      const dir = join(scratch, "azure");
      const cached = await userAzDir(emu, dir);
      const token = await getAccessToken(emu, dir);
      assert.equal(token.accessToken, cached.access_token);
      assert.equal(token.subscription, SUBSCRIPTION);
      assert.equal(token.tenant, "adfs");
      assert.equal(emu.calls("entra.openid-configuration"), 1);
      assert.equal(emu.calls("entra.token.refresh_token"), 0);
    });
  },
);

clientTest(
  "az: an expired cached token is refreshed through the emulator and written back with the rotated refresh token",
  [azureCliCheck()],
  async () => {
    await withClients({}, async (emu, scratch) => {
      const dir = join(scratch, "azure");
      const stale = await userAzDir(emu, dir, -60);
      const token = await getAccessToken(emu, dir);
      assert.notEqual(token.accessToken, stale.access_token);
      const info = emu.azure.tokenInfo(token.accessToken)!;
      assert.deepEqual(
        [info.upn, info.grant, info.audience, info.clientId],
        [
          "alice@example.com",
          "refresh_token",
          "https://management.core.windows.net/",
          AZURE_CLI_CLIENT,
        ],
      );
      assert.equal(emu.calls("entra.token.refresh_token"), 1);
      assert.equal(emu.azure.refreshTokenValid(stale.refresh_token), false);
      const cachePath = join(dir, "msal_token_cache.json");
      assert.equal((await Deno.stat(cachePath)).mode! & 0o777, 0o600, "az widened the cache file");
      const cache = JSON.parse(await Deno.readTextFile(cachePath));
      const secrets = JSON.stringify(cache);
      assert.ok(secrets.includes(token.accessToken), "az did not write the new token back");
      const refresh = Object.values(cache.RefreshToken) as { secret: string }[];
      assert.ok(refresh.some((rt) => emu.azure.refreshTokenValid(rt.secret)));
      // The next run uses the new cache entry: no further token call.
      assert.equal((await getAccessToken(emu, dir)).accessToken, token.accessToken);
      assert.equal(emu.calls("entra.token.refresh_token"), 1);
    });
  },
);

clientTest(
  "az: a cached token with under 5 minutes left is refreshed too",
  [azureCliCheck()],
  async () => {
    await withClients({}, async (emu, scratch) => {
      const dir = join(scratch, "azure");
      const cached = await userAzDir(emu, dir, 30);
      const token = await getAccessToken(emu, dir);
      assert.notEqual(token.accessToken, cached.access_token);
      assert.equal(emu.calls("entra.token.refresh_token"), 1);
    });
  },
);

clientTest(
  "az: a service principal entry with a client_assertion gets an app token by client credentials",
  [azureCliCheck()],
  async () => {
    await withClients({ azure: { apps: [{ clientId: APP }] } }, async (emu, scratch) => {
      const dir = join(scratch, "azure");
      await writeAzureCliDir(dir, {
        cloudName: "AtmosEmu",
        authority: emu.azure.authorityHost,
        subscriptionId: SUBSCRIPTION,
        account: {
          type: "servicePrincipal",
          clientId: APP,
          clientAssertion: await emu.oidcToken({ audience: "api://AzureADTokenExchange" }),
        },
        azVersion: installedAzVersion(),
      });
      const token = await getAccessToken(emu, dir);
      const info = emu.azure.tokenInfo(token.accessToken)!;
      assert.deepEqual([info.kind, info.clientId, info.grant], ["app", APP, "client_credentials"]);
      assert.equal(emu.calls("entra.token.client_credentials"), 1);
    });
  },
);

clientTest(
  "@azure/identity: AzureCliCredential and DefaultAzureCredential pinned to it get tokens through az",
  [azureCliCheck(), nodeClientsCheck()],
  async () => {
    await withClients({}, async (emu, scratch) => {
      const dir = join(scratch, "azure");
      await userAzDir(emu, dir);
      await seedCommandIndex(dir);
      const cli = probeJson(
        await runNodeProbe(emu, "azure_token.cjs", ["cli"], azEnv(emu, dir)),
        "azure_token.cjs cli",
      );
      const viaCli = emu.azure.tokenInfo(String(cli.token))!;
      assert.deepEqual([viaCli.upn, viaCli.audience], [
        "alice@example.com",
        "https://management.azure.com",
      ]);
      const pinned = probeJson(
        await runNodeProbe(emu, "azure_token.cjs", ["default"], {
          ...azEnv(emu, dir),
          AZURE_TOKEN_CREDENTIALS: "AzureCliCredential",
        }),
        "azure_token.cjs default",
      );
      assert.equal(pinned.credential, "DefaultAzureCredential");
      assert.equal(emu.azure.tokenInfo(String(pinned.token))?.upn, "alice@example.com");
    });
  },
);

clientTest(
  "az cloud register and az cloud set write the same clouds.config and [cloud] name as writeAzureCliDir()",
  [azureCliCheck()],
  async () => {
    await withClients({}, async (emu, scratch) => {
      const dir = join(scratch, "azure");
      await writePrivate(
        join(dir, "config"),
        "[core]\ncollect_telemetry = false\nfirst_run = false\n",
      );
      await writePrivate(
        join(dir, "versionCheck.json"),
        JSON.stringify({ versions: { core: { local: installedAzVersion() } } }),
      );
      await seedCommandIndex(dir);
      const cloudJson = join(scratch, "cloud.json");
      await writePrivate(cloudJson, JSON.stringify(emu.azure.cloudConfig()));
      for (
        const args of [
          ["cloud", "register", "-n", "AtmosEmu", "--cloud-config", `@${cloudJson}`],
          ["cloud", "set", "-n", "AtmosEmu"],
        ]
      ) {
        const out = await runClient(emu, ["/usr/bin/az", ...args], azEnv(emu, dir));
        assert.equal(out.code, 0, out.stderr);
      }
      const parse = (text: string) =>
        text.split("\n").map((line) => line.trim()).filter((line) => line !== "").sort();
      assert.deepEqual(
        parse(await Deno.readTextFile(join(dir, "clouds.config"))),
        parse(cloudsConfig("AtmosEmu", emu.azure.authorityHost)),
      );
      assert.match(await Deno.readTextFile(join(dir, "config")), /\[cloud\]\nname = AtmosEmu\n/);
    });
  },
);
