import assert from "node:assert/strict";
import { CREDENTIAL_VARIABLES } from "../../lib/azure/variables.ts";
import { registry } from "../../lib/auth/registry/mod.ts";

Deno.test("the Azure credential variables are unique, include Atmos's list and leave the runner's and the authority's alone", () => {
  assert.equal(new Set(CREDENTIAL_VARIABLES).size, CREDENTIAL_VARIABLES.length);
  // Atmos's pkg/auth/cloud/azure/env.go, less the location variables (not credentials).
  for (
    const name of [
      "AZURE_CLIENT_ID",
      "AZURE_CLIENT_SECRET",
      "AZURE_CLIENT_CERTIFICATE_PATH",
      "AZURE_USERNAME",
      "AZURE_PASSWORD",
      "AZURE_FEDERATED_TOKEN_FILE",
      "AZURE_SUBSCRIPTION_ID",
      "AZURE_TENANT_ID",
      "AZURE_CONFIG_DIR",
      "ARM_CLIENT_ID",
      "ARM_CLIENT_SECRET",
      "ARM_CLIENT_CERTIFICATE_PATH",
      "ARM_SUBSCRIPTION_ID",
      "ARM_TENANT_ID",
      "ARM_USE_MSI",
      "ARM_USE_CLI",
      "ARM_USE_OIDC",
      "ARM_OIDC_TOKEN",
      "ARM_ACCESS_KEY",
      "ARM_SAS_TOKEN",
      "AZURE_TOKEN_CREDENTIALS",
      "AZURE_CLOUD_NAME",
    ]
  ) {
    assert.ok(CREDENTIAL_VARIABLES.includes(name), name);
  }
  for (
    const name of [
      "AZURE_AUTHORITY_HOST",
      "ACTIONS_ID_TOKEN_REQUEST_URL",
      "ACTIONS_ID_TOKEN_REQUEST_TOKEN",
      "AZURE_LOCATION",
    ]
  ) {
    assert.ok(!CREDENTIAL_VARIABLES.includes(name), name);
  }
});

Deno.test("the registry removes the Azure variables from every isolated child", async () => {
  await registry.load({});
  const all = registry.credentialVariables();
  for (const name of CREDENTIAL_VARIABLES) assert.ok(all.includes(name), name);
  assert.ok(all.includes("AWS_SECRET_ACCESS_KEY"));
});
