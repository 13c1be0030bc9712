import assert from "node:assert/strict";
import { createSecret } from "../../../lib/cli/prompt/secret.ts";
import { keys, press, typed } from "./tester.ts";

Deno.test("createSecret() masks every character and returns the typed value", () => {
  const machine = createSecret({ message: "Secret access key:" });
  press(machine, typed("s3cr3t!"));
  assert.equal(machine.render(), "? Secret access key: *******");
  assert.ok(!machine.render().includes("s3cr3t"));
  assert.deepEqual(press(machine, keys("enter")), { done: true, value: "s3cr3t!" });
  assert.equal(machine.render(), "? Secret access key: *******");
});

Deno.test("createSecret() shows nothing with an empty mask and handles backspace and ctrl-u", () => {
  const machine = createSecret({ message: "Password:", mask: "" });
  press(machine, typed("abc"));
  assert.equal(machine.render(), "? Password: ");
  press(machine, keys("backspace"));
  assert.deepEqual(press(machine, keys("enter")), { done: true, value: "ab" });
  const cleared = createSecret({ message: "Password:" });
  press(cleared, [...typed("abc"), ...keys("ctrl-u"), ...typed("x")]);
  assert.deepEqual(press(cleared, keys("enter")), { done: true, value: "x" });
});

Deno.test("createSecret() refuses an empty value when required", () => {
  const machine = createSecret({ message: "Password:", required: true });
  assert.deepEqual(press(machine, keys("enter")), {});
  assert.deepEqual(press(machine, [...typed("p"), ...keys("enter")]), { done: true, value: "p" });
});

Deno.test("createSecret() aborts on ctrl-c and escape", () => {
  assert.deepEqual(press(createSecret({ message: "P:" }), keys("ctrl-c")), { aborted: true });
  const machine = createSecret({ message: "P:" });
  assert.deepEqual(press(machine, [...typed("abc"), ...keys("escape")]), { aborted: true });
  assert.equal(machine.render(), "? P: (aborted)");
});
