import assert from "node:assert/strict";
import { join } from "node:path";
import { directWriter } from "../../lib/fs/writer.ts";
import { external, USER } from "./fixtures.ts";
import { envOf } from "../../lib/env.ts";
import { gcpEndpoints } from "../../lib/gcp/endpoints.ts";
import type { GcpPlan } from "../../lib/gcp/adc.ts";
import {
  type GcpFiles,
  gcpPaths,
  originUnchanged,
  readGcpFiles,
  removeGcpFiles,
  writeGcpFiles,
} from "../../lib/gcp/files.ts";

const EXTERNAL = external("");

async function withDir(fn: (atmos: string) => Promise<void>): Promise<void> {
  const base = await Deno.makeTempDir();
  try {
    await fn(join(base, "atmos"));
  } finally {
    await Deno.remove(base, { recursive: true });
  }
}

function files(plan: GcpPlan, extra: Partial<GcpFiles> = {}): GcpFiles {
  return {
    plan,
    endpoints: gcpEndpoints(envOf({})),
    project: "my-proj",
    region: "us-central1",
    record: { expiration: "2030-01-01T00:00:00.000Z", principal: "t@p.iam.gserviceaccount.com" },
    ...extra,
  };
}

function mode(path: string): number {
  return Deno.statSync(path).mode! & 0o777;
}

Deno.test("gcpPaths() keeps each identity in its own adc/ and config/ directories", () => {
  const paths = gcpPaths("/c/atmos/gcp/root", "dev");
  assert.equal(paths.adc, "/c/atmos/gcp/root/adc/dev/application_default_credentials.json");
  assert.equal(paths.configDir, "/c/atmos/gcp/root/config/dev");
  assert.equal(paths.configuration, "/c/atmos/gcp/root/config/dev/configurations/config_atmos");
  // Any configured name is one directory of its own.
  assert.equal(gcpPaths("/c", "..").adcDir, "/c/adc/%2E%2E");
  assert.equal(gcpPaths("/c", "a/b").configDir, "/c/config/a%2Fb");
});

Deno.test("writeGcpFiles() writes 0600 files in 0700 directories whatever the umask, and reads them back", async () => {
  await withDir(async (atmos) => {
    const old = Deno.umask(0);
    try {
      const writer = directWriter(atmos);
      const paths = gcpPaths(join(atmos, "gcp", "root"), "dev");
      const plan: GcpPlan = { base: USER, chain: ["t@p.iam.gserviceaccount.com"] };
      await writeGcpFiles(writer, paths, files(plan));
      for (
        const file of [
          paths.adc,
          paths.gcloudCredentials,
          paths.session,
          paths.activeConfig,
          paths.configuration,
        ]
      ) {
        assert.equal(mode(file), 0o600, file);
      }
      for (const dir of [paths.adcDir, paths.configDir, join(paths.configDir, "configurations")]) {
        assert.equal(mode(dir), 0o700, dir);
      }
      assert.equal(Deno.readTextFileSync(paths.activeConfig), "atmos");
      // gcloud impersonates itself from the user's credentials: its own file holds the base.
      assert.deepEqual(JSON.parse(Deno.readTextFileSync(paths.gcloudCredentials)), USER);
      assert.match(
        Deno.readTextFileSync(paths.configuration),
        /credential_file_override = .*gcloud_credentials\.json\n/,
      );
      const back = readGcpFiles(paths)!;
      assert.deepEqual(back.plan.chain, plan.chain);
      assert.deepEqual(back.record.principal, "t@p.iam.gserviceaccount.com");
    } finally {
      Deno.umask(old);
    }
  });
});

Deno.test("writeGcpFiles() writes a subject token to its own file and points the external_account at it", async () => {
  await withDir(async (atmos) => {
    const writer = directWriter(atmos);
    const paths = gcpPaths(join(atmos, "gcp", "root"), "ci");
    await writeGcpFiles(
      writer,
      paths,
      files({ base: EXTERNAL, chain: [] }, { subjectToken: "a.b.c" }),
    );
    assert.equal(Deno.readTextFileSync(paths.subjectToken), "a.b.c");
    const adc = JSON.parse(Deno.readTextFileSync(paths.adc));
    assert.deepEqual(adc.credential_source, { file: paths.subjectToken });
    // One file serves gcloud too, and a stale second one is gone.
    assert.throws(() => Deno.statSync(paths.gcloudCredentials), Deno.errors.NotFound);
    assert.match(
      Deno.readTextFileSync(paths.configuration),
      /credential_file_override = .*application_default_credentials\.json\n/,
    );
    // A later login whose source needs no file of atmos's removes the old token.
    const url = { url: "https://token.actions.githubusercontent.com/x", headers: {} };
    await writeGcpFiles(
      writer,
      paths,
      files({ base: { ...EXTERNAL, credential_source: url }, chain: [] }),
    );
    assert.throws(() => Deno.statSync(paths.subjectToken), Deno.errors.NotFound);
  });
});

Deno.test("readGcpFiles() gives nothing for a half-written or missing identity", async () => {
  await withDir(async (atmos) => {
    const paths = gcpPaths(join(atmos, "gcp", "root"), "dev");
    assert.equal(readGcpFiles(paths), undefined);
    await directWriter(atmos).writeAtomic(paths.adc, JSON.stringify(USER));
    assert.equal(readGcpFiles(paths), undefined, "no session record yet");
  });
});

Deno.test("removeGcpFiles() removes exactly one identity's directories, gcloud's own files included", async () => {
  await withDir(async (atmos) => {
    const writer = directWriter(atmos);
    const dir = join(atmos, "gcp", "root");
    const dev = gcpPaths(dir, "dev");
    const other = gcpPaths(dir, "other");
    await writeGcpFiles(writer, dev, files({ base: USER, chain: [] }));
    await writeGcpFiles(writer, other, files({ base: USER, chain: [] }));
    await writer.writeAtomic(join(dev.configDir, "access_tokens.db"), "gcloud's cache");
    assert.deepEqual(await removeGcpFiles(dev), [dev.adcDir, dev.configDir]);
    assert.ok(Deno.statSync(dev.adc), "a dry run removed something");
    assert.deepEqual(await removeGcpFiles(dev, writer), [dev.adcDir, dev.configDir]);
    assert.throws(() => Deno.statSync(dev.configDir), Deno.errors.NotFound);
    assert.ok(Deno.statSync(other.adc));
    assert.deepEqual(await removeGcpFiles(dev, writer), []);
  });
});

Deno.test("originUnchanged() notices a rewritten or removed source file", async () => {
  const dir = await Deno.makeTempDir();
  try {
    const path = join(dir, "adc.json");
    Deno.writeTextFileSync(path, "{}");
    const info = Deno.statSync(path);
    const origin = { path, mtimeMs: info.mtime!.getTime(), size: info.size };
    assert.ok(originUnchanged(origin));
    assert.ok(originUnchanged(undefined));
    Deno.writeTextFileSync(path, '{"type":"authorized_user"}');
    assert.ok(!originUnchanged(origin));
    Deno.removeSync(path);
    assert.ok(!originUnchanged(origin));
  } finally {
    await Deno.remove(dir, { recursive: true });
  }
});
