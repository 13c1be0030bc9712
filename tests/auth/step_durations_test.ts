import assert from "node:assert/strict";
import { directWriter } from "../../lib/fs/writer.ts";
import { loadStepDurations, MAX_RUNS, stepDurationsPath } from "../../lib/auth/step_durations.ts";

async function withConfigDir(fn: (dir: string) => Promise<void>): Promise<void> {
  const home = await Deno.makeTempDir({ prefix: "atmos-durations-" });
  const dir = `${home}/atmos`;
  await Deno.mkdir(dir, { mode: 0o700 });
  try {
    await fn(dir);
  } finally {
    await Deno.remove(home, { recursive: true });
  }
}

function open(dir: string, now = () => Date.parse("2026-12-05T10:00:00Z")) {
  const writer = directWriter(dir);
  return loadStepDurations({ configDir: dir, writer: () => Promise.resolve(writer), now });
}

Deno.test("loadStepDurations() reads what a previous run recorded, in a 0600 file", async () => {
  await withConfigDir(async (dir) => {
    const first = await open(dir);
    assert.equal(first.get("workflow /w.yaml deploy", "apply"), undefined);
    await first.record("workflow /w.yaml deploy", "apply", 2_820_000.4);
    assert.equal(first.get("workflow /w.yaml deploy", "apply"), 2_820_000);
    const later = await open(dir);
    assert.equal(later.get("workflow /w.yaml deploy", "apply"), 2_820_000);
    assert.equal(later.get("workflow /w.yaml other", "apply"), undefined);
    const info = await Deno.stat(stepDurationsPath(dir));
    assert.equal(info.mode! & 0o777, 0o600);
  });
});

Deno.test("loadStepDurations() keeps entries another run recorded in the meantime", async () => {
  await withConfigDir(async (dir) => {
    const [a, b] = await Promise.all([open(dir), open(dir)]);
    await Promise.all([a.record("run a", "plan", 1_000), b.record("run b", "apply", 2_000)]);
    await a.record("run a", "apply", 3_000);
    const after = await open(dir);
    assert.equal(after.get("run a", "plan"), 1_000);
    assert.equal(after.get("run a", "apply"), 3_000);
    assert.equal(after.get("run b", "apply"), 2_000);
  });
});

Deno.test("loadStepDurations() reads a malformed file as empty and replaces it", async () => {
  await withConfigDir(async (dir) => {
    await Deno.mkdir(`${dir}/cache`);
    for (
      const text of [
        "{not json",
        "[]",
        '{"version":2,"runs":{"r":{"s":{"ms":5,"at":"2026-01-01T00:00:00Z"}}}}',
        '{"version":1,"runs":{"r":{"s":{"ms":-1,"at":"2026-01-01T00:00:00Z"},' +
        '"t":{"ms":"5","at":"2026-01-01T00:00:00Z"},"u":{"ms":5,"at":"yesterday"}}}}',
      ]
    ) {
      await Deno.writeTextFile(stepDurationsPath(dir), text);
      const durations = await open(dir);
      for (const step of ["s", "t", "u"]) assert.equal(durations.get("r", step), undefined, text);
    }
    await (await open(dir)).record("r", "s", 7);
    assert.equal((await open(dir)).get("r", "s"), 7);
  });
});

Deno.test("loadStepDurations() keeps the most recently recorded runs only", async () => {
  await withConfigDir(async (dir) => {
    let clock = Date.parse("2026-12-05T10:00:00Z");
    const durations = await open(dir, () => clock);
    for (let i = 0; i <= MAX_RUNS; i++) {
      clock += 1_000;
      await durations.record(`run ${i}`, "step", i);
    }
    const after = await open(dir);
    assert.equal(after.get("run 0", "step"), undefined, "the oldest run is dropped");
    assert.equal(after.get("run 1", "step"), 1);
    assert.equal(after.get(`run ${MAX_RUNS}`, "step"), MAX_RUNS);
  });
});
