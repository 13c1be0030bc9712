import assert from "node:assert/strict";
import { identityFromFlag } from "../../lib/auth/step_auth.ts";
import { SELECT_SENTINEL } from "../../lib/auth/select.ts";

const options = {
  identities: ["dev", "prod"],
  interactive: false,
  pick: () => Promise.reject(new Error("no picker expected")),
};

Deno.test("identityFromFlag() reads a name, the off values, and absence", async () => {
  assert.deepEqual(await identityFromFlag(undefined, options), { kind: "unset" });
  assert.deepEqual(await identityFromFlag("prod", options), { kind: "identity", name: "prod" });
  for (const off of ["false", "0", "no", "OFF"]) {
    assert.deepEqual(await identityFromFlag(off, options), { kind: "disabled" }, off);
  }
});

Deno.test("identityFromFlag() opens the picker for a bare flag on a terminal only", async () => {
  const picked = await identityFromFlag(SELECT_SENTINEL, {
    ...options,
    interactive: true,
    pick: (_message, choices) => Promise.resolve(choices[1]),
  });
  assert.deepEqual(picked, { kind: "identity", name: "prod" });
  await assert.rejects(
    identityFromFlag(SELECT_SENTINEL, options),
    /--identity needs a value when not running on a terminal \(use --identity=<name>; identities: dev, prod\)|--identity needs a value/,
  );
  await assert.rejects(identityFromFlag("  ", options), /--identity needs a name/);
});
