import assert from "node:assert/strict";
import { startEmulator } from "../emulator/mod.ts";
import type { Emulator } from "../emulator/mod.ts";
import { AtmosError } from "../../lib/errors.ts";
import { answerKind, MAX_RETRY_DELAY_MS, retryDelay } from "../../lib/aws/retry.ts";
import { assumeRole, getSessionToken, StsError, type StsTarget } from "../../lib/aws/sts.ts";
import {
  createTokenWithDeviceCode,
  createTokenWithRefreshToken,
  getRoleCredentials,
  registerClient,
  SsoError,
  startDeviceAuthorization,
} from "../../lib/aws/sso.ts";

const ROLE = "arn:aws:iam::111122223333:role/Admin";

/** An STS target signed with a new user's keys, recording waits and debug lines. */
async function withSts(
  fn: (
    emu: Emulator,
    target: StsTarget,
    log: { waits: number[]; lines: string[] },
  ) => Promise<void>,
  endpoint?: (emu: Emulator) => string,
): Promise<void> {
  const emu = await startEmulator();
  const keys = emu.createUser({ name: "alice" });
  const log = { waits: [] as number[], lines: [] as string[] };
  try {
    await fn(emu, {
      region: "us-east-1",
      endpoint: endpoint?.(emu) ?? emu.url,
      credentials: keys,
      sleep: (ms) => (log.waits.push(ms), Promise.resolve()),
      debug: (line) => log.lines.push(line),
    }, log);
  } finally {
    await emu.stop();
  }
}

Deno.test("one InternalFailure is retried: the second attempt's credentials are returned, the retry logged", async () => {
  await withSts(async (emu, target, log) => {
    emu.fail({ call: "GetSessionToken", status: 500 });
    const result = await getSessionToken(target, {});
    assert.match(result.credentials.accessKeyId, /^ASIA/);
    assert.equal(emu.calls("GetSessionToken"), 2);
    assert.equal(log.waits.length, 1);
    assert.ok(log.waits[0] >= 0 && log.waits[0] <= 100, `${log.waits}`);
    assert.deepEqual(log.lines.map((l) => l.replace(/\d+ ms$/, "N ms")), [
      "STS GetSessionToken: attempt 1 of 3 failed (HTTP 500 InternalFailure); retrying in N ms",
    ]);
  });
});

Deno.test("two Throttling answers are retried with the throttling backoff; the third attempt succeeds", async () => {
  await withSts(async (emu, target, log) => {
    emu.fail({ call: "AssumeRole", status: 400, code: "Throttling", times: 2 });
    const first = await getSessionToken(target, {});
    const result = await assumeRole({ ...target, credentials: first.credentials }, {
      roleArn: ROLE,
      sessionName: "retried",
    });
    assert.equal(result.arn, "arn:aws:sts::111122223333:assumed-role/Admin/retried");
    assert.equal(emu.calls("AssumeRole"), 3);
    assert.equal(log.waits.length, 2);
    assert.ok(log.waits[0] <= 500 && log.waits[1] <= 1000, `${log.waits}`);
    assert.match(log.lines[1], /attempt 2 of 3 failed \(HTTP 400 Throttling\)/);
  });
});

Deno.test("a server error on every attempt keeps its AWS code and message after three attempts", async () => {
  await withSts(async (emu, target) => {
    emu.fail({ call: "GetSessionToken", status: 503, message: "STS is resting", times: 3 });
    await assert.rejects(getSessionToken(target, {}), (error: unknown) => {
      assert.ok(error instanceof StsError);
      assert.equal(error.code, "ServiceUnavailable");
      assert.equal(error.status, 503);
      assert.equal(error.message, "STS GetSessionToken failed: ServiceUnavailable: STS is resting");
      return true;
    });
    assert.equal(emu.calls("GetSessionToken"), 3);
  });
});

Deno.test("refusals are never retried: auth errors and other client errors make one call", async () => {
  for (
    const [status, code] of [
      [403, "InvalidClientTokenId"],
      [403, "AccessDenied"],
      [400, "ExpiredToken"],
      [403, "SignatureDoesNotMatch"],
      [400, "ValidationError"],
    ] as const
  ) {
    await withSts(async (emu, target, log) => {
      emu.fail({ call: "GetSessionToken", status, code, message: "no" });
      await assert.rejects(
        getSessionToken(target, {}),
        (error: unknown) => error instanceof StsError && error.code === code,
      );
      assert.equal(emu.calls("GetSessionToken"), 1, code);
      assert.deepEqual(log.waits, [], code);
    });
  }
  // A real refusal from the emulator (unknown keys) is not retried either.
  await withSts(async (emu, target) => {
    const unknown = { accessKeyId: "AKIAUNKNOWNUNKNOWN00", secretAccessKey: "x".repeat(40) };
    await assert.rejects(
      getSessionToken({ ...target, credentials: unknown }, {}),
      (error: unknown) => error instanceof StsError && error.code === "InvalidClientTokenId",
    );
    assert.equal(emu.calls("GetSessionToken"), 1);
  });
});

Deno.test("dropped connections are retried; when every attempt fails, one line names the endpoint and why", async () => {
  await withSts(async (emu, target, log) => {
    // First (no connection is pooled yet) every attempt fails, then two of three do.
    emu.dropConnections(3);
    await assert.rejects(getSessionToken(target, {}), (error: unknown) => {
      assert.ok(error instanceof AtmosError && !(error instanceof StsError));
      assert.equal(
        error.message,
        `Cannot reach STS at ${emu.flakyUrl} for GetSessionToken: connection closed before message completed (3 attempts)`,
      );
      return true;
    });
    assert.equal(emu.calls(), 0);
    emu.dropConnections(2);
    const result = await getSessionToken(target, {});
    assert.match(result.credentials.accessKeyId, /^ASIA/);
    assert.equal(emu.calls("GetSessionToken"), 1, "the dropped attempts never reached STS");
    assert.equal(log.lines.length, 2 + 2);
    assert.match(
      log.lines[2],
      /attempt 1 of 3 failed \(connection closed before message completed\)/,
    );
  }, (emu) => emu.flakyUrl);
});

Deno.test("a key that cannot travel in a header is refused before any call, without showing it", async () => {
  await withSts(async (emu, target) => {
    const secretToken = "FQoGZXIvYXdzEJr//////////wEaDSECRETSESSIONTOKEN";
    for (
      const credentials of [
        { ...target.credentials!, accessKeyId: "AKIA\nINJECTED" },
        { ...target.credentials!, sessionToken: `${secretToken}\r\nX-Injected: 1` },
        { ...target.credentials!, accessKeyId: "AKIA\u00e9" },
      ]
    ) {
      await assert.rejects(getSessionToken({ ...target, credentials }, {}), (error: unknown) => {
        assert.ok(error instanceof AtmosError);
        assert.equal(error.exitCode, 2);
        assert.match(error.message, /holds a space, line break, control or non-ASCII character/);
        assert.doesNotMatch(error.message + (error.hint ?? ""), /INJECTED|SECRET|AKIA/);
        return true;
      });
    }
    assert.equal(emu.calls(), 0);
  });
});

Deno.test("a bearer token that cannot travel in a header fails without its value in the error", async () => {
  const emu = await startEmulator();
  try {
    const token = "aoaSECRETBEARERTOKEN\nx-evil: 1";
    await assert.rejects(
      getRoleCredentials({ endpoint: emu.url }, token, "111111111111", "Admin"),
      (error: unknown) => {
        assert.ok(error instanceof AtmosError);
        assert.match(error.message, /a request header holds a character HTTP does not allow/);
        assert.doesNotMatch(`${error.message} ${error.hint} ${error.cause ?? ""}`, /SECRET|evil/);
        return true;
      },
    );
    assert.equal(emu.calls(), 0);
  } finally {
    await emu.stop();
  }
});

Deno.test("an SSO refresh answered 5xx is retried; device-code polls are not", async () => {
  const emu = await startEmulator({ sso: { accounts: [] } });
  const target = { endpoint: emu.url, sleep: () => Promise.resolve() };
  try {
    const client = await registerClient(target, "atmos-auth");
    const auth = await startDeviceAuthorization(target, client, "https://acme.awsapps.com/start");
    emu.ssoApprove(auth.userCode);
    emu.fail({ call: "sso-oidc.CreateToken.device_code", status: 500 });
    await assert.rejects(
      createTokenWithDeviceCode(target, client, auth.deviceCode),
      (error: unknown) => error instanceof SsoError && error.status === 500,
    );
    assert.equal(emu.calls("sso-oidc.CreateToken.device_code"), 1, "a poll is not retried");
    const token = await createTokenWithDeviceCode(target, client, auth.deviceCode);

    emu.fail({ call: "sso-oidc.CreateToken.refresh_token", status: 500 });
    const next = await createTokenWithRefreshToken(target, client, token.refreshToken!);
    assert.ok(next.accessToken);
    assert.equal(emu.calls("sso-oidc.CreateToken.refresh_token"), 2);

    emu.fail({ call: "sso-oidc.CreateToken.refresh_token", status: 502, times: 3 });
    await assert.rejects(
      createTokenWithRefreshToken(target, client, next.refreshToken!),
      (error: unknown) =>
        error instanceof SsoError && error.status === 502 && error.code === "InternalFailure",
    );
    assert.equal(emu.calls("sso-oidc.CreateToken.refresh_token"), 2 + 3);
  } finally {
    await emu.stop();
  }
});

Deno.test("retryDelay() is full-jitter exponential backoff, throttling from a larger base, Retry-After wins", () => {
  assert.equal(retryDelay(0, "transient", null, 0.5), 50);
  assert.equal(retryDelay(2, "transient", null, 0.5), 200);
  assert.equal(retryDelay(2, "throttling", null, 0.5), 1000);
  assert.equal(retryDelay(0, "transient", null, 0), 0);
  assert.equal(retryDelay(30, "throttling", null, 0.99), MAX_RETRY_DELAY_MS);
  assert.equal(retryDelay(0, "transient", "2", 0.5), 2000);
  assert.equal(retryDelay(0, "transient", "3600", 0.5), MAX_RETRY_DELAY_MS);
  assert.equal(retryDelay(1, "throttling", "soon", 0.5), 500);
});

Deno.test("answerKind() retries throttling, 5xx and transient codes, nothing else", () => {
  const no = { ok: false };
  assert.equal(answerKind({ ...no, status: 429 }, undefined), "throttling");
  assert.equal(answerKind({ ...no, status: 400 }, "Throttling"), "throttling");
  assert.equal(answerKind({ ...no, status: 400 }, "RequestLimitExceeded"), "throttling");
  for (const status of [500, 502, 503, 504]) {
    assert.equal(answerKind({ ...no, status }, undefined), "transient");
  }
  assert.equal(answerKind({ ...no, status: 400 }, "IDPCommunicationError"), "transient");
  assert.equal(answerKind({ ...no, status: 501 }, undefined), "final");
  for (const code of ["InvalidClientTokenId", "AccessDenied", "ExpiredToken", "InvalidGrant"]) {
    assert.equal(answerKind({ ...no, status: 403 }, code), "final");
  }
  assert.equal(answerKind({ ok: true, status: 200 }, undefined), "final");
});
