import assert from "node:assert/strict";
import {
  authorityFor,
  authorityHostProblem,
  cloudEnvironment,
  defaultScope,
} from "../../lib/azure/clouds.ts";

const TENANT = "33333333-3333-3333-3333-333333333333";

Deno.test("authorityFor() uses the cloud's own login host and built-in CLI cloud by default", () => {
  const authority = authorityFor(cloudEnvironment(undefined), TENANT.toUpperCase());
  assert.deepEqual(authority.cliCloud, {
    name: "AzureCloud",
    builtIn: true,
    activeDirectory: "https://login.microsoftonline.com",
  });
  assert.equal(authority.login, `https://login.microsoftonline.com/${TENANT}`);
  assert.equal(authority.cli, authority.login);
  assert.equal(authority.realm, TENANT);
  assert.equal(authority.environment, "login.microsoftonline.com");
  const gov = authorityFor(cloudEnvironment("usgovernment"), TENANT);
  assert.equal(gov.cliCloud.name, "AzureUSGovernment");
  assert.equal(gov.login, `https://login.microsoftonline.us/${TENANT}`);
  assert.equal(authorityFor(cloudEnvironment("china"), TENANT).cliCloud.name, "AzureChinaCloud");
});

Deno.test("authorityFor() keeps a Microsoft login host in its plain form and puts any other host in the ADFS form", () => {
  const alias = authorityFor(cloudEnvironment("public"), TENANT, "https://login.windows.net");
  assert.deepEqual(alias.cliCloud, {
    name: "AtmosAzureCloud",
    builtIn: false,
    activeDirectory: "https://login.windows.net",
  });
  assert.equal(alias.realm, TENANT);
  assert.equal(alias.cli, `https://login.windows.net/${TENANT}`);
  const emulator = authorityFor(cloudEnvironment("public"), TENANT, "https://127.0.0.1:8443");
  assert.equal(emulator.login, `https://127.0.0.1:8443/${TENANT}`, "atmos's own calls");
  assert.equal(
    emulator.cli,
    "https://127.0.0.1:8443/adfs",
    "az's authority: no instance discovery",
  );
  assert.equal(emulator.realm, "adfs");
  assert.equal(emulator.environment, "127.0.0.1", "MSAL keys the cache by host without port");
  assert.equal(emulator.cliCloud.activeDirectory, "https://127.0.0.1:8443/adfs");
});

Deno.test("authorityHostProblem() accepts https origins only", () => {
  assert.equal(authorityHostProblem("https://login.microsoftonline.us"), undefined);
  assert.equal(authorityHostProblem("https://login.microsoftonline.us/"), undefined);
  assert.match(authorityHostProblem("http://127.0.0.1:1")!, /https/);
  assert.match(authorityHostProblem("https://host/tenant")!, /no path/);
  assert.match(authorityHostProblem("login.microsoftonline.com")!, /not a URL/);
  assert.match(authorityHostProblem("https://u:p@host")!, /origin/);
});

Deno.test("defaultScope() appends /.default as az does (a trailing slash doubles)", () => {
  assert.equal(
    defaultScope("https://management.core.windows.net/"),
    "https://management.core.windows.net//.default",
  );
  assert.equal(defaultScope("https://vault.azure.net"), "https://vault.azure.net/.default");
});
