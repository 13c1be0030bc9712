import assert from "node:assert/strict";

const RUNTIME = JSON.stringify(import.meta.resolve("../../lib/cli/runtime.ts"));

Deno.test("Runtime.sealWrites() revokes write in the main thread even when the writer could not open", async () => {
  const dir = await Deno.makeTempDir({ prefix: "atmos_runtime_test_" });
  try {
    const probe = `${dir}/written-after-seal`;
    // The config dir cannot be created under /proc, so the writer fails to open.
    const code = `
      const { Runtime } = await import(${RUNTIME});
      const rt = new Runtime({ env: { XDG_CONFIG_HOME: "/proc/atmos-no-such-dir" }, cwd: ${
      JSON.stringify(dir)
    }, interactive: false });
      const opened = await rt.ensureWriter().then(() => "opened", (e) => "failed: " + e.message);
      await rt.sealWrites();
      const after = await Deno.writeTextFile(${
      JSON.stringify(probe)
    }, "x").then(() => "written", (e) => e.name);
      console.log(JSON.stringify({ opened: opened.startsWith("failed"), after }));
    `;
    const out = await new Deno.Command(Deno.execPath(), {
      args: ["eval", "--unstable-worker-options", code],
      stdout: "piped",
      stderr: "piped",
    }).output();
    const stderr = new TextDecoder().decode(out.stderr);
    assert.equal(out.code, 0, stderr);
    assert.deepEqual(JSON.parse(new TextDecoder().decode(out.stdout)), {
      opened: true,
      after: "NotCapable",
    });
  } finally {
    await Deno.remove(dir, { recursive: true });
  }
});
