import assert from "node:assert/strict";
import { commandTree, topLevelSummaries } from "../../lib/cli/app.ts";
import { Runtime } from "../../lib/cli/runtime.ts";

function runtime(): Runtime {
  return new Runtime({ env: { HOME: "/" }, cwd: "/", interactive: false });
}

Deno.test("commandTree() lists each top-level command with the summary of its loaded module", async () => {
  const full = await commandTree(runtime(), "all");
  for (const { name, summary } of topLevelSummaries()) {
    const loaded = full.subcommands?.find((c) => c.name === name);
    assert.ok(loaded, `${name} is in the tree`);
    assert.equal(loaded.summary, summary, `summary of "${name}" in app.ts`);
    assert.ok(loaded.run || (loaded.subcommands ?? []).length > 0, `${name} is loaded`);
  }
});

Deno.test("commandTree() loads only the named top-level command", async () => {
  const tree = await commandTree(runtime(), "auth");
  const auth = tree.subcommands?.find((c) => c.name === "auth");
  const terraform = tree.subcommands?.find((c) => c.name === "terraform");
  assert.ok((auth?.subcommands ?? []).some((c) => c.name === "login"));
  assert.equal(terraform?.run, undefined);
  assert.equal(terraform?.subcommands, undefined);
});

Deno.test("commandTree() with a next word loads only that auth subcommand; the others keep their summaries", async () => {
  const full = await commandTree(runtime(), "all");
  const partial = await commandTree(runtime(), "auth", "exec");
  const fullAuth = full.subcommands?.find((c) => c.name === "auth")?.subcommands ?? [];
  const partAuth = partial.subcommands?.find((c) => c.name === "auth")?.subcommands ?? [];
  assert.deepEqual(partAuth.map((c) => c.name), fullAuth.map((c) => c.name));
  for (const sub of partAuth) {
    const loaded = fullAuth.find((c) => c.name === sub.name)!;
    assert.equal(sub.summary, loaded.summary, `summary of "auth ${sub.name}" in auth_group.ts`);
    assert.ok(loaded.run || loaded.subcommands, `auth ${sub.name} is loaded in the full tree`);
    if (sub.name === "exec") assert.ok(sub.run, "auth exec is loaded");
    else assert.equal(sub.run ?? sub.subcommands, undefined, `auth ${sub.name} is a stub`);
  }
});
