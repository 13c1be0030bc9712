import assert from "node:assert/strict";
import { openStore } from "../../lib/store/mod.ts";
import type { CommandRunner } from "../../lib/store/mod.ts";
import { DirectWriter, fakeEnv } from "./direct_writer.ts";
import { fakeSecretTool } from "./fake_keychain.ts";

const DBUS = { DBUS_SESSION_BUS_ADDRESS: "unix:path=/run/user/1000/bus" };

function missingProgram(): CommandRunner {
  return (cmd) => Promise.reject(new Deno.errors.NotFound(`${cmd}: not found`));
}

Deno.test("openStore() falls back to noop when the keychain program is missing", async () => {
  const store = await openStore({
    type: "system",
    env: fakeEnv(DBUS),
    fileDir: "/nonexistent",
    platform: "linux",
    runCommand: missingProgram(),
  });
  assert.equal(store.kind, "noop");
  assert.equal(
    store.fallbackReason,
    "system keychain unavailable: secret-tool was not found on PATH; ATMOS_KEYRING_PASSWORD is not set, so nothing is stored",
  );
});

Deno.test("openStore() needs a D-Bus session on Linux and does not probe without one", async () => {
  const keychain = fakeSecretTool();
  const store = await openStore({
    env: fakeEnv({}),
    fileDir: "/nonexistent",
    platform: "linux",
    runCommand: keychain.run,
  });
  assert.equal(store.kind, "noop");
  assert.match(store.fallbackReason ?? "", /no D-Bus session/);
  assert.equal(keychain.calls.length, 0);
});

Deno.test("openStore() falls back to noop when the Secret Service probe fails", async () => {
  const store = await openStore({
    env: fakeEnv(DBUS),
    fileDir: "/nonexistent",
    platform: "linux",
    runCommand: () => Promise.resolve({ code: 1, stdout: "", stderr: "secret-tool: no service\n" }),
  });
  assert.equal(store.kind, "noop");
  assert.match(store.fallbackReason ?? "", /cannot reach the Secret Service \(exit 1\)/);
});

Deno.test("openStore() falls back to the file store when a password is in the environment", async () => {
  const dir = await Deno.makeTempDir();
  try {
    const store = await openStore({
      env: fakeEnv({ STORE_PW: "long enough password" }),
      passwordEnv: "STORE_PW",
      fileDir: dir,
      writer: new DirectWriter(),
      platform: "windows",
      runCommand: missingProgram(),
    });
    assert.equal(store.kind, "file");
    assert.equal(
      store.fallbackReason,
      "system keychain unavailable: no system keychain support on windows; using the encrypted file store",
    );
    await store.set("atmos_dev", { type: "aws", data: { access_key_id: "AKIAEXAMPLE" } });
    assert.deepEqual(await store.list(), ["atmos_dev"]);

    const short = await openStore({
      env: fakeEnv({ STORE_PW: "short" }),
      passwordEnv: "STORE_PW",
      fileDir: dir,
      platform: "windows",
    });
    assert.equal(short.kind, "noop");
    assert.match(short.fallbackReason ?? "", /STORE_PW is too short/);
  } finally {
    await Deno.remove(dir, { recursive: true });
  }
});

Deno.test("openStore() opens memory and noop stores and treats unknown types as system", async () => {
  const base = { env: fakeEnv(DBUS), fileDir: "/nonexistent", platform: "linux" };
  assert.equal((await openStore({ ...base, type: "memory" })).kind, "memory");
  assert.equal((await openStore({ ...base, type: " Noop " })).kind, "noop");
  const keychain = fakeSecretTool();
  const unknown = await openStore({ ...base, type: "vault", runCommand: keychain.run });
  assert.equal(unknown.kind, "system");
  assert.equal(unknown.fallbackReason, 'unknown keyring type "vault"; using the system keychain');
  assert.deepEqual(keychain.calls[0].args, [
    "lookup",
    "service",
    "atmos-keyring-availability-probe",
    "username",
    "atmos-auth",
  ]);
});
