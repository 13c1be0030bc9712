import assert from "node:assert/strict";
import { startSpinner } from "../../lib/cli/spinner.ts";

Deno.test("startSpinner() prints one plain line when the output is not a terminal", () => {
  const out: string[] = [];
  const spinner = startSpinner("Waiting…", { write: (t) => out.push(t), terminal: false });
  spinner.update("Waiting…");
  spinner.update("Still waiting…");
  spinner.stop();
  assert.deepEqual(out, ["Waiting…\n", "Still waiting…\n"]);
});

Deno.test("startSpinner() redraws in place on a terminal and clears the line when stopped", () => {
  const out: string[] = [];
  const spinner = startSpinner("Waiting", { write: (t) => out.push(t), terminal: true });
  spinner.update("Almost");
  spinner.stop();
  spinner.stop();
  assert.match(out[0], /^\r\x1b\[K. Waiting$/);
  assert.match(out[1], /^\r\x1b\[K. Almost$/);
  assert.deepEqual(out.slice(2), ["\r\x1b[K"]);
});
