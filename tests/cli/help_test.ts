import assert from "node:assert/strict";
import { renderHelp } from "../../lib/cli/help.ts";
import { atmosTree } from "./fixture_tree.ts";

function authTree() {
  const root = atmosTree();
  const auth = root.subcommands![0];
  return { root, auth, sub: (name: string) => auth.subcommands!.find((c) => c.name === name)! };
}

Deno.test("renderHelp() lists visible subcommands, own and global flags for a group", () => {
  const { root, auth } = authTree();
  assert.equal(
    renderHelp(auth, [root]),
    [
      "Authenticate with cloud providers and run commands with their credentials",
      "",
      "Usage:",
      "  atmos auth [command]",
      "",
      "Available Commands:",
      "  login    Log in to an identity",
      "  exec     Run a command with identity credentials",
      "  list     List providers and identities",
      "  logout   Remove cached credentials",
      "  whoami   Show the current identity",
      "",
      "Flags:",
      "  -i, --identity [=name]   Identity to use",
      "  -h, --help               help for auth",
      "",
      "Global Flags:",
      "      --config path   Paths to configuration files",
      "      --no-color      Disable colour",
      "",
      'Use "atmos auth [command] --help" for more information about a command.',
      "",
    ].join("\n"),
  );
});

Deno.test("renderHelp() shows examples and inherited persistent flags for a leaf", () => {
  const { root, auth, sub } = authTree();
  const text = renderHelp(sub("login"), [root, auth]);
  assert.ok(text.startsWith("Log in to an identity\n\nUsage:\n  atmos auth login [flags]\n\n"));
  assert.ok(
    text.includes("Examples:\n  atmos auth login\n  atmos auth login --identity=prod-admin\n"),
  );
  assert.ok(text.includes("  -p, --provider string   Provider to log in to\n"));
  assert.ok(text.includes("      --tags strings      Select identities by tag\n"));
  assert.ok(text.includes("Global Flags:\n  -i, --identity [=name]   Identity to use\n"));
  assert.ok(!text.includes("--verbose"), "a parent's local flag is not inherited");
  assert.ok(!text.includes("[command]"));
});

Deno.test("renderHelp() shows aliases, choices and defaults", () => {
  const { root, auth, sub } = authTree();
  const text = renderHelp(sub("list"), [root, auth]);
  assert.ok(text.includes("Aliases:\n  list, ls\n"));
  assert.ok(
    text.includes(
      '  -f, --format string          Output format (one of: table, tree, json) (default "tree")\n',
    ),
  );
  assert.ok(text.includes("      --providers [=strings]   Show only these providers\n"));
});

Deno.test("renderHelp() shows arguments and rest in the usage line", () => {
  const root = atmosTree();
  const tf = root.subcommands!.find((c) => c.name === "terraform")!;
  const text = renderHelp(tf, [root]);
  assert.ok(text.includes("  atmos terraform <subcommand> <component> [flags] [-- args...]\n"));
  assert.ok(text.includes("Arguments:\n  <subcommand>   terraform subcommand\n"));
  const vendor = root.subcommands!.find((c) => c.name === "vendor")!;
  assert.ok(renderHelp(vendor, [root]).includes("  atmos vendor <paths...> [flags]\n"));
});

Deno.test("renderHelp() omits hidden commands and colours only on request", () => {
  const { root, auth } = authTree();
  assert.ok(!renderHelp(auth, [root]).includes("secret-debug"));
  assert.ok(!renderHelp(auth, [root]).includes("\x1b["));
  assert.ok(renderHelp(auth, [root], { color: true }).includes("\x1b[1mUsage:\x1b[0m"));
});
