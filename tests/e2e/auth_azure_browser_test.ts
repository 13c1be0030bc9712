/**
 * End-to-end tests of `azure/interactive` (authorization code with PKCE on a loopback redirect,
 * a stand-in browser) and `azure/cli` (the user's own `az login`, copied into the identity's
 * dir and never written), each checked with `az` inside `auth exec`.
 */
import assert from "node:assert/strict";
import { join } from "node:path";
import { assertNoSecrets } from "./harness.ts";
import { assertOneLineError } from "./auth_support.ts";
import { writeAzureCliDir } from "../emulator/client_files.ts";
import {
  ARM_LEGACY,
  assertOnlyConfigWritten,
  identityDir,
  lastJson,
  OTHER_SUBSCRIPTION,
  setUpAzure,
  SUBSCRIPTION,
  TENANT,
  tree,
} from "./azure_support.ts";
import { runOnTty } from "./tty.ts";

const AZ = "/usr/bin/az";
const GET_TOKEN = ["auth", "exec", "-i", "azure-web", "--", AZ, "account", "get-access-token"];

Deno.test("azure/interactive signs in in the browser with PKCE on a loopback redirect; az then gets the subscription's token", async () => {
  const setup = await setUpAzure();
  const { emu, sb } = setup;
  try {
    const login = sb.run(["auth", "login", "azure-web"], { env: { ATMOS_FORCE_TTY: "true" } });
    const request = await emu.azure.nextAuthorization();
    assert.match(request.redirectUri, /^http:\/\/localhost:\d+$/);
    assert.equal(
      request.scope,
      `${ARM_LEGACY}/.default openid profile offline_access`,
    );
    assert.equal(emu.azure.approveAuthorization(), 1);
    const result = await login;
    assert.equal(result.code, 0, result.stderr);
    assert.match(result.stderr, /Sign in to Microsoft Entra ID for provider "entra-web"/);
    assert.match(result.stderr, /A browser window has been opened/);
    const tabs = await setup.browserLog();
    assert.equal(tabs.length, 1);
    assert.ok(
      tabs[0].startsWith(`${emu.azure.authorityHost}/${TENANT}/oauth2/v2.0/authorize?`),
      tabs[0],
    );
    assert.match(tabs[0], /code_challenge_method=S256/);
    assert.equal(emu.calls("entra.token.authorization_code"), 1);

    const az = await sb.run([...GET_TOKEN, "-o", "json"]);
    const token = lastJson(az, "az account get-access-token");
    assert.equal(token.subscription, SUBSCRIPTION);
    assert.equal(emu.azure.tokenInfo(String(token.accessToken))?.upn, "alice@example.com");
    assertNoSecrets(emu.secrets(), {
      stderr: result.stderr + az.stderr,
      stdout: result.stdout,
      "browser argv": tabs.join("\n"),
    });
    assert.deepEqual(emu.trap.log(), []);
    await assertOnlyConfigWritten(setup);
  } finally {
    await setup.cleanup();
  }
});

Deno.test("azure/interactive with --no-browser prints the URL for the user to open; a denied sign-in ends with one error line", async () => {
  const setup = await setUpAzure();
  const { emu, sb } = setup;
  try {
    const run = runOnTty(sb, ["auth", "login", "azure-web", "--no-browser"]);
    await run.waitForScreen(/open {3}https:\/\/\S+\s/);
    const url = /open {3}(https:\/\/\S+)/.exec(run.screen())![1];
    assert.deepEqual(emu.azure.pendingAuthorizations(), [], "nothing opened the URL by itself");
    // The user opens the printed URL in a browser on this machine.
    const browser = new Deno.Command("/usr/bin/curl", {
      args: ["-sS", "--noproxy", "*", "--cacert", emu.caFile, "-L", "-o", "/dev/null", url],
      stdout: "null",
      stderr: "piped",
    }).output();
    await emu.azure.nextAuthorization();
    assert.equal(emu.azure.approveAuthorization(), 1);
    assert.equal((await browser).code, 0);
    const result = await run.done();
    assert.equal(result.code, 0, result.screen);
    assert.deepEqual(await setup.browserLog(), [], "no browser with --no-browser");

    await sb.run(["auth", "logout", "--provider", "entra-web"]);
    const denied = sb.run(["auth", "login", "azure-web"], { env: { ATMOS_FORCE_TTY: "true" } });
    await emu.azure.nextAuthorization();
    assert.equal(emu.azure.denyAuthorization(), 1);
    const refused = await denied;
    assert.equal(refused.code, 1, refused.stderr);
    assert.match(
      refused.stderr.trimEnd().split("\n").at(-1)!,
      /^error: the browser sign-in failed: access_denied/,
    );
    assertNoSecrets(emu.secrets(), { screen: result.screen, stderr: refused.stderr });
  } finally {
    await setup.cleanup();
  }
});

Deno.test("azure/cli copies the user's own az login into the identity's dir (the identity's subscription as default) and never writes the user's dir", async () => {
  const setup = await setUpAzure();
  const { emu, sb, userAzureDir } = setup;
  try {
    const signIn = async (lifetime?: number) => {
      const tokens = await emu.azure.issueUserTokens({
        scope: `${ARM_LEGACY}/.default`,
        tenant: "adfs",
        lifetime,
      });
      await writeAzureCliDir(userAzureDir, {
        cloudName: "AtmosEmu",
        authority: emu.azure.authorityHost,
        subscriptionId: OTHER_SUBSCRIPTION,
        account: {
          type: "user",
          username: emu.azure.user.upn,
          oid: emu.azure.user.oid,
          tokens,
          accessTokenExpiresOn: lifetime === undefined
            ? undefined
            : Math.floor(Date.now() / 1000) + lifetime,
        },
      });
      return tokens;
    };
    const users = await signIn();
    const before = await tree(userAzureDir);
    const az = await sb.run([
      "auth",
      "exec",
      "-i",
      "azure-cli",
      "--",
      AZ,
      "account",
      "get-access-token",
      "-o",
      "json",
    ]);
    const token = lastJson(az, "az account get-access-token");
    assert.equal(token.accessToken, users.access_token, "the user's own cached token");
    assert.equal(
      token.subscription,
      SUBSCRIPTION,
      "the identity's subscription, not the user's default",
    );
    assert.equal(emu.calls("entra.token.refresh_token"), 0);
    assert.deepEqual(await tree(userAzureDir), before, "the user's Azure CLI dir was written");

    // The user's token is about to expire: atmos redeems the copied refresh token; the new
    // tokens go into atmos's dir only.
    await signIn(60);
    const stale = await tree(userAzureDir);
    emu.resetCalls();
    const refreshed = await sb.run(["auth", "login", "azure-cli"]);
    assert.equal(refreshed.code, 0, refreshed.stderr);
    assert.ok(emu.calls("entra.token.refresh_token") >= 1);
    assert.deepEqual(await tree(userAzureDir), stale);
    const cache = await Deno.readTextFile(
      join(identityDir(sb, "my-az", "azure-cli"), "msal_token_cache.json"),
    );
    assert.ok(!cache.includes(users.access_token));

    // Signed out: one line asking for az login.
    await Deno.remove(join(userAzureDir, "msal_token_cache.json"));
    const signedOut = await sb.run(["auth", "exec", "-i", "azure-cli", "--", "true"]);
    assertOneLineError(signedOut, 2, /found no Azure CLI sign-in/);
    assertNoSecrets(emu.secrets(), {
      stderr: az.stderr + refreshed.stderr + signedOut.stderr,
      stdout: refreshed.stdout,
    });
  } finally {
    await setup.cleanup();
  }
});
