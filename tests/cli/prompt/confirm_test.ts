import assert from "node:assert/strict";
import { createConfirm } from "../../../lib/cli/prompt/confirm.ts";
import { keys, press } from "./tester.ts";

Deno.test("createConfirm() answers at once on y or n, in either case", () => {
  assert.deepEqual(press(createConfirm({ message: "Go?" }), keys("Y")), {
    done: true,
    value: "true",
  });
  const machine = createConfirm({ message: "Go?", initial: true });
  assert.deepEqual(press(machine, keys("n")), { done: true, value: "false" });
  assert.equal(machine.render(), "? Go? no");
});

Deno.test("createConfirm() takes the default on enter and switches it with the arrows", () => {
  const machine = createConfirm({ message: "Deploy?" });
  assert.equal(machine.render(), "? Deploy? (y/N) no");
  press(machine, keys("right"));
  assert.equal(machine.render(), "? Deploy? (Y/n) yes");
  assert.deepEqual(press(machine, keys("enter")), { done: true, value: "true" });
});

Deno.test("createConfirm() aborts on escape and ctrl-c and ignores other keys", () => {
  const machine = createConfirm({ message: "Go?", initial: true });
  assert.deepEqual(press(machine, keys("x", "up")), {});
  assert.deepEqual(press(machine, keys("escape")), { aborted: true });
  assert.equal(machine.render(), "? Go? (aborted)");
  assert.deepEqual(press(createConfirm({ message: "Go?" }), keys("ctrl-c")), { aborted: true });
});
