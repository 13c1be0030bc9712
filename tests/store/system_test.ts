import assert from "node:assert/strict";
import { AtmosError } from "../../lib/errors.ts";
import { openStore, type StoredSecret } from "../../lib/store/mod.ts";
import { fakeEnv } from "./direct_writer.ts";
import { fakeSecretTool, fakeSecurity, type RecordedCall } from "./fake_keychain.ts";

const SECRET: StoredSecret = {
  type: "aws",
  data: {
    access_key_id: "AKIAIOSFODNN7EXAMPLE",
    secret_access_key: "wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY",
  },
};
const LINUX_ENV = fakeEnv({ DBUS_SESSION_BUS_ADDRESS: "unix:path=/run/user/1000/bus" });

function assertNoSecretInArgv(calls: RecordedCall[]) {
  for (const call of calls) {
    for (const arg of [call.cmd, ...call.args]) {
      for (const value of Object.values(SECRET.data)) {
        assert.ok(!arg.includes(value), `argv carries a secret: ${call.cmd} ${call.args[0]}`);
      }
      assert.ok(!arg.includes(btoa(JSON.stringify(SECRET)).slice(0, 16)), "argv carries base64");
    }
  }
}

Deno.test("system store on Linux passes the secret to secret-tool on stdin only", async () => {
  const keychain = fakeSecretTool();
  const store = await openStore({
    type: "system",
    env: LINUX_ENV,
    fileDir: "/nonexistent",
    platform: "linux",
    runCommand: keychain.run,
  });
  assert.equal(store.kind, "system");
  assert.equal(store.fallbackReason, undefined);
  await store.set("atmos_r_dev", SECRET);

  const storeCall = keychain.calls.find((call) => call.args[0] === "store");
  assert.ok(storeCall);
  assert.deepEqual(storeCall.args.slice(2), ["service", "atmos_r_dev", "username", "atmos-auth"]);
  assert.deepEqual(JSON.parse(storeCall.stdin ?? ""), SECRET);
  assertNoSecretInArgv(keychain.calls);
  // The stored value is the plain Atmos envelope, readable by go-keyring.
  assert.deepEqual(JSON.parse(keychain.items.get("atmos_r_dev/atmos-auth")!), SECRET);

  assert.deepEqual(await store.get("atmos_r_dev"), SECRET);
  assert.equal(await store.get("atmos_r_other"), undefined);
  assert.deepEqual(await store.list(), []);
  assert.equal(await store.delete("atmos_r_dev"), true);
  assert.equal(await store.delete("atmos_r_dev"), false);
  assert.equal(await store.get("atmos_r_dev"), undefined);
});

Deno.test("system store on Linux reads an entry Atmos wrote and reports lookup errors", async () => {
  const keychain = fakeSecretTool();
  keychain.items.set(
    "atmos_dev/atmos-auth",
    '{"type":"aws","data":{"access_key_id":"AKIAIOSFODNN7EXAMPLE","session_duration":"12h"}}',
  );
  const store = await openStore({
    env: LINUX_ENV,
    fileDir: "/nonexistent",
    platform: "linux",
    runCommand: keychain.run,
  });
  assert.deepEqual(await store.get("atmos_dev"), {
    type: "aws",
    data: { access_key_id: "AKIAIOSFODNN7EXAMPLE", session_duration: "12h" },
  });

  keychain.items.set("atmos_bad/atmos-auth", "not json");
  await assert.rejects(store.get("atmos_bad"), /not a valid credential envelope/);

  const failing = await openStore({
    env: LINUX_ENV,
    fileDir: "/nonexistent",
    platform: "linux",
    runCommand: (_cmd, args) =>
      Promise.resolve(
        args[0] === "lookup" && args[2] === "atmos_dev"
          ? { code: 1, stdout: "", stderr: "secret-tool: Cannot autolaunch D-Bus\n" }
          : { code: 1, stdout: "", stderr: "" },
      ),
  });
  await assert.rejects(failing.get("atmos_dev"), (error: unknown) => {
    assert.ok(error instanceof AtmosError);
    assert.equal(
      error.message,
      'Cannot read credential "atmos_dev" in the system keychain: secret-tool exited with code 1: secret-tool: Cannot autolaunch D-Bus',
    );
    return true;
  });
});

Deno.test("system store on macOS feeds security -i on stdin in go-keyring's encoding", async () => {
  const keychain = fakeSecurity();
  const store = await openStore({
    env: fakeEnv({}),
    fileDir: "/nonexistent",
    platform: "darwin",
    runCommand: keychain.run,
  });
  assert.equal(store.kind, "system");
  await store.set("atmos_r_dev", SECRET);

  const add = keychain.calls.find((call) => call.args[0] === "-i");
  assert.ok(add);
  assert.deepEqual(add.args, ["-i"]);
  assert.match(add.stdin ?? "", /^add-generic-password -U -s 'atmos_r_dev' -a 'atmos-auth' -w '/);
  assertNoSecretInArgv(keychain.calls);
  const stored = keychain.items.get("atmos_r_dev/atmos-auth") ?? "";
  assert.ok(stored.startsWith("go-keyring-base64:"));
  assert.deepEqual(JSON.parse(atob(stored.slice("go-keyring-base64:".length))), SECRET);

  assert.deepEqual(await store.get("atmos_r_dev"), SECRET);
  assert.equal(await store.get("atmos_missing"), undefined);
  assert.equal(await store.delete("atmos_r_dev"), true);
  assert.equal(await store.delete("atmos_r_dev"), false);
});

Deno.test("system store on macOS decodes go-keyring's hex encoding and refuses quotes in keys", async () => {
  const keychain = fakeSecurity();
  const json = JSON.stringify({ type: "oidc", data: { token: "ey.x.y" } });
  const hex = Array.from(new TextEncoder().encode(json), (b) => b.toString(16).padStart(2, "0"))
    .join("");
  keychain.items.set("atmos_dev/atmos-auth", `go-keyring-encoded:${hex}`);
  const store = await openStore({
    env: fakeEnv({}),
    fileDir: "/nonexistent",
    platform: "darwin",
    runCommand: keychain.run,
  });
  assert.deepEqual(await store.get("atmos_dev"), { type: "oidc", data: { token: "ey.x.y" } });
  await assert.rejects(store.set("atmos_it's", SECRET), /contains a quote/);
  assert.ok(!keychain.calls.some((call) => call.args[0] === "-i"));
});
