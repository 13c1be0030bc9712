import assert from "node:assert/strict";
import { join } from "node:path";
import { ConfigError } from "../../lib/errors.ts";
import { loadConfig, resolveFromBase } from "../../lib/config/load.ts";
import { envOf, fixture, makeTree, removeTree } from "./helpers.ts";

async function loadError(promise: Promise<unknown>): Promise<ConfigError> {
  try {
    await promise;
  } catch (error) {
    assert.ok(error instanceof ConfigError, `expected ConfigError, got ${error}`);
    return error;
  }
  assert.fail("expected a ConfigError");
}

Deno.test("loadConfig() uses the atmos.yaml in the cwd before any in a parent", async () => {
  const root = await makeTree({
    "atmos.yaml": "logs: {level: parent}\n",
    "sub/atmos.yaml": "logs: {level: child}\n",
  });
  try {
    const loaded = await loadConfig({ cwd: join(root, "sub"), env: envOf() });
    assert.deepEqual(loaded.files, [join(root, "sub", "atmos.yaml")]);
    assert.equal(loaded.config.logs?.level, "child");
    assert.equal(loaded.configDir, join(root, "sub"));
  } finally {
    await removeTree(root);
  }
});

Deno.test("loadConfig() searches parent directories for atmos.yaml, atmos.yml or .atmos.yaml", async () => {
  for (const name of ["atmos.yaml", "atmos.yml", ".atmos.yaml"]) {
    const root = await makeTree({
      [`proj/${name}`]: "logs: {level: Info}\n",
      "proj/a/b/.keep": "",
    });
    try {
      const loaded = await loadConfig({ cwd: join(root, "proj", "a", "b"), env: envOf() });
      assert.deepEqual(loaded.files, [join(root, "proj", name)], name);
      assert.equal(loaded.configDir, join(root, "proj"));
    } finally {
      await removeTree(root);
    }
  }
});

Deno.test("loadConfig() merges the home ~/.atmos/atmos.yaml underneath the project file", async () => {
  const root = await makeTree({
    "home/.atmos/atmos.yaml": "logs: {level: Debug, file: /tmp/home.log}\nauth: {realm: home}\n",
    "proj/atmos.yaml": "logs: {level: Warn}\n",
  });
  try {
    const loaded = await loadConfig({
      cwd: join(root, "proj"),
      env: envOf({ HOME: join(root, "home") }),
    });
    assert.deepEqual(loaded.files, [
      join(root, "home", ".atmos", "atmos.yaml"),
      join(root, "proj", "atmos.yaml"),
    ]);
    assert.deepEqual(loaded.config.logs, { level: "Warn", file: "/tmp/home.log" });
    assert.equal(loaded.config.auth?.realm, "home");
    assert.equal(loaded.configDir, join(root, "proj"));
    assert.equal(loaded.locate(["logs", "level"])?.line, 1);
    assert.match(loaded.locate(["auth", "realm"])?.file ?? "", /home\/\.atmos\/atmos\.yaml$/);
  } finally {
    await removeTree(root);
  }
});

Deno.test("loadConfig() uses ATMOS_CLI_CONFIG_PATH instead of the cwd and parent search", async () => {
  const root = await makeTree({
    "atmos.yaml": "logs: {level: parent}\n",
    "cwd/atmos.yaml": "logs: {level: cwd}\n",
    "elsewhere/atmos.yaml": "logs: {level: env-dir}\n",
    "file/custom.yaml": "logs: {level: env-file}\n",
  });
  try {
    const dir = await loadConfig({
      cwd: join(root, "cwd"),
      env: envOf({ ATMOS_CLI_CONFIG_PATH: "../elsewhere" }),
    });
    assert.equal(dir.config.logs?.level, "env-dir");
    assert.deepEqual(dir.files, [join(root, "elsewhere", "atmos.yaml")]);

    const file = await loadConfig({
      cwd: join(root, "cwd"),
      env: envOf({ ATMOS_CLI_CONFIG_PATH: join(root, "file", "custom.yaml") }),
    });
    assert.equal(file.config.logs?.level, "env-file");

    const missing = await loadError(loadConfig({
      cwd: join(root, "cwd"),
      env: envOf({ ATMOS_CLI_CONFIG_PATH: join(root, "nope") }),
    }));
    assert.match(missing.message, /ATMOS_CLI_CONFIG_PATH ".*nope" has no atmos\.yaml/);
  } finally {
    await removeTree(root);
  }
});

Deno.test("loadConfig() with --config/--config-path replaces discovery: files in order, then dirs", async () => {
  const root = await makeTree({
    "home/.atmos/atmos.yaml": "auth: {realm: home}\n",
    "cwd/atmos.yaml": "logs: {level: cwd}\n",
    "one.yaml": "logs: {level: one, file: one.log}\nstacks: {base_path: s1}\n",
    "two.yaml": "logs: {level: two}\n",
    "dir/atmos.yaml": "stacks: {base_path: from-dir}\n",
  });
  try {
    const loaded = await loadConfig({
      cwd: join(root, "cwd"),
      env: envOf({ HOME: join(root, "home"), ATMOS_CLI_CONFIG_PATH: join(root, "dir") }),
      configFiles: ["../one.yaml", join(root, "two.yaml")],
      configPaths: ["../dir"],
    });
    assert.deepEqual(loaded.files, [
      join(root, "one.yaml"),
      join(root, "two.yaml"),
      join(root, "dir", "atmos.yaml"),
    ]);
    assert.deepEqual(loaded.config.logs, { level: "two", file: "one.log" });
    assert.equal(loaded.config.stacks?.base_path, "from-dir");
    assert.equal(loaded.config.auth, undefined, "home config is not merged");
    assert.equal(loaded.configDir, join(root, "dir"));
  } finally {
    await removeTree(root);
  }
});

Deno.test("loadConfig() fails on a missing --config file or a --config-path without atmos.yaml", async () => {
  const root = await makeTree({ "empty/.keep": "" });
  try {
    const file = await loadError(loadConfig({
      cwd: root,
      env: envOf(),
      configFiles: ["missing.yaml"],
    }));
    assert.equal(file.message, 'config file "missing.yaml" not found');
    assert.equal(file.exitCode, 2);
    const dir = await loadError(loadConfig({ cwd: root, env: envOf(), configPaths: ["empty"] }));
    assert.equal(dir.message, '--config-path "empty" has no atmos.yaml');
  } finally {
    await removeTree(root);
  }
});

const NO_ANCESTOR_CONFIG = ["/tmp", "/"].every((dir) =>
  ["atmos.yaml", "atmos.yml", ".atmos.yaml", ".atmos.d", "atmos.d"].every((name) => {
    try {
      Deno.statSync(join(dir, name));
      return false;
    } catch {
      return true;
    }
  })
);

Deno.test({
  name: "loadConfig() returns an empty config when nothing is found",
  ignore: !NO_ANCESTOR_CONFIG,
  async fn() {
    const root = await makeTree({ "a/b/.keep": "" });
    try {
      const loaded = await loadConfig({ cwd: join(root, "a", "b"), env: envOf() });
      assert.deepEqual(loaded.files, []);
      assert.equal(loaded.configDir, undefined);
      assert.deepEqual(loaded.config, { base_path_abs: join(root, "a", "b") });
      assert.equal(loaded.locate(["auth"]), undefined);
    } finally {
      await removeTree(root);
    }
  },
});

Deno.test("loadConfig() merges .atmos.d fragments and imports under the file, which wins", async () => {
  const dir = fixture("imports");
  const loaded = await loadConfig({ cwd: dir, env: envOf() });
  assert.deepEqual(loaded.files, [
    join(dir, ".atmos.d", "auth.yaml"),
    join(dir, "commands.yaml"),
    join(dir, "configs.d", "logs.yaml"),
    join(dir, "configs.d", "nested", "more.yml"),
    join(dir, "atmos.yaml"),
  ]);
  assert.deepEqual(loaded.config.logs, { level: "Info", file: "/tmp/from-configs-d.log" });
  assert.deepEqual(loaded.config.stacks, { base_path: "stacks", name_pattern: "{stage}" });
  assert.equal(loaded.config.auth?.providers?.sso.kind, "aws/iam-identity-center");
  // Commands merge by name: the import's `bar` is kept, the main file's `foo` wins key by key.
  assert.deepEqual(loaded.config.commands, [
    { name: "bar", description: "imported bar" },
    { name: "foo", description: "main file foo", steps: ["echo foo"] },
  ]);
  // locate() finds the file that defined a path last.
  assert.deepEqual(loaded.locate(["logs", "level"]), {
    file: "atmos.yaml",
    line: 7,
    column: 10,
  });
  assert.deepEqual(loaded.locate(["logs", "file"]), {
    file: join("configs.d", "logs.yaml"),
    line: 2,
    column: 9,
  });
  assert.equal(
    loaded.locate(["auth", "providers", "sso", "region"])?.file,
    join(".atmos.d", "auth.yaml"),
  );
  assert.equal(loaded.locate(["auth", "providers", "sso", "region"])?.line, 5);
  assert.equal(loaded.basePath, dir);
});

Deno.test("loadConfig() orders fragments by depth then name, and lets imports import", async () => {
  const root = await makeTree({
    "atmos.yaml": "import: [a.yaml]\nvalue: main\n",
    "a.yaml": "import: [b/b.yaml]\nfrom_a: a\nvalue: a\n",
    "b/b.yaml": "from_b: b\nfrom_a: b\nvalue: b\n",
    "atmos.d/z.yaml": "order: [z]\n",
    "atmos.d/deep/a.yaml": "order: [deep]\n",
    "atmos.d/m.yml": "order: [m]\n",
  });
  try {
    const loaded = await loadConfig({ cwd: root, env: envOf() });
    assert.deepEqual(loaded.files.map((file) => file.slice(root.length + 1)), [
      "atmos.d/m.yml",
      "atmos.d/z.yaml",
      "atmos.d/deep/a.yaml",
      "b/b.yaml",
      "a.yaml",
      "atmos.yaml",
    ]);
    const config = loaded.config as Record<string, unknown>;
    assert.deepEqual(config.order, ["deep"], "lists replace");
    assert.equal(config.value, "main");
    assert.equal(config.from_a, "a");
    assert.equal(config.from_b, "b");
  } finally {
    await removeTree(root);
  }
});

Deno.test("loadConfig() uses fragments alone when the cwd has .atmos.d but no atmos.yaml", async () => {
  const root = await makeTree({
    "atmos.yaml": "logs: {level: parent}\n",
    "sub/.atmos.d/x.yaml": "logs: {file: x.log}\n",
  });
  try {
    const loaded = await loadConfig({ cwd: join(root, "sub"), env: envOf() });
    assert.deepEqual(loaded.files, [join(root, "sub", ".atmos.d", "x.yaml")]);
    assert.deepEqual(loaded.config.logs, { file: "x.log" });
  } finally {
    await removeTree(root);
  }
});

Deno.test("loadConfig() reports a missing import at the import entry's line", async () => {
  const root = await makeTree({
    "atmos.yaml": "import:\n  - ok.yaml\n  - missing.yaml\n",
    "ok.yaml": "a: 1\n",
  });
  try {
    const error = await loadError(loadConfig({ cwd: root, env: envOf() }));
    assert.equal(error.message, 'import "missing.yaml" not found');
    assert.deepEqual(error.location, { file: "atmos.yaml", line: 3, column: 5 });
  } finally {
    await removeTree(root);
  }
});

Deno.test("loadConfig() rejects remote imports, empty globs and a non-map top level", async () => {
  const root = await makeTree({
    "remote/atmos.yaml": "import: [https://example.com/x.yaml]\n",
    "glob/atmos.yaml": "import: ['nothing/**/*']\n",
    "list/atmos.yaml": "- a\n- b\n",
  });
  try {
    const remote = await loadError(loadConfig({ cwd: join(root, "remote"), env: envOf() }));
    assert.match(
      remote.message,
      /remote import "https:\/\/example\.com\/x\.yaml" is not supported/,
    );
    const glob = await loadError(loadConfig({ cwd: join(root, "glob"), env: envOf() }));
    assert.match(glob.message, /matches no YAML files/);
    assert.equal(glob.location?.line, 1);
    const list = await loadError(loadConfig({ cwd: join(root, "list"), env: envOf() }));
    assert.match(list.message, /top level of a config file must be a map/);
  } finally {
    await removeTree(root);
  }
});

Deno.test("loadConfig() evaluates tags in every loaded file with the given env", async () => {
  const root = await makeTree({
    "atmos.yaml": "import: [auth.yaml]\nlogs: {level: !env LEVEL Info}\n",
    "auth.yaml": "auth:\n  realm: !env REALM\n",
  });
  try {
    const loaded = await loadConfig({ cwd: root, env: envOf({ REALM: "acme", LEVEL: "Debug" }) });
    assert.equal(loaded.config.auth?.realm, "acme");
    assert.equal(loaded.config.logs?.level, "Debug");
  } finally {
    await removeTree(root);
  }
});

Deno.test("base_path './' resolves from the atmos.yaml directory, not the cwd", async () => {
  const root = await makeTree({
    "proj/atmos.yaml": "base_path: ./infra\n",
    "proj/deep/dir/.keep": "",
  });
  try {
    const loaded = await loadConfig({ cwd: join(root, "proj", "deep", "dir"), env: envOf() });
    assert.equal(loaded.config.base_path, "./infra");
    assert.equal(loaded.config.base_path_abs, join(root, "proj", "infra"));
    assert.equal(loaded.basePath, join(root, "proj", "infra"));
    assert.equal(resolveFromBase(loaded.config, "stacks"), join(root, "proj", "infra", "stacks"));
    assert.equal(resolveFromBase(loaded.config, "/abs"), "/abs");
  } finally {
    await removeTree(root);
  }
});

Deno.test("ATMOS_BASE_PATH resolves from the cwd and overrides the file", async () => {
  const root = await makeTree({ "proj/atmos.yaml": "base_path: ./infra\n", "proj/sub/.keep": "" });
  try {
    const loaded = await loadConfig({
      cwd: join(root, "proj", "sub"),
      env: envOf({ ATMOS_BASE_PATH: "./here" }),
    });
    assert.equal(loaded.config.base_path, "./here");
    assert.equal(loaded.basePath, join(root, "proj", "sub", "here"));
  } finally {
    await removeTree(root);
  }
});

Deno.test("base_path: absolute kept, empty is the config dir, bare prefers an existing dir", async () => {
  const root = await makeTree({
    "abs/atmos.yaml": "base_path: /opt/atmos\n",
    "empty/atmos.yaml": "logs: {level: Info}\n",
    "empty/sub/.keep": "",
    "bare/atmos.yaml": "base_path: infra\n",
    "bare/infra/.keep": "",
    "bare/sub/.keep": "",
  });
  const env = envOf({ ATMOS_GIT_ROOT_BASEPATH: "false" });
  try {
    assert.equal((await loadConfig({ cwd: join(root, "abs"), env })).basePath, "/opt/atmos");
    assert.equal(
      (await loadConfig({ cwd: join(root, "empty", "sub"), env })).basePath,
      join(root, "empty"),
    );
    assert.equal(
      (await loadConfig({ cwd: join(root, "bare", "sub"), env })).basePath,
      join(root, "bare", "infra"),
    );
  } finally {
    await removeTree(root);
  }
});

Deno.test("base_path unset falls back to the git root when there is one", async () => {
  const root = await makeTree({
    ".git/HEAD": "ref: refs/heads/main\n",
    "proj/atmos.yaml": "a: 1\n",
  });
  try {
    const loaded = await loadConfig({ cwd: join(root, "proj"), env: envOf() });
    assert.equal(loaded.basePath, root);
  } finally {
    await removeTree(root);
  }
});
