import assert from "node:assert/strict";
import { createCommandRunner } from "../../lib/store/mod.ts";

const DENO = Deno.execPath();

Deno.test("createCommandRunner() feeds stdin and captures output and exit code", async () => {
  const run = createCommandRunner({ timeoutMs: 20_000 });
  const script =
    "const t = await new Response(Deno.stdin.readable).text(); console.log(t.toUpperCase()); console.error('err'); Deno.exit(3);";
  const result = await run(DENO, ["eval", script], "from stdin");
  assert.equal(result.code, 3);
  assert.equal(result.stdout, "FROM STDIN\n");
  assert.equal(result.stderr, "err\n");
});

Deno.test("createCommandRunner() rejects with NotFound for a missing program", async () => {
  const run = createCommandRunner({ timeoutMs: 1_000 });
  await assert.rejects(run("atmos-no-such-program-xyz", []), Deno.errors.NotFound);
});

Deno.test("createCommandRunner() kills a program that outlives the timeout", async () => {
  const run = createCommandRunner({ timeoutMs: 300 });
  const result = await run(DENO, ["eval", "await new Promise((r) => setTimeout(r, 20000))"]);
  assert.notEqual(result.code, 0);
});
