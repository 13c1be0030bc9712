/**
 * Background renewal is cloud-neutral: in a GitHub-Actions-like job, a long run of `az` inside
 * `atmos auth exec` keeps getting the application's tokens across several lifetimes of the job's
 * OIDC token (8 seconds here), because atmos rewrites the federated token files that `az` reads
 * (the client assertion in `service_principal_entries.json`, `federated_token`) before the token
 * in them expires. `az` keeps each access token only 4 seconds, so it needs a valid assertion
 * again and again.
 */
import assert from "node:assert/strict";
import { azureCliCheck, clientTest } from "../emulator/client_runner.ts";
import { assertNoSecrets } from "./harness.ts";
import { APP, AZURE_CI_YAML, setUpAzure } from "./azure_support.ts";

/** Seconds the job's OIDC tokens live in this test. */
const JWT_LIFETIME = 8;

clientTest(
  "a long az loop inside auth exec keeps its app tokens across three lifetimes of the job's OIDC token",
  [azureCliCheck()],
  async () => {
    const setup = await setUpAzure(AZURE_CI_YAML, {
      oidcTokenLifetime: JWT_LIFETIME,
      azure: { apps: [{ clientId: APP }], accessTokenLifetime: 4 },
    });
    const { emu, sb } = setup;
    try {
      const gha: Record<string, string> = { ...emu.githubActionsEnv(), CI: "true" };
      const loop = `end=$((SECONDS + ${3 * JWT_LIFETIME})); n=0
while [ $SECONDS -lt $end ]; do
  /usr/bin/az account get-access-token -o json >/dev/null || exit 1
  n=$((n + 1)); sleep 1
done
echo "calls=$n"`;
      const run = await sb.run(["auth", "exec", "-i", "azure-ci", "--", "bash", "-c", loop], {
        env: gha,
      });
      assert.equal(run.code, 0, run.stderr);
      const calls = Number(/calls=(\d+)/.exec(run.stdout)?.[1] ?? 0);
      assert.ok(calls >= 3, run.stdout);
      // Each renewal fetched a new OIDC token for the files; az redeemed the new assertions.
      assert.ok(emu.calls("oidc.token") >= 3, `OIDC tokens: ${emu.calls("oidc.token")}`);
      assert.ok(
        emu.calls("entra.token.client_credentials") >= 3,
        `client credentials: ${emu.calls("entra.token.client_credentials")}`,
      );
      const issued = emu.secrets().filter((s) => s !== gha.ACTIONS_ID_TOKEN_REQUEST_TOKEN);
      assertNoSecrets(issued, { stdout: run.stdout, stderr: run.stderr });
      assert.deepEqual(emu.trap.log(), []);
    } finally {
      await setup.cleanup();
    }
  },
);
