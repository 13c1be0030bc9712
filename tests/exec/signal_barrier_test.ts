import assert from "node:assert/strict";
import { signalBarrier } from "../../lib/exec/signal_barrier.ts";

Deno.test("signalBarrier() returns only after a signal sent just before has reached its listener", async () => {
  for (let round = 0; round < 20; round++) {
    let seen = false;
    const listener = () => {
      seen = true;
    };
    Deno.addSignalListener("SIGHUP", listener);
    try {
      Deno.kill(Deno.pid, "SIGHUP");
      await signalBarrier();
      assert.equal(seen, true, `round ${round}: SIGHUP not seen`);
    } finally {
      Deno.removeSignalListener("SIGHUP", listener);
    }
  }
});

Deno.test("signalBarrier() leaves no listener behind, so a later SIGUSR2 still has its default meaning", async () => {
  await signalBarrier();
  const child = new Deno.Command(Deno.execPath(), {
    args: [
      "eval",
      `await import(${
        JSON.stringify(import.meta.resolve("../../lib/exec/signal_barrier.ts"))
      }).then((m) => m.signalBarrier()); Deno.kill(Deno.pid, "SIGUSR2"); await new Promise((r) => setTimeout(r, 2000));`,
    ],
    stdout: "null",
    stderr: "null",
  });
  const status = await child.output();
  assert.equal(status.signal, "SIGUSR2");
});
