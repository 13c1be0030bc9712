import assert from "node:assert/strict";
import { portalUrl, portalUrlProblem } from "../../lib/azure/portal.ts";
import { cloudEnvironment } from "../../lib/azure/clouds.ts";
import type { AzureSettings } from "../../lib/azure/link.ts";

const TENANT = "33333333-3333-3333-3333-333333333333";
const SUB = "55555555-5555-5555-5555-555555555555";

function settings(overrides: Partial<AzureSettings> = {}): AzureSettings {
  return {
    rootKind: "azure/device-code",
    tenantId: TENANT,
    cloud: cloudEnvironment("public"),
    subscriptionId: SUB,
    ...overrides,
  };
}

Deno.test("portalUrl() opens the subscription (or its resource group) in the tenant of the cloud's portal", () => {
  assert.equal(
    portalUrl(settings()),
    `https://portal.azure.com/#@${TENANT}/resource/subscriptions/${SUB}/overview`,
  );
  assert.equal(
    portalUrl(settings({ resourceGroup: "rg dev" })),
    `https://portal.azure.com/#@${TENANT}/resource/subscriptions/${SUB}/resourceGroups/rg%20dev/overview`,
  );
  assert.equal(
    portalUrl(settings({ cloud: cloudEnvironment("usgovernment") }), "home"),
    `https://portal.azure.us/#@${TENANT}`,
  );
  assert.equal(
    portalUrl(settings({ resourceGroup: "rg" }), "subscription"),
    `https://portal.azure.com/#@${TENANT}/resource/subscriptions/${SUB}/overview`,
  );
  assert.match(
    portalUrl(settings(), "KV"),
    /\/blade\/HubsExtension\/BrowseResource\/resourceType\/Microsoft\.KeyVault%2FVaults$/,
  );
  assert.equal(
    portalUrl(settings(), "https://portal.azure.com/#home"),
    "https://portal.azure.com/#home",
  );
});

Deno.test("portalUrlProblem() accepts aliases and portal URLs only", () => {
  for (const ok of [undefined, "rg", "Subscription", "https://portal.azure.cn/#home"]) {
    assert.equal(portalUrlProblem(ok), undefined, String(ok));
  }
  for (const bad of ["nope", "https://evil.example.com/", "http://portal.azure.com/"]) {
    assert.match(portalUrlProblem(bad)!, /use an Azure portal https:\/\/ URL or one of/);
  }
});
