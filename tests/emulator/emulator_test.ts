import assert from "node:assert/strict";
import { startEmulator, totp } from "./mod.ts";
import type { Emulator, EmulatorOptions } from "./mod.ts";
import { stsCall, xmlField } from "./testing.ts";
import type { SigningKeys } from "./testing.ts";

const ROLE = "arn:aws:iam::210987654321:role/ops/Admin";
const ASSUMED = "arn:aws:sts::210987654321:assumed-role/Admin/";

async function withEmulator(
  options: EmulatorOptions,
  fn: (emu: Emulator) => Promise<void>,
): Promise<void> {
  const emu = await startEmulator(options);
  try {
    await fn(emu);
  } finally {
    await emu.stop();
  }
}

/** Runs a real client (AWS CLI v2 or python3) with a clean env and a temp HOME. */
async function runClient(
  program: string,
  args: string[],
  env: Record<string, string>,
): Promise<{ code: number; stdout: string; stderr: string }> {
  const home = await Deno.makeTempDir();
  try {
    const output = await new Deno.Command(program, {
      args,
      clearEnv: true,
      env: {
        PATH: "/usr/bin:/bin",
        HOME: home,
        AWS_EC2_METADATA_DISABLED: "true",
        AWS_CONFIG_FILE: `${home}/no-config`,
        AWS_SHARED_CREDENTIALS_FILE: `${home}/no-credentials`,
        ...env,
      },
      stdout: "piped",
      stderr: "piped",
    }).output();
    const decoder = new TextDecoder();
    return {
      code: output.code,
      stdout: decoder.decode(output.stdout),
      stderr: decoder.decode(output.stderr),
    };
  } finally {
    await Deno.remove(home, { recursive: true });
  }
}

function keyEnv(keys: SigningKeys): Record<string, string> {
  const env: Record<string, string> = {
    AWS_ACCESS_KEY_ID: keys.accessKeyId,
    AWS_SECRET_ACCESS_KEY: keys.secretAccessKey,
  };
  if (keys.sessionToken) env.AWS_SESSION_TOKEN = keys.sessionToken;
  return env;
}

function credentialsFrom(xml: string): SigningKeys & { expiration: string } {
  return {
    accessKeyId: xmlField(xml, "AccessKeyId")!,
    secretAccessKey: xmlField(xml, "SecretAccessKey")!,
    sessionToken: xmlField(xml, "SessionToken")!,
    expiration: xmlField(xml, "Expiration")!,
  };
}

async function oidcToken(emu: Emulator, audience = "sts.amazonaws.com"): Promise<string> {
  const env = emu.githubActionsEnv();
  const response = await fetch(`${env.ACTIONS_ID_TOKEN_REQUEST_URL}&audience=${audience}`, {
    headers: { authorization: `bearer ${env.ACTIONS_ID_TOKEN_REQUEST_TOKEN}` },
  });
  assert.equal(response.status, 200);
  return (await response.json()).value;
}

Deno.test("AWS CLI v2 get-caller-identity with a user's keys returns the user ARN", async () => {
  await withEmulator({}, async (emu) => {
    const keys = emu.createUser({ name: "alice", account: "111122223333" });
    const out = await runClient(
      "/usr/bin/aws",
      ["sts", "get-caller-identity", "--endpoint-url", emu.url, "--region", "us-east-1"],
      keyEnv(keys),
    );
    assert.equal(out.code, 0, out.stderr);
    const identity = JSON.parse(out.stdout);
    assert.equal(identity.Arn, "arn:aws:iam::111122223333:user/alice");
    assert.equal(identity.Account, "111122223333");
    assert.match(identity.UserId, /^AIDA[A-Z2-7]{17}$/);
    assert.equal(emu.calls("GetCallerIdentity"), 1);
  });
});

Deno.test("AWS CLI v2 assume-role returns creds that work from a credentials file", async () => {
  await withEmulator({}, async (emu) => {
    const keys = emu.createUser({ name: "alice" });
    const assumed = await runClient("/usr/bin/aws", [
      "sts",
      "assume-role",
      "--role-arn",
      ROLE,
      "--role-session-name",
      "cli-session",
      "--endpoint-url",
      emu.url,
      "--region",
      "us-east-1",
    ], keyEnv(keys));
    assert.equal(assumed.code, 0, assumed.stderr);
    const result = JSON.parse(assumed.stdout);
    assert.equal(result.AssumedRoleUser.Arn, `${ASSUMED}cli-session`);
    assert.match(result.AssumedRoleUser.AssumedRoleId, /^AROA[A-Z2-7]{17}:cli-session$/);
    assert.match(result.Credentials.AccessKeyId, /^ASIA[A-Z2-7]{16}$/);
    const expiresIn = Date.parse(result.Credentials.Expiration) - Date.now();
    assert.ok(expiresIn > 3500_000 && expiresIn <= 3600_000, `expires in ${expiresIn} ms`);

    const dir = await Deno.makeTempDir();
    try {
      const file = `${dir}/credentials`;
      await Deno.writeTextFile(
        file,
        "[role]\n" +
          `aws_access_key_id = ${result.Credentials.AccessKeyId}\n` +
          `aws_secret_access_key = ${result.Credentials.SecretAccessKey}\n` +
          `aws_session_token = ${result.Credentials.SessionToken}\n`,
      );
      const who = await runClient(
        "/usr/bin/aws",
        ["sts", "get-caller-identity", "--endpoint-url", emu.url, "--region", "us-east-1"],
        { AWS_SHARED_CREDENTIALS_FILE: file, AWS_PROFILE: "role" },
      );
      assert.equal(who.code, 0, who.stderr);
      assert.equal(JSON.parse(who.stdout).Arn, `${ASSUMED}cli-session`);
    } finally {
      await Deno.remove(dir, { recursive: true });
    }
    assert.equal(emu.calls("AssumeRole"), 1);
    assert.equal(emu.calls("GetCallerIdentity"), 1);
  });
});

Deno.test("AWS CLI v2 reports SignatureDoesNotMatch for a wrong secret", async () => {
  await withEmulator({}, async (emu) => {
    const keys = emu.createUser({ name: "alice" });
    const out = await runClient(
      "/usr/bin/aws",
      ["sts", "get-caller-identity", "--endpoint-url", emu.url, "--region", "us-east-1"],
      keyEnv({ ...keys, secretAccessKey: keys.secretAccessKey.slice(1) + "A" }),
    );
    assert.notEqual(out.code, 0);
    assert.match(out.stderr, /\(SignatureDoesNotMatch\)/);
  });
});

const BOTO3_SCRIPT = `
import json, os, sys, urllib.request
import boto3
from botocore.exceptions import ClientError
url = os.environ["EMU_URL"]
out = {}
sts = boto3.client("sts", endpoint_url=url, region_name="eu-west-1")
out["user"] = sts.get_caller_identity()["Arn"]
creds = sts.assume_role(RoleArn=os.environ["ROLE"], RoleSessionName="boto")["Credentials"]
role = boto3.client("sts", endpoint_url=url, region_name="eu-west-1",
    aws_access_key_id=creds["AccessKeyId"], aws_secret_access_key=creds["SecretAccessKey"],
    aws_session_token=creds["SessionToken"])
out["role"] = role.get_caller_identity()["Arn"]
out["expiration_is_datetime"] = hasattr(creds["Expiration"], "tzinfo")
req = urllib.request.Request(os.environ["ACTIONS_ID_TOKEN_REQUEST_URL"] + "&audience=sts.amazonaws.com",
    headers={"Authorization": "bearer " + os.environ["ACTIONS_ID_TOKEN_REQUEST_TOKEN"]})
jwt = json.load(urllib.request.urlopen(req))["value"]
anon = boto3.client("sts", endpoint_url=url, region_name="eu-west-1",
    aws_access_key_id="unused", aws_secret_access_key="unused")
web = anon.assume_role_with_web_identity(RoleArn=os.environ["ROLE"], RoleSessionName="gha",
    WebIdentityToken=jwt)
out["web"] = web["AssumedRoleUser"]["Arn"]
out["web_subject"] = web["SubjectFromWebIdentityToken"]
bad = boto3.client("sts", endpoint_url=url, region_name="eu-west-1",
    aws_access_key_id=os.environ["AWS_ACCESS_KEY_ID"], aws_secret_access_key="x" * 40)
try:
    bad.get_caller_identity()
except ClientError as e:
    out["bad_secret"] = [e.response["Error"]["Code"], e.response["ResponseMetadata"]["HTTPStatusCode"]]
try:
    anon.assume_role_with_web_identity(RoleArn=os.environ["ROLE"], RoleSessionName="gha",
        WebIdentityToken=jwt[:-4] + ("AAAA" if not jwt.endswith("AAAA") else "BBBB"))
except ClientError as e:
    out["tampered"] = e.response["Error"]["Code"]
print(json.dumps(out))
`;

Deno.test("boto3 calls GetCallerIdentity, AssumeRole and AssumeRoleWithWebIdentity and parses errors", async () => {
  await withEmulator({}, async (emu) => {
    const keys = emu.createUser({ name: "bob" });
    const out = await runClient("/usr/bin/python3", ["-c", BOTO3_SCRIPT], {
      ...keyEnv(keys),
      ...emu.githubActionsEnv(),
      EMU_URL: emu.url,
      ROLE,
    });
    assert.equal(out.code, 0, out.stderr);
    const result = JSON.parse(out.stdout);
    assert.equal(result.user, "arn:aws:iam::123456789012:user/bob");
    assert.equal(result.role, `${ASSUMED}boto`);
    assert.equal(result.expiration_is_datetime, true);
    assert.equal(result.web, `${ASSUMED}gha`);
    assert.equal(result.web_subject, "repo:acme/infra:ref:refs/heads/main");
    assert.deepEqual(result.bad_secret, ["SignatureDoesNotMatch", 403]);
    assert.equal(result.tampered, "InvalidIdentityToken");
    assert.equal(emu.calls("oidc.token"), 1);
    assert.equal(emu.calls("AssumeRoleWithWebIdentity"), 2);
  });
});

Deno.test("STS refuses unknown keys, wrong session tokens and expired credentials", async () => {
  await withEmulator({ durationOverride: { AssumeRole: 0 } }, async (emu) => {
    const keys = emu.createUser({ name: "alice" });
    const unknown = await stsCall(emu.url, { Action: "GetCallerIdentity" }, {
      accessKeyId: "AKIAAAAAAAAAAAAAAAAA",
      secretAccessKey: keys.secretAccessKey,
    });
    assert.equal(unknown.status, 403);
    assert.equal(xmlField(unknown.body, "Code"), "InvalidClientTokenId");
    assert.equal(xmlField(unknown.body, "Type"), "Sender");
    assert.match(
      unknown.body,
      /^<ErrorResponse xmlns="https:\/\/sts.amazonaws.com\/doc\/2011-06-15\/">/,
    );
    assert.match(xmlField(unknown.body, "RequestId")!, /^[0-9a-f-]{36}$/);

    const unsigned = await stsCall(emu.url, { Action: "GetCallerIdentity" });
    assert.equal(xmlField(unsigned.body, "Code"), "MissingAuthenticationToken");

    const assumed = await stsCall(
      emu.url,
      { Action: "AssumeRole", RoleArn: ROLE, RoleSessionName: "short" },
      keys,
    );
    assert.equal(assumed.status, 200, assumed.body);
    const creds = credentialsFrom(assumed.body);
    const expired = await stsCall(emu.url, { Action: "GetCallerIdentity" }, creds);
    assert.equal(expired.status, 403);
    assert.equal(xmlField(expired.body, "Code"), "ExpiredToken");

    const wrongToken = await stsCall(emu.url, { Action: "GetCallerIdentity" }, {
      ...creds,
      sessionToken: creds.sessionToken + "x",
    });
    assert.equal(xmlField(wrongToken.body, "Code"), "InvalidClientTokenId");
    const noToken = await stsCall(emu.url, { Action: "GetCallerIdentity" }, {
      ...creds,
      sessionToken: undefined,
    });
    assert.equal(xmlField(noToken.body, "Code"), "InvalidClientTokenId");
    const tokenOnUserKey = await stsCall(emu.url, { Action: "GetCallerIdentity" }, {
      ...keys,
      sessionToken: creds.sessionToken,
    });
    assert.equal(xmlField(tokenOnUserKey.body, "Code"), "InvalidClientTokenId");
  });
});

Deno.test("STS rejects a request whose body was changed after signing", async () => {
  await withEmulator({}, async (emu) => {
    const keys = emu.createUser({ name: "alice" });
    const answer = await stsCall(
      emu.url,
      { Action: "AssumeRole", RoleArn: ROLE, RoleSessionName: "one" },
      keys,
      {
        afterSign(request) {
          request.body = request.body.replace("one", "two");
        },
      },
    );
    assert.equal(answer.status, 403);
    assert.equal(xmlField(answer.body, "Code"), "SignatureDoesNotMatch");
  });
});

Deno.test("STS checks a signed x-amz-content-sha256 against the body", async () => {
  await withEmulator({}, async (emu) => {
    const keys = emu.createUser({ name: "alice" });
    const params = { Action: "GetCallerIdentity" };
    const ok = await stsCall(emu.url, params, keys, { applyChecksum: true });
    assert.equal(ok.status, 200, ok.body);
    const changed = await stsCall(emu.url, params, keys, {
      applyChecksum: true,
      afterSign(request) {
        request.body += "&Extra=1";
      },
    });
    assert.equal(changed.status, 400);
    assert.equal(xmlField(changed.body, "Code"), "XAmzContentSHA256Mismatch");
  });
});

Deno.test("STS accepts a signed GET with the parameters in the query", async () => {
  await withEmulator({}, async (emu) => {
    const keys = emu.createUser({ name: "carol" });
    const answer = await stsCall(emu.url, { Action: "GetCallerIdentity" }, keys, { method: "GET" });
    assert.equal(answer.status, 200, answer.body);
    assert.equal(xmlField(answer.body, "Arn"), "arn:aws:iam::123456789012:user/carol");
    assert.match(answer.body, /^<GetCallerIdentityResponse xmlns=/);
  });
});

Deno.test("GetSessionToken requires a valid TOTP code for a user with an MFA device", async () => {
  const mfaSecret = "JBSWY3DPEHPK3PXPJBSWY3DPEHPK3PXP";
  await withEmulator({}, async (emu) => {
    const keys = emu.createUser({ name: "dave", mfaSecret });
    const serial = "arn:aws:iam::123456789012:mfa/dave";
    const missing = await stsCall(emu.url, { Action: "GetSessionToken" }, keys);
    assert.equal(missing.status, 403);
    assert.equal(xmlField(missing.body, "Code"), "AccessDenied");
    assert.match(xmlField(missing.body, "Message")!, /^MultiFactorAuthentication failed/);

    const code = await totp(mfaSecret);
    const wrongCode = String((Number(code) + 500_000) % 1_000_000).padStart(6, "0");
    const wrong = await stsCall(emu.url, {
      Action: "GetSessionToken",
      SerialNumber: serial,
      TokenCode: wrongCode,
    }, keys);
    assert.equal(xmlField(wrong.body, "Code"), "AccessDenied");

    const ok = await stsCall(emu.url, {
      Action: "GetSessionToken",
      SerialNumber: serial,
      TokenCode: code,
      DurationSeconds: "900",
    }, keys);
    assert.equal(ok.status, 200, ok.body);
    assert.match(ok.body, /^<GetSessionTokenResponse xmlns=/);
    const session = credentialsFrom(ok.body);
    assert.match(session.accessKeyId, /^ASIA/);
    assert.match(session.expiration, /^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ$/);
    const who = await stsCall(emu.url, { Action: "GetCallerIdentity" }, session);
    assert.equal(xmlField(who.body, "Arn"), "arn:aws:iam::123456789012:user/dave");

    const again = await stsCall(emu.url, { Action: "GetSessionToken" }, session);
    assert.equal(xmlField(again.body, "Code"), "AccessDenied");
    // Session creds from GetSessionToken may assume roles (the MFA flow).
    const role = await stsCall(
      emu.url,
      { Action: "AssumeRole", RoleArn: ROLE, RoleSessionName: "dave" },
      session,
    );
    assert.equal(role.status, 200, role.body);
    assert.equal(emu.calls("GetSessionToken"), 4);
  });
});

Deno.test("AssumeRole validates its parameters like real STS", async () => {
  await withEmulator({ externalIds: { [ROLE]: "ext-123" } }, async (emu) => {
    const keys = emu.createUser({ name: "alice" });
    const call = (params: Record<string, string>, k: SigningKeys = keys) =>
      stsCall(emu.url, { Action: "AssumeRole", RoleSessionName: "ok-name", ...params }, k);
    const other = "arn:aws:iam::123456789012:role/Plain";
    for (
      const params of <Record<string, string>[]> [
        { RoleArn: "arn:aws:iam::12345:role/Bad" },
        { RoleArn: other, RoleSessionName: "x" },
        { RoleArn: other, RoleSessionName: "has space" },
        { RoleArn: other, DurationSeconds: "899" },
        { RoleArn: other, DurationSeconds: "43201" },
        { RoleSessionName: "no-arn" },
      ]
    ) {
      const answer = await call(params);
      assert.equal(answer.status, 400, JSON.stringify(params));
      assert.equal(xmlField(answer.body, "Code"), "ValidationError", JSON.stringify(params));
    }
    const noExternal = await call({ RoleArn: ROLE });
    assert.equal(noExternal.status, 403);
    assert.equal(xmlField(noExternal.body, "Code"), "AccessDenied");
    const wrongExternal = await call({ RoleArn: ROLE, ExternalId: "ext-999" });
    assert.equal(xmlField(wrongExternal.body, "Code"), "AccessDenied");
    const ok = await call({ RoleArn: ROLE, ExternalId: "ext-123", DurationSeconds: "43200" });
    assert.equal(ok.status, 200, ok.body);
    assert.equal(xmlField(ok.body, "Arn"), `${ASSUMED}ok-name`);

    // Role chaining is capped at one hour.
    const chained = credentialsFrom(ok.body);
    const tooLong = await call({ RoleArn: other, DurationSeconds: "3601" }, chained);
    assert.equal(xmlField(tooLong.body, "Code"), "ValidationError");
    const chainOk = await call({ RoleArn: other }, chained);
    assert.equal(
      xmlField(chainOk.body, "Arn"),
      "arn:aws:sts::123456789012:assumed-role/Plain/ok-name",
    );
  });
});

Deno.test("durationOverride shortens the lifetime of issued credentials", async () => {
  await withEmulator({ durationOverride: { AssumeRole: 120 } }, async (emu) => {
    const keys = emu.createUser({ name: "alice" });
    const answer = await stsCall(
      emu.url,
      { Action: "AssumeRole", RoleArn: ROLE, RoleSessionName: "brief" },
      keys,
    );
    const left = Date.parse(credentialsFrom(answer.body).expiration) - Date.now();
    assert.ok(left > 110_000 && left <= 120_000, `expires in ${left} ms`);
  });
});

Deno.test("the OIDC endpoint issues RS256 JWTs that verify against its JWKS", async () => {
  await withEmulator({}, async (emu) => {
    const env = emu.githubActionsEnv();
    assert.equal(env.GITHUB_ACTIONS, "true");
    const denied = await fetch(`${env.ACTIONS_ID_TOKEN_REQUEST_URL}&audience=x`, {
      headers: { authorization: "bearer wrong" },
    });
    assert.equal(denied.status, 401);
    await denied.body?.cancel();
    const missing = await fetch(env.ACTIONS_ID_TOKEN_REQUEST_URL);
    assert.equal(missing.status, 401);
    await missing.body?.cancel();

    const jwt = await oidcToken(emu, "sts.amazonaws.com");
    const [header, payload, signature] = jwt.split(".");
    const decode = (part: string) =>
      Uint8Array.from(atob(part.replaceAll("-", "+").replaceAll("_", "/")), (c) => c.charCodeAt(0));
    const claims = JSON.parse(new TextDecoder().decode(decode(payload)));
    assert.equal(claims.iss, `${emu.url}/oidc`);
    assert.equal(claims.aud, "sts.amazonaws.com");
    assert.equal(claims.sub, "repo:acme/infra:ref:refs/heads/main");
    assert.equal(claims.exp - claims.iat, 300);

    const jwks = await (await fetch(`${emu.url}/oidc/.well-known/jwks`)).json();
    const jwk = jwks.keys[0];
    assert.equal(jwk.kid, JSON.parse(new TextDecoder().decode(decode(header))).kid);
    const key = await crypto.subtle.importKey(
      "jwk",
      jwk,
      { name: "RSASSA-PKCS1-v1_5", hash: "SHA-256" },
      false,
      ["verify"],
    );
    const valid = await crypto.subtle.verify(
      "RSASSA-PKCS1-v1_5",
      key,
      decode(signature),
      new TextEncoder().encode(`${header}.${payload}`),
    );
    assert.ok(valid);
    assert.equal(emu.calls("oidc.token"), 3);
  });
});

Deno.test("AssumeRoleWithWebIdentity accepts the emulator's JWT and refuses forged or expired ones", async () => {
  await withEmulator({}, async (emu) => {
    const jwt = await oidcToken(emu);
    const params = { Action: "AssumeRoleWithWebIdentity", RoleArn: ROLE, RoleSessionName: "gha" };
    const ok = await stsCall(emu.url, { ...params, WebIdentityToken: jwt });
    assert.equal(ok.status, 200, ok.body);
    assert.equal(xmlField(ok.body, "Arn"), `${ASSUMED}gha`);
    assert.equal(xmlField(ok.body, "Audience"), "sts.amazonaws.com");
    const who = await stsCall(emu.url, { Action: "GetCallerIdentity" }, credentialsFrom(ok.body));
    assert.equal(xmlField(who.body, "Arn"), `${ASSUMED}gha`);

    const [header, payload, signature] = jwt.split(".");
    const claims = JSON.parse(atob(payload.replaceAll("-", "+").replaceAll("_", "/")));
    const forgedPayload = btoa(JSON.stringify({ ...claims, sub: "repo:evil/repo:ref:x" }))
      .replaceAll("+", "-").replaceAll("/", "_").replace(/=+$/, "");
    const forged = await stsCall(emu.url, {
      ...params,
      WebIdentityToken: `${header}.${forgedPayload}.${signature}`,
    });
    assert.equal(forged.status, 400);
    assert.equal(xmlField(forged.body, "Code"), "InvalidIdentityToken");
    const garbage = await stsCall(emu.url, { ...params, WebIdentityToken: "not-a-jwt" });
    assert.equal(xmlField(garbage.body, "Code"), "InvalidIdentityToken");
  });
  await withEmulator({ oidcTokenLifetime: 0 }, async (emu) => {
    const jwt = await oidcToken(emu);
    const expired = await stsCall(emu.url, {
      Action: "AssumeRoleWithWebIdentity",
      RoleArn: ROLE,
      RoleSessionName: "gha",
      WebIdentityToken: jwt,
    });
    assert.equal(expired.status, 400);
    assert.equal(xmlField(expired.body, "Code"), "ExpiredTokenException");
  });
});

Deno.test("calls() counts per action and in total, and resetCalls() clears", async () => {
  await withEmulator({}, async (emu) => {
    const keys = emu.createUser({ name: "alice" });
    assert.equal(emu.calls(), 0);
    await stsCall(emu.url, { Action: "GetCallerIdentity" }, keys);
    await stsCall(emu.url, { Action: "GetCallerIdentity" }, keys);
    await stsCall(emu.url, { Action: "AssumeRole", RoleArn: ROLE, RoleSessionName: "s1" }, keys);
    await oidcToken(emu);
    assert.equal(emu.calls("GetCallerIdentity"), 2);
    assert.equal(emu.calls("AssumeRole"), 1);
    assert.equal(emu.calls("oidc.token"), 1);
    assert.equal(emu.calls("GetSessionToken"), 0);
    assert.equal(emu.calls(), 4);
    emu.resetCalls();
    assert.equal(emu.calls(), 0);
  });
});

Deno.test("secrets() lists every issued secret and no access key IDs", async () => {
  await withEmulator({}, async (emu) => {
    const mfaSecret = "JBSWY3DPEHPK3PXP";
    const keys = emu.createUser({ name: "alice", mfaSecret });
    const code = await totp(mfaSecret);
    const session = credentialsFrom(
      (await stsCall(emu.url, {
        Action: "GetSessionToken",
        SerialNumber: "arn:aws:iam::123456789012:mfa/alice",
        TokenCode: code,
      }, keys)).body,
    );
    const jwt = await oidcToken(emu);
    const secrets = emu.secrets();
    for (
      const value of [
        keys.secretAccessKey,
        session.secretAccessKey,
        session.sessionToken!,
        jwt,
        mfaSecret,
        emu.githubActionsEnv().ACTIONS_ID_TOKEN_REQUEST_TOKEN,
      ]
    ) {
      assert.ok(secrets.includes(value), `missing a secret of length ${value.length}`);
    }
    assert.ok(!secrets.includes(keys.accessKeyId));
    assert.ok(!secrets.includes(session.accessKeyId));
  });
});

Deno.test("the HTTP control endpoints create users, report and reset counters", async () => {
  await withEmulator({}, async (emu) => {
    const created = await fetch(`${emu.url}/_emulator/users`, {
      method: "POST",
      body: JSON.stringify({ name: "erin", account: "444455556666" }),
    });
    assert.equal(created.status, 200);
    const keys = await created.json();
    assert.match(keys.accessKeyId, /^AKIA[A-Z2-7]{16}$/);
    assert.equal(keys.secretAccessKey.length, 40);
    const who = await stsCall(emu.url, { Action: "GetCallerIdentity" }, keys);
    assert.equal(xmlField(who.body, "Arn"), "arn:aws:iam::444455556666:user/erin");
    const calls = await (await fetch(`${emu.url}/_emulator/calls`)).json();
    assert.equal(calls.GetCallerIdentity, 1);
    const reset = await fetch(`${emu.url}/_emulator/reset`, { method: "POST" });
    await reset.body?.cancel();
    assert.equal(emu.calls(), 0);
    const bad = await fetch(`${emu.url}/_emulator/users`, { method: "POST", body: "{}" });
    assert.equal(bad.status, 400);
    await bad.body?.cancel();
  });
});

const BOTO3_FAULTS = `
import json, os, boto3, botocore.config, botocore.exceptions
sts = boto3.client("sts", endpoint_url=os.environ["EMU_URL"], region_name="us-east-1",
                   config=botocore.config.Config(retries={"mode": "standard", "total_max_attempts": 3}))
try:
    print(json.dumps({"arn": sts.get_caller_identity()["Arn"]}))
except botocore.exceptions.ClientError as e:
    print(json.dumps({"error": [e.response["Error"]["Code"], e.response["Error"]["Message"],
                                e.response["ResponseMetadata"]["HTTPStatusCode"],
                                e.response["ResponseMetadata"]["RetryAttempts"]]}))
`;

Deno.test("injected faults look like real STS errors: boto3's standard retry mode retries them and reports the last", async () => {
  await withEmulator({}, async (emu) => {
    const keys = emu.createUser({ name: "frank" });
    const boto3 = async () => {
      const out = await runClient("/usr/bin/python3", ["-c", BOTO3_FAULTS], {
        ...keyEnv(keys),
        EMU_URL: emu.url,
      });
      assert.equal(out.code, 0, out.stderr);
      return JSON.parse(out.stdout);
    };
    emu.fail({ call: "GetCallerIdentity", status: 500 });
    emu.fail({ call: "GetCallerIdentity", status: 400, code: "Throttling" });
    assert.deepEqual(await boto3(), { arn: "arn:aws:iam::123456789012:user/frank" });
    assert.equal(emu.calls("GetCallerIdentity"), 3);
    emu.fail({ call: "GetCallerIdentity", status: 503, message: "resting", times: 3 });
    assert.deepEqual(await boto3(), { error: ["ServiceUnavailable", "resting", 503, 2] });
    assert.equal(emu.calls("GetCallerIdentity"), 3 + 3);
  });
});

Deno.test("faults and dropped connections can be injected through the control endpoints", async () => {
  await withEmulator({}, async (emu) => {
    const keys = emu.createUser({ name: "gina" });
    const queued = await fetch(`${emu.url}/_emulator/faults`, {
      method: "POST",
      body: JSON.stringify({ call: "GetCallerIdentity", status: 403, code: "AccessDenied" }),
    });
    assert.equal(queued.status, 200);
    await queued.body?.cancel();
    const denied = await stsCall(emu.url, { Action: "GetCallerIdentity" }, keys);
    assert.equal(denied.status, 403);
    assert.equal(xmlField(denied.body, "Code"), "AccessDenied");
    assert.equal(xmlField(denied.body, "Type"), "Sender");
    const ok = await stsCall(emu.url, { Action: "GetCallerIdentity" }, keys);
    assert.equal(ok.status, 200);

    const drop = await fetch(`${emu.url}/_emulator/drop-connections`, {
      method: "POST",
      body: JSON.stringify({ count: 1 }),
    });
    await drop.body?.cancel();
    await assert.rejects(fetch(`${emu.flakyUrl}/_emulator/calls`), TypeError);
    const through = await fetch(`${emu.flakyUrl}/_emulator/calls`);
    assert.equal((await through.json()).GetCallerIdentity, 2);

    for (const body of ["{}", '{"call": "X", "status": "500"}']) {
      const bad = await fetch(`${emu.url}/_emulator/faults`, { method: "POST", body });
      assert.equal(bad.status, 400, body);
      await bad.body?.cancel();
    }
  });
});

Deno.test("main.ts prints its URL as JSON and stops on SIGTERM", async () => {
  const child = new Deno.Command(Deno.execPath(), {
    args: ["run", "--allow-net", new URL("./main.ts", import.meta.url).pathname],
    stdout: "piped",
    stderr: "piped",
  }).spawn();
  const reader = child.stdout.pipeThrough(new TextDecoderStream()).getReader();
  let text = "";
  while (!text.includes("\n")) {
    const { value, done } = await reader.read();
    if (done) break;
    text += value;
  }
  const { url } = JSON.parse(text.split("\n")[0]);
  assert.match(url, /^http:\/\/127\.0\.0\.1:\d+$/);
  const calls = await (await fetch(`${url}/_emulator/calls`)).json();
  assert.equal(calls.total, 0);
  child.kill("SIGTERM");
  const status = await child.status;
  await reader.cancel();
  await child.stderr.cancel();
  assert.equal(status.code, 0);
});
