import assert from "node:assert/strict";
import { parseStackYaml } from "../../lib/stack/yaml.ts";
import { makeTree, removeTree } from "./helpers.ts";
import { AtmosError } from "../../lib/errors.ts";

function parse(text: string, file = "/tmp/x/dev.yaml") {
  return parseStackYaml(text, { file, shown: "dev.yaml", basePath: "/tmp/x" });
}

async function failure(text: string): Promise<AtmosError> {
  try {
    await parse(text);
  } catch (error) {
    assert.ok(error instanceof AtmosError);
    return error;
  }
  assert.fail("expected an error");
}

Deno.test("parseStackYaml() keeps function tags as text for the functions phase", async () => {
  const parsed = await parse(
    "a: !env FOO bar\nb: !terraform.output vpc {{ .stack }} id\nc: !literal '{{ x }}'\n",
  );
  assert.deepEqual(parsed.value, {
    a: "!env FOO bar",
    b: "!terraform.output vpc {{ .stack }} id",
    c: "{{ x }}",
  });
});

Deno.test("parseStackYaml() rejects unknown tags and unsupported ones at their position", async () => {
  const unknown = await failure("vars:\n  x: !weird 1\n");
  assert.match(unknown.message, /unsupported YAML tag !weird/);
  assert.deepEqual([unknown.location?.line, unknown.location?.column], [2, 6]);
  const append = await failure("vars:\n  x: !append [1]\n");
  assert.match(append.message, /YAML function !append is not supported/);
});

Deno.test("parseStackYaml() reports malformed YAML with its position", async () => {
  const error = await failure("vars:\n  a: [1, 2\n");
  assert.match(error.message, /^malformed YAML/);
  assert.equal(error.location?.file, "dev.yaml");
  const top = await failure("- 1\n- 2\n");
  assert.match(top.message, /must be a map/);
});

Deno.test("parseStackYaml() resolves !include and !include.raw relative to the file", async () => {
  const dir = await makeTree({
    "stacks/dev.yaml": "",
    "stacks/data/cidrs.yaml": "primary: 10.0.0.0/16\nsecondary: !env NOT_YET\n",
    "stacks/data/policy.json": '{"Version": "2012-10-17"}',
    "stacks/data/note.txt": "hello\n",
  });
  try {
    const parsed = await parseStackYaml(
      "a: !include ./data/cidrs.yaml\nb: !include ./data/policy.json\nc: !include.raw ./data/cidrs.yaml\nd: !include data/note.txt\n",
      { file: `${dir}/stacks/dev.yaml`, shown: "dev.yaml", basePath: dir },
    );
    assert.deepEqual(parsed.value.a, { primary: "10.0.0.0/16", secondary: "!env NOT_YET" });
    assert.deepEqual(parsed.value.b, { Version: "2012-10-17" });
    assert.equal(parsed.value.c, "primary: 10.0.0.0/16\nsecondary: !env NOT_YET\n");
    assert.equal(parsed.value.d, "hello\n");
    const missing = await parseStackYaml("x: !include ./nope.yaml\n", {
      file: `${dir}/stacks/dev.yaml`,
      shown: "dev.yaml",
      basePath: dir,
    }).catch((error) => error);
    assert.match(String(missing.message), /!include "\.\/nope\.yaml": file not found/);
  } finally {
    await removeTree(dir);
  }
});

Deno.test("locate() finds keys and values lazily", async () => {
  const parsed = await parse(
    "import:\n  - a\n  - b\ncomponents:\n  terraform:\n    vpc:\n      vars: {x: 1}\n",
  );
  assert.deepEqual(parsed.locate(["import", 1]), { file: "dev.yaml", line: 3, column: 5 });
  assert.deepEqual(parsed.locate(["components", "terraform", "vpc"]), {
    file: "dev.yaml",
    line: 6,
    column: 5,
  });
  assert.deepEqual(parsed.locate(["components", "terraform", "vpc", "vars", "x"]), {
    file: "dev.yaml",
    line: 7,
    column: 17,
  });
});
