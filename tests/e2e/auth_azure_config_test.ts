/**
 * End-to-end tests of Azure configuration problems: located one-line errors (exit 2) with a
 * near-name suggestion for unknown fields, GUID and cloud checks, a required subscription, a bad
 * `AZURE_AUTHORITY_HOST`, and a subscription reached through a non-Azure provider — all before
 * any network call.
 */
import assert from "node:assert/strict";
import { startEmulator } from "../emulator/mod.ts";
import { createSandbox } from "./harness.ts";
import { assertOneLineError } from "./auth_support.ts";
import { SUBSCRIPTION, TENANT } from "./azure_support.ts";

const BAD = `
auth:
  providers:
    entra:
      kind: azure/device-code
      spec:
        tenantid: ${TENANT}
    gov:
      kind: azure/interactive
      spec:
        tenant_id: not-a-guid
        cloud_environment: germany
    ci:
      kind: azure/oidc
      spec:
        tenant_id: ${TENANT}
  identities:
    dev:
      kind: azure/subscription
      via: { provider: entra }
      principal:
        location: westeurope
`;

Deno.test("auth validate reports every Azure configuration problem located, with a near name, and no network call", async () => {
  const emu = await startEmulator({ https: false });
  const sb = await createSandbox(BAD);
  try {
    const result = await sb.run(["auth", "validate"]);
    assert.equal(result.code, 2, result.stderr);
    const lines = result.stderr.trim().split("\n").filter((l) => l.startsWith("error"));
    const expected = [
      /atmos\.yaml:7:19: auth\.providers\.entra\.spec\.tenantid: unknown spec field "tenantid"; did you mean "tenant_id"\?/,
      /atmos\.yaml:12:28: auth\.providers\.gov\.spec\.cloud_environment: "cloud_environment" must be one of "public", "usgovernment", "china"/,
      /atmos\.yaml:15:7: auth\.providers\.ci\.spec\.client_id: spec\.client_id is required/,
      /atmos\.yaml:21:7: auth\.identities\.dev\.principal\.subscription_id: principal\.subscription_id is required/,
    ];
    for (const pattern of expected) {
      assert.ok(lines.some((line) => pattern.test(line)), `${pattern} in:\n${result.stderr}`);
    }
    const exec = await sb.run(["auth", "exec", "-i", "dev", "--", "true"]);
    assert.equal(exec.code, 2);
    assert.match(exec.stderr, /unknown spec field "tenantid"/);
    assert.equal(emu.calls(), 0);
  } finally {
    await sb.cleanup();
    await emu.stop();
  }
});

Deno.test("a tenant that is not a GUID, a bad AZURE_AUTHORITY_HOST and a subscription via a non-Azure provider are one line each", async () => {
  const yaml = (tenant: string) => `
auth:
  providers:
    entra:
      kind: azure/device-code
      spec: { tenant_id: ${tenant} }
    gha:
      kind: github/oidc
  identities:
    dev:
      kind: azure/subscription
      via: { provider: entra }
      principal: { subscription_id: ${SUBSCRIPTION} }
    wrong:
      kind: azure/subscription
      via: { provider: gha }
      principal: { subscription_id: ${SUBSCRIPTION} }
`;
  const emu = await startEmulator({ https: false });
  const sb = await createSandbox(yaml("contoso.onmicrosoft.com"));
  try {
    const guid = await sb.run(["auth", "exec", "-i", "dev", "--", "true"]);
    assertOneLineError(
      guid,
      2,
      /atmos\.yaml:6:26: auth\.providers\.entra\.spec\.tenant_id: invalid tenant id "contoso\.onmicrosoft\.com": it must be a GUID/,
    );
    await Deno.writeTextFile(`${sb.project}/atmos.yaml`, yaml(TENANT));
    const host = await sb.run(["auth", "exec", "-i", "dev", "--", "true"], {
      env: { AZURE_AUTHORITY_HOST: "http://127.0.0.1:1" },
    });
    assertOneLineError(
      host,
      2,
      /invalid AZURE_AUTHORITY_HOST "http:\/\/127\.0\.0\.1:1": it must use https/,
    );
    const wrong = await sb.run(["auth", "exec", "-i", "wrong", "--", "true"], {
      env: emu.githubActionsEnv(),
    });
    assertOneLineError(
      wrong,
      2,
      /Identity "wrong" \(azure\/subscription\) needs an Azure provider: its via link gives oidc credentials/,
    );
  } finally {
    await sb.cleanup();
    await emu.stop();
  }
});
