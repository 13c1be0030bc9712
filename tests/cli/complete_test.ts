import assert from "node:assert/strict";
import type { CommandSpec } from "../../lib/cli/command.ts";
import {
  complete,
  type Completion,
  type CompletionContext,
  DIRECTIVE,
  formatCompletion,
  type NamedSource,
} from "../../lib/cli/complete.ts";
import { atmosTree } from "./fixture_tree.ts";

/** The fixture tree with completion sources on its identity, stack and component values. */
function tree(): CommandSpec {
  const root = atmosTree();
  const auth = root.subcommands![0];
  auth.flags![0].complete = "identity";
  auth.subcommands!.find((c) => c.name === "logout")!.args![0].complete = "identity";
  auth.subcommands!.find((c) => c.name === "login")!.flags![0].complete = "provider";
  auth.subcommands!.find((c) => c.name === "login")!.flags![1].complete = "component";
  const tf = root.subcommands!.find((c) => c.name === "terraform")!;
  tf.args![0].complete = ["plan", "apply"];
  tf.args![1].complete = "component";
  tf.flags![0].complete = "stack";
  tf.exactShortFlags = true;
  root.flags![0].complete = "file";
  return root;
}

const VALUES: Record<NamedSource, string[]> = {
  identity: ["prod-admin", "prod-ro", "dev"],
  provider: ["sso"],
  stack: ["plat-prod", "plat-dev", "data-prod"],
  component: ["vpc", "eks"],
  workflow: [],
  "workflow-file": [],
};

/** Completes with a lookup that records the context it was given. */
async function run(words: string[]): Promise<Completion & { contexts: CompletionContext[] }> {
  const contexts: CompletionContext[] = [];
  const result = await complete(tree(), words, (source, context) => {
    contexts.push(context);
    return Promise.resolve(VALUES[source].map((value) => ({ value })));
  });
  return { ...result, contexts };
}

const values = (c: Completion) => c.candidates.map((x) => x.value);

Deno.test("complete() offers visible subcommands with their summaries, never hidden ones", async () => {
  const top = await run([""]);
  assert.deepEqual(values(top), ["auth", "terraform", "vendor"]);
  assert.equal(top.candidates[0].description, "Authenticate with cloud providers");
  assert.equal(top.directive, DIRECTIVE.noFileComp);
  assert.deepEqual(values(await run(["auth", "lo"])), ["login", "logout"]);
  assert.ok(!values(await run(["auth", ""])).includes("secret-debug"));
});

Deno.test("complete() offers argument values from their source, filtered by the typed prefix", async () => {
  assert.deepEqual(values(await run(["auth", "logout", "prod"])), ["prod-admin", "prod-ro"]);
  assert.deepEqual(values(await run(["terraform", ""])), ["plan", "apply"]);
  const component = await run(["terraform", "plan", ""]);
  assert.deepEqual(values(component), ["vpc", "eks"]);
  assert.deepEqual(component.contexts[0].args, { subcommand: "plan" });
  // Past the arguments, a pass-through command leaves the word to the shell's file names.
  assert.equal((await run(["terraform", "plan", "vpc", ""])).directive, DIRECTIVE.default);
});

Deno.test("complete() offers flag values after --flag, --flag= and -f, persistent ones included", async () => {
  assert.deepEqual(values(await run(["auth", "logout", "--identity", "d"])), ["dev"]);
  assert.deepEqual(values(await run(["auth", "logout", "-i", ""])), VALUES.identity);
  assert.deepEqual(values(await run(["auth", "logout", "--identity=prod-a"])), [
    "--identity=prod-admin",
  ]);
  assert.deepEqual(values(await run(["auth", "login", "-p", ""])), ["sso"]);
  const stack = await run(["terraform", "plan", "vpc", "-s", "plat"]);
  assert.deepEqual(values(stack), ["plat-prod", "plat-dev"]);
  assert.deepEqual(stack.contexts[0].args, { subcommand: "plan", component: "vpc" });
  assert.deepEqual(values(await run(["auth", "list", "--format", "t"])), ["table", "tree"]);
});

Deno.test("complete() keeps earlier items of a comma list and completes the last", async () => {
  assert.deepEqual(values(await run(["auth", "login", "--tags", "vpc,e"])), ["vpc,eks"]);
});

Deno.test("complete() passes the flags typed so far to the lookup", async () => {
  const result = await run(["--config", "a.yaml", "terraform", "-s", "plat-prod", "plan", ""]);
  assert.deepEqual(result.contexts[0].flags, { config: ["a.yaml"], stack: "plat-prod" });
});

Deno.test("complete() lists flag names for a dash, short ones only for a single dash", async () => {
  const long = values(await run(["auth", "login", "--"]));
  assert.ok(
    long.includes("--provider") && long.includes("--identity") && long.includes("--config"),
  );
  assert.ok(!long.includes("-p"));
  assert.ok(values(await run(["auth", "login", "-"])).includes("-p"));
  const given = values(await run(["auth", "login", "--webflow", "--"]));
  assert.ok(!given.includes("--webflow"), "a boolean already given is not offered again");
  assert.ok(given.includes("--help"));
});

Deno.test("complete() leaves files to the shell after -- and for file flags", async () => {
  assert.deepEqual(await run(["auth", "exec", "--", "l"]), {
    candidates: [],
    directive: DIRECTIVE.default,
    contexts: [],
  });
  assert.equal((await run(["--config", ""])).directive, DIRECTIVE.default);
});

Deno.test("complete() tells an optional-value flag's value from a subcommand", async () => {
  // `--identity` before a subcommand name does not take it as its value.
  assert.deepEqual(values(await run(["auth", "--identity", "logout", "p"])), [
    "prod-admin",
    "prod-ro",
  ]);
});

Deno.test("complete() offers nothing, without failing, when the lookup throws", async () => {
  const result = await complete(tree(), ["auth", "logout", ""], () => {
    throw new Error("atmos.yaml is broken");
  });
  assert.deepEqual(result, { candidates: [], directive: DIRECTIVE.noFileComp });
});

Deno.test("formatCompletion() prints value<TAB>description lines and the directive last", () => {
  assert.equal(
    formatCompletion({
      candidates: [{ value: "a", description: "first\tline\nsecond" }, { value: "b" }],
      directive: 4,
    }),
    "a\tfirst line second\nb\n:4\n",
  );
});
