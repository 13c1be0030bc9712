import assert from "node:assert/strict";

const BARRIER = JSON.stringify(import.meta.resolve("../../lib/exec/signal_barrier.ts"));

/**
 * Runs `code` in a fresh `deno eval` process. The barrier must be tested there: atmos runs
 * JavaScript on the process's main thread, which the kernel prefers for signals sent to the
 * process, while `deno test` runs test code on a pool thread, where a signal can sit pending
 * on the idle main thread until the scheduler gets to it.
 */
async function evalChild(code: string): Promise<Deno.CommandOutput> {
  return await new Deno.Command(Deno.execPath(), {
    args: ["eval", `const { signalBarrier } = await import(${BARRIER});\n${code}`],
    stdout: "piped",
    stderr: "piped",
  }).output();
}

Deno.test("signalBarrier() returns only after a signal sent just before has reached its listener", async () => {
  const out = await evalChild(`
    let missed = 0;
    for (let round = 0; round < 200; round++) {
      let seen = false;
      const listener = () => { seen = true; };
      Deno.addSignalListener("SIGHUP", listener);
      Deno.kill(Deno.pid, "SIGHUP");
      await signalBarrier();
      if (!seen) missed++;
      Deno.removeSignalListener("SIGHUP", listener);
    }
    console.log(JSON.stringify({ missed }));
  `);
  const stderr = new TextDecoder().decode(out.stderr);
  assert.equal(out.code, 0, stderr);
  assert.deepEqual(JSON.parse(new TextDecoder().decode(out.stdout)), { missed: 0 });
});

Deno.test("signalBarrier() leaves no listener behind, so a later SIGUSR2 still has its default meaning", async () => {
  const out = await evalChild(`
    await signalBarrier();
    Deno.kill(Deno.pid, "SIGUSR2");
    await new Promise((r) => setTimeout(r, 2000));
  `);
  assert.equal(out.signal, "SIGUSR2");
});
