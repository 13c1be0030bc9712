import assert from "node:assert/strict";
import { decodeKeys } from "../../../lib/cli/prompt/keys.ts";

function decode(text: string) {
  return decodeKeys(new TextEncoder().encode(text));
}

Deno.test("decodeKeys() decodes arrows, home/end and delete sequences", () => {
  assert.deepEqual(decode("\x1b[A\x1b[B\x1b[C\x1b[D\x1bOA\x1b[H\x1b[F\x1b[3~\x1b[1~\x1b[4~"), [
    { name: "up" },
    { name: "down" },
    { name: "right" },
    { name: "left" },
    { name: "up" },
    { name: "home" },
    { name: "end" },
    { name: "delete" },
    { name: "home" },
    { name: "end" },
  ]);
});

Deno.test("decodeKeys() decodes control keys and printable text", () => {
  assert.deepEqual(decode("a\r\x7f\b\x03\x04\x15\t\n"), [
    { name: "char", char: "a" },
    { name: "enter" },
    { name: "backspace" },
    { name: "backspace" },
    { name: "ctrl-c" },
    { name: "ctrl-d" },
    { name: "ctrl-u" },
    { name: "tab" },
    { name: "enter" },
  ]);
  assert.deepEqual(decode("é✓"), [{ name: "char", char: "é" }, { name: "char", char: "✓" }]);
  assert.deepEqual(decode("\r\n"), [{ name: "enter" }]);
});

Deno.test("decodeKeys() treats a lone ESC as escape and odd sequences as unknown", () => {
  assert.deepEqual(decode("\x1b"), [{ name: "escape" }]);
  assert.deepEqual(decode("\x1bx"), [{ name: "escape" }, { name: "char", char: "x" }]);
  assert.deepEqual(decode("\x1b[1;5Z\x01"), [{ name: "unknown" }, { name: "unknown" }]);
  assert.deepEqual(decode("\x1b[99~q"), [{ name: "unknown" }, { name: "char", char: "q" }]);
});
