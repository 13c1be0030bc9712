/**
 * A long Google run in a GitHub-Actions-like job needs no renewal from atmos: the
 * `external_account` file atmos writes points clients at the job's token URL, so gcloud fetches
 * a new OIDC token and exchanges it again whenever its access token expires. Here the job's
 * tokens live 8 seconds and Google access tokens 4, and a gcloud loop inside `auth exec` runs
 * for three lifetimes of the job's token.
 */
import assert from "node:assert/strict";
import { startEmulator } from "../emulator/mod.ts";
import { clientTest, gcloudCheck } from "../emulator/client_runner.ts";
import { assertNoSecrets, createSandbox } from "./harness.ts";
import { GCLOUD_TOKEN, googleEnv } from "./gcp_support.ts";

const SA = "deployer@my-proj.iam.gserviceaccount.com";
const POOL =
  "principalSet://iam.googleapis.com/projects/123456/locations/global/workloadIdentityPools/pool/*";
/** Seconds the job's OIDC tokens live in this test. */
const JWT_LIFETIME = 8;

const YAML = `
auth:
  providers:
    github-gcp:
      kind: gcp/workload-identity-federation
      spec:
        project_number: "123456"
        workload_identity_pool_id: pool
        workload_identity_provider_id: prov
        project_id: my-proj
  identities:
    gcp-ci:
      kind: gcp/service-account
      via: { provider: github-gcp }
      principal: { service_account_email: ${SA} }
`;

clientTest(
  "a long gcloud loop inside auth exec keeps getting tokens across three lifetimes of the job's OIDC token",
  [gcloudCheck()],
  async () => {
    const emu = await startEmulator({
      oidcTokenLifetime: JWT_LIFETIME,
      gcp: { serviceAccounts: [{ email: SA, members: [POOL] }], tokenLifetime: 4 },
    });
    const gha = emu.githubActionsEnv();
    const sb = await createSandbox(YAML, { env: { ...googleEnv(emu), ...gha } });
    try {
      const loop = `end=$((SECONDS + ${3 * JWT_LIFETIME})); n=0
while [ $SECONDS -lt $end ]; do
  ${GCLOUD_TOKEN.join(" ")} >/dev/null || exit 1
  n=$((n + 1)); sleep 1
done
echo "calls=$n"`;
      const run = await sb.run(["auth", "exec", "-i", "gcp-ci", "--", "bash", "-c", loop]);
      assert.equal(run.code, 0, run.stderr);
      assert.ok(Number(/calls=(\d+)/.exec(run.stdout)?.[1] ?? 0) >= 3, run.stdout);
      // gcloud fetched new job tokens and exchanged them itself as its tokens expired.
      assert.ok(emu.calls("oidc.token") >= 4, `OIDC tokens: ${emu.calls("oidc.token")}`);
      assert.ok(emu.calls("gcp.sts.token") >= 4, `exchanges: ${emu.calls("gcp.sts.token")}`);
      const issued = emu.secrets().filter((s) => s !== gha.ACTIONS_ID_TOKEN_REQUEST_TOKEN);
      assertNoSecrets(issued, { stdout: run.stdout, stderr: run.stderr });
      assert.deepEqual(emu.trap.log(), []);
    } finally {
      await sb.cleanup();
      await emu.stop();
    }
  },
);
