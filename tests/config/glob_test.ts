import assert from "node:assert/strict";
import { join } from "node:path";
import { globFiles, isGlob, listYamlFiles } from "../../lib/config/glob.ts";
import { makeTree, removeTree } from "./helpers.ts";

Deno.test("globFiles() matches * within a segment and ** across segments", async () => {
  const root = await makeTree({
    "c/a.yaml": "",
    "c/b.yml": "",
    "c/x/y/deep.yaml": "",
    "c/x/note.txt": "",
    "other/a.yaml": "",
  });
  try {
    const rel = (files: string[]) => files.map((file) => file.slice(root.length + 1));
    assert.deepEqual(rel(await globFiles(root, "c/*.yaml")), ["c/a.yaml"]);
    assert.deepEqual(rel(await globFiles(root, "c/**/*")), [
      "c/a.yaml",
      "c/b.yml",
      "c/x/note.txt",
      "c/x/y/deep.yaml",
    ]);
    assert.deepEqual(rel(await globFiles(root, "**/a.yaml")), ["c/a.yaml", "other/a.yaml"]);
    assert.deepEqual(rel(await globFiles(root, "c/?.yml")), ["c/b.yml"]);
    assert.deepEqual(rel(await globFiles(join(root, "c"), "../other/*")), ["other/a.yaml"]);
    assert.deepEqual(await globFiles(root, "missing/**/*"), []);
  } finally {
    await removeTree(root);
  }
});

Deno.test("listYamlFiles() lists YAML files by depth then name and ignores other files", async () => {
  const root = await makeTree({ "b.yaml": "", "a.YML": "", "z/a.yaml": "", "readme.md": "" });
  try {
    const files = await listYamlFiles(root);
    assert.deepEqual(files.map((file) => file.slice(root.length + 1)), [
      "a.YML",
      "b.yaml",
      "z/a.yaml",
    ]);
    assert.deepEqual(await listYamlFiles(join(root, "none")), []);
  } finally {
    await removeTree(root);
  }
});

Deno.test("isGlob() spots glob metacharacters", () => {
  assert.equal(isGlob("configs.d/**/*"), true);
  assert.equal(isGlob("./logs.yaml"), false);
});
