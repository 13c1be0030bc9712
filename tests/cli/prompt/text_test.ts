import assert from "node:assert/strict";
import { createText } from "../../../lib/cli/prompt/text.ts";
import { keys, press, typed } from "./tester.ts";

function totp() {
  return createText({
    message: "MFA code:",
    validate: (value) => /^\d{6}$/.test(value) ? undefined : "enter the 6-digit code",
  });
}

Deno.test("createText() accepts a value that passes validation", () => {
  const machine = totp();
  press(machine, typed("123456"));
  assert.equal(machine.render(), "? MFA code: 123456");
  assert.deepEqual(press(machine, keys("enter")), { done: true, value: "123456" });
});

Deno.test("createText() shows the validation problem until the input changes", () => {
  const machine = totp();
  press(machine, typed("12345"));
  assert.deepEqual(press(machine, keys("enter")), {});
  assert.equal(machine.render(), "? MFA code: 12345\n  ✗ enter the 6-digit code");
  press(machine, typed("6"));
  assert.equal(machine.render(), "? MFA code: 123456");
  assert.deepEqual(press(machine, keys("enter")), { done: true, value: "123456" });
});

Deno.test("createText() edits with backspace and ctrl-u and starts from initial", () => {
  const machine = createText({ message: "Duration:", initial: "12h" });
  assert.equal(machine.render(), "? Duration: 12h");
  press(machine, [...keys("backspace", "backspace"), ...typed("h")]);
  assert.deepEqual(press(machine, keys("enter")), { done: true, value: "1h" });
  const cleared = createText({ message: "Name:", initial: "abc" });
  press(cleared, keys("ctrl-u"));
  assert.deepEqual(press(cleared, keys("enter")), { done: true, value: "" });
});

Deno.test("createText() aborts on ctrl-c and escape", () => {
  assert.deepEqual(press(totp(), keys("ctrl-c")), { aborted: true });
  assert.deepEqual(press(totp(), keys("escape")), { aborted: true });
});
