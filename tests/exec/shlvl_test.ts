import assert from "node:assert/strict";
import { MAX_SHLVL, nextShellLevel } from "../../lib/exec/shlvl.ts";

Deno.test("nextShellLevel() adds one to ATMOS_SHLVL, treating missing or junk values as 0", () => {
  assert.equal(nextShellLevel({}), 1);
  assert.equal(nextShellLevel({ ATMOS_SHLVL: "4" }), 5);
  assert.equal(nextShellLevel({ ATMOS_SHLVL: "junk" }), 1);
  assert.equal(nextShellLevel({ ATMOS_SHLVL: String(MAX_SHLVL - 1) }), MAX_SHLVL);
});

Deno.test("nextShellLevel() refuses to go past the maximum with exit code 2", () => {
  assert.throws(
    () => nextShellLevel({ ATMOS_SHLVL: String(MAX_SHLVL) }),
    (e: Error & { exitCode: number }) => {
      assert.match(e.message, /current=11, max=10/);
      assert.equal(e.exitCode, 2);
      return true;
    },
  );
});
