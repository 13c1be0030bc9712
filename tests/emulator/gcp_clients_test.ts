/**
 * Real Google clients against the emulator, behind its proxy trap, with hand-written credential
 * files (the recipes CLIENTS.md records): google-auth-library under Node, and gcloud.
 */
import assert from "node:assert/strict";
import { join } from "node:path";
import {
  clientTest,
  gcloudCheck,
  nodeClientsCheck,
  probeJson,
  runClient,
  runNodeProbe,
  withClients,
} from "./client_runner.ts";
import { externalAccount, writeGcloudConfig, writePrivate } from "./client_files.ts";
import type { Emulator, EmulatorOptions } from "./mod.ts";

const SA = "deployer@my-proj.iam.gserviceaccount.com";
const POOL =
  "principalSet://iam.googleapis.com/projects/123456/locations/global/workloadIdentityPools/pool/*";
const FEDERATION: EmulatorOptions = { gcp: { serviceAccounts: [{ email: SA, members: [POOL] }] } };

/** An external_account file with a file source holding a fresh JWT for the pool's audience. */
async function fileSourceJson(
  emu: Emulator,
  scratch: string,
  options: { https?: boolean; jwtLifetime?: number } = {},
): Promise<string> {
  const subject = join(scratch, "subject_token");
  await writePrivate(
    subject,
    await emu.oidcToken({ audience: emu.gcp.audience(), lifetime: options.jwtLifetime }),
  );
  const path = join(scratch, "external_account.json");
  await writePrivate(
    path,
    JSON.stringify(externalAccount({
      audience: emu.gcp.audience(),
      tokenUrl: emu.gcp.tokenUrl(options),
      impersonationUrl: emu.gcp.impersonationUrl(SA, options),
      source: { file: subject },
    })),
  );
  return path;
}

clientTest(
  "google-auth-library: an external_account file (file source) gets a service-account token through STS and IAM",
  [nodeClientsCheck()],
  async () => {
    await withClients(FEDERATION, async (emu, scratch) => {
      const adc = await fileSourceJson(emu, scratch);
      const out = probeJson(
        await runNodeProbe(emu, "gauth_token.cjs", [], {
          GOOGLE_APPLICATION_CREDENTIALS: adc,
          GOOGLE_CLOUD_PROJECT: "my-proj",
          ECHO_URL: `${emu.url}/echo`,
        }),
        "gauth_token.cjs",
      );
      assert.equal(out.clientType, "IdentityPoolClient");
      assert.equal(emu.gcp.tokenInfo(String(out.token))?.principal, `serviceAccount:${SA}`);
      assert.deepEqual(out.echo, {
        authorization: `Bearer ${out.token}`,
        principal: `serviceAccount:${SA}`,
      });
      assert.equal(emu.calls("gcp.sts.token"), 1);
      assert.equal(emu.calls("gcp.iam.generateAccessToken"), 1);
      assert.equal(emu.calls("gcp.projects.get"), 0);
    });
  },
);

clientTest(
  "google-auth-library: the same file over https trusts the test CA through NODE_EXTRA_CA_CERTS",
  [nodeClientsCheck()],
  async () => {
    await withClients(FEDERATION, async (emu, scratch) => {
      const adc = await fileSourceJson(emu, scratch, { https: true });
      const env = { GOOGLE_APPLICATION_CREDENTIALS: adc, GOOGLE_CLOUD_PROJECT: "my-proj" };
      const out = probeJson(
        await runNodeProbe(emu, "gauth_token.cjs", [], { ...env, NODE_EXTRA_CA_CERTS: emu.caFile }),
        "gauth_token.cjs",
      );
      assert.equal(emu.gcp.tokenInfo(String(out.token))?.email, SA);
    });
  },
);

clientTest(
  "google-auth-library: a url source fetches the subject token from the GitHub-style /oidc/token",
  [nodeClientsCheck()],
  async () => {
    await withClients(FEDERATION, async (emu, scratch) => {
      const github = emu.githubActionsEnv();
      const adc = join(scratch, "external_account.json");
      await writePrivate(
        adc,
        JSON.stringify(externalAccount({
          audience: emu.gcp.audience(),
          tokenUrl: emu.gcp.tokenUrl(),
          impersonationUrl: emu.gcp.impersonationUrl(SA),
          source: {
            url: `${github.ACTIONS_ID_TOKEN_REQUEST_URL}&audience=${
              encodeURIComponent(emu.gcp.audience())
            }`,
            headers: { Authorization: `Bearer ${github.ACTIONS_ID_TOKEN_REQUEST_TOKEN}` },
            jsonField: "value",
          },
        })),
      );
      const out = probeJson(
        await runNodeProbe(emu, "gauth_token.cjs", [], {
          GOOGLE_APPLICATION_CREDENTIALS: adc,
          GOOGLE_CLOUD_PROJECT: "my-proj",
        }),
        "gauth_token.cjs",
      );
      assert.equal(emu.gcp.tokenInfo(String(out.token))?.email, SA);
      assert.equal(emu.calls("oidc.token"), 1);
      assert.equal(emu.calls("gcp.sts.token"), 1);
    });
  },
);

clientTest(
  "google-auth-library: an expired subject token in the file fails with STS's stale error",
  [nodeClientsCheck()],
  async () => {
    await withClients(FEDERATION, async (emu, scratch) => {
      const adc = await fileSourceJson(emu, scratch, { jwtLifetime: -5 });
      const out = await runNodeProbe(emu, "gauth_token.cjs", [], {
        GOOGLE_APPLICATION_CREDENTIALS: adc,
        GOOGLE_CLOUD_PROJECT: "my-proj",
      });
      assert.notEqual(out.code, 0);
      assert.match(out.stderr, /invalid_grant/);
      assert.match(out.stderr, /stale to sign-in/);
      assert.equal(emu.calls("gcp.iam.generateAccessToken"), 0);
    });
  },
);

clientTest(
  "gcloud: a config dir whose active configuration holds [core] project and [auth] credential_file_override needs no other variable",
  [gcloudCheck()],
  async () => {
    await withClients(FEDERATION, async (emu, scratch) => {
      const adc = await fileSourceJson(emu, scratch);
      const config = join(scratch, "gcloud");
      await writeGcloudConfig(config, {
        core: { project: "my-proj" },
        auth: { credential_file_override: adc },
        api_endpoint_overrides: { cloudresourcemanager: `${emu.url}/` },
      });
      const env = { CLOUDSDK_CONFIG: config };
      const printed = await runClient(emu, ["/usr/bin/gcloud", "auth", "print-access-token"], env);
      assert.equal(printed.code, 0, printed.stderr);
      const token = printed.stdout.trim();
      assert.equal(emu.gcp.tokenInfo(token)?.principal, `serviceAccount:${SA}`);
      const project = await runClient(
        emu,
        ["/usr/bin/gcloud", "config", "get-value", "project"],
        env,
      );
      assert.equal(project.stdout.trim(), "my-proj", project.stderr);
      const described = await runClient(
        emu,
        ["/usr/bin/gcloud", "projects", "describe", "my-proj", "--format=json"],
        env,
      );
      assert.equal(described.code, 0, described.stderr);
      assert.equal(JSON.parse(described.stdout).projectNumber, "123456");
      assert.deepEqual(emu.callers("gcp.projects.get"), [`serviceAccount:${SA}`]);
      // gcloud cached the minted token in the config dir (one exchange for the three commands),
      // in a file its umask leaves world-readable: the config dir itself must be private.
      assert.equal(emu.calls("gcp.sts.token"), 1);
      const cache = await Deno.stat(join(config, "access_tokens.db"));
      assert.equal(cache.mode! & 0o777, 0o644);
    });
  },
);

clientTest(
  "gcloud: an authorized_user override refreshes at [auth] token_host, and again each run while the token lives under 5 minutes",
  [gcloudCheck()],
  async () => {
    await withClients({ gcp: { tokenLifetime: 30 } }, async (emu, scratch) => {
      const user = emu.gcp.createUser("alice@example.com");
      const adc = join(scratch, "application_default_credentials.json");
      await writePrivate(adc, JSON.stringify(user));
      const config = join(scratch, "gcloud");
      await writeGcloudConfig(config, {
        core: { project: "my-proj" },
        auth: { credential_file_override: adc, token_host: emu.gcp.oauthTokenUrl() },
      });
      const tokens: string[] = [];
      for (let run = 1; run <= 2; run++) {
        const printed = await runClient(emu, ["/usr/bin/gcloud", "auth", "print-access-token"], {
          CLOUDSDK_CONFIG: config,
        });
        assert.equal(printed.code, 0, printed.stderr);
        tokens.push(printed.stdout.trim());
        assert.equal(emu.gcp.tokenInfo(tokens.at(-1)!)?.principal, "user:alice@example.com");
        // A 30-second token is inside google-auth's refresh margin: gcloud does not reuse it.
        assert.equal(emu.calls("gcp.oauth.refresh_token"), run);
      }
      assert.notEqual(tokens[0], tokens[1]);
    });
  },
);

clientTest(
  "gcloud: CLOUDSDK_AUTH_TOKEN_HOST and CLOUDSDK_AUTH_CREDENTIAL_FILE_OVERRIDE work as variables too",
  [gcloudCheck()],
  async () => {
    await withClients({}, async (emu, scratch) => {
      const user = emu.gcp.createUser("bob@example.com");
      const adc = join(scratch, "adc.json");
      await writePrivate(adc, JSON.stringify(user));
      const printed = await runClient(emu, ["/usr/bin/gcloud", "auth", "print-access-token"], {
        CLOUDSDK_CONFIG: join(scratch, "gcloud"),
        CLOUDSDK_AUTH_CREDENTIAL_FILE_OVERRIDE: adc,
        CLOUDSDK_AUTH_TOKEN_HOST: emu.gcp.oauthTokenUrl(),
      });
      assert.equal(printed.code, 0, printed.stderr);
      assert.equal(emu.gcp.tokenInfo(printed.stdout.trim())?.email, "bob@example.com");
    });
  },
);
