/**
 * The seed's `multi-cloud-deploy` in a GitHub-Actions-like job with no stored secret: one
 * workflow whose AWS, Google and Azure steps each run as their own identity, federated from the
 * job's OIDC token, and a documentation step with no cloud credentials at all. Real clients in
 * every step: the AWS CLI; google-auth-library (no arguments) and gcloud; `az` and
 * `@azure/identity`. Each step also reports its own environment, so the test sees that no step
 * gets another cloud's pointers and that no token the emulator issued is in any environment,
 * argv or output (the steps print a digest of the tokens they got, never the tokens).
 */
import { join } from "node:path";
import assert from "node:assert/strict";
import { startEmulator } from "../emulator/mod.ts";
import { installedAzVersion } from "../emulator/client_files.ts";
import {
  azureCliCheck,
  CLIENTS_DIR,
  clientTest,
  gcloudCheck,
  nodeClientsCheck,
} from "../emulator/client_runner.ts";
import { assertNoSecrets, createSandbox } from "./harness.ts";

const SA = "deployer@my-proj.iam.gserviceaccount.com";
const POOL =
  "principalSet://iam.googleapis.com/projects/123456/locations/global/workloadIdentityPools/pool/*";
const TENANT = "33333333-3333-3333-3333-333333333333";
const APP = "22222222-2222-2222-2222-222222222222";
const SUBSCRIPTION = "55555555-5555-5555-5555-555555555555";
const ROLE = "arn:aws:sts::444444444444:assumed-role/Deployer/atmos-aws-production";

const YAML = `
workflows:
  base_path: workflows
auth:
  providers:
    github:
      kind: github/oidc
    github-gcp:
      kind: gcp/workload-identity-federation
      spec:
        project_number: "123456"
        workload_identity_pool_id: pool
        workload_identity_provider_id: prov
        project_id: my-proj
    github-azure:
      kind: azure/oidc
      spec: { tenant_id: ${TENANT}, client_id: ${APP} }
  identities:
    aws-production:
      kind: aws/assume-role
      via: { provider: github }
      principal:
        assume_role: arn:aws:iam::444444444444:role/Deployer
        session_name: atmos-aws-production
    gcp-production:
      kind: gcp/service-account
      via: { provider: github-gcp }
      principal: { service_account_email: ${SA} }
    azure-production:
      kind: azure/subscription
      via: { provider: github-azure }
      principal: { subscription_id: ${SUBSCRIPTION}, location: eastus }
`;

/** Prints `<label> <sha256 of the token>` from a client's output (raw, or a JSON field). */
const DIGEST = `#!/usr/bin/python3
import hashlib, json, sys
label, field = sys.argv[1], sys.argv[2] if len(sys.argv) > 2 else ""
text = sys.stdin.read().strip()
if field:
    try:
        data = json.loads(text)  # az prints pretty JSON
    except ValueError:
        data = json.loads(text.splitlines()[-1])  # a probe prints one JSON line last
    token = data[field]
else:
    token = text
print(label, hashlib.sha256(token.encode()).hexdigest())
`;

/** Writes the step's argv and environment to `env-<name>.json` (a child that reports). */
const REPORT = `#!/usr/bin/python3
import json, os, sys
with open(f"env-{sys.argv[1]}.json", "w") as out:
    json.dump({"argv": sys.argv, "env": dict(os.environ)}, out)
`;

const NODE = "/usr/bin/node";

const WORKFLOW = `
workflows:
  multi-cloud-deploy:
    description: Deploy across AWS, Google Cloud and Azure
    steps:
      - name: Deploy AWS infrastructure
        type: shell
        identity: aws-production
        command: |
          ./report.py aws
          echo "aws $(/usr/bin/aws sts get-caller-identity --endpoint-url "$EMU_URL" --query Arn --output text)"
      - name: Deploy GCP infrastructure
        type: shell
        identity: gcp-production
        command: |
          ./report.py gcp
          ${NODE} ${join(CLIENTS_DIR, "gauth_token.cjs")} | ./digest.py gcp-node token
          /usr/bin/gcloud auth print-access-token 2>/dev/null | ./digest.py gcp-gcloud
      - name: Deploy Azure infrastructure
        type: shell
        identity: azure-production
        command: |
          ./report.py azure
          /usr/bin/az account get-access-token -o json | ./digest.py azure-az accessToken
          ${NODE} ${join(CLIENTS_DIR, "azure_token.cjs")} workload | ./digest.py azure-node token
      - name: Update documentation
        type: shell
        command: ./report.py docs && echo docs done
`;

/** Variables by cloud that point a child at credentials. */
const POINTERS: Record<string, RegExp> = {
  aws: /^(AWS_SHARED_CREDENTIALS_FILE|AWS_CONFIG_FILE|AWS_PROFILE)$/,
  gcp: /^(GOOGLE_APPLICATION_CREDENTIALS|CLOUDSDK_CONFIG|CLOUDSDK_ACTIVE_CONFIG_NAME)$/,
  azure: /^(AZURE_CONFIG_DIR|AZURE_FEDERATED_TOKEN_FILE|ARM_OIDC_TOKEN_FILE_PATH|ARM_USE_OIDC)$/,
};

async function sha256(text: string): Promise<string> {
  const digest = await crypto.subtle.digest("SHA-256", new TextEncoder().encode(text));
  return [...new Uint8Array(digest)].map((b) => b.toString(16).padStart(2, "0")).join("");
}

clientTest(
  "multi-cloud-deploy in a GitHub Actions job: AWS, Google and Azure steps each as their own federated identity, a docs step with no cloud, no token anywhere",
  [gcloudCheck(), azureCliCheck(), nodeClientsCheck()],
  async () => {
    const emu = await startEmulator({
      gcp: { serviceAccounts: [{ email: SA, members: [POOL] }] },
      azure: { apps: [{ clientId: APP }] },
    });
    const sb = await createSandbox(YAML, { endpoint: emu.url });
    // The user's own az state, only so az makes no version check (atmos copies this file).
    const userAzureDir = join(sb.home, ".azure");
    await Deno.mkdir(userAzureDir);
    await Deno.writeTextFile(
      join(userAzureDir, "versionCheck.json"),
      JSON.stringify({
        versions: {
          "azure-cli": { local: installedAzVersion() },
          core: { local: installedAzVersion() },
        },
        update_time: "2000-01-01 00:00:00.000000",
      }),
    );
    try {
      await Deno.mkdir(join(sb.project, "workflows"));
      await Deno.writeTextFile(join(sb.project, "workflows", "deploy.yaml"), WORKFLOW);
      await Deno.writeTextFile(join(sb.project, "digest.py"), DIGEST, { mode: 0o755 });
      await Deno.writeTextFile(join(sb.project, "report.py"), REPORT, { mode: 0o755 });
      const gha = emu.githubActionsEnv();
      const run = await sb.run(["workflow", "multi-cloud-deploy"], {
        env: {
          ...gha,
          ...emu.gcp.env(),
          ...emu.trap.env(),
          CI: "true",
          EMU_URL: emu.url,
          AZURE_AUTHORITY_HOST: emu.azure.authorityHost,
          DENO_CERT: emu.caFile,
          REQUESTS_CA_BUNDLE: emu.caFile,
          NODE_EXTRA_CA_CERTS: emu.caFile,
          DENO_NO_UPDATE_CHECK: "1",
        },
      });
      assert.equal(run.code, 0, run.stderr);

      // Who each client was, by the digest of the token it got.
      const byDigest = new Map<string, string>();
      for (const secret of emu.secrets()) byDigest.set(await sha256(secret), secret);
      const got: Record<string, string> = {};
      for (const line of run.stdout.trim().split("\n")) {
        const [label, value] = line.split(" ");
        if (label) got[label] = value;
      }
      assert.equal(got.aws, ROLE);
      for (const label of ["gcp-node", "gcp-gcloud"]) {
        const token = byDigest.get(got[label]);
        assert.ok(token, `${label}: a token the emulator issued`);
        assert.equal(emu.gcp.tokenInfo(token)?.principal, `serviceAccount:${SA}`, label);
      }
      for (const label of ["azure-az", "azure-node"]) {
        const token = byDigest.get(got[label]);
        assert.ok(token, `${label}: a token the emulator issued`);
        const info = emu.azure.tokenInfo(token);
        assert.deepEqual([info?.kind, info?.clientId], ["app", APP], label);
      }
      assert.match(run.stdout, /^docs done$/m);

      // Each step saw its own cloud's pointers only; the docs step none at all.
      const reports: Record<string, { argv: string[]; env: Record<string, string> }> = {};
      for (const step of ["aws", "gcp", "azure", "docs"]) {
        reports[step] = JSON.parse(await Deno.readTextFile(join(sb.project, `env-${step}.json`)));
      }
      for (const [step, report] of Object.entries(reports)) {
        for (const [cloud, pointer] of Object.entries(POINTERS)) {
          const present = Object.keys(report.env).filter((name) => pointer.test(name));
          if (cloud === step) assert.ok(present.length > 0, `${step} step has its pointers`);
          else assert.deepEqual(present, [], `${step} step must not see ${cloud} pointers`);
        }
      }
      assert.equal(reports.docs.env.ATMOS_IDENTITY, undefined);
      assert.equal(reports.aws.env.ATMOS_IDENTITY, "aws-production");

      // No token anywhere: environments, argv, output. (The runner's own request token is in
      // the job's environment; atmos leaves it alone, as every Actions tool does.)
      const issued = emu.secrets().filter((s) => s !== gha.ACTIONS_ID_TOKEN_REQUEST_TOKEN);
      assertNoSecrets(issued, {
        stdout: run.stdout,
        stderr: run.stderr,
        ...Object.fromEntries(
          Object.entries(reports).map(([step, r]) => [`${step} step`, JSON.stringify(r)]),
        ),
      });
      assert.deepEqual(emu.trap.log(), [], "a step tried to leave loopback");
      assert.equal(emu.calls("AssumeRoleWithWebIdentity"), 1);
    } finally {
      await sb.cleanup();
      await emu.stop();
    }
  },
);
