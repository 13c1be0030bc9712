/**
 * The fast parse of large files (`yaml_fast.ts`, js-yaml) against the reference (`yaml`): for
 * every text the fast parse accepts, the value and the tags must be the reference's, and the
 * reference must accept the text too. Texts: every YAML file of the repository, the generated
 * bad configurations, a table of tricky scalars (as values and as keys), and generated documents.
 */
import assert from "node:assert/strict";
import { join } from "node:path";
import { fastSnapshot, RISKY } from "../../lib/config/yaml_fast.ts";
import { parseYamlSnapshot } from "../../lib/config/yaml_parse.ts";
import { FAST_PARSE_MIN_BYTES, type YamlSnapshot } from "../../lib/config/yaml_snapshot.ts";
import { loadYamlFile } from "../../lib/config/yaml.ts";
import { ConfigError } from "../../lib/errors.ts";
import { badConfigs } from "../e2e/bad_configs.ts";
import { seededRandom } from "../seeded_random.ts";

const ROOT = new URL("../..", import.meta.url).pathname;

/** The reference parse, or the error it gives. */
function reference(text: string): YamlSnapshot | Error {
  try {
    return parseYamlSnapshot(text, "t.yaml");
  } catch (error) {
    return error as Error;
  }
}

/** Fails when the fast parse reads `text` other than the reference does; true when it read it. */
function agrees(text: string, label: string): boolean {
  const ref = reference(text);
  const fast = fastSnapshot(text, () => {
    if (ref instanceof Error) throw ref;
    return ref;
  });
  if (fast === undefined) return false;
  assert.ok(!(ref instanceof Error), `${label}: fast parse accepted what yaml refuses: ${ref}`);
  const show = (s: YamlSnapshot) => JSON.stringify(s.value, (_k, v) => Number.isNaN(v) ? "NaN" : v);
  assert.equal(show(fast), show(ref as YamlSnapshot), `${label}:\n${text}`);
  assert.deepEqual(
    fast.tags.map(({ tag, arg, offset }) => ({ tag, arg, offset })),
    (ref as YamlSnapshot).tags,
    `${label}: tags`,
  );
  assert.deepEqual(fast.nodes, (ref as YamlSnapshot).nodes, `${label}: nodes`);
  assert.equal(fast.cacheable, false);
  return true;
}

async function repositoryYaml(dir: string, out: string[] = []): Promise<string[]> {
  for await (const entry of Deno.readDir(dir)) {
    if (entry.name === ".git" || entry.name === "node_modules") continue;
    const path = join(dir, entry.name);
    if (entry.isDirectory) await repositoryYaml(path, out);
    else if (/\.ya?ml$/.test(entry.name)) out.push(path);
  }
  return out;
}

Deno.test("fastSnapshot() reads every YAML file of the repository as the yaml package does, or leaves it to it", async () => {
  let read = 0;
  const files = await repositoryYaml(ROOT);
  assert.ok(files.length > 20, `${files.length} files`);
  for (const file of files) {
    if (agrees(await Deno.readTextFile(file), file)) read++;
  }
  assert.ok(read > 5, `the fast parse read only ${read} of ${files.length} files`);
});

Deno.test("fastSnapshot() never accepts a generated bad configuration the yaml package refuses", async () => {
  for (const bad of await badConfigs()) {
    for (const [name, text] of Object.entries(bad.files)) {
      if (typeof text === "string") agrees(text, `${bad.category}/${bad.name}/${name}`);
    }
  }
});

const SCALARS = [
  "0",
  "-0",
  "+1",
  "017",
  "0o17",
  "0O17",
  "0x1F",
  "0X1F",
  "0x",
  "0b101",
  "1_000",
  "1.",
  ".5",
  "-.5",
  "1.50",
  "1e3",
  "1E+3",
  "1.e-2",
  ".5e1",
  "1e400",
  "-1e400",
  "99999999999999999999",
  "123456789012345678901234567890",
  "0x" + "f".repeat(300),
  "9".repeat(400),
  ".inf",
  "-.Inf",
  "+.INF",
  ".nan",
  ".NaN",
  ".NAN",
  "-.nan",
  "inf",
  "nan",
  "true",
  "True",
  "TRUE",
  "tRue",
  "yes",
  "no",
  "on",
  "off",
  "y",
  "n",
  "false",
  "False",
  "null",
  "Null",
  "NULL",
  "~",
  "nULL",
  "2001-12-14",
  "12:30:45",
  "1:20",
  "0.1.2",
  "1,000",
  "'quoted'",
  '"double \\u00e9 \\x41 \\/ \\t"',
  "'it''s'",
  '"\\0"',
  "plain with  spaces",
  "a #not-comment",
  "a: b",
  "-",
  "- a",
  "@at",
  "`tick",
  "=",
  "é",
  "ｆｕｌｌ",
  "<<",
  "!env X",
  "!exec echo hi",
  "!include f.yaml .a",
  "!include.raw f",
  "!env",
  '!env "QUOTED"',
  "!!str 12",
  "!!int '12'",
  "&a 1",
  "*a",
  "[1, 2]",
  "{a: 1}",
  "[]",
  "{}",
  "[a, [b, {c: d}]]",
  '{"a": 1, b: [2]}',
  "|\n  block",
  ">-\n  folded\n  text",
];

Deno.test("fastSnapshot() resolves tricky scalars, as values and as keys, as the yaml package does", () => {
  let read = 0;
  for (const scalar of SCALARS) {
    if (agrees(`key: ${scalar}\n`, `value ${scalar}`)) read++;
    if (agrees(`list:\n  - ${scalar}\n  - x\n`, `item ${scalar}`)) read++;
    if (!scalar.includes("\n")) {
      if (agrees(`${scalar}: v\nother: w\n`, `key ${scalar}`)) read++;
      if (agrees(`flow: { k: ${scalar}, l: [${scalar}] }\n`, `flow ${scalar}`)) read++;
    }
  }
  assert.ok(read > SCALARS.length, `only ${read} read by the fast parse`);
});

/** A random document of maps, lists and scalars (seeded: the same every run). */
function randomDocument(random: () => number): string {
  const pick = <T>(list: readonly T[]): T => list[Math.floor(random() * list.length)];
  const scalar = () => pick(SCALARS.filter((s) => !s.includes("\n")));
  const key = (i: number) => pick(["k", "name", "id-", "a b", "ü", "1", "x.y", '"q k"']) + i;
  const lines: string[] = [];
  const block = (indent: string, depth: number) => {
    const count = 1 + Math.floor(random() * 4);
    for (let i = 0; i < count; i++) {
      const roll = random();
      const k = key(i);
      if (depth < 4 && roll < 0.3) {
        lines.push(`${indent}${k}:`);
        block(indent + "  ", depth + 1);
      } else if (depth < 4 && roll < 0.45) {
        lines.push(`${indent}${k}:`);
        const items = 1 + Math.floor(random() * 3);
        for (let j = 0; j < items; j++) lines.push(`${indent}  - ${scalar()}`);
      } else if (depth < 4 && roll < 0.5) {
        lines.push(`${indent}${k}:`);
        for (let j = 0; j < 2; j++) {
          lines.push(`${indent}  - ${key(j)}: ${scalar()}`, `${indent}    other: ${scalar()}`);
        }
      } else if (roll < 0.52) {
        lines.push(`${indent}${k}:`, `${indent}# a comment line`);
      } else if (roll < 0.54) {
        lines.push(`${indent}${k}: "two\\n lines`, `${indent}  of text"`);
      } else if (roll < 0.56) {
        lines.push(`${indent}${k}: plain`, `${indent}  continued`);
      } else if (roll < 0.58) {
        lines.push(`${indent}${k}: 'single`, "", `${indent}  quoted'`);
      } else if (roll < 0.62) {
        lines.push(`${indent}${k}: { a: ${scalar()}, b: [${scalar()}, ${scalar()}] }`);
      } else if (roll < 0.66) {
        lines.push(`${indent}${k}: ${scalar()} # comment`);
      } else {
        lines.push(`${indent}${k}: ${scalar()}`);
      }
    }
  };
  block("", 0);
  return lines.join("\n") + "\n";
}

Deno.test("fastSnapshot() reads 2,000 generated documents as the yaml package does, or leaves them to it", () => {
  const random = seededRandom(20261205);
  let read = 0;
  for (let i = 0; i < 2_000; i++) {
    if (agrees(randomDocument(random), `document ${i}`)) read++;
  }
  assert.ok(read > 100, `only ${read} documents read by the fast parse`);
});

Deno.test("RISKY sends anchors, aliases, merges, block scalars, other tags and directives to the yaml parse", () => {
  for (
    const text of [
      "a: &x 1\nb: *x\n",
      "a: [*x]\n",
      "b:\n  <<: {c: 1}\n",
      "? a\n: b\n",
      "[a, b]: c\n",
      "{a: 1}: c\n",
      "a: |\n  x\n",
      "a: >-\n  x\n",
      "%YAML 1.2\n---\na: 1\n",
      "---\na: 1\n",
      "a: !!str 1\n",
      "a: !custom x\n",
      "a: ! x\n",
      "a:\tb\n",
      "__proto__: {a: 1}\n",
      "a: b\u0007\n",
    ]
  ) {
    assert.ok(RISKY.test(text), JSON.stringify(text));
    assert.equal(fastSnapshot(text, () => assert.fail("not asked")), undefined);
  }
  for (const text of ["a: !env X\n", "a: [!exec b, !include c .d]\n", "arn: arn:aws:iam::*:x\n"]) {
    assert.ok(!RISKY.test(text), JSON.stringify(text));
  }
});

/** A large atmos.yaml: `count` identities and `extra` lines after them. */
function largeConfig(count: number, extra = ""): string {
  const lines = ["auth:", "  identities:"];
  for (let i = 0; i < count; i++) {
    lines.push(
      `    t${i}:`,
      "      kind: aws/assume-role",
      `      via: { identity: t${i - 1} }`,
      `      principal: { assume_role: "arn:aws:iam::${100000000000 + i}:role/T${i}" }`,
    );
  }
  return lines.join("\n") + "\n" + extra;
}

Deno.test("a large file loads through the fast parse, and a tag's error there still has its line and column", async () => {
  const dir = await Deno.makeTempDir({ prefix: "atmos-yaml-fast-" });
  try {
    const count = 8_000;
    const tagged =
      `    last:\n      kind: aws/user\n      credentials: { access_key_id: !env TOO MANY ARGS }\n`;
    const text = largeConfig(count, tagged);
    assert.ok(text.length >= FAST_PARSE_MIN_BYTES, `${text.length} characters`);
    const path = join(dir, "atmos.yaml");
    await Deno.writeTextFile(path, text);
    const env = { get: (name: string) => (name === "SET_VAR" ? "v" : undefined) };
    await assert.rejects(
      loadYamlFile(path, { cwd: dir, env }),
      (error: ConfigError) => {
        const lines = text.split("\n");
        assert.equal(error.location?.line, lines.length - 1);
        assert.equal(error.location?.column, lines.at(-2)!.indexOf("!env") + 1);
        assert.equal(error.location?.path, "auth.identities.last.credentials.access_key_id");
        return true;
      },
    );
    await Deno.writeTextFile(path, text.replace("TOO MANY ARGS", "SET_VAR"));
    // A fast parse is never offered to the parse cache (the yaml parse of a small file is).
    const offered: string[] = [];
    const cache = { get: () => undefined, put: (file: string) => void offered.push(file) };
    const file = await loadYamlFile(path, { cwd: dir, env, cache });
    assert.deepEqual(offered, [], "the large file was read by the fast parse");
    await Deno.writeTextFile(join(dir, "small.yaml"), "a: !env SET_VAR\n");
    await loadYamlFile(join(dir, "small.yaml"), { cwd: dir, env, cache });
    assert.equal(offered.length, 1);
    const identities = (file.value as { auth: { identities: Record<string, unknown> } }).auth
      .identities;
    assert.equal(Object.keys(identities).length, count + 1);
    assert.deepEqual(identities.last, {
      kind: "aws/user",
      credentials: { access_key_id: "v" },
    });
    // Positions of a fast parse come from the reference parse when asked for.
    assert.equal(file.locate(["auth", "identities", "t7999", "via"])?.line, 4 * 7999 + 5);
  } finally {
    await Deno.remove(dir, { recursive: true });
  }
});
