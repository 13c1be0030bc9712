import assert from "node:assert/strict";
import { join } from "node:path";
import { ConfigError } from "../../lib/errors.ts";
import { loadYamlFile, parseYamlText, type YamlParseCache } from "../../lib/config/yaml.ts";
import { MAX_YAML_DEPTH } from "../../lib/config/yaml_problems.ts";
import { parseStackYaml } from "../../lib/stack/yaml.ts";
import { envOf, makeTree, removeTree } from "./helpers.ts";

/** Where and why both parsers (config and stack manifests) reject `text`. */
async function problems(text: string): Promise<{ config: ConfigError; stack: ConfigError }> {
  const caught = async (run: () => Promise<unknown>) => {
    try {
      await run();
    } catch (error) {
      assert.ok(error instanceof ConfigError, `expected a ConfigError, got ${error}`);
      return error;
    }
    assert.fail(`no error for:\n${text}`);
  };
  return {
    config: await caught(() =>
      parseYamlText(text, "/tmp/x/atmos.yaml", { cwd: "/tmp/x", env: envOf({}) })
    ),
    stack: await caught(() =>
      parseStackYaml(text, { file: "/tmp/x/dev.yaml", shown: "dev.yaml", basePath: "/tmp/x" })
    ),
  };
}

function lineCol(text: string, offset: number): [number, number] {
  const before = text.slice(0, offset).split("\n");
  return [before.length, before[before.length - 1].length + 1];
}

function assertAt(error: ConfigError, where: [number, number], label: string): void {
  assert.deepEqual([error.location?.line, error.location?.column], where, label);
}

// Every unclosed quote or bracket, in every kind of place, followed by every kind of rest of the
// file: reported at the opening character, not at the end of the file.
const OPENERS: [string, string, RegExp][] = [
  ['"', 'x"', /double quote " opened here is never closed/],
  ["'", "x'", /single quote ' opened here is never closed/],
  ["[", "x]", /bracket \[ opened here is never closed/],
  ["{", "x: 1}", /brace \{ opened here is never closed/],
];
const PLACES: [string, string][] = [
  ["a top-level value", "key: "],
  ["a nested value", "auth:\n  identities:\n    prod:\n      kind: "],
  ["a list item", "items:\n  - one\n  - "],
  ["an item of a closed flow list", "list: [1, 2]\nother: "],
  ["a value after a comment", '# comment: " [ {\nkey: '],
];
const RESTS: [string, string][] = [
  ["end of file", "\n"],
  ["more keys", "\nnext: 1\nlast: [a, b]\n"],
  ["blank lines", "\n\n\n"],
  ["deeper keys", "\n      more: 1\n        deeper: 2\n"],
];

for (const [opener, body, says] of OPENERS) {
  Deno.test(`an unclosed ${opener} is reported where it opens, in every place and before any rest`, async () => {
    let count = 0;
    for (const [place, prefix] of PLACES) {
      for (const [rest, suffix] of RESTS) {
        const text = `${prefix}${opener}${body.slice(0, -1)}${suffix}`;
        const label = `${opener} in ${place}, then ${rest}`;
        const where = lineCol(text, prefix.length);
        const { config, stack } = await problems(text);
        for (const error of [config, stack]) {
          assert.match(error.message, says, label);
          assertAt(error, where, label);
          assert.ok(error.hint?.startsWith("add the closing"), label);
        }
        count++;
      }
    }
    assert.equal(count, PLACES.length * RESTS.length);
  });
}

Deno.test("other errors, and errors before an unclosed bracket, keep the parser's own message", async () => {
  const { config, stack } = await problems("a: [1, 2]\n  b: c\n");
  for (const error of [config, stack]) {
    assert.match(error.message, /^malformed YAML: /);
    assert.doesNotMatch(error.message, /opened here/);
  }
  // An error before an unclosed bracket is not caused by it: the first one is reported.
  const earlier = await problems("a: 1\na: 2\nb: [x\n");
  for (const error of Object.values(earlier)) {
    assert.doesNotMatch(error.message, /opened here/);
    assertAt(error, [2, 1], "duplicate key first");
  }
});

Deno.test("an alias inside its own anchor is a located error, not a stack overflow", async () => {
  const cases = [
    "a: &a [*a]\n",
    "a: &a {b: *a}\n",
    "a: &a\n  b:\n    c: *a\n",
    "a: &a {<<: *a}\n",
    "x: &a [1, [2, {y: *a}]]\n",
    "first: &a [1]\nsecond: &a [*a]\n", // the nearest anchor before it is its own
  ];
  for (const text of cases) {
    const { config, stack } = await problems(text);
    const where = lineCol(text, text.lastIndexOf("*a"));
    for (const error of [config, stack]) {
      assert.match(error.message, /^alias \*a refers to itself \(it is inside its anchor &a\)$/);
      assertAt(error, where, text);
    }
  }
});

Deno.test("aliases of nodes outside them still work", async () => {
  const text = "a: &a {k: [1]}\nb: [*a, *a]\nc: &c [x]\nd: [*c]\ne: &c [y]\nf: *c\n";
  const parsed = await parseYamlText(text, "/tmp/x/atmos.yaml", { cwd: "/tmp/x", env: envOf({}) });
  assert.deepEqual(parsed.value, {
    a: { k: [1] },
    b: [{ k: [1] }, { k: [1] }],
    c: ["x"],
    d: [["x"]],
    e: ["y"],
    f: ["y"],
  });
  const stack = await parseStackYaml(text, { file: "/tmp/x/d.yaml", shown: "d", basePath: "/x" });
  assert.deepEqual(stack.value, parsed.value);
});

/** Maps nested `levels` deep below `top:`: `top:\n  k0:\n    k1: …`. */
function nestedMaps(levels: number): string {
  let text = "top:\n";
  for (let i = 0; i < levels; i++) text += `${"  ".repeat(i + 1)}k${i}:\n`;
  return text;
}

Deno.test(`nesting of ${MAX_YAML_DEPTH} levels loads; one more is a located error at that level`, async () => {
  // The root map is level 1, so `levels` nested keys make levels + 1 maps (the last key is null).
  const fits = nestedMaps(MAX_YAML_DEPTH - 1);
  const parsed = await parseYamlText(fits, "/tmp/x/atmos.yaml", { cwd: "/tmp/x", env: envOf({}) });
  assert.ok(parsed.value);
  await parseStackYaml(fits, { file: "/tmp/x/d.yaml", shown: "d", basePath: "/x" });

  const tooDeep = nestedMaps(MAX_YAML_DEPTH);
  const { config, stack } = await problems(tooDeep);
  const where = lineCol(tooDeep, tooDeep.indexOf(`k${MAX_YAML_DEPTH - 1}:`));
  for (const error of [config, stack]) {
    assert.match(error.message, /^YAML is nested too deeply \(more than 100 levels/);
    assertAt(error, where, "block maps");
  }
  const flow = `a: ${"[".repeat(MAX_YAML_DEPTH)}${"]".repeat(MAX_YAML_DEPTH)}\n`;
  for (const error of Object.values(await problems(flow))) {
    assertAt(error, [1, 3 + MAX_YAML_DEPTH], "flow lists");
  }
});

Deno.test("nesting through aliases counts the aliased value's depth, at the alias", async () => {
  // Each anchor wraps the previous one in one more list: depth grows by one per line.
  let text = "a0: &a0 [x]\n";
  for (let i = 1; i <= MAX_YAML_DEPTH; i++) text += `a${i}: &a${i} [*a${i - 1}]\n`;
  const { config, stack } = await problems(text);
  for (const error of [config, stack]) {
    assert.match(error.message, /nested too deeply/);
    assert.ok(error.location?.line! > 90, `at line ${error.location?.line}`);
  }
});

Deno.test("text the parser itself cannot nest (thousands deep) is the same located error", async () => {
  const cases = [
    `a: ${"[".repeat(20_000)}${"]".repeat(20_000)}\n`,
    `a: ${"{b: ".repeat(5_000)}1${"}".repeat(5_000)}\n`,
    nestedMaps(3_000),
  ];
  for (const text of cases) {
    for (const error of Object.values(await problems(text))) {
      assert.match(error.message, /^YAML is nested too deeply/);
      assert.equal(typeof error.location?.line, "number");
    }
  }
});

Deno.test("an alias bomb is refused quickly", async () => {
  let text = "l0: &l0 [lol, lol, lol, lol, lol, lol, lol, lol, lol, lol]\n";
  for (let i = 1; i < 12; i++) {
    text += `l${i}: &l${i} [${Array(10).fill(`*l${i - 1}`).join(", ")}]\n`;
  }
  const started = performance.now();
  for (const error of Object.values(await problems(text))) {
    assert.match(error.message, /alias count/i);
  }
  assert.ok(performance.now() - started < 5_000, "took too long");
});

Deno.test("a file rejected for its structure is never put in the parse cache", async () => {
  const root = await makeTree({ "atmos.yaml": "auth: &a {again: *a}\n" });
  const puts: string[] = [];
  const cache: YamlParseCache = {
    get: () => undefined,
    put: (file) => void puts.push(file),
  };
  try {
    for (let run = 0; run < 2; run++) {
      await assert.rejects(
        () => loadYamlFile(join(root, "atmos.yaml"), { cwd: root, env: envOf({}), cache }),
        (error: unknown) => error instanceof ConfigError && /refers to itself/.test(error.message),
      );
    }
    assert.deepEqual(puts, []);
  } finally {
    await removeTree(root);
  }
});
