/**
 * The harness's own promise: no test waits forever on a child. A child that outlives its limit
 * is killed with everything it started, and the test fails with a message naming it.
 */
import assert from "node:assert/strict";
import { createSandbox, runCommand } from "./harness.ts";
import { runOnTty } from "./tty.ts";

/** Processes whose command line contains `marker`. */
async function running(marker: string): Promise<string[]> {
  const out = await new Deno.Command("/usr/bin/pgrep", { args: ["-f", marker], stdout: "piped" })
    .output();
  return new TextDecoder().decode(out.stdout).split("\n").filter((line) => line !== "");
}

async function gone(marker: string): Promise<boolean> {
  for (let i = 0; i < 40; i++) {
    if ((await running(marker)).length === 0) return true;
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
  return false;
}

Deno.test("runCommand() kills a child that outlives its limit, with its process group, and fails naming it", async () => {
  const marker = `sleep 301.${Date.now() % 1000}`;
  const started = performance.now();
  await assert.rejects(
    () =>
      runCommand("/bin/bash", ["-c", `echo partial >&2; ${marker} & ${marker}`], {
        env: { PATH: "/usr/bin:/bin" },
        label: "the hanging command",
        timeoutMs: 1_000,
      }),
    (error: unknown) => {
      assert.ok(error instanceof assert.AssertionError);
      assert.match(error.message, /^the hanging command did not finish within 1 s/);
      assert.match(error.message, /process group was killed; stderr so far:\npartial/);
      return true;
    },
  );
  assert.ok(performance.now() - started < 10_000, "failed fast");
  assert.ok(await gone(marker), "the background sleep was killed too");
});

Deno.test("runCommand() passes stdin and returns the output of a child that finishes", async () => {
  const result = await runCommand("/bin/sh", ["-c", "cat; echo err >&2; exit 3"], {
    env: {},
    stdin: "in\n",
  });
  assert.deepEqual(result, { code: 3, stdout: "in\n", stderr: "err\n" });
});

Deno.test("a run on a terminal that outlives its limit is ended with its child, and the test fails", async () => {
  const sb = await createSandbox("auth:\n  identities: {}\n");
  const marker = `sleep 302.${Date.now() % 1000}`;
  try {
    const run = runOnTty(sb, ["auth", "exec", "--identity=off", "--", "/bin/sh", "-c", marker]);
    await run.waitForScreen(/^/);
    for (let i = 0; i < 100 && (await running(marker)).length === 0; i++) {
      await new Promise((resolve) => setTimeout(resolve, 100));
    }
    assert.notDeepEqual(await running(marker), [], "the child started");
    await assert.rejects(
      () => run.done(1_000),
      /atmos auth exec .* on a terminal did not finish within 1 s/,
    );
    assert.ok(await gone(marker), "atmos's child was ended too");
  } finally {
    await sb.cleanup();
  }
});
