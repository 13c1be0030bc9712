/**
 * End-to-end tests of the laptop flow `gcp/adc → gcp/service-account`: the user's own ADC file
 * in a scratch HOME, atmos's files read by real clients (google-auth-library with no arguments,
 * gcloud with only the variables atmos sets), the caching rule, the commands (`whoami`, `env`,
 * `console`, `logout`), and nothing written outside `<config>/atmos`.
 */
import { join } from "node:path";
import assert from "node:assert/strict";
import { startEmulator } from "../emulator/mod.ts";
import { clientTest, gcloudCheck, nodeClientsCheck } from "../emulator/client_runner.ts";
import { assertNoSecrets, createSandbox } from "./harness.ts";
import { modeOf } from "./auth_support.ts";
import { CREDENTIAL_VARIABLES as AWS_VARIABLES } from "../../lib/aws/variables.ts";
import { CREDENTIAL_VARIABLES as GOOGLE_VARIABLES } from "../../lib/gcp/variables.ts";
import {
  childEnv,
  GCLOUD_PROJECT,
  GCLOUD_TOKEN,
  gcpFiles,
  googleEnv,
  homeOutsideAtmos,
  issuedAccessTokens,
  NODE_PROBE,
  probeToken,
  writeUserAdc,
} from "./gcp_support.ts";

const SA = "deployer@my-proj.iam.gserviceaccount.com";
const USER = "alice@example.com";

const YAML = `
auth:
  providers:
    gcloud-user:
      kind: gcp/adc
      spec:
        region: us-central1
  identities:
    gcp-dev:
      kind: gcp/service-account
      default: true
      via: { provider: gcloud-user }
      principal:
        service_account_email: ${SA}
        lifetime: 30m
    gcp-me:
      kind: gcp/project
      via: { provider: gcloud-user }
      principal:
        project_id: my-proj
        zone: us-central1-b
`;

clientTest(
  "gcp/adc → gcp/service-account: google-auth-library and gcloud in auth exec get the service account's tokens from atmos's files, with no token in any variable",
  [nodeClientsCheck(), gcloudCheck()],
  async () => {
    const emu = await startEmulator({
      gcp: { googleHosts: true, serviceAccounts: [{ email: SA, members: [`user:${USER}`] }] },
    });
    const sb = await createSandbox(YAML, { env: googleEnv(emu) });
    try {
      const user = emu.gcp.createUser(USER);
      const userAdc = await writeUserAdc(sb, user);
      const gcloudHome = join(sb.home, ".config", "gcloud");
      const before = await homeOutsideAtmos(sb);

      const login = await sb.run(["auth", "login", "gcp-dev"]);
      assert.equal(login.code, 0, login.stderr);
      // One user refresh and one impersonation check the chain; nothing else.
      assert.equal(emu.calls("gcp.oauth.refresh_token"), 1);
      assert.equal(emu.calls("gcp.iam.generateAccessToken"), 1);
      assert.equal(emu.calls("gcp.sts.token"), 0);

      const files = gcpFiles(sb, "gcloud-user", "gcp-dev");
      for (const path of [files.adc, files.configuration]) assert.equal(await modeOf(path), 0o600);
      for (const path of [files.adcDir, files.configDir]) assert.equal(await modeOf(path), 0o700);
      const adc = JSON.parse(await Deno.readTextFile(files.adc));
      assert.equal(adc.type, "impersonated_service_account");
      assert.match(
        adc.service_account_impersonation_url,
        new RegExp(`/${SA}:generateAccessToken$`),
      );
      assert.equal(adc.source_credentials.type, "authorized_user");
      const configuration = await Deno.readTextFile(files.configuration);
      assert.match(configuration, /\[core\]\nproject = my-proj\n/);
      assert.match(configuration, /\[compute\]\nregion = us-central1\n/);
      assert.match(configuration, new RegExp(`impersonate_service_account = ${SA}\n`));
      assert.match(configuration, new RegExp(`token_host = ${emu.gcp.oauthTokenUrl()}\n`));
      // atmos's files hold refreshable credentials, never a minted token.
      const written = [await Deno.readTextFile(files.adc), configuration].join("\n");
      for (const token of issuedAccessTokens(emu)) assert.ok(!written.includes(token));

      // A warm run reads the files: no call at all.
      emu.resetCalls();
      const warm = await sb.run(["auth", "exec", "--", "true"]);
      assert.equal(warm.code, 0, warm.stderr);
      assert.equal(emu.calls(), 0);

      const node = await sb.run(["auth", "exec", "-i", "gcp-dev", "--", ...NODE_PROBE]);
      const nodeToken = probeToken(node);
      assert.equal(emu.gcp.tokenInfo(nodeToken)?.principal, `serviceAccount:${SA}`);
      // google-auth-library refreshes the user at Google's fixed host and impersonates at
      // iamcredentials.googleapis.com (the trap forwards both to the emulator).
      assert.deepEqual(emu.trap.forwarded(), [
        "oauth2.googleapis.com:443",
        "iamcredentials.googleapis.com:443",
      ]);

      const gcloud = await sb.run(["auth", "exec", "-i", "gcp-dev", "--", ...GCLOUD_TOKEN]);
      assert.equal(gcloud.code, 0, gcloud.stderr);
      assert.equal(emu.gcp.tokenInfo(gcloud.stdout.trim())?.principal, `serviceAccount:${SA}`);
      const project = await sb.run(["auth", "exec", "-i", "gcp-dev", "--", ...GCLOUD_PROJECT]);
      assert.equal(project.stdout.trim(), "my-proj", project.stderr);

      // Children get pointers only: stale credentials of the parent are gone.
      const dump = await childEnv(sb, "gcp-dev", {
        GOOGLE_OAUTH_ACCESS_TOKEN: "ya29.stale-parent-token",
        GOOGLE_CREDENTIALS: "/tmp/other-key.json",
        CLOUDSDK_AUTH_ACCESS_TOKEN_FILE: "/tmp/token",
        AWS_PROFILE: "prod",
        AWS_ACCESS_KEY_ID: "AKIAEXAMPLEEXAMPLE00",
      });
      assert.equal(dump.env.GOOGLE_APPLICATION_CREDENTIALS, files.adc);
      assert.equal(dump.env.CLOUDSDK_CONFIG, files.configDir);
      assert.equal(dump.env.CLOUDSDK_ACTIVE_CONFIG_NAME, "atmos");
      assert.equal(dump.env.GOOGLE_CLOUD_PROJECT, "my-proj");
      assert.equal(dump.env.GCLOUD_PROJECT, "my-proj");
      assert.equal(dump.env.CLOUDSDK_CORE_PROJECT, "my-proj");
      assert.equal(dump.env.CLOUDSDK_COMPUTE_REGION, "us-central1");
      assert.equal(dump.env.ATMOS_IDENTITY, "gcp-dev");
      for (
        const name of [
          "GOOGLE_OAUTH_ACCESS_TOKEN",
          "GOOGLE_CREDENTIALS",
          "CLOUDSDK_AUTH_ACCESS_TOKEN_FILE",
          "AWS_PROFILE",
          "AWS_ACCESS_KEY_ID",
        ]
      ) assert.equal(dump.env[name], undefined, name);

      // The user's gcloud dir holds their ADC only; nothing outside <config>/atmos changed.
      assert.deepEqual(
        [...Deno.readDirSync(gcloudHome)].map((e) => e.name),
        ["application_default_credentials.json"],
      );
      assert.deepEqual(await homeOutsideAtmos(sb), before);
      assert.equal(await Deno.readTextFile(userAdc), JSON.stringify(user));

      // (The clients' own stdout carries the token they were asked to print.)
      assertNoSecrets(emu.secrets(), {
        "login output": login.stdout + login.stderr,
        "exec output": warm.stdout + warm.stderr + node.stderr + gcloud.stderr,
        "gcloud output": project.stdout + project.stderr,
        "child argv and env": dump.run.stdout,
      });
      assert.deepEqual(emu.trap.log(), [], "a client tried to leave loopback");
    } finally {
      await sb.cleanup();
      await emu.stop();
    }
  },
);

clientTest(
  "gcp identities: whoami asks Google who the files stand for, env prints pointers only, console --print-only gives the project's console, logout removes exactly one identity's files",
  [gcloudCheck()],
  async () => {
    const emu = await startEmulator({
      gcp: { serviceAccounts: [{ email: SA, members: [`user:${USER}`] }] },
    });
    const sb = await createSandbox(YAML, { env: googleEnv(emu) });
    try {
      await writeUserAdc(sb, emu.gcp.createUser(USER));
      const dev = gcpFiles(sb, "gcloud-user", "gcp-dev");
      const me = gcpFiles(sb, "gcloud-user", "gcp-me");

      const whoami = await sb.run(["auth", "whoami", "-i", "gcp-dev", "-o", "json"]);
      assert.equal(whoami.code, 0, whoami.stderr);
      const facts = JSON.parse(whoami.stdout);
      assert.equal(facts.principal, SA);
      assert.equal(facts.project, "my-proj");
      assert.equal(facts.kind, "gcp/service-account");
      assert.ok(Date.parse(facts.expiration) > Date.now() + 25 * 60_000, facts.expiration);
      // The user's own identity: whoami learns the e-mail from token information.
      const whoamiMe = await sb.run(["auth", "whoami", "-i", "gcp-me"]);
      assert.equal(whoamiMe.code, 0, whoamiMe.stderr);
      assert.match(whoamiMe.stderr, new RegExp(`Principal +${USER}\n`));
      assert.match(whoamiMe.stderr, /Project +my-proj\n/);
      const meAdc = JSON.parse(await Deno.readTextFile(me.adc));
      assert.equal(meAdc.type, "authorized_user");
      assert.match(await Deno.readTextFile(me.configuration), /zone = us-central1-b\n/);

      const formats: Record<string, string> = {};
      for (const format of ["bash", "json", "dotenv"]) {
        const env = await sb.run(["auth", "env", "-i", "gcp-dev", "-f", format]);
        assert.equal(env.code, 0, env.stderr);
        formats[format] = env.stdout;
      }
      const vars = JSON.parse(formats.json);
      assert.deepEqual(Object.keys(vars).sort(), [
        "ATMOS_IDENTITY",
        "CLOUDSDK_ACTIVE_CONFIG_NAME",
        "CLOUDSDK_COMPUTE_REGION",
        "CLOUDSDK_CONFIG",
        "CLOUDSDK_CORE_PROJECT",
        "GCLOUD_PROJECT",
        "GOOGLE_APPLICATION_CREDENTIALS",
        "GOOGLE_CLOUD_PROJECT",
        "GOOGLE_CLOUD_REGION",
      ]);
      assert.equal(vars.GOOGLE_APPLICATION_CREDENTIALS, dev.adc);
      const unset = formats.bash.split("\n")[0].split(" ");
      assert.equal(unset[0], "unset");
      for (const name of ["GOOGLE_OAUTH_ACCESS_TOKEN", "GOOGLE_CREDENTIALS", "AWS_PROFILE"]) {
        assert.ok(unset.includes(name), name);
      }
      assert.ok(formats.bash.includes(`\nexport CLOUDSDK_CONFIG=${dev.configDir}\n`));
      assert.match(formats.dotenv, /^ATMOS_IDENTITY=gcp-dev\n/);
      const githubEnv = join(sb.home, "github_env");
      await Deno.writeTextFile(githubEnv, "");
      const github = await sb.run(["auth", "env", "-i", "gcp-dev", "-f", "github"], {
        env: { GITHUB_ENV: githubEnv },
      });
      assert.equal(github.code, 0, github.stderr);
      assert.match(await Deno.readTextFile(githubEnv), /^CLOUDSDK_ACTIVE_CONFIG_NAME=atmos$/m);

      const noOpen = await sb.run(["auth", "console", "-i", "gcp-dev", "--no-open"]);
      assert.equal(noOpen.code, 0, noOpen.stderr);
      assert.equal(noOpen.stdout, "");
      const printed = await sb.run(["auth", "console", "-i", "gcp-dev", "--print-only"]);
      assert.equal(printed.code, 0, printed.stderr);
      assert.equal(
        printed.stdout,
        "https://console.cloud.google.com/home/dashboard?project=my-proj\n",
      );
      const page = await sb.run([
        "auth",
        "console",
        "-i",
        "gcp-me",
        "--print-only",
        "--destination",
        "compute/instances",
      ]);
      assert.equal(
        page.stdout,
        "https://console.cloud.google.com/compute/instances?project=my-proj\n",
      );
      const badDuration = await sb.run(["auth", "console", "-i", "gcp-dev", "--duration", "1h"]);
      assert.equal(badDuration.code, 2);
      assert.match(badDuration.stderr, /--duration does not apply to the Google Cloud console/);

      // gcloud has written its own files into the identity's config dir; logout removes them
      // with atmos's, and only that identity's.
      const gcloud = await sb.run(["auth", "exec", "-i", "gcp-dev", "--", ...GCLOUD_TOKEN]);
      assert.equal(gcloud.code, 0, gcloud.stderr);
      assert.ok(await Deno.lstat(join(dev.configDir, "access_tokens.db")));
      const dry = await sb.run(["auth", "logout", "gcp-dev", "--dry-run"]);
      assert.equal(dry.code, 0, dry.stderr);
      assert.ok(await Deno.lstat(dev.adc));
      const logout = await sb.run(["auth", "logout", "gcp-dev"]);
      assert.equal(logout.code, 0, logout.stderr);
      for (const gone of [dev.adcDir, dev.configDir]) {
        await assert.rejects(Deno.lstat(gone), Deno.errors.NotFound);
      }
      assert.ok(await Deno.lstat(me.adc), "another identity's files were removed");

      assertNoSecrets(emu.secrets(), {
        whoami: whoami.stdout + whoami.stderr + whoamiMe.stdout + whoamiMe.stderr,
        env: Object.values(formats).join("") + await Deno.readTextFile(githubEnv),
        console: noOpen.stderr + printed.stdout + printed.stderr + page.stderr,
        logout: dry.stdout + dry.stderr + logout.stdout + logout.stderr,
      });
      assert.deepEqual(emu.trap.log(), [], "a client tried to leave loopback");
    } finally {
      await sb.cleanup();
      await emu.stop();
    }
  },
);

Deno.test("gcp/adc: a changed ADC file is read again at the next run, and a refused refresh says how to log in again", async () => {
  const emu = await startEmulator({
    gcp: { serviceAccounts: [{ email: SA, members: [`user:${USER}`, "user:bob@example.com"] }] },
  });
  const sb = await createSandbox(YAML, { env: googleEnv(emu) });
  try {
    await writeUserAdc(sb, emu.gcp.createUser(USER));
    const first = await sb.run(["auth", "exec", "-i", "gcp-dev", "--", "true"]);
    assert.equal(first.code, 0, first.stderr);
    emu.resetCalls();
    const warm = await sb.run(["auth", "exec", "-i", "gcp-dev", "--", "true"]);
    assert.equal(warm.code, 0, warm.stderr);
    assert.equal(emu.calls(), 0);

    // `gcloud auth application-default login` as another user: the next run follows it.
    const bob = emu.gcp.createUser("bob@example.com");
    await writeUserAdc(sb, bob);
    const again = await sb.run(["auth", "exec", "-i", "gcp-dev", "--", "true"]);
    assert.equal(again.code, 0, again.stderr);
    assert.equal(emu.calls("gcp.oauth.refresh_token"), 1);
    const adc = JSON.parse(
      await Deno.readTextFile(gcpFiles(sb, "gcloud-user", "gcp-dev").adc),
    );
    assert.equal(adc.source_credentials.refresh_token, bob.refresh_token);

    // A refresh token Google no longer accepts: one line, with the fix.
    await writeUserAdc(sb, { ...bob, refresh_token: "1//0revoked-refresh-token" });
    const refused = await sb.run(["auth", "login", "gcp-dev"]);
    assert.equal(refused.code, 1);
    assert.equal(refused.stderr.trimEnd().split("\n").length, 1, refused.stderr);
    assert.match(
      refused.stderr,
      /Identity "gcp-dev": Cannot refresh the user's Google token: .*invalid_grant/,
    );
    assert.match(refused.stderr, /gcloud auth application-default login/);
    assertNoSecrets(emu.secrets(), {
      output: [first, warm, again, refused].map((r) => r.stdout + r.stderr).join(""),
    });
  } finally {
    await sb.cleanup();
    await emu.stop();
  }
});

Deno.test("a child of a Google identity gets no AWS pointer, and a child of an AWS identity no Google one, whatever the parent had", async () => {
  const emu = await startEmulator({
    gcp: { serviceAccounts: [{ email: SA, members: [`user:${USER}`] }] },
  });
  const keys = emu.createUser({ name: "deployer" });
  const sb = await createSandbox(
    `${YAML}
    aws-dev:
      kind: aws/user
      credentials:
        access_key_id: !env BASE_AK
        secret_access_key: !env BASE_SK
        region: us-east-2
`,
    {
      endpoint: emu.url,
      env: { ...googleEnv(emu), BASE_AK: keys.accessKeyId, BASE_SK: keys.secretAccessKey },
    },
  );
  try {
    await writeUserAdc(sb, emu.gcp.createUser(USER));
    // Logged in first: with a fresh session, the parent's variables only reach the children.
    for (const identity of ["aws-dev", "gcp-me"]) {
      const login = await sb.run(["auth", "login", identity]);
      assert.equal(login.code, 0, login.stderr);
    }
    const parent = {
      GOOGLE_APPLICATION_CREDENTIALS: "/tmp/someone-else.json",
      CLOUDSDK_CONFIG: "/tmp/someone-else-gcloud",
      GOOGLE_OAUTH_ACCESS_TOKEN: "ya29.parent-token",
      GOOGLE_IMPERSONATE_SERVICE_ACCOUNT: "other@x.iam.gserviceaccount.com",
      AWS_PROFILE: "parent-profile",
      AWS_SHARED_CREDENTIALS_FILE: "/tmp/someone-else-credentials",
    };
    const aws = await childEnv(sb, "aws-dev", parent);
    assert.equal(aws.env.AWS_PROFILE, "aws-dev");
    assert.match(
      aws.env.AWS_SHARED_CREDENTIALS_FILE,
      /\/\.config\/atmos\/aws\/aws-user\/credentials$/,
    );
    const google = await childEnv(sb, "gcp-me", parent);
    assert.equal(google.env.CLOUDSDK_CONFIG, gcpFiles(sb, "gcloud-user", "gcp-me").configDir);
    for (const name of GOOGLE_VARIABLES) assert.equal(aws.env[name], undefined, name);
    for (const name of AWS_VARIABLES) assert.equal(google.env[name], undefined, name);
    assertNoSecrets(emu.secrets(), {
      "AWS child": aws.run.stdout + aws.run.stderr,
      "Google child": google.run.stdout + google.run.stderr,
    });
  } finally {
    await sb.cleanup();
    await emu.stop();
  }
});

Deno.test("auth validate locates every mistake in Google kinds, with near names, and nothing is called", async () => {
  const emu = await startEmulator();
  const sb = await createSandbox(
    `auth:
  providers:
    wif:
      kind: gcp/workload-identity-federation
      spec:
        workload_identity_pool_id: pool
        workload_identity_pool: other-pool
        workload_identity_provider_id: p
        token_source: { type: file }
    adc:
      kind: gcp/adc
      spec: { project: my-proj, scopes: [cloud platform] }
  identities:
    sa:
      kind: gcp/service-account
      via: { provider: adc }
      principal:
        service_acount_email: deployer@my-proj.iam.gserviceaccount.com
    sa2:
      kind: gcp/service-account
      via: { provider: wif }
      principal:
        service_account_email: deployer@gmail.com
        lifetime: 13h
        delegates: [not-an-email]
    proj:
      kind: gcp/project
      via: { identity: sa2 }
      principal: { project_id: 42, zone: US_EAST }
`,
    { env: googleEnv(emu) },
  );
  try {
    const run = await sb.run(["auth", "validate"]);
    assert.equal(run.code, 2, run.stderr);
    const lines = run.stderr.trimEnd().split("\n");
    const expected = [
      /^error: atmos\.yaml:5:7: auth\.providers\.wif\.spec\.project_number: spec\.project_number is required/,
      /^error: atmos\.yaml:7:33: auth\.providers\.wif\.spec\.workload_identity_pool: spec\.workload_identity_pool and spec\.workload_identity_pool_id name different pools/,
      /^error: atmos\.yaml:8:40: auth\.providers\.wif\.spec\.workload_identity_provider_id: "p" is not a workload identity pool or provider id/,
      /^error: atmos\.yaml:9:9: auth\.providers\.wif\.spec\.token_source\.file_path: a token_source of type file needs file_path/,
      /^error: atmos\.yaml:12:24: auth\.providers\.adc\.spec\.project: unknown spec field "project" \(allowed: project_id, region, scopes\)/,
      /^error: atmos\.yaml:18:31: auth\.identities\.sa\.principal\.service_acount_email: unknown principal field "service_acount_email"; did you mean "service_account_email"\?/,
      /^error: atmos\.yaml:23:32: auth\.identities\.sa2\.principal\.service_account_email: "deployer@gmail\.com" is not a service account e-mail/,
      /^error: atmos\.yaml:24:19: auth\.identities\.sa2\.principal\.lifetime: invalid lifetime "13h" \(use a duration from 1s to 12h/,
      /^error: atmos\.yaml:25:21: auth\.identities\.sa2\.principal\.delegates\.0: "not-an-email" is not a service account e-mail/,
      /^error: atmos\.yaml:29:32: auth\.identities\.proj\.principal\.project_id: "project_id" must be a string, not a number/,
    ];
    assert.equal(lines.length, expected.length + 1, run.stderr);
    expected.forEach((pattern, i) => assert.match(lines[i], pattern));
    assert.equal(emu.calls(), 0);
  } finally {
    await sb.cleanup();
    await emu.stop();
  }
});
