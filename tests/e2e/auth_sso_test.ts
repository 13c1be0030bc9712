/**
 * End-to-end tests of IAM Identity Center: the device flow against the emulator (approved from
 * the test), the token cache, silent refresh with a rotated refresh token, one login for many
 * parallel callers (with and without a terminal), cancel and expiry, permission sets by account
 * name, auto-provisioned identities, logout, and no secret in any output or child environment.
 */
import assert from "node:assert/strict";
import { join } from "node:path";
import { assertNoSecrets, DUMP_CHILD } from "./harness.ts";
import { assertOneLineError, callerArnFromFiles, modeOf } from "./auth_support.ts";
import { runOnTty } from "./tty.ts";
import {
  expireToken,
  runApproved,
  setUpSso,
  ssoCacheFile,
  START_URL,
  waitFor,
} from "./sso_support.ts";

const DEV_ARN =
  /^arn:aws:sts::222222222222:assumed-role\/AWSReservedSSO_AdministratorAccess_[0-9a-f]{16}\/alice$/;

/** Number of parallel callers. */
const PARALLEL = 20;

function ssoFiles(configDir: string): { credentials: string; config: string } {
  const dir = join(configDir, "aws", "sso");
  return { credentials: join(dir, "credentials"), config: join(dir, "config") };
}

Deno.test("auth login runs the device flow: code and URL on stderr, browser opened, token cache 0600, files the AWS CLI reads", async () => {
  const setup = await setUpSso();
  const { emu, sb } = setup;
  try {
    // Debug logging on: even then no secret may appear.
    const login = await runApproved(setup, ["auth", "login"], {
      ATMOS_FORCE_TTY: "true",
      ATMOS_LOGS_LEVEL: "Debug",
    });
    assert.equal(login.code, 0, login.stderr);
    assert.match(login.stderr, /DEBU sso "sso": registering client/);
    const url = `${emu.url}/device?user_code=${login.userCode}`;
    assert.match(login.stderr, new RegExp(`Sign in to AWS IAM Identity Center for provider "sso"`));
    assert.ok(login.stderr.includes(url), login.stderr);
    assert.ok(login.stderr.includes(`code   ${login.userCode}`), login.stderr);
    assert.match(login.stderr, /Authentication successful/);
    assert.deepEqual((await setup.browserLog()).map((line) => line.split(" ")[0]), [url]);
    assert.deepEqual(
      {
        register: emu.calls("sso-oidc.RegisterClient"),
        start: emu.calls("sso-oidc.StartDeviceAuthorization"),
        refresh: emu.calls("sso-oidc.CreateToken.refresh_token"),
        // Page size 1: the account name is looked up across three pages.
        listAccounts: emu.calls("sso.ListAccounts"),
        roleCredentials: emu.calls("sso.GetRoleCredentials"),
      },
      { register: 1, start: 1, refresh: 0, listAccounts: 3, roleCredentials: 1 },
    );
    assert.ok(emu.calls("sso-oidc.CreateToken.device_code") >= 1);

    const cachePath = await ssoCacheFile(sb);
    assert.equal(await modeOf(cachePath), 0o600);
    const cache = JSON.parse(await Deno.readTextFile(cachePath));
    assert.deepEqual(Object.keys(cache).sort(), [
      "accessToken",
      "clientId",
      "clientSecret",
      "expiresAt",
      "refreshToken",
      "region",
      "registrationExpiresAt",
      "startUrl",
    ]);
    assert.equal(cache.startUrl, START_URL);
    assert.equal(cache.region, "eu-west-1");
    assert.match(cache.expiresAt, /^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ$/);

    const files = ssoFiles(sb.configDir);
    assert.equal(await modeOf(files.credentials), 0o600);
    assert.match(await callerArnFromFiles(sb, emu.url, files, "dev"), DEV_ARN);

    emu.resetCalls();
    const warm = await sb.run(["auth", "exec", "--", ...DUMP_CHILD]);
    assert.equal(warm.code, 0, warm.stderr);
    assert.equal(emu.calls(), 0, "a fresh role session needs no call at all");
    const whoami = await sb.run(["auth", "whoami", "-o", "json"]);
    assert.equal(whoami.code, 0, whoami.stderr);
    assert.match(JSON.parse(whoami.stdout).principal, DEV_ARN);
    assertNoSecrets(emu.secrets(), {
      "login stderr": login.stderr,
      "login stdout": login.stdout,
      "child env": warm.stdout,
      whoami: whoami.stdout + whoami.stderr,
    });
  } finally {
    await setup.cleanup();
  }
});

Deno.test("--no-browser and CI show the sign-in URL without opening a browser", async () => {
  const setup = await setUpSso();
  try {
    const quiet = await runApproved(setup, ["auth", "login", "--no-browser"]);
    assert.equal(quiet.code, 0, quiet.stderr);
    assert.ok(quiet.stderr.includes(quiet.userCode));
    await setup.sb.run(["auth", "logout", "--provider", "sso"]);
    const ci = await runApproved(setup, ["auth", "login"], { ATMOS_FORCE_TTY: "true", CI: "true" });
    assert.equal(ci.code, 0, ci.stderr);
    assert.deepEqual(await setup.browserLog(), []);
    assert.equal(setup.emu.calls("sso-oidc.StartDeviceAuthorization"), 2);
  } finally {
    await setup.cleanup();
  }
});

Deno.test("an expired access token is refreshed silently: one refresh, no device flow, the refresh token rotated", async () => {
  const setup = await setUpSso();
  const { emu, sb } = setup;
  try {
    assert.equal((await runApproved(setup, ["auth", "login"])).code, 0);
    const oldRefreshToken = await expireToken(setup);
    const run = await sb.run(["auth", "exec", "--", ...DUMP_CHILD], {
      env: { ATMOS_LOGS_LEVEL: "Debug" },
    });
    assert.equal(run.code, 0, run.stderr);
    assert.match(run.stderr, /DEBU sso "sso": refreshing the access token/);
    assert.equal(emu.calls("sso-oidc.CreateToken.refresh_token"), 1);
    assert.equal(emu.calls("sso-oidc.StartDeviceAuthorization"), 0);
    assert.equal(emu.calls("sso-oidc.RegisterClient"), 0, "the registration is reused");
    const cache = JSON.parse(await Deno.readTextFile(await ssoCacheFile(sb)));
    assert.notEqual(cache.refreshToken, oldRefreshToken);
    assert.equal(emu.ssoRefreshTokenValid(oldRefreshToken), false);
    assert.equal(emu.ssoRefreshTokenValid(cache.refreshToken), true);
    assert.ok(new Date(cache.expiresAt).getTime() > Date.now() + 3600_000);
    const env = JSON.parse(run.stdout).env as Record<string, string>;
    assert.equal(env.AWS_PROFILE, "dev");
    assertNoSecrets(emu.secrets(), { stdout: run.stdout, stderr: run.stderr });
  } finally {
    await setup.cleanup();
  }
});

Deno.test(`${PARALLEL} parallel auth exec runs with an expired access token make exactly one refresh`, async () => {
  const setup = await setUpSso();
  const { emu, sb } = setup;
  try {
    assert.equal((await runApproved(setup, ["auth", "login"])).code, 0);
    await expireToken(setup);
    const runs = await Promise.all(
      Array.from({ length: PARALLEL }, () => sb.run(["auth", "exec", "--", "true"])),
    );
    for (const run of runs) assert.equal(run.code, 0, run.stderr);
    assert.equal(emu.calls("sso-oidc.CreateToken.refresh_token"), 1);
    assert.equal(emu.calls("sso-oidc.StartDeviceAuthorization"), 0);
    assertNoSecrets(emu.secrets(), { stderr: runs.map((r) => r.stderr + r.stdout).join("") });
  } finally {
    await setup.cleanup();
  }
});

Deno.test(`with no token and no terminal, ${PARALLEL} parallel callers each fail with one clear line and no device flow starts`, async () => {
  const setup = await setUpSso();
  const { emu, sb } = setup;
  try {
    const runs = await Promise.all(
      Array.from({ length: PARALLEL }, () => sb.run(["auth", "exec", "--", "true"])),
    );
    for (const run of runs) {
      assertOneLineError(
        run,
        2,
        /provider "sso" needs you to sign in to .*run "atmos auth login" on a terminal/,
      );
    }
    assert.equal(emu.calls("sso-oidc.RegisterClient"), 0);
    assert.equal(emu.calls("sso-oidc.StartDeviceAuthorization"), 0);
  } finally {
    await setup.cleanup();
  }
});

Deno.test(`on terminals, ${PARALLEL} parallel callers share one device flow`, async () => {
  const setup = await setUpSso();
  const { emu, sb } = setup;
  try {
    const runs = Array.from(
      { length: PARALLEL },
      () => runOnTty(sb, ["auth", "exec", "--", "true"]),
    );
    const userCode = await waitFor(() => emu.ssoPending()[0], "a device authorization");
    emu.ssoApprove(userCode);
    const results = await Promise.all(runs.map((run) => run.done()));
    for (const result of results) assert.equal(result.code, 0, result.screen);
    assert.equal(emu.calls("sso-oidc.StartDeviceAuthorization"), 1);
    assert.equal(emu.calls("sso-oidc.RegisterClient"), 1);
    assert.equal(results.filter((r) => r.screen.includes(userCode)).length, 1);
    // The stand-in browser runs on its own; its log line may land after atmos has exited.
    let tabs: string[] = [];
    await waitFor(() => tabs.length > 0 ? true : undefined, "the browser tab", 30_000, async () => {
      tabs = await setup.browserLog();
    });
    assert.equal(tabs.length, 1, "one browser tab, not twenty");
    assertNoSecrets(emu.secrets(), { screens: results.map((r) => r.screen).join("") });
  } finally {
    await setup.cleanup();
  }
});

Deno.test("Ctrl-C cancels the device flow with exit 130 and leaves the portal lock free", async () => {
  const setup = await setUpSso();
  const { emu, sb } = setup;
  try {
    const run = runOnTty(sb, ["auth", "login"]);
    await waitFor(() => emu.ssoPending()[0], "a device authorization");
    await run.type("\x03");
    const result = await run.done();
    assert.equal(result.code, 130, result.screen);
    assert.match(result.screen, /sign-in cancelled/);
    // The lock is free: a non-interactive caller is answered at once, not after a wait.
    const after = await sb.run(["auth", "exec", "--", "true"]);
    assertOneLineError(after, 2, /needs you to sign in/);
  } finally {
    await setup.cleanup();
  }
});

Deno.test("an unapproved sign-in gives up when the device code expires; a denied one fails", async () => {
  const setup = await setUpSso({ deviceCodeLifetime: 2 });
  const { emu, sb } = setup;
  try {
    const expired = await sb.run(["auth", "login", "--no-browser"], {
      env: { ATMOS_FORCE_TTY: "true" },
    });
    assert.equal(expired.code, 1, expired.stderr);
    assert.match(expired.stderr, /error: the sign-in request expired before it was approved/);
    const running = sb.run(["auth", "login", "--no-browser"], { env: { ATMOS_FORCE_TTY: "true" } });
    emu.ssoDeny(await waitFor(() => emu.ssoPending()[0], "a device authorization"));
    const denied = await running;
    assert.equal(denied.code, 1, denied.stderr);
    assert.match(denied.stderr, /error: the sign-in request was denied/);
    assert.equal(await Deno.stat(await ssoCacheFile(sb)).then(() => true, () => false), false);
  } finally {
    await setup.cleanup();
  }
});

Deno.test("a permission set's account name is matched exactly across pages; a typo gets a suggestion", async () => {
  const setup = await setUpSso(
    {},
    `
auth:
  providers:
    sso: { kind: aws/iam-identity-center, start_url: ${START_URL}, region: eu-west-1 }
  identities:
    typo:
      kind: aws/permission-set
      via: { provider: sso }
      principal: { name: ReadOnly, account: { name: Stagin } }
    by-id:
      kind: aws/permission-set
      via: { provider: sso }
      principal: { name: ReadOnly, account: { id: "333333333333" }, region: ap-south-1 }
`,
  );
  const { emu, sb } = setup;
  try {
    const login = await runApproved(setup, ["auth", "login", "by-id"]);
    assert.equal(login.code, 0, login.stderr);
    assert.equal(emu.calls("sso.ListAccounts"), 0, "an account ID needs no lookup");
    const config = await Deno.readTextFile(ssoFiles(sb.configDir).config);
    assert.match(config, /\[profile by-id\]\nregion = ap-south-1\n/);
    const typo = await sb.run(["auth", "exec", "-i", "typo", "--", "true"]);
    assertOneLineError(
      typo,
      2,
      /identity "typo": no account named "Stagin" is assigned to you in .*; did you mean "Staging"\?/,
    );
    assert.equal(emu.calls("sso.ListAccounts"), 3, "every page is read");
  } finally {
    await setup.cleanup();
  }
});

Deno.test("auto_provision_identities discovers every account and role (retrying 429s) into auth list", async () => {
  const setup = await setUpSso(
    { throttle: { ListAccounts: 1, ListAccountRoles: 3 } },
    `
auth:
  providers:
    sso:
      kind: aws/iam-identity-center
      start_url: ${START_URL}
      region: eu-west-1
      auto_provision_identities: true
`,
  );
  const { emu, sb } = setup;
  try {
    // No identity is configured: a bare login signs in to the only provider (as in Atmos).
    const login = await runApproved(setup, ["auth", "login"]);
    assert.equal(login.code, 0, login.stderr);
    assert.match(login.stderr, /Discovered 4 identities in 3 accounts for provider "sso"/);
    assert.match(login.stderr, /Signed in to provider "sso"/);
    // Page size 1: Production has two pages of roles, the others one.
    assert.equal(emu.calls("sso.ListAccountRoles"), 3 + 4, "three throttled, then one per page");
    const path = join(sb.configDir, "auth", "sso", "provisioned-identities.json");
    assert.equal(await modeOf(path), 0o600);
    const list = await sb.run(["auth", "list"]);
    assert.equal(list.code, 0, list.stderr);
    for (
      const name of [
        "Development/AdministratorAccess",
        "Production/AdministratorAccess",
        "Production/ReadOnly",
        "Staging/ReadOnly",
      ]
    ) {
      assert.match(list.stdout, new RegExp(`^${name}\\s+aws/permission-set\\s+provider sso`, "m"));
    }
    const exec = await sb.run(["auth", "exec", "-i", "Production/ReadOnly", "--", ...DUMP_CHILD]);
    assert.equal(exec.code, 0, exec.stderr);
    const env = JSON.parse(exec.stdout).env;
    assert.equal(env.AWS_PROFILE, "Production/ReadOnly");
    assert.match(
      await callerArnFromFiles(sb, emu.url, ssoFiles(sb.configDir), "Production/ReadOnly"),
      /^arn:aws:sts::111111111111:assumed-role\/AWSReservedSSO_ReadOnly_[0-9a-f]{16}\/alice$/,
    );
    emu.resetCalls();
    const again = await sb.run(["auth", "login", "--provider", "sso"]);
    assert.equal(again.code, 0, again.stderr);
    assert.equal(emu.calls(), 0, "a valid token and stored identities need no call");
    assertNoSecrets(emu.secrets(), { login: login.stderr, list: list.stdout, exec: exec.stdout });
  } finally {
    await setup.cleanup();
  }
});

Deno.test("auth logout --provider deletes the token cache, discovered identities and files, and ends the portal session", async () => {
  const setup = await setUpSso(
    {},
    `
auth:
  providers:
    sso:
      kind: aws/iam-identity-center
      start_url: ${START_URL}
      region: eu-west-1
      auto_provision_identities: true
  identities:
    dev:
      kind: aws/permission-set
      default: true
      via: { provider: sso }
      principal: { name: AdministratorAccess, account: { id: "222222222222" } }
`,
  );
  const { emu, sb } = setup;
  try {
    assert.equal((await runApproved(setup, ["auth", "login"])).code, 0);
    const cachePath = await ssoCacheFile(sb);
    const token = JSON.parse(await Deno.readTextFile(cachePath)).accessToken;
    const dry = await sb.run(["auth", "logout", "--provider", "sso", "--dry-run"]);
    assert.equal(dry.code, 0, dry.stderr);
    assert.match(dry.stderr, /Would remove .*aws-sso\/sessions\/[0-9a-f]{40}\.json/);
    assert.equal(emu.calls("sso.Logout"), 0);
    const logout = await sb.run(["auth", "logout", "--provider", "sso"]);
    assert.equal(logout.code, 0, logout.stderr);
    assert.match(logout.stderr, /Removed .*aws-sso\/sessions\/[0-9a-f]{40}\.json/);
    assert.match(logout.stderr, /Removed .*auth\/sso\/provisioned-identities\.json/);
    assert.equal(emu.calls("sso.Logout"), 1);
    for (const path of [cachePath, join(sb.configDir, "aws", "sso")]) {
      assert.equal(await Deno.stat(path).then(() => true, () => false), false, path);
    }
    // The portal refuses the old token now.
    const refused = await fetch(`${emu.url}/assignment/accounts`, {
      headers: { "x-amz-sso_bearer_token": token },
    });
    await refused.body?.cancel();
    assert.equal(refused.status, 401);
    const list = await sb.run(["auth", "list"]);
    assert.doesNotMatch(list.stdout, /Production\//);
    assertOneLineError(await sb.run(["auth", "exec", "--", "true"]), 2, /needs you to sign in/);
  } finally {
    await setup.cleanup();
  }
});

Deno.test("auth console --print-only prints a login URL whose sign-in token stands for the identity's role session", async () => {
  const setup = await setUpSso();
  const { emu, sb } = setup;
  try {
    assert.equal((await runApproved(setup, ["auth", "login"])).code, 0);
    const run = await sb.run([
      "auth",
      "console",
      "--print-only",
      "--destination",
      "s3",
      "--duration",
      "2h",
    ]);
    assert.equal(run.code, 0, run.stderr);
    assert.equal(run.stdout.trimEnd().split("\n").length, 1);
    const url = new URL(run.stdout.trim());
    assert.equal(`${url.origin}${url.pathname}`, `${emu.url}/federation`);
    assert.equal(url.searchParams.get("Action"), "login");
    assert.equal(url.searchParams.get("Issuer"), "atmos");
    assert.equal(
      url.searchParams.get("Destination"),
      "https://console.aws.amazon.com/s3/home?region=eu-west-1",
    );
    const session = emu.signinSession(url.searchParams.get("SigninToken")!);
    assert.ok(session, "the token was issued by the federation endpoint");
    assert.match(session.arn, DEV_ARN);
    assert.equal(session.sessionDuration, 7200);
    const files = ssoFiles(sb.configDir);
    assert.match(await Deno.readTextFile(files.credentials), new RegExp(session.accessKeyId));
    // The console accepts it once.
    const login = await fetch(url, { redirect: "manual" });
    await login.body?.cancel();
    assert.equal(login.status, 302);
    assert.equal(login.headers.get("location"), url.searchParams.get("Destination"));
  } finally {
    await setup.cleanup();
  }
});

Deno.test("auth console without --print-only never shows the sign-in token and hands it to the browser through a one-time loopback link", async () => {
  const setup = await setUpSso();
  const { emu, sb } = setup;
  try {
    assert.equal((await runApproved(setup, ["auth", "login", "--no-browser"])).code, 0);
    const opened = await sb.run(["auth", "console", "--destination", "ec2"]);
    assert.equal(opened.code, 0, opened.stderr);
    assert.match(opened.stderr, /Opening the AWS console as "dev"/);
    const [line] = await setup.browserLog();
    const [argv, location] = line.split(" ");
    assert.match(
      argv,
      /^http:\/\/127\.0\.0\.1:\d+\/[0-9a-f]{32}$/,
      "the browser's argv holds no token",
    );
    const target = new URL(location);
    assert.equal(target.searchParams.get("Action"), "login");
    assert.ok(emu.signinSession(target.searchParams.get("SigninToken")!));
    const notOpened = await sb.run(["auth", "console", "--no-open"]);
    assert.equal(notOpened.code, 0, notOpened.stderr);
    assert.match(notOpened.stderr, /ready but not opened \(--no-open\).*--print-only/);
    assert.equal((await setup.browserLog()).length, 1);
    assertNoSecrets(emu.secrets(), {
      opened: opened.stdout + opened.stderr,
      notOpened: notOpened.stdout + notOpened.stderr,
      argv,
    });
  } finally {
    await setup.cleanup();
  }
});
