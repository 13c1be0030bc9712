import assert from "node:assert/strict";
import { envOf } from "../../lib/env.ts";
import { AtmosError } from "../../lib/errors.ts";
import {
  gcpEndpoints,
  iamBaseOf,
  impersonatedEmail,
  impersonationUrl,
  stsTokenUrl,
  tokenInfoUrl,
} from "../../lib/gcp/endpoints.ts";

Deno.test("gcpEndpoints() uses Google's hosts when no variable is set", () => {
  const endpoints = gcpEndpoints(envOf({}));
  assert.equal(stsTokenUrl(endpoints), "https://sts.googleapis.com/v1/token");
  assert.equal(
    impersonationUrl(endpoints.iamBase, "a@p.iam.gserviceaccount.com"),
    "https://iamcredentials.googleapis.com/v1/projects/-/serviceAccounts/a@p.iam.gserviceaccount.com:generateAccessToken",
  );
  assert.equal(endpoints.tokenHost, "https://oauth2.googleapis.com/token");
  assert.deepEqual(endpoints.overridden, { sts: false, iam: false, tokenHost: false });
});

Deno.test("gcpEndpoints() takes gcloud's override variables as base URLs, with or without the slash", () => {
  const endpoints = gcpEndpoints(envOf({
    CLOUDSDK_API_ENDPOINT_OVERRIDES_STS: "https://sts.private.test/base",
    CLOUDSDK_API_ENDPOINT_OVERRIDES_IAMCREDENTIALS: "http://127.0.0.1:8080/",
    CLOUDSDK_AUTH_TOKEN_HOST: "https://oauth.private.test/o/token",
  }));
  assert.equal(stsTokenUrl(endpoints), "https://sts.private.test/base/v1/token");
  assert.equal(endpoints.iamBase, "http://127.0.0.1:8080/");
  assert.equal(endpoints.tokenHost, "https://oauth.private.test/o/token");
  assert.deepEqual(endpoints.overridden, { sts: true, iam: true, tokenHost: true });
});

Deno.test("gcpEndpoints() refuses plain http off loopback and text that is no URL, naming the variable", () => {
  for (const value of ["http://sts.example.com/", "not a url"]) {
    assert.throws(
      () => gcpEndpoints(envOf({ CLOUDSDK_API_ENDPOINT_OVERRIDES_STS: value })),
      (error: unknown) =>
        error instanceof AtmosError && error.exitCode === 2 &&
        error.message.includes("CLOUDSDK_API_ENDPOINT_OVERRIDES_STS"),
    );
  }
});

Deno.test("tokenInfoUrl() is next to the token URL, and impersonation URLs read back", () => {
  assert.equal(
    tokenInfoUrl("https://oauth2.googleapis.com/token"),
    "https://oauth2.googleapis.com/tokeninfo",
  );
  assert.equal(
    tokenInfoUrl("http://127.0.0.1:9/google/oauth2/token?x=1"),
    "http://127.0.0.1:9/google/oauth2/tokeninfo",
  );
  const url = impersonationUrl("http://127.0.0.1:9/", "a@p.iam.gserviceaccount.com");
  assert.equal(impersonatedEmail(url), "a@p.iam.gserviceaccount.com");
  assert.equal(iamBaseOf(url), "http://127.0.0.1:9/");
  assert.equal(impersonatedEmail("https://example.test/other"), undefined);
});
