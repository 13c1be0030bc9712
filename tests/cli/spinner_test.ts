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
  const clear = "\r\x1b[K";
  assert.ok(out[0].startsWith(clear) && out[0].endsWith(" Waiting"), JSON.stringify(out[0]));
  assert.ok(out[1].startsWith(clear) && out[1].endsWith(" Almost"), JSON.stringify(out[1]));
  assert.deepEqual(out.slice(2), [clear]);
});
