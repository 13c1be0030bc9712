import assert from "node:assert/strict";
import { AtmosError } from "../../lib/errors.ts";
import { atmosCacheDir, atmosConfigDir } from "../../lib/fs/xdg.ts";

function env(vars: Record<string, string>) {
  return { get: (name: string) => vars[name] };
}

Deno.test("atmosConfigDir() prefers ATMOS_XDG_CONFIG_HOME over XDG_CONFIG_HOME over HOME", () => {
  const all = { ATMOS_XDG_CONFIG_HOME: "/a", XDG_CONFIG_HOME: "/x", HOME: "/home/u" };
  assert.equal(atmosConfigDir(env(all)), "/a/atmos");
  assert.equal(atmosConfigDir(env({ ...all, ATMOS_XDG_CONFIG_HOME: "" })), "/x/atmos");
  assert.equal(atmosConfigDir(env({ HOME: "/home/u" })), "/home/u/.config/atmos");
  assert.equal(atmosConfigDir(env({ XDG_CONFIG_HOME: "/x/" })), "/x/atmos");
});

Deno.test("atmosCacheDir() prefers ATMOS_XDG_CACHE_HOME over XDG_CACHE_HOME over HOME", () => {
  assert.equal(atmosCacheDir(env({ ATMOS_XDG_CACHE_HOME: "/a", HOME: "/h" })), "/a/atmos");
  assert.equal(atmosCacheDir(env({ XDG_CACHE_HOME: "/c", HOME: "/h" })), "/c/atmos");
  assert.equal(atmosCacheDir(env({ HOME: "/h/" })), "/h/.cache/atmos");
  assert.equal(atmosCacheDir(env({ XDG_CONFIG_HOME: "/x", HOME: "/h" })), "/h/.cache/atmos");
});

Deno.test("atmosConfigDir() falls back to USERPROFILE and fails with exit code 2 without any home", () => {
  assert.equal(atmosConfigDir(env({ USERPROFILE: "C:\\Users\\u" })), "C:\\Users\\u/.config/atmos");
  assert.throws(
    () => atmosConfigDir(env({})),
    (error: unknown) =>
      error instanceof AtmosError && error.exitCode === 2 && /HOME is set/.test(error.message),
  );
});

Deno.test("atmosConfigDir() ignores a relative XDG_CONFIG_HOME, as the XDG spec says", () => {
  assert.equal(atmosConfigDir(env({ XDG_CONFIG_HOME: "rel/cfg", HOME: "/h" })), "/h/.config/atmos");
  assert.equal(atmosConfigDir(env({ XDG_CONFIG_HOME: "./cfg", HOME: "/h" })), "/h/.config/atmos");
  assert.equal(atmosCacheDir(env({ XDG_CACHE_HOME: "cache", HOME: "/h" })), "/h/.cache/atmos");
  assert.throws(
    () => atmosConfigDir(env({ XDG_CONFIG_HOME: "rel/cfg" })),
    (error: unknown) =>
      error instanceof AtmosError && error.exitCode === 2 &&
      /XDG_CONFIG_HOME="rel\/cfg" is relative, so ignored/.test(error.message),
  );
});

Deno.test("atmosConfigDir() refuses a relative HOME or ATMOS_XDG_CONFIG_HOME with exit code 2", () => {
  for (
    const [vars, name] of [
      [{ HOME: "home/u" }, "HOME"],
      [{ HOME: "." }, "HOME"],
      [{ XDG_CONFIG_HOME: "rel", HOME: "rel" }, "HOME"],
      [{ ATMOS_XDG_CONFIG_HOME: "cfg", HOME: "/h" }, "ATMOS_XDG_CONFIG_HOME"],
      [{ ATMOS_XDG_CONFIG_HOME: "../cfg", XDG_CONFIG_HOME: "/x" }, "ATMOS_XDG_CONFIG_HOME"],
    ] as const
  ) {
    assert.throws(
      () => atmosConfigDir(env(vars)),
      (error: unknown) =>
        error instanceof AtmosError && error.exitCode === 2 &&
        error.message.startsWith(`${name} must be an absolute path`),
      JSON.stringify(vars),
    );
  }
  assert.equal(atmosConfigDir(env({ ATMOS_XDG_CONFIG_HOME: "C:\\cfg" })), "C:\\cfg/atmos");
});
