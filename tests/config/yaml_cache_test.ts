import assert from "node:assert/strict";
import { join } from "node:path";
import { loadYamlFile, type YamlParseCache } from "../../lib/config/yaml.ts";
import { createYamlParseCache } from "../../lib/config/yaml_cache.ts";
import type { YamlSnapshot } from "../../lib/config/yaml_snapshot.ts";
import { envOf, makeTree, removeTree } from "./helpers.ts";

const CONFIG = `
base: &base
  kind: aws/user
  credentials:
    access_key_id: !env AK
    region: us-east-2
auth:
  identities:
    dev:
      <<: *base
      default: true
    prod:
      <<: [*base]
      via: { identity: dev }
      principal:
        assume_role: arn:aws:iam::111122223333:role/Admin
      env:
        - { key: STAGE, value: prod }
        - key: SECRET_NAME
          value: !env NAME fallback
  extra: !include extra.yaml
list: [a, *base, 3, true, null, 1.5]
`;

const EXTRA = "one:\n  two: !env TWO\n";

/** A cache in memory that records what happened. */
function memoryCache(): YamlParseCache & { hits: number; misses: number; puts: number } {
  const entries = new Map<string, string>();
  const cache = {
    hits: 0,
    misses: 0,
    puts: 0,
    get(file: string, text: string) {
      const stored = entries.get(`${file}\0${text}`);
      if (stored === undefined) cache.misses++;
      else cache.hits++;
      return stored === undefined ? undefined : JSON.parse(stored) as YamlSnapshot;
    },
    put(file: string, text: string, snapshot: YamlSnapshot) {
      cache.puts++;
      entries.set(`${file}\0${text}`, JSON.stringify(snapshot));
    },
  };
  return cache;
}

/** Every path of `value` (keys and indices), plus one missing child below each map. */
function pathsOf(value: unknown, prefix: (string | number)[] = []): (string | number)[][] {
  const out: (string | number)[][] = [prefix];
  if (Array.isArray(value)) {
    value.forEach((item, i) => out.push(...pathsOf(item, [...prefix, i])));
  } else if (typeof value === "object" && value !== null) {
    out.push([...prefix, "missing", "deeper"]);
    for (const [key, item] of Object.entries(value)) out.push(...pathsOf(item, [...prefix, key]));
  }
  return out;
}

Deno.test("loadYamlFile() gives the same values and positions from a cached parse as from a fresh one", async () => {
  const root = await makeTree({ "atmos.yaml": CONFIG, "extra.yaml": EXTRA });
  try {
    const cache = memoryCache();
    const env = envOf({ AK: "AKIAEXAMPLE", TWO: "2" });
    const fresh = await loadYamlFile(join(root, "atmos.yaml"), { cwd: root, env, cache });
    assert.deepEqual([cache.hits, cache.puts], [0, 2]);
    const cached = await loadYamlFile(join(root, "atmos.yaml"), { cwd: root, env, cache });
    assert.deepEqual([cache.hits, cache.puts], [2, 2]);
    const plain = await loadYamlFile(join(root, "atmos.yaml"), { cwd: root, env });

    assert.deepEqual(cached.value, fresh.value);
    assert.deepEqual(plain.value, fresh.value);
    const identities = (fresh.value as { auth: { identities: Record<string, unknown> } }).auth
      .identities;
    assert.deepEqual(identities.prod, {
      kind: "aws/user",
      credentials: { access_key_id: "AKIAEXAMPLE", region: "us-east-2" },
      via: { identity: "dev" },
      principal: { assume_role: "arn:aws:iam::111122223333:role/Admin" },
      env: [{ key: "STAGE", value: "prod" }, { key: "SECRET_NAME", value: "fallback" }],
    });
    const paths = pathsOf(fresh.value);
    assert.ok(paths.length > 40, `only ${paths.length} paths`);
    for (const path of paths) {
      assert.deepEqual(cached.locate(path), fresh.locate(path), `locate(${path.join(".")})`);
    }
    // Positions reach into merge sources and included files as before.
    assert.deepEqual(fresh.locate(["auth", "identities", "dev", "credentials", "region"]), {
      file: "atmos.yaml",
      line: 6,
      column: 13,
    });
    assert.deepEqual(cached.locate(["auth", "extra", "one", "two"]), {
      file: "extra.yaml",
      line: 2,
      column: 13,
    });
  } finally {
    await removeTree(root);
  }
});

Deno.test("loadYamlFile() evaluates tags anew on a cached parse", async () => {
  const root = await makeTree({ "atmos.yaml": CONFIG, "extra.yaml": EXTRA });
  try {
    const cache = memoryCache();
    const file = join(root, "atmos.yaml");
    await loadYamlFile(file, { cwd: root, env: envOf({ AK: "first", TWO: "2" }), cache });
    await Deno.writeTextFile(join(root, "extra.yaml"), "one:\n  two: changed\n");
    const again = await loadYamlFile(file, {
      cwd: root,
      env: envOf({ AK: "second", NAME: "from-env" }),
      cache,
    });
    assert.equal(cache.hits, 1); // atmos.yaml; extra.yaml changed, so it was parsed again
    const value = again.value as {
      auth: { identities: { prod: Record<string, unknown> }; extra: unknown };
    };
    assert.deepEqual(value.auth.identities.prod.credentials, {
      access_key_id: "second",
      region: "us-east-2",
    });
    assert.deepEqual(value.auth.identities.prod.env, [
      { key: "STAGE", value: "prod" },
      { key: "SECRET_NAME", value: "from-env" },
    ]);
    assert.deepEqual(value.auth.extra, { one: { two: "changed" } });
  } finally {
    await removeTree(root);
  }
});

Deno.test("loadYamlFile() never caches a value JSON cannot carry", async () => {
  const root = await makeTree({ "a.yaml": "limit: .inf\nfloor: -.inf\n" });
  try {
    const cache = memoryCache();
    const file = await loadYamlFile(join(root, "a.yaml"), { cwd: root, env: envOf(), cache });
    assert.deepEqual(file.value, { limit: Infinity, floor: -Infinity });
    assert.equal(cache.puts, 0);
  } finally {
    await removeTree(root);
  }
});

Deno.test("createYamlParseCache() uses an entry only for the same file, text and version", async () => {
  const root = await makeTree({ "atmos.yaml": CONFIG, "extra.yaml": EXTRA });
  const dir = join(root, "cache");
  try {
    const saved = new Map<string, string>();
    const save = (path: string, data: () => string) => saved.set(path, data());
    const writeAll = async () => {
      await Deno.mkdir(dir, { recursive: true });
      for (const [path, data] of saved) await Deno.writeTextFile(path, data);
    };
    const cache = createYamlParseCache({ dir, version: "1.0.0", save });
    const file = join(root, "atmos.yaml");
    const env = envOf({ AK: "x" });
    const first = await loadYamlFile(file, { cwd: root, env, cache });
    assert.equal(saved.size, 2);
    for (const path of saved.keys()) assert.ok(path.startsWith(`${dir}/`), path);
    await writeAll();

    const text = await Deno.readTextFile(file);
    assert.ok(cache.get(file, text), "same file and text: hit");
    assert.equal(cache.get(file, `${text}\n# edited`), undefined, "edited text: miss");
    assert.equal(cache.get(join(root, "other.yaml"), text), undefined, "other file: miss");
    const newer = createYamlParseCache({ dir, version: "1.0.1", save });
    assert.equal(newer.get(file, text), undefined, "other version: miss");

    const again = await loadYamlFile(file, { cwd: root, env, cache });
    assert.deepEqual(again.value, first.value);

    // A damaged entry is a miss, and the file is parsed afresh.
    for (const path of saved.keys()) await Deno.writeTextFile(path, '{"format":1,"snapshot":');
    assert.equal(cache.get(file, text), undefined);
    for (const [path, data] of saved) {
      const entry = JSON.parse(data);
      entry.snapshot.nodes = "not a list";
      await Deno.writeTextFile(path, JSON.stringify(entry));
    }
    assert.equal(cache.get(file, text), undefined);
    const reparsed = await loadYamlFile(file, { cwd: root, env, cache });
    assert.deepEqual(reparsed.value, first.value);
  } finally {
    await removeTree(root);
  }
});
