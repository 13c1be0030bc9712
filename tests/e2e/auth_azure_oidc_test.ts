/**
 * End-to-end tests of the CI flow `azure/oidc → azure/subscription` against the emulator: in a
 * GitHub-Actions-like job, `az` (a service principal with a client assertion) and
 * `@azure/identity`'s `WorkloadIdentityCredential` get the application's tokens from what atmos
 * wrote; children get the token file, never the token; every workflow step gets a freshly
 * fetched token file; the other token sources (`spec.token_file_path`,
 * `AZURE_FEDERATED_TOKEN_FILE`); and refused or broken federation.
 */
import assert from "node:assert/strict";
import { join } from "node:path";
import { assertNoSecrets, atmosCommand, DUMP_CHILD, runAtmos } from "./harness.ts";
import { assertOneLineError } from "./auth_support.ts";
import {
  APP,
  assertOnlyConfigWritten,
  AZURE_CI_YAML,
  azureProbe,
  identityDir,
  lastJson,
  modes,
  setUpAzure,
  SUBSCRIPTION,
  TENANT,
} from "./azure_support.ts";

const AZ = "/usr/bin/az";

/** The secrets atmos and its children must not show: all but the runner's own request token. */
function issuedSecrets(emu: { secrets(): string[] }, gha: Record<string, string>): string[] {
  return emu.secrets().filter((s) => s !== gha.ACTIONS_ID_TOKEN_REQUEST_TOKEN);
}

Deno.test("azure/oidc in a GitHub Actions job: az and WorkloadIdentityCredential get the app's tokens from the files atmos wrote; children get the token file, never the token", async () => {
  const setup = await setUpAzure(AZURE_CI_YAML);
  const { emu, sb } = setup;
  try {
    const gha: Record<string, string> = { ...emu.githubActionsEnv(), CI: "true" };
    const az = await sb.run(
      ["auth", "exec", "--", AZ, "account", "get-access-token", "-o", "json"],
      {
        env: gha,
      },
    );
    const token = lastJson(az, "az account get-access-token");
    assert.equal(token.subscription, SUBSCRIPTION);
    const info = emu.azure.tokenInfo(String(token.accessToken))!;
    assert.deepEqual([info.kind, info.clientId, info.grant], ["app", APP, "client_credentials"]);
    // atmos's own check of the federation, then az's exchange with the assertion atmos wrote.
    assert.equal(emu.calls("oidc.token"), 1);
    assert.equal(emu.calls("entra.token.client_credentials"), 2);

    const workloadRun = await sb.run(["auth", "exec", "--", ...azureProbe("workload")], {
      env: gha,
    });
    const workload = lastJson(workloadRun, "WorkloadIdentityCredential");
    assert.deepEqual(
      [
        emu.azure.tokenInfo(String(workload.token))?.kind,
        emu.azure.tokenInfo(String(workload.token))?.clientId,
      ],
      ["app", APP],
    );
    assert.equal(emu.calls("oidc.token"), 2, "an ambient chain is never reused across runs");

    const dir = identityDir(sb, "github-azure", "azure-ci");
    // az added its own files (0644 in the 0700 dir); atmos's are 0600.
    const written = await modes(dir);
    const ours = [
      "azureProfile.json",
      "clouds.config",
      "config",
      "federated_token",
      "service_principal_entries.json",
      "versionCheck.json",
    ];
    assert.deepEqual(Object.fromEntries(ours.map((name) => [name, written[name]])), {
      "azureProfile.json": "600",
      "clouds.config": "600",
      "config": "600",
      "federated_token": "600",
      "service_principal_entries.json": "600",
      "versionCheck.json": "600",
    });
    assert.equal((await Deno.stat(dir)).mode! & 0o777, 0o700);
    const profile = JSON.parse(await Deno.readTextFile(join(dir, "azureProfile.json")));
    assert.deepEqual(profile.subscriptions[0].user, { name: APP, type: "servicePrincipal" });
    assert.equal(profile.subscriptions[0].tenantId, TENANT);
    const entries = JSON.parse(
      await Deno.readTextFile(join(dir, "service_principal_entries.json")),
    );
    assert.deepEqual(entries.map((e: Record<string, string>) => [e.client_id, e.tenant]), [[
      APP,
      TENANT,
    ]]);
    assert.equal(
      entries[0].client_assertion,
      await Deno.readTextFile(join(dir, "federated_token")),
    );

    const child = await sb.run(["auth", "exec", "--", ...DUMP_CHILD], {
      env: { ...gha, AZURE_CLIENT_SECRET: "parent-secret-value", ARM_USE_CLI: "true" },
    });
    assert.equal(child.code, 0, child.stderr);
    const env = JSON.parse(child.stdout).env as Record<string, string>;
    assert.deepEqual(
      Object.fromEntries(Object.entries(env).filter(([k]) => /^(AZURE|ARM)_/.test(k)).sort()),
      {
        ARM_CLIENT_ID: APP,
        ARM_LOCATION: "eastus",
        ARM_OIDC_TOKEN_FILE_PATH: join(dir, "federated_token"),
        ARM_SUBSCRIPTION_ID: SUBSCRIPTION,
        ARM_TENANT_ID: TENANT,
        ARM_USE_CLI: "false",
        ARM_USE_MSI: "false",
        ARM_USE_OIDC: "true",
        AZURE_AUTHORITY_HOST: emu.azure.authorityHost,
        AZURE_CLIENT_ID: APP,
        AZURE_CONFIG_DIR: dir,
        AZURE_FEDERATED_TOKEN_FILE: join(dir, "federated_token"),
        AZURE_LOCATION: "eastus",
        AZURE_SUBSCRIPTION_ID: SUBSCRIPTION,
        AZURE_TENANT_ID: TENANT,
        AZURE_TOKEN_CREDENTIALS: "WorkloadIdentityCredential",
      },
    );
    // The runner's own token endpoint stays for tools that fetch tokens themselves.
    assert.equal(env.ACTIONS_ID_TOKEN_REQUEST_TOKEN, gha.ACTIONS_ID_TOKEN_REQUEST_TOKEN);

    const whoami = await sb.run(["auth", "whoami", "-o", "json"], { env: gha });
    assert.equal(whoami.code, 0, whoami.stderr);
    const facts = JSON.parse(whoami.stdout);
    assert.deepEqual([facts.principal, facts.tenant, facts.subscription, facts.type], [
      APP,
      TENANT,
      SUBSCRIPTION,
      "application",
    ]);
    assertNoSecrets(issuedSecrets(emu, gha), {
      "az stderr": az.stderr,
      "probe stderr": workloadRun.stderr,
      "child env": child.stdout,
      "child stderr": child.stderr,
      whoami: whoami.stdout + whoami.stderr,
    });
    assert.deepEqual(emu.trap.log(), []);
    await assertOnlyConfigWritten(setup);
  } finally {
    await setup.cleanup();
  }
});

Deno.test("every workflow step gets a freshly fetched federated token file", async () => {
  const setup = await setUpAzure(`${AZURE_CI_YAML}
workflows:
  base_path: workflows
`);
  const { emu, sb } = setup;
  try {
    await Deno.mkdir(join(sb.project, "workflows"));
    const step = (name: string) => ({
      name,
      type: "shell",
      identity: "azure-ci",
      command:
        `echo "${name} $(sha256sum "$AZURE_FEDERATED_TOKEN_FILE" | cut -c1-16) $(${AZ} account show --query user.name -o tsv)"`,
    });
    await Deno.writeTextFile(
      join(sb.project, "workflows", "ci.yaml"),
      JSON.stringify({ workflows: { deploy: { steps: [step("first"), step("second")] } } }),
    );
    const gha: Record<string, string> = { ...emu.githubActionsEnv(), CI: "true" };
    const result = await sb.run(["workflow", "deploy", "-f", "ci"], { env: gha });
    assert.equal(result.code, 0, result.stderr);
    const lines = result.stdout.trim().split("\n").map((line) => line.split(" "));
    assert.deepEqual(lines.map((l) => [l[0], l[2]]), [["first", APP], ["second", APP]]);
    assert.notEqual(lines[0][1], lines[1][1], "the second step got the first step's token");
    assert.equal(emu.calls("oidc.token"), 2);
    assertNoSecrets(issuedSecrets(emu, gha), { stdout: result.stdout, stderr: result.stderr });
  } finally {
    await setup.cleanup();
  }
});

Deno.test("azure/oidc reads spec.token_file_path (children point at it, no copy) or AZURE_FEDERATED_TOKEN_FILE (copied)", async () => {
  const setup = await setUpAzure(AZURE_CI_YAML);
  const { emu, sb } = setup;
  const scratch = await Deno.makeTempDir({ prefix: "atmos-azure-token-" });
  try {
    const tokenFile = join(scratch, "token.jwt");
    await Deno.writeTextFile(
      tokenFile,
      `${await emu.oidcToken({ audience: "api://AzureADTokenExchange", lifetime: 3600 })}\n`,
    );
    const dir = identityDir(sb, "github-azure", "azure-ci");

    const fromEnv = await sb.run(["auth", "exec", "--", ...DUMP_CHILD], {
      env: { AZURE_FEDERATED_TOKEN_FILE: tokenFile },
    });
    assert.equal(fromEnv.code, 0, fromEnv.stderr);
    const copied = JSON.parse(fromEnv.stdout).env as Record<string, string>;
    assert.equal(copied.AZURE_FEDERATED_TOKEN_FILE, join(dir, "federated_token"));
    assert.equal(
      await Deno.readTextFile(join(dir, "federated_token")),
      (await Deno.readTextFile(tokenFile)).trim(),
    );
    assert.equal(emu.calls("oidc.token"), 0);

    await Deno.writeTextFile(
      join(sb.project, "atmos.yaml"),
      AZURE_CI_YAML.replace(
        `client_id: ${APP}`,
        `client_id: ${APP}\n        token_file_path: ${tokenFile}`,
      ),
    );
    const fromSpec = await sb.run(["auth", "exec", "--", ...DUMP_CHILD]);
    assert.equal(fromSpec.code, 0, fromSpec.stderr);
    const pointed = JSON.parse(fromSpec.stdout).env as Record<string, string>;
    assert.equal(pointed.AZURE_FEDERATED_TOKEN_FILE, tokenFile);
    assert.equal(pointed.ARM_OIDC_TOKEN_FILE_PATH, tokenFile);
    assert.equal(
      await Deno.stat(join(dir, "federated_token")).then(() => true, () => false),
      false,
      "no copy of a token the user's own file holds",
    );
    assert.equal(emu.calls("entra.token.client_credentials"), 2);

    // An expired token in the file: one line, no exchange.
    await Deno.writeTextFile(
      tokenFile,
      await emu.oidcToken({ audience: "api://AzureADTokenExchange", lifetime: -60 }),
    );
    const expired = await sb.run(["auth", "exec", "--", "true"]);
    assertOneLineError(expired, 1, /federated token of provider "github-azure" has expired/);
    assert.equal(emu.calls("entra.token.client_credentials"), 2);
    assertNoSecrets(emu.secrets(), {
      env: fromEnv.stdout + fromSpec.stdout,
      stderr: fromEnv.stderr + fromSpec.stderr + expired.stderr,
    });
  } finally {
    await Deno.remove(scratch, { recursive: true });
    await setup.cleanup();
  }
});

Deno.test("azure/oidc refuses a plain-http token URL off loopback, no token source, and an app Entra does not federate", async () => {
  const setup = await setUpAzure(AZURE_CI_YAML);
  const { emu, sb } = setup;
  try {
    const gha = emu.githubActionsEnv();
    const http = await sb.run(["auth", "exec", "--", "true"], {
      env: { ...gha, ACTIONS_ID_TOKEN_REQUEST_URL: "http://example.com/oidc/token?x=1" },
    });
    assertOneLineError(http, 2, /must use https/);
    const none = await sb.run(["auth", "exec", "--", "true"]);
    assertOneLineError(none, 2, /provider "github-azure" \(azure\/oidc\) found no federated token/);
    await Deno.writeTextFile(
      join(sb.project, "atmos.yaml"),
      AZURE_CI_YAML.replace(APP, "99999999-9999-9999-9999-999999999999"),
    );
    const unknown = await sb.run(["auth", "exec", "--", "true"], { env: gha });
    assertOneLineError(
      unknown,
      1,
      /Cannot sign in application 99999999-.*AADSTS700016|unauthorized_client/,
    );
    assertNoSecrets(issuedSecrets(emu, gha), {
      stderr: http.stderr + none.stderr + unknown.stderr,
    });
  } finally {
    await setup.cleanup();
  }
});

Deno.test("the identity's dir is 0700 and its files 0600 whatever the umask", async () => {
  const setup = await setUpAzure(AZURE_CI_YAML);
  const { emu, sb } = setup;
  const scratch = await Deno.makeTempDir({ prefix: "atmos-azure-umask-" });
  try {
    const tokenFile = join(scratch, "token.jwt");
    await Deno.writeTextFile(
      tokenFile,
      await emu.oidcToken({ audience: "api://AzureADTokenExchange" }),
    );
    const result = await runAtmos(["auth", "login"], {
      cwd: sb.project,
      env: { ...sb.env, AZURE_FEDERATED_TOKEN_FILE: tokenFile },
      command: ["/bin/sh", "-c", 'umask 000 && exec "$0" "$@"', ...atmosCommand()],
    });
    assert.equal(result.code, 0, result.stderr);
    const azureRoot = join(sb.configDir, "azure");
    const all = await modes(azureRoot);
    assert.ok(Object.keys(all).length >= 7, JSON.stringify(all));
    for (const [path, mode] of Object.entries(all)) {
      assert.equal(mode, path.endsWith("/") ? "700" : "600", path);
    }
    assert.equal((await Deno.stat(azureRoot)).mode! & 0o777, 0o700);
  } finally {
    await Deno.remove(scratch, { recursive: true });
    await setup.cleanup();
  }
});
