import assert from "node:assert/strict";
import { join } from "node:path";
import { envOf } from "../../lib/env.ts";
import { AtmosError } from "../../lib/errors.ts";
import { findAdcFile } from "../../lib/gcp/adc_file.ts";

function withHome(fn: (home: string) => void): void {
  const home = Deno.makeTempDirSync();
  try {
    fn(home);
  } finally {
    Deno.removeSync(home, { recursive: true });
  }
}

function write(path: string, json: unknown): void {
  Deno.mkdirSync(join(path, ".."), { recursive: true });
  Deno.writeTextFileSync(path, JSON.stringify(json));
}

Deno.test("findAdcFile() looks where Google's libraries look, in their order", () => {
  withHome((home) => {
    const wellKnown = join(home, ".config", "gcloud", "application_default_credentials.json");
    const sdk = join(home, "sdk", "application_default_credentials.json");
    const explicit = join(home, "explicit.json");
    write(wellKnown, { type: "authorized_user", n: 1 });
    write(sdk, { type: "authorized_user", n: 2 });
    write(explicit, { type: "authorized_user", n: 3 });
    const atmos = join(home, ".config", "atmos");
    const found = (env: Record<string, string>) =>
      findAdcFile(envOf({ HOME: home, ...env }), atmos);
    assert.equal(found({}).path, wellKnown);
    assert.equal(found({ CLOUDSDK_CONFIG: join(home, "sdk") }).path, sdk);
    const first = found({
      CLOUDSDK_CONFIG: join(home, "sdk"),
      GOOGLE_APPLICATION_CREDENTIALS: explicit,
    });
    assert.equal(first.path, explicit);
    assert.deepEqual(first.json, { type: "authorized_user", n: 3 });
    assert.equal(first.origin.size, Deno.statSync(explicit).size);
  });
});

Deno.test("findAdcFile() skips what atmos wrote itself (inside `atmos auth shell`)", () => {
  withHome((home) => {
    const atmos = join(home, ".config", "atmos");
    const mine = join(atmos, "gcp", "root", "adc", "dev", "application_default_credentials.json");
    write(mine, { type: "impersonated_service_account" });
    const wellKnown = join(home, ".config", "gcloud", "application_default_credentials.json");
    write(wellKnown, { type: "authorized_user" });
    const env = envOf({
      HOME: home,
      GOOGLE_APPLICATION_CREDENTIALS: mine,
      CLOUDSDK_CONFIG: join(atmos, "gcp", "root", "config", "dev"),
    });
    assert.equal(findAdcFile(env, atmos).path, wellKnown);
  });
});

Deno.test("findAdcFile() says how to make credentials when there are none, or the named file is missing", () => {
  withHome((home) => {
    const atmos = join(home, ".config", "atmos");
    assert.throws(() => findAdcFile(envOf({ HOME: home }), atmos), (error: unknown) => {
      assert.ok(error instanceof AtmosError);
      assert.equal(error.exitCode, 2);
      assert.match(error.hint ?? "", /gcloud auth application-default login/);
      return true;
    });
    assert.throws(
      () =>
        findAdcFile(
          envOf({ HOME: home, GOOGLE_APPLICATION_CREDENTIALS: join(home, "gone.json") }),
          atmos,
        ),
      /Cannot read GOOGLE_APPLICATION_CREDENTIALS/,
    );
    Deno.writeTextFileSync(join(home, "bad.json"), "not json");
    assert.throws(
      () =>
        findAdcFile(
          envOf({ HOME: home, GOOGLE_APPLICATION_CREDENTIALS: join(home, "bad.json") }),
          atmos,
        ),
      /bad\.json is not JSON/,
    );
  });
});
