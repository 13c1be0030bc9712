import assert from "node:assert/strict";
import { backgroundTimer } from "../../lib/exec/background_timer.ts";

const TIMER = JSON.stringify(import.meta.resolve("../../lib/exec/background_timer.ts"));

/** Runs `code` in a fresh `deno eval` process (whether a timer keeps a process alive). */
async function evalChild(code: string, env: Record<string, string> = {}) {
  const started = Date.now();
  const out = await new Deno.Command(Deno.execPath(), {
    args: ["eval", `const { backgroundTimer } = await import(${TIMER});\n${code}`],
    env,
    stdout: "piped",
    stderr: "piped",
  }).output();
  return {
    code: out.code,
    stdout: new TextDecoder().decode(out.stdout),
    stderr: new TextDecoder().decode(out.stderr),
    ms: Date.now() - started,
  };
}

Deno.test("backgroundTimer() calls back after a short delay, once", async () => {
  let calls = 0;
  await new Promise<void>((resolve) => {
    backgroundTimer(() => {
      calls++;
      resolve();
    }, 30);
  });
  await new Promise((resolve) => setTimeout(resolve, 50));
  assert.equal(calls, 1);
});

Deno.test("backgroundTimer() does not call back once cancelled", async () => {
  let calls = 0;
  const timer = backgroundTimer(() => calls++, 20);
  timer.cancel();
  timer.cancel();
  await new Promise((resolve) => setTimeout(resolve, 60));
  assert.equal(calls, 0);
});

Deno.test("backgroundTimer() calls back after a delay longer than its first stage, while the process lives", async () => {
  // The second stage is unref'ed: something else (here a plain timer) keeps the process up.
  const out = await evalChild(`
    const start = Date.now();
    backgroundTimer(() => console.log("fired after", Date.now() - start), 1300);
    setTimeout(() => {}, 2500);
  `);
  assert.equal(out.code, 0, out.stderr);
  const after = Number(/fired after (\d+)/.exec(out.stdout)?.[1]);
  assert.ok(after >= 1300, out.stdout);
});

Deno.test("backgroundTimer() lets the process exit at once when cancelled during its first stage", async () => {
  // A first stage of 30 s: a timer that kept the process alive would hold it that long.
  const out = await evalChild(`
    const timer = backgroundTimer(() => console.log("fired"), 60_000, { firstStageMs: 30_000 });
    await new Promise((resolve) => queueMicrotask(resolve));
    timer.cancel();
  `);
  assert.equal(out.code, 0, out.stderr);
  assert.equal(out.stdout, "");
  assert.ok(out.ms < 15_000, `the process waited ${out.ms} ms`);
});

Deno.test("backgroundTimer() never keeps the process alive past its first second, even when not cancelled", async () => {
  const out = await evalChild(`backgroundTimer(() => console.log("fired"), 60_000);`);
  assert.equal(out.code, 0, out.stderr);
  assert.equal(out.stdout, "", "the process lived until the timer fired");
  assert.ok(out.ms < 20_000, `the process waited ${out.ms} ms`);
});

Deno.test("backgroundTimer() cancelled within its first second never loads Deno's Node timers", async () => {
  // The point of the module: the first setTimeout of a process costs 10-15 ms of module loading.
  // Deno's debug log names each module it loads from its code cache; a plain setTimeout is the
  // control showing that the log still tells.
  const dir = await Deno.makeTempDir();
  try {
    const loadsNodeTimers = async (code: string) => {
      const script = `${dir}/script.ts`;
      await Deno.writeTextFile(script, `import { backgroundTimer } from ${TIMER};\n${code}\n`);
      const out = await new Deno.Command(Deno.execPath(), {
        args: ["run", "--no-prompt", script],
        env: { DENO_LOG: "debug" },
        stdout: "piped",
        stderr: "piped",
      }).output();
      const log = new TextDecoder().decode(out.stderr);
      assert.equal(out.code, 0, log.slice(-2000));
      return /ES module: node:timers/.test(log);
    };
    assert.equal(await loadsNodeTimers(`clearTimeout(setTimeout(() => {}, 60_000));`), true);
    assert.equal(await loadsNodeTimers(`backgroundTimer(() => {}, 60_000).cancel();`), false);
  } finally {
    await Deno.remove(dir, { recursive: true });
  }
});
