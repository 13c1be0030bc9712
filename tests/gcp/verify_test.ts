import assert from "node:assert/strict";
import { startEmulator } from "../emulator/mod.ts";
import { envOf } from "../../lib/env.ts";
import { gcpEndpoints, stsTokenUrl } from "../../lib/gcp/endpoints.ts";
import { gcpCredentialSet } from "../../lib/gcp/credential_set.ts";
import type { GcpPlan } from "../../lib/gcp/adc.ts";
import { checkedIdentity, jwtClaims, verifiedSet } from "../../lib/gcp/verify.ts";
import { CLOUD_PLATFORM_SCOPE } from "../../lib/gcp/link.ts";

const SA = "deployer@my-proj.iam.gserviceaccount.com";
const POOL =
  "principalSet://iam.googleapis.com/projects/123456/locations/global/workloadIdentityPools/pool/*";

Deno.test("verifiedSet() records the federated principal, and no later expiry than a file-read JWT's", async () => {
  const emu = await startEmulator({
    https: false,
    gcp: { serviceAccounts: [{ email: SA, members: [POOL] }] },
  });
  try {
    const env = envOf(emu.gcp.env());
    const jwt = await emu.oidcToken({
      audience: emu.gcp.audience(),
      lifetime: 240,
      subject: "repo:acme/infra:ref:refs/heads/main",
    });
    const plan = (source: Record<string, unknown>, chain: string[] = []): GcpPlan => ({
      base: {
        type: "external_account",
        audience: emu.gcp.audience(),
        subject_token_type: "urn:ietf:params:oauth:token-type:jwt",
        token_url: stsTokenUrl(gcpEndpoints(env)),
        credential_source: source,
      },
      chain,
    });
    const options = { env, now: Date.now(), scopes: [CLOUD_PLATFORM_SCOPE] };
    const input = gcpCredentialSet({
      plan: plan({ file: "" }),
      subject: { token: jwt, write: true },
    });

    const fromFile = await verifiedSet(input, input.plan, options);
    assert.equal(
      fromFile.principal,
      "principal://iam.googleapis.com/projects/123456/locations/global/workloadIdentityPools/pool/subject/repo:acme/infra:ref:refs/heads/main",
    );
    assert.equal(fromFile.expiration?.getTime(), (jwtClaims(jwt).exp as number) * 1000);

    // Clients that fetch the JWT from a URL again are not bound by this one's expiry.
    const url = plan({ url: "https://token.actions.githubusercontent.com/x" }, [SA]);
    const fromUrl = await verifiedSet({ ...input, plan: url }, url, options);
    assert.equal(fromUrl.principal, SA);
    assert.ok(fromUrl.expiration!.getTime() > Date.now() + 50 * 60_000);

    // A failure names the identity and keeps Google's reason.
    const stale = await emu.oidcToken({ audience: emu.gcp.audience(), lifetime: -5 });
    await assert.rejects(
      checkedIdentity(
        gcpCredentialSet({ plan: input.plan, subject: { token: stale, write: true } }),
        input.plan,
        { name: "ci", config: { kind: "gcp/project" }, upstream: [] },
        { env, now: () => Date.now(), debug() {} },
        [CLOUD_PLATFORM_SCOPE],
      ),
      /^AtmosError: Identity "ci": Cannot exchange the federated token at Google STS: .*stale to sign-in/,
    );
  } finally {
    await emu.stop();
  }
});
