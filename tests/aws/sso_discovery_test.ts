import assert from "node:assert/strict";
import { join } from "node:path";
import { startEmulator } from "../emulator/mod.ts";
import { directWriter } from "../../lib/fs/writer.ts";
import {
  discoverIdentities,
  limiter,
  provisionedPath,
  readProvisioned,
  writeProvisioned,
} from "../../lib/aws/sso_discovery.ts";
import {
  createTokenWithDeviceCode,
  registerClient,
  startDeviceAuthorization,
} from "../../lib/aws/sso.ts";

const PORTAL = { provider: "sso", startUrl: "https://acme.awsapps.com/start", region: "us-east-1" };

Deno.test("limiter() runs at most N tasks at once and spaces their starts", async () => {
  // A fake clock: sleeping moves time forward, so the spacing is exact and nothing waits.
  let now = 1_000_000;
  const clock = {
    now: () => now,
    sleep: async (ms: number) => {
      now += ms;
      await Promise.resolve();
    },
  };
  const limit = limiter(2, 20, clock);
  let active = 0;
  let peak = 0;
  const starts: number[] = [];
  await Promise.all(Array.from({ length: 6 }, () =>
    limit(async () => {
      starts.push(clock.now());
      peak = Math.max(peak, ++active);
      await clock.sleep(30);
      active--;
    })));
  assert.equal(peak, 2);
  assert.ok(starts[5] - starts[0] >= 5 * 20 - 5, `${starts[5] - starts[0]} ms`);
});

Deno.test("discoverIdentities() names identities <account>/<role> and falls back to the account ID for duplicate names", async () => {
  const emu = await startEmulator({
    sso: {
      pageSize: 1,
      accounts: [
        { accountId: "111111111111", accountName: "Prod", roles: ["ReadOnly", "Admin"] },
        { accountId: "222222222222", accountName: "Sandbox", roles: ["Admin"] },
        { accountId: "333333333333", accountName: "Sandbox", roles: ["Admin"] },
      ],
    },
  });
  const dir = await Deno.makeTempDir();
  try {
    const target = { endpoint: emu.url };
    const client = await registerClient(target, "atmos-auth");
    const auth = await startDeviceAuthorization(target, client, PORTAL.startUrl);
    emu.ssoApprove();
    const token = await createTokenWithDeviceCode(target, client, auth.deviceCode);
    const file = await discoverIdentities(target, token.accessToken, PORTAL, new Date());
    assert.deepEqual(Object.keys(file.auth.identities).sort(), [
      "222222222222/Admin",
      "333333333333/Admin",
      "Prod/Admin",
      "Prod/ReadOnly",
    ]);
    assert.deepEqual(file.auth.identities["Prod/Admin"], {
      kind: "aws/permission-set",
      provider: "sso",
      via: { provider: "sso" },
      principal: { name: "Admin", account: { name: "Prod", id: "111111111111" } },
    });
    assert.deepEqual(file._metadata.counts, { accounts: 3, roles: 4, identities: 4 });

    const writer = directWriter(join(dir, "atmos"));
    const path = provisionedPath(writer.root, "sso")!;
    await writeProvisioned(writer, path, file);
    assert.equal((await Deno.stat(path)).mode! & 0o777, 0o600);
    assert.equal(Object.keys(readProvisioned(path, PORTAL)).length, 4);
    assert.deepEqual(readProvisioned(path, { ...PORTAL, startUrl: "https://other/start" }), {});
    const renamed = readProvisioned(path, { ...PORTAL, provider: "renamed" });
    assert.deepEqual(renamed["Prod/Admin"].via, { provider: "renamed" });
  } finally {
    await emu.stop();
    await Deno.remove(dir, { recursive: true });
  }
});

Deno.test("provisionedPath() refuses provider names that are not one path segment", () => {
  assert.equal(provisionedPath("/c", "sso"), "/c/auth/sso/provisioned-identities.json");
  for (const bad of ["..", ".", "a/b", "a\\b", ""]) {
    assert.equal(provisionedPath("/c", bad), undefined);
  }
});
