import assert from "node:assert/strict";
import { createSelect } from "../../../lib/cli/prompt/select.ts";
import { keys, press, typed } from "./tester.ts";

const OPTIONS = ["dev", "prod-admin", "prod-readonly", "staging", "jenkins"];

function picker(initial?: string, pageSize?: number) {
  return createSelect({ message: "Choose an identity:", options: OPTIONS, initial, pageSize });
}

Deno.test("createSelect() renders the options with the first selected", () => {
  assert.equal(
    picker().render(),
    [
      "? Choose an identity: (type to filter)",
      "❯ dev",
      "  prod-admin",
      "  prod-readonly",
      "  staging",
      "  jenkins",
    ].join("\n"),
  );
});

Deno.test("createSelect() starts on the initial option and enter picks it", () => {
  const machine = picker("staging");
  assert.ok(machine.render().includes("❯ staging"));
  assert.deepEqual(press(machine, keys("enter")), { done: true, value: "staging" });
  assert.equal(machine.render(), "? Choose an identity: staging");
});

Deno.test("createSelect() moves with arrows and j/k, wrapping at the ends", () => {
  const machine = picker();
  assert.deepEqual(press(machine, keys("down", "j")), {});
  assert.ok(machine.render().includes("❯ prod-readonly"));
  press(machine, keys("k", "up", "up"));
  assert.ok(machine.render().includes("❯ jenkins"));
  assert.deepEqual(press(machine, keys("down", "enter")), { done: true, value: "dev" });
});

Deno.test("createSelect() filters by typed text, case-insensitively", () => {
  const machine = picker();
  press(machine, typed("PROD"));
  assert.equal(
    machine.render(),
    "? Choose an identity: /PROD\n❯ prod-admin\n  prod-readonly",
  );
  press(machine, keys("down"));
  assert.deepEqual(press(machine, keys("enter")), { done: true, value: "prod-readonly" });
});

Deno.test("createSelect() types j and k into an active filter", () => {
  const machine = picker();
  press(machine, keys("/", "j", "e"));
  assert.equal(machine.render(), "? Choose an identity: /je\n❯ jenkins");
  assert.deepEqual(press(machine, keys("enter")), { done: true, value: "jenkins" });
});

Deno.test("createSelect() ignores enter with no matches and backspace widens the filter", () => {
  const machine = picker();
  press(machine, typed("zz"));
  assert.equal(machine.render(), "? Choose an identity: /zz\n  no matches");
  assert.deepEqual(press(machine, keys("enter")), {});
  press(machine, keys("backspace", "backspace"));
  assert.ok(machine.render().includes("❯ dev"));
});

Deno.test("createSelect() escape clears the filter first, then aborts", () => {
  const machine = picker();
  press(machine, typed("stag"));
  assert.deepEqual(press(machine, keys("escape")), {});
  assert.ok(machine.render().startsWith("? Choose an identity: (type to filter)\n"));
  assert.ok(machine.render().includes("❯ staging"), "selection survives clearing the filter");
  assert.deepEqual(press(machine, keys("escape")), { aborted: true });
});

Deno.test("createSelect() aborts on ctrl-c", () => {
  const machine = picker();
  assert.deepEqual(press(machine, keys("ctrl-c")), { aborted: true });
  assert.equal(machine.render(), "? Choose an identity: (aborted)");
});

Deno.test("createSelect() scrolls a page around the selection", () => {
  const machine = picker(undefined, 2);
  assert.equal(machine.render(), "? Choose an identity: (type to filter)\n❯ dev\n  prod-admin");
  press(machine, keys("down", "down", "down"));
  assert.equal(
    machine.render(),
    "? Choose an identity: (type to filter)\n  prod-readonly\n❯ staging",
  );
  press(machine, keys("down"));
  assert.equal(machine.render(), "? Choose an identity: (type to filter)\n  staging\n❯ jenkins");
});
