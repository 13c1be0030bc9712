import assert from "node:assert/strict";
import { type PromptIO, runPrompt } from "../../../lib/cli/prompt/driver.ts";
import { isInteractive } from "../../../lib/cli/prompt/interactive.ts";
import { createSecret } from "../../../lib/cli/prompt/secret.ts";
import { createSelect } from "../../../lib/cli/prompt/select.ts";
import { AtmosError } from "../../../lib/errors.ts";

/** A fake terminal: each chunk is one read; records raw-mode changes and stderr text. */
function fakeTerminal(chunks: string[]) {
  const rawModes: boolean[] = [];
  let written = "";
  const queue = chunks.map((c) => new TextEncoder().encode(c));
  const io: PromptIO = {
    stdin: {
      setRaw(mode: boolean) {
        rawModes.push(mode);
      },
      read(buffer: Uint8Array) {
        const chunk = queue.shift();
        if (chunk === undefined) return Promise.resolve(null);
        buffer.set(chunk);
        return Promise.resolve(chunk.length);
      },
    },
    stderr: {
      writeSync(data: Uint8Array) {
        // Write at most 7 bytes at a time to prove partial writes are completed.
        const n = Math.min(7, data.length);
        written += new TextDecoder().decode(data.subarray(0, n), { stream: true });
        return n;
      },
    },
  };
  return { io, rawModes, output: () => written };
}

Deno.test("runPrompt() returns the picked option and restores the terminal", async () => {
  const term = fakeTerminal(["\x1b[B", "\r"]);
  const machine = createSelect({ message: "Pick:", options: ["a", "b"] });
  assert.equal(await runPrompt(machine, term.io), "b");
  assert.deepEqual(term.rawModes, [true, false]);
  const out = term.output();
  assert.ok(out.startsWith("? Pick: (type to filter)\n❯ a\n  b"));
  // Redraws move up over the previous two-line render and clear it.
  assert.ok(out.includes("\r\x1b[2A\x1b[J? Pick: (type to filter)\n  a\n❯ b"));
  assert.ok(out.endsWith("\r\x1b[2A\x1b[J? Pick: b\n"));
});

Deno.test("runPrompt() handles several keys in one read and never echoes a secret", async () => {
  const term = fakeTerminal(["hunter2\r"]);
  assert.equal(await runPrompt(createSecret({ message: "Password:" }), term.io), "hunter2");
  assert.ok(!term.output().includes("hunter2"));
  assert.ok(term.output().endsWith("? Password: *******\n"));
});

Deno.test("runPrompt() throws 'user aborted' with exit code 130 on ctrl-c and EOF", async () => {
  for (const chunks of [["\x03"], []]) {
    const term = fakeTerminal(chunks);
    await assert.rejects(
      runPrompt(createSelect({ message: "Pick:", options: ["a"] }), term.io),
      (error: unknown) =>
        error instanceof AtmosError && error.message === "user aborted" && error.exitCode === 130,
    );
    assert.deepEqual(term.rawModes, [true, false]);
  }
});

Deno.test("runPrompt() restores the terminal when reading fails", async () => {
  const term = fakeTerminal([]);
  term.io.stdin.read = () => Promise.reject(new Error("read failed"));
  await assert.rejects(runPrompt(createSecret({ message: "P:" }), term.io), /read failed/);
  assert.deepEqual(term.rawModes, [true, false]);
});

Deno.test("isInteractive() needs both terminals and no CI", () => {
  const ttys = { stdin: true, stderr: true };
  assert.equal(isInteractive({}, ttys), true);
  assert.equal(isInteractive({ CI: "true" }, ttys), false);
  assert.equal(isInteractive({ CI: "1" }, ttys), false);
  assert.equal(isInteractive({ CI: "false" }, ttys), true);
  assert.equal(isInteractive({ CI: "" }, ttys), true);
  assert.equal(isInteractive({}, { stdin: false, stderr: true }), false);
  assert.equal(isInteractive({}, { stdin: true, stderr: false }), false);
});
