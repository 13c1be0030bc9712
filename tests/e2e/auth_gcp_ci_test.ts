/**
 * End-to-end tests of `gcp/workload-identity-federation` in a GitHub-Actions-like environment:
 * an `external_account` file clients exchange themselves (the GitHub token URL, or a JWT file
 * atmos rewrites before each step), read by google-auth-library and gcloud inside `auth exec`
 * and workflow steps; https endpoints trusted through `DENO_CERT`; refused token URLs.
 */
import { join } from "node:path";
import assert from "node:assert/strict";
import { startEmulator } from "../emulator/mod.ts";
import type { Emulator } from "../emulator/mod.ts";
import { clientTest, gcloudCheck, nodeClientsCheck } from "../emulator/client_runner.ts";
import { assertNoSecrets, createSandbox } from "./harness.ts";
import { assertOneLineError, modeOf } from "./auth_support.ts";
import {
  childEnv,
  GCLOUD_TOKEN,
  gcpFiles,
  googleEnv,
  homeOutsideAtmos,
  issuedAccessTokens,
  NODE_PROBE,
  probeToken,
} from "./gcp_support.ts";

const SA = "deployer@my-proj.iam.gserviceaccount.com";
const CI_SA = "ci@my-proj.iam.gserviceaccount.com";
const POOL =
  "principalSet://iam.googleapis.com/projects/123456/locations/global/workloadIdentityPools/pool/*";

const YAML = `
workflows:
  base_path: workflows
auth:
  providers:
    github-gcp:
      kind: gcp/workload-identity-federation
      spec:
        project_number: "123456"
        workload_identity_pool_id: pool
        workload_identity_provider_id: prov
        project_id: my-proj
        region: europe-west1
    github-gcp-sa:
      kind: gcp/workload-identity-federation
      spec:
        project_number: 123456
        workload_identity_pool: pool # Atmos's older names
        workload_identity_provider: prov
        service_account_email: ${CI_SA}
    env-token:
      kind: gcp/workload-identity-federation
      spec:
        project_number: "123456"
        workload_identity_pool_id: pool
        workload_identity_provider_id: prov
        token_source: { type: environment, environment_variable: GCP_OIDC_TOKEN }
  identities:
    gcp-ci:
      kind: gcp/service-account
      via: { provider: github-gcp }
      principal: { service_account_email: ${SA} }
    gcp-ci-project:
      kind: gcp/project
      via: { provider: github-gcp-sa }
      principal: { project_id: my-proj, region: us-east1 }
    gcp-env:
      kind: gcp/service-account
      via: { provider: env-token }
      principal: { service_account_email: ${SA} }
`;

function federation(): Parameters<typeof startEmulator>[0] {
  return {
    gcp: { serviceAccounts: [{ email: SA, members: [POOL] }, { email: CI_SA, members: [POOL] }] },
  };
}

/** The emulator's secrets a child may see because the runner put them in the parent's env. */
function runnerSecrets(emu: Emulator): string[] {
  return [emu.githubActionsEnv().ACTIONS_ID_TOKEN_REQUEST_TOKEN];
}

clientTest(
  "gcp/workload-identity-federation in GitHub Actions: clients exchange the job's OIDC token themselves from atmos's external_account file, as the service account",
  [nodeClientsCheck(), gcloudCheck()],
  async () => {
    const emu = await startEmulator(federation());
    const sb = await createSandbox(YAML, {
      env: { ...googleEnv(emu), ...emu.githubActionsEnv() },
    });
    try {
      const home = await homeOutsideAtmos(sb);
      const node = await sb.run(["auth", "exec", "-i", "gcp-ci", "--", ...NODE_PROBE]);
      assert.equal(emu.gcp.tokenInfo(probeToken(node))?.principal, `serviceAccount:${SA}`);
      // atmos checked the chain (one OIDC token, one exchange, one impersonation); the client
      // fetched its own OIDC token and exchanged it.
      assert.equal(emu.calls("oidc.token"), 2);
      assert.equal(emu.calls("gcp.sts.token"), 2);
      assert.equal(emu.calls("gcp.iam.generateAccessToken"), 2);

      const files = gcpFiles(sb, "github-gcp", "gcp-ci");
      assert.equal(await modeOf(files.adc), 0o600);
      const adc = JSON.parse(await Deno.readTextFile(files.adc));
      assert.equal(adc.type, "external_account");
      assert.equal(adc.audience, emu.gcp.audience());
      assert.equal(adc.token_url, emu.gcp.tokenUrl());
      assert.equal(adc.service_account_impersonation_url, emu.gcp.impersonationUrl(SA));
      const url = new URL(adc.credential_source.url);
      assert.equal(url.origin + url.pathname, `${emu.url}/oidc/token`);
      assert.equal(url.searchParams.get("audience"), emu.gcp.audience());
      assert.equal(adc.credential_source.format.subject_token_field_name, "value");
      // No JWT is kept: clients fetch a fresh one on every refresh.
      await assert.rejects(Deno.lstat(join(files.adcDir, "subject_token")), Deno.errors.NotFound);

      const gcloud = await sb.run(["auth", "exec", "-i", "gcp-ci", "--", ...GCLOUD_TOKEN]);
      assert.equal(gcloud.code, 0, gcloud.stderr);
      assert.equal(emu.gcp.tokenInfo(gcloud.stdout.trim())?.principal, `serviceAccount:${SA}`);

      // Ambient: every run federates again (a later job on the runner cannot replay this one).
      emu.resetCalls();
      const again = await sb.run(["auth", "exec", "-i", "gcp-ci", "--", "true"]);
      assert.equal(again.code, 0, again.stderr);
      assert.equal(emu.calls("oidc.token"), 1);

      const whoami = await sb.run(["auth", "whoami", "-i", "gcp-ci", "-o", "json"]);
      assert.equal(whoami.code, 0, whoami.stderr);
      assert.equal(JSON.parse(whoami.stdout).principal, SA);

      const dump = await childEnv(sb, "gcp-ci");
      assert.equal(dump.env.GOOGLE_APPLICATION_CREDENTIALS, files.adc);
      assert.equal(dump.env.GOOGLE_CLOUD_PROJECT, "my-proj");
      assert.equal(dump.env.GOOGLE_CLOUD_REGION, "europe-west1");

      // Neither atmos nor gcloud wrote outside <config>/atmos (no ~/.config/gcloud either).
      assert.deepEqual(await homeOutsideAtmos(sb), home);
      const secrets = emu.secrets().filter((s) => !runnerSecrets(emu).includes(s));
      for (const token of issuedAccessTokens(emu)) {
        assert.ok(!(await Deno.readTextFile(files.adc)).includes(token));
      }
      assertNoSecrets(secrets, {
        "exec output": node.stderr + gcloud.stderr + again.stdout + again.stderr,
        whoami: whoami.stdout + whoami.stderr,
        "child argv and env": dump.run.stdout,
      });
      assertNoSecrets(emu.secrets(), { "exec output": dump.run.stderr });
      assert.deepEqual(emu.trap.log(), [], "a client tried to leave loopback");
    } finally {
      await sb.cleanup();
      await emu.stop();
    }
  },
);

clientTest(
  "gcp/workload-identity-federation with its own service_account_email under gcp/project: the external_account impersonates that account, for the identity's project and region",
  [nodeClientsCheck(), gcloudCheck()],
  async () => {
    const emu = await startEmulator(federation());
    const sb = await createSandbox(YAML, {
      env: { ...googleEnv(emu), ...emu.githubActionsEnv() },
    });
    try {
      const node = await sb.run(["auth", "exec", "-i", "gcp-ci-project", "--", ...NODE_PROBE]);
      assert.equal(emu.gcp.tokenInfo(probeToken(node))?.principal, `serviceAccount:${CI_SA}`);
      const gcloud = await sb.run(["auth", "exec", "-i", "gcp-ci-project", "--", ...GCLOUD_TOKEN]);
      assert.equal(emu.gcp.tokenInfo(gcloud.stdout.trim())?.email, CI_SA, gcloud.stderr);
      const files = gcpFiles(sb, "github-gcp-sa", "gcp-ci-project");
      const adc = JSON.parse(await Deno.readTextFile(files.adc));
      assert.equal(adc.service_account_impersonation_url, emu.gcp.impersonationUrl(CI_SA));
      const configuration = await Deno.readTextFile(files.configuration);
      assert.match(configuration, /\[core\]\nproject = my-proj\n/);
      assert.match(configuration, /region = us-east1\n/);
      assert.match(configuration, new RegExp(`credential_file_override = ${files.adc}\n`));
      const dump = await childEnv(sb, "gcp-ci-project");
      assert.equal(dump.env.CLOUDSDK_COMPUTE_REGION, "us-east1");
      const secrets = emu.secrets().filter((s) => !runnerSecrets(emu).includes(s));
      assertNoSecrets(secrets, {
        output: node.stderr + gcloud.stderr + dump.run.stderr,
        "child argv and env": dump.run.stdout,
      });
      assert.deepEqual(emu.trap.log(), []);
    } finally {
      await sb.cleanup();
      await emu.stop();
    }
  },
);

clientTest(
  "gcp/workload-identity-federation from a variable over https (DENO_CERT): the JWT goes to a 0600 file, never to a child's variable, and is written again before each workflow step",
  [nodeClientsCheck()],
  async () => {
    const emu = await startEmulator(federation());
    // A JWT with under 5 minutes left: each step authenticates again.
    const jwt = await emu.oidcToken({ audience: emu.gcp.audience(), lifetime: 240 });
    const sb = await createSandbox(YAML, {
      env: {
        ...googleEnv(emu),
        ...emu.gcp.env({ https: true }),
        DENO_CERT: emu.caFile,
        GCP_OIDC_TOKEN: jwt,
      },
    });
    try {
      const files = gcpFiles(sb, "env-token", "gcp-env");
      const subject = join(files.adcDir, "subject_token");
      await Deno.mkdir(join(sb.project, "workflows"));
      await Deno.writeTextFile(
        join(sb.project, "workflows", "ci.yaml"),
        `
workflows:
  deploy:
    steps:
      - name: spoil
        type: shell
        identity: gcp-env
        command: printf spoiled > "${subject}"; echo "token-variable=\${GCP_OIDC_TOKEN:-none}"
      - name: use
        type: shell
        identity: gcp-env
        command: ${NODE_PROBE.join(" ")}
`,
      );
      const run = await sb.run(["workflow", "deploy", "-f", "ci"]);
      assert.equal(run.code, 0, run.stderr);
      assert.match(run.stdout, /token-variable=none\n/);
      const token = JSON.parse(run.stdout.trim().split("\n").at(-1)!).token;
      assert.equal(emu.gcp.tokenInfo(token)?.principal, `serviceAccount:${SA}`);
      // Rewritten before the second step: the client read the JWT, not "spoiled".
      assert.equal(await Deno.readTextFile(subject), jwt);
      assert.equal(await modeOf(subject), 0o600);
      const adc = JSON.parse(await Deno.readTextFile(files.adc));
      assert.deepEqual(adc.credential_source, { file: subject });
      assert.equal(adc.token_url, emu.gcp.tokenUrl({ https: true }));
      assert.equal(emu.calls("gcp.sts.token"), 3); // atmos per step, and the client once
      assertNoSecrets(emu.secrets(), {
        stderr: run.stderr,
        "step output": run.stdout.replace(token, ""),
      });
      assert.deepEqual(emu.trap.log(), []);
    } finally {
      await sb.cleanup();
      await emu.stop();
    }
  },
);

Deno.test("gcp/workload-identity-federation refuses a token URL that is not GitHub's, plain http off loopback, and a missing token source, without any call", async () => {
  const emu = await startEmulator(federation());
  const sb = await createSandbox(YAML, { env: googleEnv(emu) });
  try {
    const gha = emu.githubActionsEnv();
    const notGithub = await sb.run(["auth", "login", "gcp-ci"], {
      env: { ...gha, ACTIONS_ID_TOKEN_REQUEST_URL: "https://oidc.example.com/token?x=1" },
    });
    assertOneLineError(notGithub, 2, /oidc\.example\.com is not a GitHub Actions OIDC host/);
    const plain = await sb.run(["auth", "login", "gcp-ci"], {
      env: { ...gha, ACTIONS_ID_TOKEN_REQUEST_URL: "http://token.actions.githubusercontent.com/x" },
    });
    assertOneLineError(plain, 2, /ACTIONS_ID_TOKEN_REQUEST_URL .*must use https/);
    const none = await sb.run(["auth", "login", "gcp-ci"]);
    assertOneLineError(
      none,
      2,
      /"github-gcp" \(gcp\/workload-identity-federation\) has no token_source/,
    );
    const empty = await sb.run(["auth", "login", "gcp-env"]);
    assertOneLineError(empty, 2, /The variable GCP_OIDC_TOKEN of provider "env-token" is empty/);
    assert.equal(emu.calls(), 0);
    assertNoSecrets(emu.secrets(), {
      stderr: [notGithub, plain, none, empty].map((r) => r.stderr).join(""),
    });
  } finally {
    await sb.cleanup();
    await emu.stop();
  }
});
