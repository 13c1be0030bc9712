import assert from "node:assert/strict";
import { renewalTime, retryDelay, startRenewal } from "../../lib/auth/renewal.ts";

const MINUTE = 60_000;

Deno.test("renewalTime() renews at three quarters, never later than 5 minutes before expiry, never before half way", () => {
  const now = 1_000_000;
  assert.equal(renewalTime(now, now + 60 * MINUTE), now + 45 * MINUTE);
  assert.equal(renewalTime(now, now + 12 * 3600_000), now + 9 * 3600_000);
  assert.equal(renewalTime(now, now + 10 * MINUTE), now + 5 * MINUTE);
  assert.equal(renewalTime(now, now + 30_000), now + 15_000);
});

Deno.test("retryDelay() looks again soon before expiry and once a minute after it", () => {
  assert.equal(retryDelay(0, 40_000), 10_000);
  assert.equal(retryDelay(0, 2_000), 1_000);
  assert.equal(retryDelay(0, 200), 100);
  assert.equal(retryDelay(10_000, 0), 60_000);
});

Deno.test("startRenewal() renews before each expiry and stops when asked", async () => {
  let expiration = Date.now() + 300;
  const renewed: number[] = [];
  let done!: () => void;
  const third = new Promise<void>((resolve) => done = resolve);
  const renewal = startRenewal({
    unref: false,
    expiration: new Date(expiration),
    reload: () => new Date(expiration),
    renew() {
      assert.ok(Date.now() < expiration, "renewed before the session expired");
      renewed.push(Date.now());
      expiration = Date.now() + 300;
      if (renewed.length === 3) done();
      return Promise.resolve(new Date(expiration));
    },
  });
  await third;
  renewal.stop();
  renewal.stop();
  assert.equal(renewed.length, 3);
});

Deno.test("startRenewal() picks up a session another process renewed, without renewing itself", async () => {
  const start = Date.now();
  let stored = start + 200;
  let renews = 0;
  let reloads = 0;
  let done!: () => void;
  const seen = new Promise<void>((resolve) => done = resolve);
  const renewal = startRenewal({
    unref: false,
    expiration: new Date(stored),
    reload() {
      reloads++;
      // Someone else renewed; after the second look, stop the test.
      stored = Date.now() + 200;
      if (reloads === 2) done();
      return new Date(stored);
    },
    renew() {
      renews++;
      return Promise.resolve(undefined);
    },
  });
  await seen;
  renewal.stop();
  assert.equal(renews, 0);
});

Deno.test("startRenewal() keeps the child alive through a failed renewal and never throws", async () => {
  let attempts = 0;
  let done!: () => void;
  const twice = new Promise<void>((resolve) => done = resolve);
  const expiration = new Date(Date.now() + 400);
  const renewal = startRenewal({
    unref: false,
    expiration,
    reload: () => expiration,
    renew() {
      attempts++;
      if (attempts === 2) done();
      return Promise.reject(new Error("STS is down"));
    },
    debug: () => {},
  });
  await twice;
  renewal.stop();
  assert.equal(attempts, 2);
});
