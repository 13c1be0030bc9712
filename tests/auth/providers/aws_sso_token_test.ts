import assert from "node:assert/strict";
import { join } from "node:path";
import { startEmulator } from "../../emulator/mod.ts";
import type { Emulator } from "../../emulator/mod.ts";
import { directWriter, type FileWriter } from "../../../lib/fs/writer.ts";
import { AtmosError } from "../../../lib/errors.ts";
import type { AuthContext } from "../../../lib/auth/kind.ts";
import {
  freshToken,
  type Portal,
  portalToken,
  TOKEN_BUFFER_MS,
} from "../../../lib/auth/providers/aws_sso_token.ts";
import { readSsoCache, ssoCachePath, writeSsoCache } from "../../../lib/aws/sso_cache.ts";
import {
  createTokenWithDeviceCode,
  registerClient,
  startDeviceAuthorization,
} from "../../../lib/aws/sso.ts";

const START_URL = "https://acme.awsapps.com/start";

interface Fixture {
  emu: Emulator;
  writer: FileWriter;
  portal: Portal;
  ctx: AuthContext;
  notices: string[];
  path: string;
}

async function withFixture(fn: (f: Fixture) => Promise<void>, interactive = false) {
  const emu = await startEmulator({ sso: { accounts: [] } });
  const dir = await Deno.makeTempDir();
  const writer = directWriter(join(dir, "atmos"));
  const notices: string[] = [];
  const ctx: AuthContext = {
    env: { get: () => undefined },
    now: Date.now,
    interactive,
    prompter: { secret: () => Promise.reject(), text: () => Promise.reject() },
    store: () => Promise.reject(new Error("no store")),
    realm: "",
    debug: () => {},
    configDir: writer.root,
    writer: () => Promise.resolve(writer),
    browser: false,
    notice: (text) => notices.push(text),
    progress: () => ({ update() {}, stop() {} }),
  };
  const portal = {
    provider: "sso",
    startUrl: START_URL,
    region: "us-east-1",
    oidcEndpoint: emu.url,
  };
  try {
    await fn({
      emu,
      writer,
      portal,
      ctx,
      notices,
      path: await ssoCachePath(writer.root, START_URL, "us-east-1"),
    });
  } finally {
    await emu.stop();
    await Deno.remove(dir, { recursive: true });
  }
}

/** Signs in directly against the emulator and stores the result with an expired access token. */
async function storeExpiredLogin(f: Fixture): Promise<string> {
  const target = { endpoint: f.emu.url };
  const client = await registerClient(target, "atmos-auth");
  const auth = await startDeviceAuthorization(target, client, START_URL);
  f.emu.ssoApprove(auth.userCode);
  const token = await createTokenWithDeviceCode(target, client, auth.deviceCode);
  await writeSsoCache(f.writer, f.path, {
    startUrl: START_URL,
    region: "us-east-1",
    accessToken: token.accessToken,
    expiresAt: new Date(Date.now() + TOKEN_BUFFER_MS - 1000),
    refreshToken: token.refreshToken,
    clientId: client.clientId,
    clientSecret: client.clientSecret,
    registrationExpiresAt: client.expiresAt,
  });
  f.emu.resetCalls();
  return token.refreshToken!;
}

Deno.test("freshToken() wants more than 5 minutes left", () => {
  const now = Date.now();
  const cache = (ms: number) => ({
    startUrl: START_URL,
    region: "us-east-1",
    accessToken: "t",
    expiresAt: new Date(now + ms),
  });
  assert.equal(freshToken(cache(TOKEN_BUFFER_MS), now), undefined);
  assert.equal(freshToken(cache(TOKEN_BUFFER_MS + 1), now)?.source, "cache");
  assert.equal(freshToken(undefined, now), undefined);
});

Deno.test("portalToken() refreshes a stale token once for many concurrent callers and stores the rotated refresh token", async () => {
  await withFixture(async (f) => {
    const oldRefresh = await storeExpiredLogin(f);
    const tokens = await Promise.all(Array.from({ length: 5 }, () => portalToken(f.portal, f.ctx)));
    assert.equal(f.emu.calls("sso-oidc.CreateToken.refresh_token"), 1);
    assert.equal(f.emu.calls("sso-oidc.RegisterClient"), 0);
    assert.equal(new Set(tokens.map((t) => t.accessToken)).size, 1);
    assert.deepEqual(tokens.map((t) => t.source).sort(), [
      "cache",
      "cache",
      "cache",
      "cache",
      "refresh",
    ]);
    const cache = await readSsoCache(f.path, START_URL, "us-east-1");
    assert.equal(cache?.accessToken, tokens[0].accessToken);
    assert.notEqual(cache?.refreshToken, oldRefresh);
    assert.ok(f.emu.ssoRefreshTokenValid(cache!.refreshToken!));
  });
});

Deno.test("portalToken() without a terminal and with a refused refresh token fails with exit 2 and starts no device flow", async () => {
  await withFixture(async (f) => {
    const oldRefresh = await storeExpiredLogin(f);
    // Another client used the refresh token first: it was rotated away.
    await portalToken(f.portal, f.ctx);
    const cache = await readSsoCache(f.path, START_URL, "us-east-1");
    await writeSsoCache(f.writer, f.path, {
      ...cache!,
      refreshToken: oldRefresh,
      expiresAt: new Date(0),
    });
    await assert.rejects(portalToken(f.portal, f.ctx), (error: AtmosError) => {
      assert.equal(error.exitCode, 2);
      assert.match(error.message, /needs you to sign in to https:\/\/acme\.awsapps\.com\/start/);
      assert.match(error.hint!, /atmos auth login/);
      return true;
    });
    assert.equal(f.emu.calls("sso-oidc.StartDeviceAuthorization"), 0);
  });
});

Deno.test("portalToken() on a terminal signs in with the device flow and reuses a valid client registration", async () => {
  await withFixture(async (f) => {
    await storeExpiredLogin(f);
    const cache = await readSsoCache(f.path, START_URL, "us-east-1");
    await writeSsoCache(f.writer, f.path, { ...cache!, refreshToken: undefined });
    const approving = setInterval(() => f.emu.ssoApprove(), 100);
    try {
      const token = await portalToken(f.portal, f.ctx);
      assert.equal(token.source, "device");
    } finally {
      clearInterval(approving);
    }
    assert.equal(f.emu.calls("sso-oidc.RegisterClient"), 0);
    assert.equal(f.emu.calls("sso-oidc.StartDeviceAuthorization"), 1);
    assert.match(f.notices.join("\n"), /code {3}[A-Z]{4}-[A-Z]{4}/);
    const stored = await readSsoCache(f.path, START_URL, "us-east-1");
    assert.equal(stored?.clientId, cache?.clientId);
    assert.ok(stored?.refreshToken);
  }, true);
});
