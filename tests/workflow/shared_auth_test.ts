import assert from "node:assert/strict";
import type { StepAuth } from "../../lib/auth/step_auth.ts";
import { type ChainLink, sharedAuth } from "../../lib/workflow/shared_auth.ts";

/**
 * A fake StepAuth over chains: authenticating an identity that is not fresh is a "network"
 * authentication (logged) that takes a few turns of the event loop and makes it fresh (and its
 * chain's links, as the manager's cache would); a fresh one is applied at once.
 */
function fakeAuth(chains: Record<string, ChainLink[]>, failing: string[] = []) {
  const fresh = new Set<string>();
  const log: string[] = [];
  const auth: StepAuth = {
    check: (identity) => identity,
    async withIdentity(identity, env) {
      if (!fresh.has(identity)) {
        log.push(`start ${identity}`);
        for (let i = 0; i < 5; i++) await new Promise((resolve) => setTimeout(resolve, 1));
        log.push(`end ${identity}`);
        if (failing.includes(identity)) throw new Error(`cannot authenticate ${identity}`);
        for (const link of chains[identity]) fresh.add(link.name);
      }
      return { ...env, AWS_PROFILE: identity };
    },
  };
  const shared = sharedAuth(auth, {
    links: (identity) => chains[identity],
    fresh: (identity) => fresh.has(identity),
  });
  return { shared, log, fresh };
}

const id = (name: string): ChainLink => ({ role: "identity", name });
const provider = (name: string): ChainLink => ({ role: "provider", name });

Deno.test("sharedAuth() authenticates a shared base once and each identity once, concurrently after it", async () => {
  const { shared, log } = fakeAuth({
    base: [id("base")],
    dev: [id("base"), id("dev")],
    staging: [id("base"), id("staging")],
  });
  const envs = await Promise.all([
    shared.withIdentity("dev", { BRANCH: "1" }),
    shared.withIdentity("staging", { BRANCH: "2" }),
    shared.withIdentity("dev", { BRANCH: "3" }),
  ]);
  assert.deepEqual(envs, [
    { BRANCH: "1", AWS_PROFILE: "dev" },
    { BRANCH: "2", AWS_PROFILE: "staging" },
    { BRANCH: "3", AWS_PROFILE: "dev" },
  ]);
  assert.deepEqual(log.slice(0, 2), ["start base", "end base"]);
  // dev and staging overlap: both start before either ends.
  assert.deepEqual(log.slice(2, 4).sort(), ["start dev", "start staging"]);
  assert.deepEqual(log.slice(4).sort(), ["end dev", "end staging"]);
  // Warm: nothing more is authenticated.
  await shared.withIdentity("dev", {});
  assert.equal(log.length, 6);
});

Deno.test("sharedAuth() shares a failed authentication instead of trying again", async () => {
  const { shared, log } = fakeAuth({ dev: [id("dev")] }, ["dev"]);
  const results = await Promise.allSettled([
    shared.withIdentity("dev", {}),
    shared.withIdentity("dev", {}),
  ]);
  assert.deepEqual(results.map((r) => r.status), ["rejected", "rejected"]);
  for (const result of results) {
    assert.match(String((result as PromiseRejectedResult).reason), /cannot authenticate dev/);
  }
  assert.deepEqual(log, ["start dev", "end dev"]);
});

Deno.test("sharedAuth() lets identities under one provider wait for the first sign-in", async () => {
  const { shared, log } = fakeAuth({
    a: [provider("sso"), id("a")],
    b: [provider("sso"), id("b")],
  });
  await Promise.all([shared.withIdentity("a", {}), shared.withIdentity("b", {})]);
  assert.deepEqual(log, ["start a", "end a", "start b", "end b"]);
});
