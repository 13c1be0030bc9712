import assert from "node:assert/strict";
import { join } from "node:path";
import { directWriter } from "../../lib/fs/writer.ts";
import { readSsoCache, ssoCachePath, writeSsoCache } from "../../lib/aws/sso_cache.ts";

const START_URL = "https://acme.awsapps.com/start";

Deno.test("ssoCachePath() is sha1 of start URL and region, like Atmos", async () => {
  const path = await ssoCachePath("/cfg/atmos", START_URL, "us-east-1");
  // printf '%s' 'https://acme.awsapps.com/start|us-east-1' | sha1sum
  const expected = new TextDecoder().decode(
    (await new Deno.Command("sh", {
      args: ["-c", `printf '%s' '${START_URL}|us-east-1' | sha1sum | cut -c1-40`],
      stdout: "piped",
    }).output()).stdout,
  ).trim();
  assert.equal(path, `/cfg/atmos/aws-sso/sessions/${expected}.json`);
});

Deno.test("writeSsoCache() writes AWS SDK field names with mode 0600 and readSsoCache() reads them back", async () => {
  const dir = await Deno.makeTempDir();
  try {
    const writer = directWriter(join(dir, "atmos"));
    const path = await ssoCachePath(writer.root, START_URL, "eu-west-1");
    await writeSsoCache(writer, path, {
      startUrl: START_URL,
      region: "eu-west-1",
      accessToken: "access-secret",
      expiresAt: new Date("2030-01-02T03:04:05.678Z"),
      refreshToken: "refresh-secret",
      clientId: "client-1",
      clientSecret: "client-secret",
      registrationExpiresAt: new Date("2030-03-01T00:00:00Z"),
    });
    assert.equal((await Deno.stat(path)).mode! & 0o777, 0o600);
    const raw = JSON.parse(await Deno.readTextFile(path));
    assert.equal(raw.expiresAt, "2030-01-02T03:04:05Z");
    assert.equal(raw.registrationExpiresAt, "2030-03-01T00:00:00Z");
    const cache = await readSsoCache(path, START_URL, "eu-west-1");
    assert.equal(cache?.accessToken, "access-secret");
    assert.equal(cache?.refreshToken, "refresh-secret");
    assert.equal(cache?.clientSecret, "client-secret");
    assert.equal(cache?.expiresAt?.toISOString(), "2030-01-02T03:04:05.000Z");
    const shown = JSON.stringify(cache) + Deno.inspect(cache);
    assert.doesNotMatch(shown, /secret"|-secret/);
    assert.match(shown, /client-1/);
    assert.equal(await readSsoCache(path, START_URL, "us-east-1"), undefined, "other region");
    assert.equal(await readSsoCache(path, "https://other/start", "eu-west-1"), undefined);
    await Deno.writeTextFile(path, "{not json");
    assert.equal(await readSsoCache(path, START_URL, "eu-west-1"), undefined);
  } finally {
    await Deno.remove(dir, { recursive: true });
  }
});
