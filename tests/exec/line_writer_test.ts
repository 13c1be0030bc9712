import assert from "node:assert/strict";
import { LineSplitter } from "../../lib/exec/line_writer.ts";

Deno.test("LineSplitter passes on whole lines only, across chunks and split UTF-8 characters", () => {
  const lines: string[] = [];
  const splitter = new LineSplitter((line) => lines.push(line));
  const bytes = new TextEncoder().encode("one\r\ntw€o\nthr");
  splitter.push(bytes.subarray(0, 7)); // ends inside "€"
  assert.deepEqual(lines, ["one"]);
  splitter.push(bytes.subarray(7));
  assert.deepEqual(lines, ["one", "tw€o"]);
  splitter.flush();
  assert.deepEqual(lines, ["one", "tw€o", "thr"]);
  splitter.flush();
  assert.equal(lines.length, 3);
});
