import assert from "node:assert/strict";
import { authorityFor, cloudEnvironment } from "../../lib/azure/clouds.ts";
import {
  cliConfigText,
  cloudsConfigText,
  parseProfile,
  profileText,
  servicePrincipalEntriesText,
  versionCheckSeed,
} from "../../lib/azure/cli_dir.ts";
import { cloudsConfig } from "../emulator/client_files.ts";

const TENANT = "33333333-3333-3333-3333-333333333333";
const SUB = "55555555-5555-5555-5555-555555555555";

Deno.test("cliConfigText() selects the cloud and turns off telemetry and first-run prompts", () => {
  assert.equal(
    cliConfigText(authorityFor(cloudEnvironment("public"), TENANT)),
    "[cloud]\nname = AzureCloud\n\n[core]\ncollect_telemetry = false\nfirst_run = false\n\n" +
      "[output]\nshow_survey_message = false\n",
  );
});

Deno.test("cloudsConfigText() writes what az cloud register writes, none for a built-in cloud", () => {
  const public_ = authorityFor(cloudEnvironment("public"), TENANT);
  assert.equal(cloudsConfigText(public_), undefined);
  const host = "https://127.0.0.1:8443";
  const custom = cloudsConfigText(authorityFor(cloudEnvironment("public"), TENANT, host))!;
  const lines = (text: string) => text.trim().split("\n").filter((l) => l !== "").sort();
  // The tested recipe (CLIENTS.md) differs only in the cloud name and the Resource Manager URL.
  const recipe = cloudsConfig("AtmosAzureCloud", host)
    .replace(`${host}/arm/`, "https://management.azure.com/");
  assert.deepEqual(lines(custom), lines(recipe));
});

Deno.test("profileText() holds exactly one default subscription; parseProfile() reads it back, BOM and all", () => {
  const authority = authorityFor(cloudEnvironment("public"), TENANT);
  const text = profileText(authority, {
    subscriptionId: SUB,
    name: "dev",
    tenantId: TENANT,
    user: { name: "alice@example.com", type: "user" },
    installationId: "inst",
  });
  const data = JSON.parse(text);
  assert.equal(data.subscriptions.length, 1);
  assert.deepEqual(data.subscriptions[0], {
    id: SUB,
    name: "dev",
    state: "Enabled",
    user: { name: "alice@example.com", type: "user" },
    isDefault: true,
    tenantId: TENANT,
    environmentName: "AzureCloud",
    homeTenantId: TENANT,
    managedByTenants: [],
  });
  assert.deepEqual(parseProfile(`\uFEFF${text}`), {
    installationId: "inst",
    subscriptionId: SUB,
    tenantId: TENANT,
    user: { name: "alice@example.com", type: "user" },
    environmentName: "AzureCloud",
  });
  assert.equal(parseProfile("{}"), undefined);
  assert.equal(parseProfile("nope"), undefined);
});

Deno.test("servicePrincipalEntriesText() holds the client assertion; versionCheckSeed() keeps only versions", () => {
  assert.deepEqual(JSON.parse(servicePrincipalEntriesText("app", TENANT, "a.b.c")), [
    { client_id: "app", tenant: TENANT, client_assertion: "a.b.c" },
  ]);
  const seed = versionCheckSeed(JSON.stringify({
    versions: { core: { local: "2.45.0" }, "azure-cli": { local: "2.45.0" } },
    update_time: "2026-01-01 00:00:00.000000",
    check_time: "x",
  }));
  assert.deepEqual(JSON.parse(seed!), {
    versions: { core: { local: "2.45.0" }, "azure-cli": { local: "2.45.0" } },
    update_time: "2026-01-01 00:00:00.000000",
  });
  assert.equal(versionCheckSeed("{}"), undefined);
  assert.equal(versionCheckSeed("garbage"), undefined);
});
