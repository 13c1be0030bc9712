import assert from "node:assert/strict";
import { join } from "node:path";
import { AtmosError } from "../../lib/errors.ts";
import { entryFileName, keyFromFileName } from "../../lib/store/file.ts";
import { directWriter } from "../../lib/fs/mod.ts";
import { openStore, type StoredSecret, type StoreWriter } from "../../lib/store/mod.ts";
import { DirectWriter, fakeEnv } from "./direct_writer.ts";

const PASSWORD = "correct horse battery";
const SECRET: StoredSecret = {
  type: "aws",
  data: {
    access_key_id: "AKIAIOSFODNN7EXAMPLE",
    secret_access_key: "wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY",
    mfa_arn: "arn:aws:iam::123456789012:mfa/me",
  },
};

async function openFileStore(dir: string, env: Record<string, string>, extra = {}) {
  return await openStore({
    type: "file",
    env: fakeEnv(env),
    fileDir: dir,
    writer: new DirectWriter(),
    ...extra,
  });
}

async function rejectsWith(promise: Promise<unknown>, message: string | RegExp, exitCode: number) {
  await assert.rejects(promise, (error: unknown) => {
    assert.ok(error instanceof AtmosError, `expected AtmosError, got ${error}`);
    if (typeof message === "string") assert.equal(error.message, message);
    else assert.match(error.message, message);
    assert.equal(error.exitCode, exitCode);
    for (const value of [...Object.values(SECRET.data), PASSWORD]) {
      assert.ok(!error.message.includes(value), "error message leaks a secret");
      assert.ok(!(error.hint ?? "").includes(value), "error hint leaks a secret");
    }
    return true;
  });
}

Deno.test("file store round-trips a secret through 0600 files in a 0700 directory", async () => {
  const root = await Deno.makeTempDir();
  const dir = join(root, "keyring");
  try {
    const store = await openFileStore(dir, { ATMOS_KEYRING_PASSWORD: PASSWORD });
    assert.equal(store.kind, "file");
    assert.equal(await store.get("atmos_r_dev"), undefined);
    await store.set("atmos_r_dev", SECRET);

    const path = join(dir, entryFileName("atmos_r_dev"));
    assert.equal((await Deno.stat(dir)).mode! & 0o777, 0o700);
    assert.equal((await Deno.stat(path)).mode! & 0o777, 0o600);
    const text = await Deno.readTextFile(path);
    for (const value of Object.values(SECRET.data)) assert.ok(!text.includes(value));
    assert.ok(!text.includes("access_key_id"));
    const file = JSON.parse(text);
    assert.equal(file.v, 1);
    assert.equal(file.kdf, "PBKDF2-SHA256");
    assert.equal(file.iterations, 600000);
    assert.equal(atob(file.salt).length, 16);
    assert.equal(atob(file.iv).length, 12);

    // A fresh store (new process) derives the key again from the file's salt.
    const reopened = await openFileStore(dir, { ATMOS_KEYRING_PASSWORD: PASSWORD });
    assert.deepEqual(await reopened.get("atmos_r_dev"), SECRET);
    assert.deepEqual(await reopened.list(), ["atmos_r_dev"]);
    assert.equal(await reopened.delete("atmos_r_dev"), true);
    assert.equal(await reopened.delete("atmos_r_dev"), false);
    assert.deepEqual(await reopened.list(), []);
  } finally {
    await Deno.remove(root, { recursive: true });
  }
});

Deno.test("file store reports a wrong password without revealing anything", async () => {
  const dir = await Deno.makeTempDir();
  try {
    const store = await openFileStore(dir, { ATMOS_KEYRING_PASSWORD: PASSWORD });
    await store.set("atmos_dev", SECRET);
    const wrong = await openFileStore(dir, { ATMOS_KEYRING_PASSWORD: "not the password" });
    await rejectsWith(
      wrong.get("atmos_dev"),
      'Cannot decrypt credential "atmos_dev": wrong password or corrupted file',
      1,
    );
  } finally {
    await Deno.remove(dir, { recursive: true });
  }
});

Deno.test("file store refuses a file renamed to another key or tampered with", async () => {
  const dir = await Deno.makeTempDir();
  try {
    const store = await openFileStore(dir, { ATMOS_KEYRING_PASSWORD: PASSWORD });
    await store.set("atmos_alice", SECRET);
    await Deno.rename(
      join(dir, entryFileName("atmos_alice")),
      join(dir, entryFileName("atmos_bob")),
    );
    await rejectsWith(
      store.get("atmos_bob"),
      'Cannot decrypt credential "atmos_bob": wrong password or corrupted file',
      1,
    );

    const path = join(dir, entryFileName("atmos_bob"));
    const file = JSON.parse(await Deno.readTextFile(path));
    await Deno.writeTextFile(path, JSON.stringify({ ...file, iterations: 1 }));
    await rejectsWith(store.get("atmos_bob"), /wrong password or corrupted file/, 1);
    await Deno.writeTextFile(path, "not json");
    await rejectsWith(store.get("atmos_bob"), /wrong password or corrupted file/, 1);
  } finally {
    await Deno.remove(dir, { recursive: true });
  }
});

Deno.test("file store rejects a password shorter than 8 characters with exit code 2", async () => {
  const dir = await Deno.makeTempDir();
  try {
    const store = await openFileStore(dir, { ATMOS_KEYRING_PASSWORD: "short" });
    await rejectsWith(store.set("atmos_dev", SECRET), /too short/, 2);
    assert.deepEqual([...Deno.readDirSync(dir)], []);
  } finally {
    await Deno.remove(dir, { recursive: true });
  }
});

Deno.test("file store without a password or prompt fails with exit code 2", async () => {
  const dir = await Deno.makeTempDir();
  try {
    const store = await openFileStore(dir, {});
    await rejectsWith(
      store.set("atmos_dev", SECRET),
      /^Cannot open the encrypted credential store: set ATMOS_KEYRING_PASSWORD/,
      2,
    );
    const custom = await openFileStore(dir, {}, { passwordEnv: "MY_STORE_PASSWORD" });
    await rejectsWith(custom.set("atmos_dev", SECRET), /set MY_STORE_PASSWORD/, 2);
  } finally {
    await Deno.remove(dir, { recursive: true });
  }
});

Deno.test("file store prompts once, and only when an entry is encrypted or decrypted", async () => {
  const dir = await Deno.makeTempDir();
  try {
    let prompts = 0;
    const promptPassword = () => {
      prompts++;
      return Promise.resolve(PASSWORD);
    };
    const store = await openFileStore(dir, {}, { promptPassword });
    assert.equal(await store.get("atmos_missing"), undefined);
    assert.deepEqual(await store.list(), []);
    assert.equal(prompts, 0);
    await store.set("atmos_dev", SECRET);
    assert.deepEqual(await store.get("atmos_dev"), SECRET);
    assert.equal(prompts, 1);
  } finally {
    await Deno.remove(dir, { recursive: true });
  }
});

Deno.test("file store without a writer is read-only", async () => {
  const dir = await Deno.makeTempDir();
  try {
    const store = await openStore({
      type: "file",
      env: fakeEnv({ ATMOS_KEYRING_PASSWORD: PASSWORD }),
      fileDir: dir,
    });
    await rejectsWith(store.set("atmos_dev", SECRET), /opened read-only/, 1);
  } finally {
    await Deno.remove(dir, { recursive: true });
  }
});

Deno.test("entry file names encode any key reversibly and ignore other files", () => {
  for (const key of ["atmos_r_dev", "atmos_a/b..c", "atmos_ünïcode ✓"]) {
    const name = entryFileName(key);
    assert.match(name, /^[A-Za-z0-9_-]+\.json$/);
    assert.equal(keyFromFileName(name), key);
  }
  assert.equal(keyFromFileName("YXRtb3NfZGV2.json.tmp-123"), undefined);
  assert.equal(keyFromFileName("not base64!.json"), undefined);
});

Deno.test("file store works with lib/fs's directWriter", async () => {
  const root = await Deno.makeTempDir();
  try {
    const writer: StoreWriter = directWriter(root);
    const dir = join(root, "atmos", "keyring");
    const store = await openFileStore(dir, { ATMOS_KEYRING_PASSWORD: PASSWORD }, { writer });
    await store.set("atmos_dev", SECRET);
    assert.equal((await Deno.stat(join(dir, entryFileName("atmos_dev")))).mode! & 0o777, 0o600);
    assert.deepEqual(await store.get("atmos_dev"), SECRET);
    assert.deepEqual(await store.list(), ["atmos_dev"]);
    assert.equal(await store.delete("atmos_dev"), true);
  } finally {
    await Deno.remove(root, { recursive: true });
  }
});
