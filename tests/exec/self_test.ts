import assert from "node:assert/strict";
import { join } from "node:path";
import { ROOT } from "../e2e/harness.ts";
import {
  atmosCommandOf,
  configArgs,
  isDenoRuntime,
  PRODUCTION_FLAGS,
  selfCommand,
  selfEnvironment,
  selfPath,
} from "../../lib/exec/self.ts";

Deno.test("PRODUCTION_FLAGS are exactly the flags of the atmos task in deno.json", () => {
  const task = JSON.parse(Deno.readTextFileSync(join(ROOT, "deno.json"))).tasks.atmos as string;
  assert.equal(task, ["deno", "run", ...PRODUCTION_FLAGS, "main.ts"].join(" "));
});

Deno.test("selfCommand() under deno run rebuilds deno run with the config, the flags and the main module", () => {
  const facts = {
    execPath: "/opt/deno/bin/deno",
    mainModule: "file:///src/my%20atmos/main.ts",
    exists: (path: string) => path === "/src/my atmos/deno.json",
  };
  assert.ok(isDenoRuntime(facts.execPath));
  assert.deepEqual(selfCommand(facts), [
    "/opt/deno/bin/deno",
    "run",
    "--config",
    "/src/my atmos/deno.json",
    "--frozen",
    ...PRODUCTION_FLAGS,
    "/src/my atmos/main.ts",
  ]);
  assert.equal(selfPath(facts), undefined);
  assert.deepEqual(selfCommand({ ...facts, exists: () => false }).slice(0, 3), [
    "/opt/deno/bin/deno",
    "run",
    PRODUCTION_FLAGS[0],
  ]);
});

Deno.test("selfCommand() of a compiled binary is the binary, which also goes first on PATH", () => {
  const facts = {
    execPath: "/usr/local/bin/atmos",
    mainModule: "file:///tmp/deno-compile-atmos/main.ts",
    exists: () => false,
  };
  assert.ok(!isDenoRuntime(facts.execPath));
  assert.deepEqual(selfCommand(facts), ["/usr/local/bin/atmos"]);
  assert.deepEqual(selfEnvironment({ PATH: "/usr/bin", A: "1" }, facts), {
    PATH: "/usr/local/bin:/usr/bin",
    A: "1",
    ATMOS_CLI_PATH: "/usr/local/bin/atmos",
  });
});

Deno.test("selfEnvironment() under deno run points ATMOS_CLI_PATH at scripts/atmos and leaves PATH alone", () => {
  const facts = {
    execPath: "/opt/deno",
    mainModule: "file:///src/main.ts",
    exists: (path: string) => path === "/src/scripts/atmos",
  };
  assert.deepEqual(selfEnvironment({ PATH: "/usr/bin" }, facts), {
    PATH: "/usr/bin",
    ATMOS_CLI_PATH: "/src/scripts/atmos",
  });
});

Deno.test("configArgs() passes --config and --config-path on as absolute paths", () => {
  assert.deepEqual(
    configArgs({ configFiles: ["a.yaml", "/etc/b.yaml"], configPaths: ["conf"], cwd: "/work/" }),
    ["--config", "/work/a.yaml", "--config", "/etc/b.yaml", "--config-path", "/work/conf"],
  );
  assert.deepEqual(configArgs({ configFiles: [], configPaths: [], cwd: "/w" }), []);
});

Deno.test("atmosCommandOf() is the host's self command followed by its config arguments", () => {
  const host = {
    selfCommand: () => ["/usr/bin/deno", "run", "/app/main.ts"],
    configFiles: ["a.yaml"],
    configPaths: [],
    cwd: "/work",
  };
  assert.deepEqual(atmosCommandOf(host), [
    "/usr/bin/deno",
    "run",
    "/app/main.ts",
    "--config",
    "/work/a.yaml",
  ]);
});
