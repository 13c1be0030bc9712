import assert from "node:assert/strict";
import { join } from "node:path";
import { startEmulator } from "../emulator/mod.ts";
import type { Emulator, EmulatorOptions } from "../emulator/mod.ts";
import { envOf } from "../../lib/env.ts";
import { AtmosError } from "../../lib/errors.ts";
import { gcpEndpoints, stsTokenUrl } from "../../lib/gcp/endpoints.ts";
import { GoogleCallError } from "../../lib/gcp/http.ts";
import { mintToken } from "../../lib/gcp/mint.ts";
import { CLOUD_PLATFORM_SCOPE } from "../../lib/gcp/link.ts";
import type { AdcJson, GcpPlan } from "../../lib/gcp/adc.ts";
import { tokenInfo } from "../../lib/gcp/oauth.ts";

const A = "a@my-proj.iam.gserviceaccount.com";
const B = "b@my-proj.iam.gserviceaccount.com";
const POOL =
  "principalSet://iam.googleapis.com/projects/123456/locations/global/workloadIdentityPools/pool/*";

async function withEmulator(options: EmulatorOptions, fn: (emu: Emulator) => Promise<void>) {
  const emu = await startEmulator({ https: false, ...options });
  try {
    await fn(emu);
  } finally {
    await emu.stop();
  }
}

function options(emu: Emulator, extra: { subjectToken?: string } = {}) {
  return {
    endpoints: gcpEndpoints(envOf(emu.gcp.env())),
    scopes: [CLOUD_PLATFORM_SCOPE],
    now: Date.now(),
    ...extra,
  };
}

Deno.test("mintToken() refreshes a user at the token host and impersonates through delegates in one IAM call", async () => {
  await withEmulator({
    gcp: {
      serviceAccounts: [{ email: A, members: ["user:u@example.com"] }, {
        email: B,
        members: [`serviceAccount:${A}`],
      }],
    },
  }, async (emu) => {
    const user = emu.gcp.createUser("u@example.com") as unknown as AdcJson;
    const own = await mintToken({ base: user, chain: [] }, options(emu));
    assert.equal(emu.gcp.tokenInfo(own.token)?.principal, "user:u@example.com");
    assert.equal((await tokenInfo(emu.gcp.oauthTokenUrl(), own.token)).email, "u@example.com");

    const minted = await mintToken(
      { base: user, chain: [A, B], lifetimeSeconds: 900 },
      options(emu),
    );
    const info = emu.gcp.tokenInfo(minted.token)!;
    assert.equal(info.principal, `serviceAccount:${B}`);
    assert.ok(Math.abs(minted.expiration.getTime() - Date.now() - 900_000) < 5_000);
    assert.equal(emu.calls("gcp.iam.generateAccessToken"), 1);
  });
});

Deno.test("mintToken() exchanges the subject token at the file's token_url, reading the source when not given", async () => {
  await withEmulator({ gcp: { serviceAccounts: [{ email: A, members: [POOL] }] } }, async (emu) => {
    const dir = await Deno.makeTempDir();
    try {
      const jwtFile = join(dir, "jwt");
      await Deno.writeTextFile(jwtFile, await emu.oidcToken({ audience: emu.gcp.audience() }));
      const base: AdcJson = {
        type: "external_account",
        audience: emu.gcp.audience(),
        subject_token_type: "urn:ietf:params:oauth:token-type:jwt",
        token_url: stsTokenUrl(gcpEndpoints(envOf(emu.gcp.env()))),
        credential_source: { file: jwtFile },
      };
      const federated = await mintToken({ base, chain: [] }, options(emu));
      assert.equal(emu.gcp.tokenInfo(federated.token)?.kind, "federated");
      const sa = await mintToken({ base, chain: [A] }, options(emu));
      assert.equal(emu.gcp.tokenInfo(sa.token)?.email, A);
      // A token in hand wins over the source (a URL source is not fetched twice).
      await Deno.writeTextFile(jwtFile, "spoiled");
      const given = await emu.oidcToken({ audience: emu.gcp.audience() });
      assert.ok(await mintToken({ base, chain: [] }, options(emu, { subjectToken: given })));
      await assert.rejects(mintToken({ base, chain: [] }, options(emu)), /invalid_grant/);
    } finally {
      await Deno.remove(dir, { recursive: true });
    }
  });
});

Deno.test("mintToken() failures carry Google's reason and how to fix it", async () => {
  await withEmulator({ gcp: { serviceAccounts: [{ email: A, members: [] }] } }, async (emu) => {
    const user = emu.gcp.createUser("u@example.com") as unknown as AdcJson;
    await assert.rejects(
      mintToken({ base: { ...user, refresh_token: "1//0revoked" }, chain: [] }, options(emu)),
      (error: unknown) => {
        assert.ok(error instanceof GoogleCallError);
        assert.equal(error.code, "invalid_grant");
        assert.match(error.hint ?? "", /gcloud auth application-default login/);
        assert.ok(!error.message.includes("1//0revoked"));
        return true;
      },
    );
    await assert.rejects(mintToken({ base: user, chain: [A] }, options(emu)), (error: unknown) => {
      assert.ok(error instanceof GoogleCallError);
      assert.equal(error.status, 403);
      assert.match(
        error.message,
        /Cannot impersonate a@my-proj.*PERMISSION_DENIED|Permission 'iam\.serviceAccounts\.getAccessToken' denied/,
      );
      assert.match(error.hint ?? "", /roles\/iam\.serviceAccountTokenCreator on a@my-proj/);
      return true;
    });
    const plan: GcpPlan = { base: { type: "service_account" }, chain: [] };
    await assert.rejects(
      mintToken(plan, options(emu)),
      (error: unknown) =>
        error instanceof AtmosError && error.exitCode === 2 &&
        /"service_account"/.test(error.message),
    );
  });
});
