import assert from "node:assert/strict";
import {
  formatDuration,
  renderTable,
  renderTree,
  shellQuote,
  toJson,
  useColor,
  visibleWidth,
} from "../../lib/cli/output.ts";

Deno.test("renderTable() aligns columns and trims trailing spaces", () => {
  const text = renderTable(["NAME", "KIND", "DEFAULT"], [
    ["prod-admin", "aws/permission-set", "✓"],
    ["dev", "aws/assume-role", ""],
  ]);
  assert.equal(
    text,
    [
      "NAME        KIND                DEFAULT",
      "prod-admin  aws/permission-set  ✓",
      "dev         aws/assume-role",
      "",
    ].join("\n"),
  );
});

Deno.test("renderTable() ignores colour escapes when measuring", () => {
  const text = renderTable(["A", "B"], [["\x1b[32m●\x1b[0m", "x"]]);
  assert.equal(text, "A  B\n\x1b[32m●\x1b[0m  x\n");
  assert.equal(visibleWidth("\x1b[1;31mab\x1b[0m"), 2);
});

Deno.test("renderTree() draws branches like atmos auth list", () => {
  const text = renderTree({
    label: " Authentication Configuration",
    children: [{
      label: "mock-provider (mock/aws)",
      children: [{
        label: "Identities",
        children: [
          {
            label: "● mock-identity (mock/aws) [DEFAULT] 650139h2m",
            children: [{
              label: "Principal",
              children: [{ label: "account", children: [{ label: "id: 123456789012" }] }],
            }],
          },
          {
            label: "● mock-identity-2 (mock/aws) 650139h2m",
            children: [{
              label: "Principal",
              children: [{ label: "account", children: [{ label: "id: 987654321098" }] }],
            }],
          },
        ],
      }],
    }],
  });
  assert.equal(
    text,
    [
      " Authentication Configuration",
      "└──mock-provider (mock/aws)",
      "   └──Identities",
      "      ├──● mock-identity (mock/aws) [DEFAULT] 650139h2m",
      "      │  └──Principal",
      "      │     └──account",
      "      │        └──id: 123456789012",
      "      └──● mock-identity-2 (mock/aws) 650139h2m",
      "         └──Principal",
      "            └──account",
      "               └──id: 987654321098",
      "",
    ].join("\n"),
  );
});

Deno.test("toJson() indents by two spaces and ends with a newline", () => {
  assert.equal(toJson({ a: [1], b: "x" }), '{\n  "a": [\n    1\n  ],\n  "b": "x"\n}\n');
});

Deno.test("shellQuote() leaves safe words alone and single-quotes the rest", () => {
  assert.equal(
    shellQuote("/home/u/.config/atmos/aws/credentials"),
    "/home/u/.config/atmos/aws/credentials",
  );
  assert.equal(shellQuote("a=b,c:d@e%f+g"), "a=b,c:d@e%f+g");
  assert.equal(shellQuote("has space"), "'has space'");
  assert.equal(shellQuote("it's"), `'it'"'"'s'`);
  assert.equal(shellQuote(""), "''");
  assert.equal(shellQuote("$HOME"), "'$HOME'");
});

Deno.test("formatDuration() uses Atmos's units", () => {
  assert.equal(formatDuration(3_600_000), "1h 0m");
  assert.equal(formatDuration(26 * 3_600_000 + 5 * 60_000 + 59_000), "26h 5m");
  assert.equal(formatDuration(5 * 60_000 + 3_999), "5m 3s");
  assert.equal(formatDuration(42_500), "42s");
  assert.equal(formatDuration(999), "expired");
  assert.equal(formatDuration(0), "expired");
  assert.equal(formatDuration(-5_000), "expired");
});

Deno.test("useColor() honours NO_COLOR and the terminal", () => {
  assert.equal(useColor({}, true), true);
  assert.equal(useColor({}, false), false);
  assert.equal(useColor({ NO_COLOR: "1" }, true), false);
  assert.equal(useColor({ NO_COLOR: "" }, true), true);
});
