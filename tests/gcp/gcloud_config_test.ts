import assert from "node:assert/strict";
import { gcloudConfiguration } from "../../lib/gcp/gcloud_config.ts";

Deno.test("gcloudConfiguration() writes every property gcloud reads, in its sections", () => {
  assert.equal(
    gcloudConfiguration({
      project: "my-proj",
      region: "us-central1",
      zone: "us-central1-b",
      credentialFile: "/c/adc.json",
      impersonate: "d@p.iam.gserviceaccount.com,t@p.iam.gserviceaccount.com",
      tokenHost: "http://127.0.0.1:1/token",
      iamEndpoint: "http://127.0.0.1:1/",
    }),
    "[core]\nproject = my-proj\n\n[compute]\nregion = us-central1\nzone = us-central1-b\n\n" +
      "[auth]\ncredential_file_override = /c/adc.json\n" +
      "impersonate_service_account = d@p.iam.gserviceaccount.com,t@p.iam.gserviceaccount.com\n" +
      "token_host = http://127.0.0.1:1/token\n\n" +
      "[api_endpoint_overrides]\niamcredentials = http://127.0.0.1:1/\n",
  );
});

Deno.test("gcloudConfiguration() leaves out empty properties and sections", () => {
  assert.equal(
    gcloudConfiguration({ credentialFile: "/c/adc.json" }),
    "[auth]\ncredential_file_override = /c/adc.json\n",
  );
});
