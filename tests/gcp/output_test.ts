import assert from "node:assert/strict";
import { join } from "node:path";
import { directWriter } from "../../lib/fs/writer.ts";
import { envOf } from "../../lib/env.ts";
import { UsageError } from "../../lib/errors.ts";
import type { OutputLink } from "../../lib/auth/output.ts";
import type { IdentityConfig, ProviderConfig } from "../../lib/config/types.ts";
import { gcpOutput } from "../../lib/gcp/output.ts";
import { gcpCredentialSet } from "../../lib/gcp/credential_set.ts";
import { gcpEndpoints } from "../../lib/gcp/endpoints.ts";
import type { AdcJson } from "../../lib/gcp/adc.ts";

const USER: AdcJson = {
  type: "authorized_user",
  client_id: "cid",
  client_secret: "GOCSPX-client-secret",
  refresh_token: "1//0refresh-token-value",
};
const SA = "deployer@other-proj.iam.gserviceaccount.com";

function link(
  dir: string,
  config: IdentityConfig,
  upstream: (ProviderConfig | IdentityConfig)[] = [],
  region?: string,
): OutputLink {
  return {
    identity: "dev",
    config,
    upstream: upstream.map((c, i) => ({ name: `up${i}`, config: c })),
    dir,
    region,
  };
}

Deno.test("gcpOutput.env() points children at the files and names project, region and zone, never a secret", () => {
  const sa = link(
    "/c/atmos/gcp/root",
    { kind: "gcp/service-account", principal: { service_account_email: SA } },
    [{
      kind: "gcp/workload-identity-federation",
      spec: { token_source: { type: "environment", environment_variable: "CI_JWT" } },
    }],
    "europe-west1",
  );
  const env = gcpOutput.env(sa);
  assert.deepEqual(env.set, {
    GOOGLE_APPLICATION_CREDENTIALS:
      "/c/atmos/gcp/root/adc/dev/application_default_credentials.json",
    CLOUDSDK_CONFIG: "/c/atmos/gcp/root/config/dev",
    CLOUDSDK_ACTIVE_CONFIG_NAME: "atmos",
    // A service account's project defaults to the one in its e-mail.
    GOOGLE_CLOUD_PROJECT: "other-proj",
    GCLOUD_PROJECT: "other-proj",
    CLOUDSDK_CORE_PROJECT: "other-proj",
    GOOGLE_CLOUD_REGION: "europe-west1",
    CLOUDSDK_COMPUTE_REGION: "europe-west1",
  });
  // The federation's token variable, and the parent's project and zone, are removed.
  assert.ok(env.unset.includes("CI_JWT"));
  assert.ok(env.unset.includes("GOOGLE_CLOUD_ZONE"));

  const project = link("/c", {
    kind: "gcp/project",
    principal: { project_id: "my-proj", location: "us-east1-b" },
  }, [{ kind: "gcp/adc", spec: { project_id: "ignored-proj" } }]);
  assert.equal(gcpOutput.env(project).set.GOOGLE_CLOUD_PROJECT, "my-proj");
  assert.equal(gcpOutput.env(project).set.CLOUDSDK_COMPUTE_ZONE, "us-east1-b");
});

Deno.test("gcpOutput writes a login and reads it back as fresh until it expires, with no network", async () => {
  const base = await Deno.makeTempDir();
  try {
    const dir = join(base, "atmos", "gcp", "root");
    const target = link(dir, { kind: "gcp/project", principal: { project_id: "my-proj" } });
    assert.equal(gcpOutput.readCached(target), undefined);
    const expiration = new Date(Date.now() + 3_600_000);
    await gcpOutput.write(
      directWriter(join(base, "atmos")),
      target,
      gcpCredentialSet({
        plan: { base: USER, chain: [] },
        endpoints: gcpEndpoints(envOf({})),
        expiration,
        principal: "u@example.com",
      }),
    );
    const cached = gcpOutput.readCached(target)!;
    assert.equal(cached.expiration?.getTime(), expiration.getTime());
    assert.equal(cached.principal, "u@example.com");
    assert.deepEqual(Object.keys(gcpOutput.files(target)), ["credentials", "gcloud_config"]);
    // The files hold the refreshable credential; the variables only point at it.
    const values = Object.values(gcpOutput.env(target).set).join("\n");
    assert.ok(!values.includes(USER.refresh_token as string));
    assert.deepEqual(await gcpOutput.remove(target), [
      join(dir, "adc", "dev"),
      join(dir, "config", "dev"),
    ]);
  } finally {
    await Deno.remove(base, { recursive: true });
  }
});

Deno.test("gcpOutput's console opens the project's page and refuses what it cannot serve", async () => {
  const target = link("/c", { kind: "gcp/project", principal: { project_id: "my-proj" } });
  const request = { issuer: "atmos" };
  assert.equal(
    await gcpOutput.console!(target, request, { env: envOf({}), debug() {} }),
    "https://console.cloud.google.com/home/dashboard?project=my-proj",
  );
  assert.equal(
    await gcpOutput.console!(target, {
      ...request,
      destination: "https://console.cloud.google.com/storage/browser?project=x",
    }, { env: envOf({}), debug() {} }),
    "https://console.cloud.google.com/storage/browser?project=x",
  );
  for (const destination of ["https://evil.example.com/", "../x", "a//b"]) {
    await assert.rejects(gcpOutput.checkConsole!({ ...request, destination }), UsageError);
  }
  await assert.rejects(gcpOutput.checkConsole!({ ...request, durationSeconds: 3600 }), UsageError);
});
