import assert from "node:assert/strict";
import { AtmosError } from "../../lib/errors.ts";
import { SsoError, ssoPollOutcome, type SsoToken } from "../../lib/aws/sso.ts";
import { abortableSleep, pollForToken } from "../../lib/auth/device_flow.ts";

const TOKEN: SsoToken = { accessToken: "token", expiresIn: 3600 };

/** A fake clock whose sleep advances time and records every wait. */
function clock() {
  let now = 1_000_000;
  const waits: number[] = [];
  return {
    waits,
    now: () => now,
    sleep: (ms: number) => {
      waits.push(ms);
      now += ms;
      return Promise.resolve();
    },
  };
}

/** A poll that answers the given error codes in turn, then the token. */
function answers(...codes: string[]) {
  let calls = 0;
  return {
    calls: () => calls,
    poll: () => {
      const code = codes[calls++];
      return code === undefined
        ? Promise.resolve(TOKEN)
        : Promise.reject(new SsoError("CreateToken", code, "", 400));
    },
  };
}

Deno.test("pollForToken() waits the interval before each poll and keeps going while pending", async () => {
  const c = clock();
  const a = answers("AuthorizationPendingException", "AuthorizationPendingException");
  const token = await pollForToken({
    ...c,
    classify: ssoPollOutcome,
    poll: a.poll,
    interval: 2,
    expiresIn: 600,
  });
  assert.equal(token, TOKEN);
  assert.equal(a.calls(), 3);
  assert.deepEqual(c.waits, [2000, 2000, 2000]);
});

Deno.test("pollForToken() adds 5 seconds to the interval on each slow_down", async () => {
  const c = clock();
  const a = answers("SlowDownException", "AuthorizationPendingException", "SlowDownException");
  await pollForToken({ ...c, classify: ssoPollOutcome, poll: a.poll, interval: 1, expiresIn: 600 });
  assert.deepEqual(c.waits, [1000, 6000, 6000, 11000]);
});

Deno.test("pollForToken() gives up at expiresIn without polling past it", async () => {
  const c = clock();
  const a = answers(...Array(100).fill("AuthorizationPendingException"));
  await assert.rejects(
    pollForToken({ ...c, classify: ssoPollOutcome, poll: a.poll, interval: 5, expiresIn: 12 }),
    (error: AtmosError) => {
      assert.match(error.message, /expired before it was approved/);
      assert.equal(error.hint, "run the command again and approve it within 12s");
      assert.equal(error.exitCode, 1);
      return true;
    },
  );
  assert.equal(a.calls(), 2, "polls at 5 s and 10 s; the third wait ends at the deadline");
  assert.deepEqual(c.waits, [5000, 5000, 2000]);
});

Deno.test("pollForToken() stops on expired_token and access_denied, and rethrows other errors", async () => {
  await assert.rejects(
    pollForToken({
      ...clock(),
      classify: ssoPollOutcome,
      poll: answers("ExpiredTokenException").poll,
      interval: 1,
      expiresIn: 60,
    }),
    /expired before it was approved/,
  );
  await assert.rejects(
    pollForToken({
      ...clock(),
      classify: ssoPollOutcome,
      poll: answers("AccessDeniedException").poll,
      interval: 1,
      expiresIn: 60,
    }),
    /denied in the browser/,
  );
  await assert.rejects(
    pollForToken({
      ...clock(),
      classify: ssoPollOutcome,
      poll: answers("InvalidClientException").poll,
      interval: 1,
      expiresIn: 60,
    }),
    (error: SsoError) => error.code === "InvalidClientException",
  );
});

Deno.test("pollForToken() ends with exit 130 as soon as it is cancelled", async () => {
  const abort = new AbortController();
  const started = Date.now();
  const polling = pollForToken({
    classify: ssoPollOutcome,
    poll: () =>
      Promise.reject(new SsoError("CreateToken", "AuthorizationPendingException", "", 400)),
    interval: 30,
    expiresIn: 600,
    now: Date.now,
    sleep: abortableSleep,
    signal: abort.signal,
  });
  setTimeout(() => abort.abort(new Error("cancelled")), 20);
  await assert.rejects(polling, (error: AtmosError) => {
    assert.equal(error.message, "sign-in cancelled");
    assert.equal(error.exitCode, 130);
    return true;
  });
  assert.ok(Date.now() - started < 5000, "did not wait for the 30 s interval");
});
