import assert from "node:assert/strict";
import { join } from "node:path";
import { ConfigError, formatErrorLine } from "../../lib/errors.ts";
import { loadYamlFile, parseYamlText, splitArgs } from "../../lib/config/yaml.ts";
import { envOf, makeTree, removeTree } from "./helpers.ts";

async function load(root: string, file: string, vars: Record<string, string> = {}) {
  return await loadYamlFile(join(root, file), { cwd: root, env: envOf(vars) });
}

async function loadError(root: string, file: string, vars: Record<string, string> = {}) {
  try {
    await load(root, file, vars);
  } catch (error) {
    assert.ok(error instanceof ConfigError, `expected ConfigError, got ${error}`);
    return error;
  }
  assert.fail("expected a ConfigError");
}

Deno.test("loadYamlFile() returns plain values and 1-based positions of nodes", async () => {
  const root = await makeTree({
    "a.yaml": "auth:\n  identities:\n    prod:\n      kind: aws/user\n      tags: [a, b]\n",
  });
  try {
    const file = await load(root, "a.yaml");
    assert.deepEqual(file.value, {
      auth: { identities: { prod: { kind: "aws/user", tags: ["a", "b"] } } },
    });
    assert.equal(file.file, join(root, "a.yaml"));
    assert.deepEqual(file.locate(["auth", "identities", "prod", "kind"]), {
      file: "a.yaml",
      line: 4,
      column: 13,
    });
    // A map entry points at its key.
    assert.deepEqual(file.locate(["auth", "identities", "prod"]), {
      file: "a.yaml",
      line: 3,
      column: 5,
    });
    assert.deepEqual(file.locate(["auth", "identities", "prod", "tags", 1]), {
      file: "a.yaml",
      line: 5,
      column: 17,
    });
    // Missing paths fall back to the nearest existing ancestor.
    assert.deepEqual(file.locate(["auth", "identities", "prod", "via", "provider"]), {
      file: "a.yaml",
      line: 3,
      column: 5,
    });
  } finally {
    await removeTree(root);
  }
});

Deno.test("loadYamlFile() applies << merge keys and locates merged values at the anchor", async () => {
  const root = await makeTree({
    "m.yaml": [
      "base: &base",
      "  kind: aws/assume-role",
      "  region: us-east-1",
      "other: &other",
      "  tags: [x]",
      "prod:",
      "  <<: [*base, *other]",
      "  region: eu-west-1",
      "",
    ].join("\n"),
  });
  try {
    const file = await load(root, "m.yaml");
    assert.deepEqual((file.value as Record<string, unknown>).prod, {
      kind: "aws/assume-role",
      region: "eu-west-1",
      tags: ["x"],
    });
    assert.equal(file.locate(["prod", "region"])?.line, 8);
    assert.equal(file.locate(["prod", "kind"])?.line, 2);
    assert.equal(file.locate(["prod", "tags"])?.line, 5);
  } finally {
    await removeTree(root);
  }
});

Deno.test("loadYamlFile() reports malformed YAML with file:line:column and a hint", async () => {
  const root = await makeTree({
    "dup.yaml": "auth:\n  realm: a\n  realm: b\n",
    "indent.yaml": "auth:\n  providers:\n    sso:\n      kind: x\n     region: y\n",
    "unclosed.yaml": 'a: "unterminated\nb: c\n',
  });
  try {
    const dup = await loadError(root, "dup.yaml");
    assert.deepEqual(dup.location, { file: "dup.yaml", line: 3, column: 3 });
    assert.match(dup.message, /^malformed YAML: /);
    assert.match(dup.hint ?? "", /only once/);
    assert.match(formatErrorLine(dup), /^dup\.yaml:3:3: malformed YAML: /);

    const indent = await loadError(root, "indent.yaml");
    assert.equal(indent.location?.file, "indent.yaml");
    assert.equal(indent.location?.line, 5);
    assert.ok(indent.hint, "bad indentation has a hint");
    assert.ok(!indent.message.includes("\n"), "message is one line");

    const unclosed = await loadError(root, "unclosed.yaml");
    assert.equal(unclosed.location?.file, "unclosed.yaml");
    assert.equal(typeof unclosed.location?.line, "number");
  } finally {
    await removeTree(root);
  }
});

Deno.test("!env reads the given env getter, then the default, then null", async () => {
  const root = await makeTree({
    "e.yaml": [
      "set: !env MY_VAR",
      "fallback: !env MISSING_VAR plain",
      'quoted: !env MISSING_VAR "two words"',
      "none: !env MISSING_VAR",
      "home: !env HOME",
      "",
    ].join("\n"),
  });
  try {
    const file = await load(root, "e.yaml", { MY_VAR: "from-getter" });
    assert.deepEqual(file.value, {
      set: "from-getter",
      fallback: "plain",
      quoted: "two words",
      none: null,
      // HOME is set in the real environment but not in the getter: the getter wins.
      home: null,
    });
  } finally {
    await removeTree(root);
  }
});

Deno.test("!env with too many arguments is a located ConfigError", async () => {
  const root = await makeTree({ "e.yaml": "a: 1\nb: !env A b c\n" });
  try {
    const error = await loadError(root, "e.yaml");
    assert.deepEqual(error.location, { file: "e.yaml", line: 2, column: 4, path: "b" });
    assert.match(error.message, /!env takes a variable name/);
  } finally {
    await removeTree(root);
  }
});

Deno.test("!exec returns trimmed stdout and decodes JSON lists and maps", async () => {
  const root = await makeTree({
    "x.yaml": [
      "text: !exec echo '  hello  '",
      "list: !exec echo '[1, \"two\"]'",
      "map: !exec printf '%s' '{\"a\":{\"b\":true}}'",
      "number: !exec echo 42",
      "pwd: !exec pwd",
      "",
    ].join("\n"),
  });
  try {
    const file = await load(root, "x.yaml");
    assert.deepEqual(file.value, {
      text: "hello",
      list: [1, "two"],
      map: { a: { b: true } },
      number: "42",
      pwd: root,
    });
  } finally {
    await removeTree(root);
  }
});

Deno.test("!exec failure is a ConfigError naming the file and line", async () => {
  const root = await makeTree({ "x.yaml": "ok: 1\nbad: !exec echo oops >&2; exit 3\n" });
  try {
    const error = await loadError(root, "x.yaml");
    assert.equal(error.location?.file, "x.yaml");
    assert.equal(error.location?.line, 2);
    assert.match(error.message, /failed with exit code 3/);
    assert.equal(error.hint, "oops");
  } finally {
    await removeTree(root);
  }
});

Deno.test("!include parses YAML with its own tags, relative to the including file", async () => {
  const root = await makeTree({
    "main.yaml": "auth: !include conf/auth.yaml\nnote: !include conf/note.txt\n",
    "conf/auth.yaml": [
      "realm: !env REALM",
      "identities: !include ids/ids.json",
      "providers:",
      "  sso:",
      "    kind: aws/iam-identity-center",
      "",
    ].join("\n"),
    "conf/ids/ids.json": '{"dev": {"kind": "aws/user"}}',
    "conf/note.txt": "raw text\n",
  });
  try {
    const file = await load(root, "main.yaml", { REALM: "team" });
    assert.deepEqual(file.value, {
      auth: {
        realm: "team",
        identities: { dev: { kind: "aws/user" } },
        providers: { sso: { kind: "aws/iam-identity-center" } },
      },
      note: "raw text\n",
    });
    // Positions inside the included YAML point into that file.
    assert.deepEqual(file.locate(["auth", "providers", "sso", "kind"]), {
      file: join("conf", "auth.yaml"),
      line: 5,
      column: 11,
    });
  } finally {
    await removeTree(root);
  }
});

Deno.test("!include of a missing file is a ConfigError at the tag's line", async () => {
  const root = await makeTree({ "main.yaml": "a: 1\nb:\n  c: !include nope.yaml\n" });
  try {
    const error = await loadError(root, "main.yaml");
    assert.deepEqual(error.location, { file: "main.yaml", line: 3, column: 6, path: "b.c" });
    assert.match(error.message, /!include "nope\.yaml": file not found/);
  } finally {
    await removeTree(root);
  }
});

Deno.test("errors inside an included YAML file name that file", async () => {
  const root = await makeTree({
    "main.yaml": "a: !include inc.yaml\n",
    "inc.yaml": "x: 1\ny: !exec exit 1\n",
    "bad.yaml": "a: !include broken.yaml\n",
    "broken.yaml": "k: v\nk: w\n",
  });
  try {
    const execError = await loadError(root, "main.yaml");
    assert.equal(execError.location?.file, "inc.yaml");
    assert.equal(execError.location?.line, 2);
    const parseError = await loadError(root, "bad.yaml");
    assert.deepEqual(parseError.location, { file: "broken.yaml", line: 2, column: 1 });
  } finally {
    await removeTree(root);
  }
});

Deno.test("!include that includes itself is a ConfigError, not a hang", async () => {
  const root = await makeTree({
    "a.yaml": "b: !include b.yaml\n",
    "b.yaml": "a: !include a.yaml\n",
  });
  try {
    const error = await loadError(root, "a.yaml");
    assert.match(error.message, /includes itself/);
    assert.equal(error.location?.file, "b.yaml");
  } finally {
    await removeTree(root);
  }
});

async function textError(text: string): Promise<ConfigError> {
  try {
    await parseYamlText(text, "/nowhere/atmos.yaml", { cwd: "/nowhere", env: envOf() });
  } catch (error) {
    assert.ok(error instanceof ConfigError, String(error));
    return error;
  }
  assert.fail(`expected a ConfigError for ${JSON.stringify(text)}`);
}

Deno.test("an unknown tag is a located error naming the tags there are, never a plain string", async () => {
  for (
    const [text, tag, line, column, path] of [
      ["auth:\n  x: !unknowntag AKIAX\n", "!unknowntag", 2, 6, "auth.x"],
      ["vpc: !terraform.output vpc prod vpc_id\n", "!terraform.output", 1, 6, "vpc"],
      ["a:\n  - 1\n  - !repo-root\n", "!repo-root", 3, 5, "a.1"],
      ["a: !<tag:example.com,2026:x> y\n", "!<tag:example.com,2026:x>", 1, 4, "a"],
    ] as const
  ) {
    const error = await textError(text);
    assert.equal(error.message, `unknown YAML tag ${tag}`);
    assert.deepEqual(error.location, { file: "atmos.yaml", line, column, path });
    assert.match(error.hint ?? "", /knows !env, !exec, !include, !include\.raw/);
  }
});

Deno.test("a tag's argument is text: a map or a list after a tag is a located error", async () => {
  const env = await textError("auth:\n  k: !env {a: 1}\n");
  assert.equal(env.message, "!env takes a text argument, not a map");
  assert.deepEqual(env.location, { file: "atmos.yaml", line: 2, column: 6, path: "auth.k" });
  const exec = await textError("a:\n  - !exec [a, b]\n");
  assert.equal(exec.message, "!exec takes a text argument, not a list");
  assert.deepEqual(exec.location, { file: "atmos.yaml", line: 2, column: 5, path: "a.0" });
  const unknown = await textError("a: !nope {b: 1}\n");
  assert.equal(unknown.message, "unknown YAML tag !nope");
});

Deno.test("!env needs a variable name the operating system accepts; no tag argument holds a NUL", async () => {
  assert.match((await textError("a: !env A=B\n")).message, /"A=B" is not a variable name/);
  assert.match((await textError('a: !env "A\\x01"\n')).message, /control character/);
  assert.match((await textError('a: !exec "echo \\0"\n')).message, /NUL/);
});

Deno.test("YAML's own tags and the non-specific ! are not unknown tags", async () => {
  const file = await parseYamlText("a: !!str 5\nb: ! 7\nc: !!int '8'\n", "/x/atmos.yaml", {
    cwd: "/",
    env: envOf(),
  });
  assert.deepEqual(file.value, { a: "5", b: "7", c: 8 });
});

Deno.test("a workflow manifest keeps tags it does not evaluate as their literal text, known or not", async () => {
  const file = await parseYamlText(
    "a: !terraform.output vpc id\nb: !env HOME\nc: !repo-root\n",
    "/x/m.yaml",
    { cwd: "/", env: envOf({ HOME: "/h" }), tags: ["!include", "!include.raw"] },
  );
  assert.deepEqual(file.value, { a: "!terraform.output vpc id", b: "!env HOME", c: "!repo-root" });
});

Deno.test("a duplicate key is found in a map of 40,000 keys, at the second one", async () => {
  // The YAML library's own check is quadratic (minutes here); ours is a set.
  const keys = Array.from({ length: 40_000 }, (_, i) => `k${i}: ${i}`);
  keys.push("k123: again", "'123': string key", "123: number key");
  const error = await textError(keys.join("\n") + "\n");
  assert.equal(error.message, 'malformed YAML: duplicate key "k123"');
  assert.deepEqual(error.location, { file: "atmos.yaml", line: 40_001, column: 1 });
  const typed = await textError("'1': a\n1: b\n1: c\n");
  assert.equal(typed.location?.line, 3, "keys compare by type and value, as YAML does");
});

Deno.test("an empty document loads as null", async () => {
  const file = await parseYamlText("# only a comment\n", "/x/atmos.yaml", {
    cwd: "/",
    env: envOf(),
  });
  assert.equal(file.value, null);
  assert.equal(file.locate(["auth"]), undefined);
});

Deno.test("splitArgs() honours quotes", () => {
  assert.deepEqual(splitArgs(`A "b c" 'd e' f\\g`), ["A", "b c", "d e", "f\\g"]);
  assert.deepEqual(splitArgs("  "), []);
});

Deno.test("!include in atmos.yaml reads HCL files and applies a query after the path", async () => {
  const root = await makeTree({
    "main.yaml": [
      "vars: !include conf/dev.tfvars",
      "cidr: !include conf/dev.tfvars .cidr_block",
      "first: !include conf/ids.json .names[0]",
      "fallback: !include conf/ids.json '.missing // \"none\"'",
      "spaced: !include '\"conf/my ids.json\" .names | length'",
      "",
    ].join("\n"),
    "conf/dev.tfvars": 'cidr_block = "10.0.0.0/16"\nazs = 3\ntags = { Team = "platform" }\n',
    "conf/ids.json": '{"names": ["a", "b"]}',
    "conf/my ids.json": '{"names": ["a", "b", "c"]}',
  });
  try {
    const file = await load(root, "main.yaml", {});
    assert.deepEqual(file.value, {
      vars: { cidr_block: "10.0.0.0/16", azs: 3, tags: { Team: "platform" } },
      cidr: "10.0.0.0/16",
      first: "a",
      fallback: "none",
      spaced: 3,
    });
  } finally {
    await removeTree(root);
  }
});

Deno.test("!include of bad HCL is a ConfigError located in the HCL file, naming the include", async () => {
  const root = await makeTree({
    "main.yaml": "a: 1\nvars: !include conf/bad.tfvars\n",
    "conf/bad.tfvars": 'a = "x"\nb = [1, 2\nc = 3\n',
  });
  try {
    const error = await loadError(root, "main.yaml");
    assert.deepEqual(error.location, { file: join("conf", "bad.tfvars"), line: 3, column: 1 });
    assert.match(
      error.message,
      /^HCL syntax error: .+ \(in the file included at main\.yaml:2:7\)$/,
    );
  } finally {
    await removeTree(root);
  }
});

Deno.test("a file that is not UTF-8 is a located error at its first bad byte; a written U+FFFD is fine", async () => {
  const root = await makeTree({ "ok.yaml": 'a: "\uFFFD"\n' });
  try {
    await Deno.writeFile(
      join(root, "latin1.yaml"),
      new Uint8Array([...new TextEncoder().encode('a: 1\nb: "caf'), 0xe9, 0x22, 0x0a]),
    );
    const error = await loadError(root, "latin1.yaml");
    assert.equal(error.message, '"latin1.yaml" is not UTF-8 text');
    assert.deepEqual(error.location, { file: "latin1.yaml", line: 2, column: 8 });
    assert.deepEqual((await load(root, "ok.yaml")).value, { a: "\uFFFD" });
  } finally {
    await removeTree(root);
  }
});
