/**
 * End-to-end tests of the laptop flow `azure/device-code → azure/subscription` against the
 * emulator's Entra ID: the sign-in on a terminal, the identity's own Azure CLI dir (0600/0700,
 * what `az` reads), `az` and `@azure/identity` inside `auth exec` getting tokens for the
 * subscription, `az` refreshing through the emulator inside `auth shell` and atmos then using
 * what `az` wrote, warm runs with no call, one sign-in for parallel callers, silent refresh,
 * cancel, and no secret in any output, argv or child environment.
 */
import assert from "node:assert/strict";
import { join } from "node:path";
import { assertNoSecrets, DUMP_CHILD } from "./harness.ts";
import { assertOneLineError } from "./auth_support.ts";
import { runOnTty } from "./tty.ts";
import { waitFor } from "./sso_support.ts";
import {
  ARM_LEGACY,
  assertOnlyConfigWritten,
  azureProbe,
  identityDir,
  lastJson,
  modes,
  runDeviceApproved,
  setUpAzure,
  SUBSCRIPTION,
  TENANT,
} from "./azure_support.ts";

const AZ = "/usr/bin/az";

Deno.test("azure/device-code on a terminal: code and URL on stderr, an isolated az dir, az and @azure/identity get the subscription's tokens in auth exec, warm runs call nothing", async () => {
  const setup = await setUpAzure();
  const { emu, sb } = setup;
  try {
    const run = runOnTty(sb, ["auth", "login", "azure-dev"]);
    const userCode = await emu.azure.nextDeviceCode();
    await run.waitForScreen(new RegExp(userCode));
    assert.equal(emu.azure.approveDevice(userCode), 1);
    const login = await run.done();
    assert.equal(login.code, 0, login.screen);
    assert.match(login.screen, /Sign in to Microsoft Entra ID for provider "entra"/);
    assert.ok(login.screen.includes(`${emu.azure.authorityHost}/devicelogin`), login.screen);
    assert.match(login.screen, /Principal\s+alice@example\.com/);
    assert.equal(emu.calls("entra.devicecode"), 1);

    // The identity's own Azure CLI dir: private, the subscription as default, the real tenant.
    const dir = identityDir(sb, "entra", "azure-dev");
    assert.deepEqual(await modes(dir), {
      "azureProfile.json": "600",
      "clouds.config": "600",
      "config": "600",
      "msal_token_cache.json": "600",
      "msal_token_cache.json.lock": "600",
      "versionCheck.json": "600",
    });
    assert.equal((await Deno.stat(dir)).mode! & 0o777, 0o700);
    const profile = JSON.parse(await Deno.readTextFile(join(dir, "azureProfile.json")));
    assert.equal(profile.subscriptions.length, 1);
    assert.deepEqual(
      {
        id: profile.subscriptions[0].id,
        isDefault: profile.subscriptions[0].isDefault,
        tenantId: profile.subscriptions[0].tenantId,
        user: profile.subscriptions[0].user,
      },
      {
        id: SUBSCRIPTION,
        isDefault: true,
        tenantId: TENANT,
        user: { name: "alice@example.com", type: "user" },
      },
    );
    const cache = JSON.parse(await Deno.readTextFile(join(dir, "msal_token_cache.json")));
    const accounts = Object.values(cache.Account) as Record<string, string>[];
    assert.deepEqual(accounts.map((a) => [a.environment, a.realm, a.username, a.home_account_id]), [
      ["127.0.0.1", "adfs", "alice@example.com", `${emu.azure.user.oid}.adfs`],
    ]);
    const targets = (Object.values(cache.AccessToken) as Record<string, string>[])
      .map((t) => t.target).sort();
    assert.deepEqual(targets, [
      "https://graph.microsoft.com//.default",
      "https://management.core.windows.net//.default",
      "https://vault.azure.net/.default",
    ]);
    const refresh = Object.values(cache.RefreshToken) as Record<string, string>[];
    assert.equal(refresh.length, 1);
    assert.equal(refresh[0].family_id, "1");
    assert.ok(emu.azure.refreshTokenValid(refresh[0].secret), "the cached refresh token works");
    assert.match(
      await Deno.readTextFile(join(dir, "clouds.config")),
      new RegExp(`endpoint_active_directory = ${emu.azure.authorityHost}/adfs\n`),
    );

    // az inside auth exec: the subscription's token from the cache, attributed to the user.
    const az = await sb.run([
      "auth",
      "exec",
      "--",
      AZ,
      "account",
      "get-access-token",
      "-o",
      "json",
    ]);
    const token = lastJson(az, "az account get-access-token");
    assert.equal(token.subscription, SUBSCRIPTION);
    assert.equal(token.tenant, TENANT);
    const info = emu.azure.tokenInfo(String(token.accessToken))!;
    assert.deepEqual([info.upn, info.audience], ["alice@example.com", ARM_LEGACY]);

    // @azure/identity: AzureCliCredential, and DefaultAzureCredential pinned by atmos's
    // AZURE_TOKEN_CREDENTIALS (no managed identity probe: the trap stays empty).
    const cliRun = await sb.run(["auth", "exec", "--", ...azureProbe("cli")]);
    const cli = lastJson(cliRun, "AzureCliCredential");
    assert.equal(emu.azure.tokenInfo(String(cli.token))?.upn, "alice@example.com");
    const pinned = lastJson(
      await sb.run(["auth", "exec", "--", ...azureProbe("default")]),
      "DefaultAzureCredential",
    );
    assert.equal(pinned.credential, "DefaultAzureCredential");
    assert.equal(emu.azure.tokenInfo(String(pinned.token))?.upn, "alice@example.com");

    // Warm: atmos itself makes no call at all.
    emu.resetCalls();
    const child = await sb.run(["auth", "exec", "--", ...DUMP_CHILD], {
      env: { AZURE_CLIENT_SECRET: "parent-secret-value", ARM_ACCESS_KEY: "parent-storage-key" },
    });
    assert.equal(child.code, 0, child.stderr);
    assert.equal(emu.calls(), 0, "a fresh identity needs no call");
    const env = JSON.parse(child.stdout).env as Record<string, string>;
    assert.deepEqual(
      Object.fromEntries(Object.entries(env).filter(([k]) => /^(AZURE|ARM)_/.test(k)).sort()),
      {
        ARM_LOCATION: "westeurope",
        ARM_SUBSCRIPTION_ID: SUBSCRIPTION,
        ARM_TENANT_ID: TENANT,
        ARM_USE_CLI: "true",
        ARM_USE_MSI: "false",
        AZURE_AUTHORITY_HOST: emu.azure.authorityHost,
        AZURE_CONFIG_DIR: dir,
        AZURE_LOCATION: "westeurope",
        AZURE_RESOURCE_GROUP: "rg-dev",
        AZURE_SUBSCRIPTION_ID: SUBSCRIPTION,
        AZURE_TENANT_ID: TENANT,
        AZURE_TOKEN_CREDENTIALS: "AzureCliCredential",
      },
    );
    const whoami = await sb.run(["auth", "whoami", "-o", "json"]);
    assert.equal(whoami.code, 0, whoami.stderr);
    const facts = JSON.parse(whoami.stdout);
    assert.deepEqual([facts.principal, facts.tenant, facts.subscription], [
      "alice@example.com",
      TENANT,
      SUBSCRIPTION,
    ]);
    assert.ok(Date.parse(facts.expiration) > Date.now() + 50 * 60_000);
    assert.equal(emu.calls(), 0, "whoami reads files only");

    assertNoSecrets(emu.secrets(), {
      "login screen": login.screen,
      "az stderr": az.stderr,
      "child env": child.stdout,
      "child stderr": child.stderr,
      whoami: whoami.stdout + whoami.stderr,
      "probe stderr": cliRun.stderr,
    });
    assert.deepEqual(emu.trap.log(), [], "something tried to leave loopback");
    await assertOnlyConfigWritten(setup);
  } finally {
    await setup.cleanup();
  }
});

Deno.test("in auth shell, az refreshes an expired token through the emulator and writes it back; atmos then uses az's token with no call", async () => {
  const setup = await setUpAzure(undefined, { azure: { apps: [], accessTokenLifetime: 3600 } });
  const { emu, sb } = setup;
  const out = await Deno.makeTempDir({ prefix: "atmos-azure-shell-" });
  try {
    const login = await runDeviceApproved(setup, ["auth", "login", "azure-dev"]);
    assert.equal(login.code, 0, login.stderr);
    const script = join(out, "steps.sh");
    // The shell's user runs az, time passes (the cached access tokens expire), and az again.
    await Deno.writeTextFile(
      script,
      `set -e
${AZ} account get-access-token -o json > '${out}/first.json'
/usr/bin/python3 - <<'PY'
import json, os, time
path = os.path.join(os.environ["AZURE_CONFIG_DIR"], "msal_token_cache.json")
cache = json.load(open(path))
for token in cache["AccessToken"].values():
    token["expires_on"] = str(int(time.time()) - 60)
json.dump(cache, open(path, "w"))
PY
${AZ} account get-access-token -o json > '${out}/second.json'
echo "shell done: $ATMOS_IDENTITY"
`,
    );
    emu.resetCalls();
    const shell = await sb.run([
      "auth",
      "shell",
      "azure-dev",
      "--shell",
      "/bin/bash",
      "--",
      script,
    ]);
    assert.equal(shell.code, 0, shell.stderr);
    assert.match(shell.stdout, /shell done: azure-dev/);
    const first = JSON.parse(await Deno.readTextFile(join(out, "first.json")));
    const second = JSON.parse(await Deno.readTextFile(join(out, "second.json")));
    assert.notEqual(second.accessToken, first.accessToken);
    const info = emu.azure.tokenInfo(second.accessToken)!;
    assert.deepEqual([info.upn, info.grant, info.audience], [
      "alice@example.com",
      "refresh_token",
      ARM_LEGACY,
    ]);
    assert.equal(emu.calls("entra.token.refresh_token"), 1, "az refreshed once");
    assert.equal(emu.calls("entra.devicecode"), 0);

    // az wrote the new token and the rotated refresh token back into the identity's cache,
    // which stays 0600; atmos now finds that token fresh and calls nothing.
    const dir = identityDir(sb, "entra", "azure-dev");
    const cachePath = join(dir, "msal_token_cache.json");
    assert.equal((await Deno.stat(cachePath)).mode! & 0o777, 0o600);
    const cache = await Deno.readTextFile(cachePath);
    assert.ok(cache.includes(second.accessToken), "az did not write its token back");
    emu.resetCalls();
    const whoami = await sb.run(["auth", "whoami", "-o", "json"]);
    assert.equal(whoami.code, 0, whoami.stderr);
    assert.equal(emu.calls(), 0);
    const written = (Object.values(JSON.parse(cache).AccessToken) as Record<string, string>[])
      .find((t) => t.secret === second.accessToken)!;
    assert.equal(
      Date.parse(JSON.parse(whoami.stdout).expiration),
      Number(written.expires_on) * 1000,
      "whoami shows the expiry of the token az refreshed",
    );

    // The next login in another identity of the same provider uses the rotated refresh token
    // az wrote (the one atmos had is spent): no sign-in.
    await Deno.writeTextFile(
      join(sb.configDir, "azure", "entra", "signin_token_cache.json"),
      (await Deno.readTextFile(join(sb.configDir, "azure", "entra", "signin_token_cache.json")))
        .replace(/"expires_on":"\d+"/g, `"expires_on":"${Math.floor(Date.now() / 1000) - 60}"`),
    );
    emu.resetCalls();
    const prod = await sb.run(["auth", "login", "azure-prod"]);
    assert.equal(prod.code, 0, prod.stderr);
    assert.equal(emu.calls("entra.devicecode"), 0);
    assert.ok(emu.calls("entra.token.refresh_token") >= 1);

    assertNoSecrets(emu.secrets(), {
      "login stderr": login.stderr,
      "shell stdout": shell.stdout,
      "shell stderr": shell.stderr,
      whoami: whoami.stdout,
      "prod login": prod.stdout + prod.stderr,
    });
    assert.deepEqual(emu.trap.log(), []);
    await assertOnlyConfigWritten(setup);
  } finally {
    await Deno.remove(out, { recursive: true });
    await setup.cleanup();
  }
});

Deno.test("parallel callers with no token share one device code sign-in", async () => {
  const setup = await setUpAzure();
  const { emu, sb } = setup;
  try {
    const env = { ATMOS_FORCE_TTY: "true" };
    const runs = [
      sb.run(["auth", "login", "azure-dev"], { env }),
      sb.run(["auth", "exec", "-i", "azure-prod", "--", "true"], { env }),
      sb.run(["auth", "exec", "-i", "azure-dev", "--", "true"], { env }),
    ];
    const userCode = await emu.azure.nextDeviceCode();
    // Give the others time to queue behind the lock, then approve.
    await waitFor(() => emu.azure.pendingDeviceCodes().length === 1 ? true : undefined, "one code");
    emu.azure.approveDevice(userCode);
    const results = await Promise.all(runs);
    for (const result of results) assert.equal(result.code, 0, result.stderr);
    assert.equal(emu.calls("entra.devicecode"), 1, "one sign-in for three callers");
    assert.equal(results.filter((r) => r.stderr.includes(userCode)).length, 1);
    assertNoSecrets(emu.secrets(), { stderr: results.map((r) => r.stderr).join("") });
  } finally {
    await setup.cleanup();
  }
});

Deno.test("an expired sign-in is refreshed silently with the cached refresh token: no device code", async () => {
  const setup = await setUpAzure();
  const { emu, sb } = setup;
  try {
    assert.equal((await runDeviceApproved(setup, ["auth", "login", "azure-dev"])).code, 0);
    // An hour later: every cached access token has expired.
    const expired = `"expires_on":"${Math.floor(Date.now() / 1000) - 60}"`;
    for (
      const path of [
        join(sb.configDir, "azure", "entra", "signin_token_cache.json"),
        join(identityDir(sb, "entra", "azure-dev"), "msal_token_cache.json"),
      ]
    ) {
      const text = await Deno.readTextFile(path);
      await Deno.writeTextFile(path, text.replace(/"expires_on":"\d+"/g, expired));
    }
    emu.resetCalls();
    const exec = await sb.run(["auth", "exec", "--", "true"]);
    assert.equal(exec.code, 0, exec.stderr);
    assert.equal(emu.calls("entra.devicecode"), 0);
    // Resource Manager, Graph and Key Vault, each with the newest (rotated) refresh token.
    assert.equal(emu.calls("entra.token.refresh_token"), 3);
    const cache = JSON.parse(
      await Deno.readTextFile(join(identityDir(sb, "entra", "azure-dev"), "msal_token_cache.json")),
    );
    const [rt] = Object.values(cache.RefreshToken) as { secret: string }[];
    assert.ok(emu.azure.refreshTokenValid(rt.secret));
    assertNoSecrets(emu.secrets(), { stderr: exec.stderr });
  } finally {
    await setup.cleanup();
  }
});

Deno.test("a device code sign-in needs a terminal: one line and exit 2 without one; Ctrl-C cancels it with exit 130", async () => {
  const setup = await setUpAzure();
  const { emu, sb } = setup;
  try {
    const headless = await sb.run(["auth", "exec", "--", "true"]);
    assertOneLineError(headless, 2, /provider "entra" needs you to sign in to Microsoft Entra ID/);
    assert.equal(emu.calls("entra.devicecode"), 0);

    const run = runOnTty(sb, ["auth", "login"]);
    const userCode = await emu.azure.nextDeviceCode();
    await run.waitForScreen(new RegExp(userCode));
    await run.type("\x03");
    const result = await run.done();
    assert.equal(result.code, 130, result.screen);
    assert.match(result.screen, /sign-in cancelled/);
    // The lock is free again: the next caller is answered at once.
    const after = await sb.run(["auth", "exec", "--", "true"]);
    assertOneLineError(after, 2, /needs you to sign in/);
  } finally {
    await setup.cleanup();
  }
});

Deno.test("auth env, whoami, console --print-only and logout for Azure identities", async () => {
  const setup = await setUpAzure();
  const { emu, sb } = setup;
  try {
    assert.equal((await runDeviceApproved(setup, ["auth", "login", "azure-dev"])).code, 0);
    assert.equal((await sb.run(["auth", "login", "azure-prod"])).code, 0);

    const env = await sb.run(["auth", "env", "-i", "azure-prod", "--format", "json"]);
    assert.equal(env.code, 0, env.stderr);
    const vars = JSON.parse(env.stdout);
    assert.equal(vars.AZURE_CONFIG_DIR, identityDir(sb, "entra", "azure-prod"));
    assert.equal(vars.ARM_SUBSCRIPTION_ID, "66666666-6666-6666-6666-666666666666");
    assert.equal(vars.AZURE_LOCATION, "northeurope");
    const bash = await sb.run(["auth", "env", "-i", "azure-prod"]);
    assert.match(bash.stdout, /^export AZURE_CONFIG_DIR=/m);
    assert.match(bash.stdout, /^unset .*AZURE_CLIENT_SECRET/m);

    const whoami = await sb.run(["auth", "whoami", "-i", "azure-prod"]);
    assert.equal(whoami.code, 0, whoami.stderr);
    assert.match(whoami.stderr, /Principal\s+alice@example\.com/);
    assert.match(whoami.stderr, new RegExp(`Tenant\\s+${TENANT}`));
    assert.match(whoami.stderr, /Subscription\s+66666666-6666-6666-6666-666666666666/);

    const portal = await sb.run(["auth", "console", "-i", "azure-dev", "--print-only"]);
    assert.equal(portal.code, 0, portal.stderr);
    assert.equal(
      portal.stdout.trim(),
      `https://portal.azure.com/#@${TENANT}/resource/subscriptions/${SUBSCRIPTION}/resourceGroups/rg-dev/overview`,
    );
    const kv = await sb.run([
      "auth",
      "console",
      "-i",
      "azure-prod",
      "--destination",
      "keyvault",
      "--print-only",
    ]);
    assert.match(kv.stdout, /#@33333333-3333-3333-3333-333333333333\/blade\/.*KeyVault/);
    const bad = await sb.run(["auth", "console", "-i", "azure-dev", "--destination", "nope"]);
    assertOneLineError(bad, 2, /invalid --destination "nope"/);

    // Logout of one identity removes exactly its dir.
    const devDir = identityDir(sb, "entra", "azure-dev");
    const prodDir = identityDir(sb, "entra", "azure-prod");
    const logout = await sb.run(["auth", "logout", "azure-prod"]);
    assert.equal(logout.code, 0, logout.stderr);
    assert.equal(await Deno.stat(prodDir).then(() => true, () => false), false);
    assert.equal(await Deno.stat(devDir).then(() => true, () => false), true);
    // The provider's logout removes its sign-in and every identity of it.
    const all = await sb.run(["auth", "logout", "--provider", "entra"]);
    assert.equal(all.code, 0, all.stderr);
    assert.equal(
      await Deno.stat(join(sb.configDir, "azure", "entra")).then(() => true, () => false),
      false,
    );
    assertNoSecrets(emu.secrets(), {
      env: env.stdout + bash.stdout,
      whoami: whoami.stderr,
      logout: logout.stderr + all.stderr,
    });
  } finally {
    await setup.cleanup();
  }
});
