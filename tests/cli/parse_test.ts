import assert from "node:assert/strict";
import type { Invocation } from "../../lib/cli/command.ts";
import { parseCommandLine } from "../../lib/cli/parse.ts";
import { UsageError } from "../../lib/errors.ts";
import { atmosTree } from "./fixture_tree.ts";

function invoke(argv: string[]): Invocation {
  const result = parseCommandLine(atmosTree(), argv);
  assert.ok("invocation" in result, `expected a command for ${argv.join(" ")}`);
  return result.invocation;
}

function usageError(argv: string[]): UsageError {
  try {
    parseCommandLine(atmosTree(), argv);
  } catch (error) {
    assert.ok(error instanceof UsageError, `expected UsageError, got ${error}`);
    assert.equal(error.exitCode, 2);
    return error;
  }
  assert.fail(`expected a UsageError for ${argv.join(" ")}`);
}

Deno.test("parseCommandLine() splits exec-style rest after '--'", () => {
  const inv = invoke(["auth", "exec", "-i", "prod", "--", "aws", "sts", "get-caller-identity"]);
  assert.deepEqual(inv.path, ["auth", "exec"]);
  assert.equal(inv.flags.identity, "prod");
  assert.deepEqual(inv.rest, ["aws", "sts", "get-caller-identity"]);
  assert.deepEqual(inv.positionals, []);
});

Deno.test("parseCommandLine() keeps flags after '--' in rest", () => {
  const inv = invoke(["auth", "exec", "--", "ls", "-la", "--help"]);
  assert.deepEqual(inv.rest, ["ls", "-la", "--help"]);
});

Deno.test("parseCommandLine() gives optionalValue for a bare --identity", () => {
  const inv = invoke(["auth", "login", "--identity"]);
  assert.equal(inv.flags.identity, "__SELECT__");
  assert.ok(inv.given.has("identity"));
});

Deno.test("parseCommandLine() keeps --identity=false as the literal value", () => {
  assert.equal(invoke(["auth", "login", "--identity=false"]).flags.identity, "false");
});

Deno.test("parseCommandLine() lets -i consume the next word", () => {
  assert.equal(invoke(["auth", "login", "-i", "prod"]).flags.identity, "prod");
  assert.equal(invoke(["auth", "login", "-iprod"]).flags.identity, "prod");
  assert.equal(invoke(["auth", "login", "-i=prod"]).flags.identity, "prod");
});

Deno.test("parseCommandLine() gives optionalValue for -i followed by a flag or nothing", () => {
  assert.equal(invoke(["auth", "login", "-i"]).flags.identity, "__SELECT__");
  const inv = invoke(["auth", "login", "-i", "--webflow"]);
  assert.equal(inv.flags.identity, "__SELECT__");
  assert.equal(inv.flags.webflow, true);
  const exec = invoke(["auth", "exec", "-i", "--", "env"]);
  assert.equal(exec.flags.identity, "__SELECT__");
  assert.deepEqual(exec.rest, ["env"]);
});

Deno.test("parseCommandLine() lets --identity take the next word unless it is a flag or subcommand", () => {
  const inv = invoke(["auth", "logout", "--identity", "prod"]);
  assert.equal(inv.flags.identity, "prod");
  assert.equal(inv.args.identity, undefined);
  assert.equal(invoke(["auth", "login", "--identity", "prod"]).flags.identity, "prod");
  const bare = invoke(["auth", "login", "--identity", "--webflow"]);
  assert.equal(bare.flags.identity, "__SELECT__");
  const beforeSub = invoke(["auth", "--identity", "whoami"]);
  assert.deepEqual(beforeSub.path, ["auth", "whoami"]);
  assert.equal(beforeSub.flags.identity, "__SELECT__");
});

Deno.test("parseCommandLine() accepts flags after positionals and before subcommands", () => {
  const inv = invoke(["auth", "logout", "prod", "--dry-run"]);
  assert.equal(inv.args.identity, "prod");
  assert.equal(inv.flags.dry_run, undefined);
  assert.equal(inv.flags["dry-run"], true);
  const early = invoke(["--config", "a.yaml", "auth", "-i", "dev", "whoami"]);
  assert.deepEqual(early.path, ["auth", "whoami"]);
  assert.deepEqual(early.flags.config, ["a.yaml"]);
  assert.equal(early.flags.identity, "dev");
});

Deno.test("parseCommandLine() rejects a parent's local flag before the subcommand", () => {
  const error = usageError(["-v", "auth", "whoami"]);
  assert.equal(error.message, 'flag --verbose is not valid for "atmos auth whoami"');
});

Deno.test("parseCommandLine() validates choices and fills defaults", () => {
  const error = usageError(["auth", "list", "--format=bogus"]);
  assert.equal(
    error.message,
    'invalid value "bogus" for --format; expected one of: table, tree, json',
  );
  assert.equal(error.hint, 'run "atmos auth list --help"');
  const inv = invoke(["auth", "list"]);
  assert.equal(inv.flags.format, "tree");
  assert.ok(!inv.given.has("format"));
  assert.equal(invoke(["auth", "ls", "-f", "json"]).flags.format, "json");
});

Deno.test("parseCommandLine() suggests a close flag name for an unknown flag", () => {
  const error = usageError(["auth", "login", "--identiy=prod"]);
  assert.equal(
    error.message,
    'unknown flag "--identiy" for "atmos auth login"; did you mean "--identity"?',
  );
  assert.equal(error.hint, 'run "atmos auth login --help"');
  const far = usageError(["auth", "login", "--zzzzzz"]);
  assert.equal(far.message, 'unknown flag "--zzzzzz" for "atmos auth login"');
});

Deno.test("parseCommandLine() reports an unknown shorthand flag", () => {
  const error = usageError(["auth", "login", "-x"]);
  assert.equal(error.message, `unknown shorthand flag 'x' in "-x" for "atmos auth login"`);
});

Deno.test("parseCommandLine() suggests a close command name for an unknown command", () => {
  const error = usageError(["auth", "logn"]);
  assert.equal(error.message, 'unknown command "logn" for "atmos auth"; did you mean "login"?');
  assert.equal(error.hint, 'run "atmos auth --help"');
});

Deno.test("parseCommandLine() never suggests hidden commands", () => {
  const error = usageError(["auth", "secret-debu"]);
  assert.equal(error.message, 'unknown command "secret-debu" for "atmos auth"');
});

Deno.test("parseCommandLine() reports a missing flag value", () => {
  const error = usageError(["auth", "login", "--provider"]);
  assert.equal(error.message, "flag --provider needs a value");
  assert.equal(usageError(["auth", "list", "-f"]).hint, "expected one of: table, tree, json");
  assert.equal(
    usageError(["auth", "login", "-p", "--", "x"]).message,
    "flag --provider needs a value",
  );
});

Deno.test("parseCommandLine() lets --provider value consume a word starting with '-'", () => {
  assert.equal(invoke(["auth", "login", "--provider", "-odd"]).flags.provider, "-odd");
});

Deno.test("parseCommandLine() reports missing and extra arguments", () => {
  assert.equal(
    usageError(["vendor"]).message,
    'missing required argument <paths> for "atmos vendor"',
  );
  assert.deepEqual(invoke(["vendor", "a", "b"]).args.paths, ["a", "b"]);
  assert.equal(
    usageError(["auth", "logout", "a", "b"]).message,
    'too many arguments for "atmos auth logout": expected at most 1, got 2',
  );
  assert.equal(
    usageError(["auth", "whoami", "extra"]).message,
    'unexpected argument "extra" for "atmos auth whoami"',
  );
});

Deno.test("parseCommandLine() rejects '--' words for a command without acceptsRest", () => {
  const error = usageError(["auth", "whoami", "--", "x"]);
  assert.equal(error.message, 'unexpected arguments after "--" for "atmos auth whoami"');
  assert.deepEqual(invoke(["auth", "whoami", "--"]).rest, []);
});

Deno.test("parseCommandLine() handles booleans: combined, --no-x, explicit values", () => {
  assert.equal(invoke(["auth", "logout", "--dry-run=false"]).flags["dry-run"], false);
  assert.equal(invoke(["auth", "logout", "--no-dry-run"]).flags["dry-run"], false);
  assert.equal(
    usageError(["auth", "logout", "--dry-run=maybe"]).message,
    'invalid value "maybe" for --dry-run; expected true or false',
  );
  // A real flag named no-color wins over negating a "color" flag.
  assert.equal(invoke(["--no-color", "auth", "whoami"]).flags["no-color"], true);
});

Deno.test("parseCommandLine() combines short booleans with a trailing short value", () => {
  const tree = atmosTree();
  tree.flags!.push(
    { name: "all", short: "a", type: "boolean", description: "all", persistent: true },
    { name: "brief", short: "b", type: "boolean", description: "brief", persistent: true },
  );
  const result = parseCommandLine(tree, ["auth", "login", "-abiprod"]);
  assert.ok("invocation" in result);
  assert.equal(result.invocation.flags.all, true);
  assert.equal(result.invocation.flags.brief, true);
  assert.equal(result.invocation.flags.identity, "prod");
});

Deno.test("parseCommandLine() accumulates repeated and comma-separated string[] flags", () => {
  const inv = invoke(["auth", "login", "--tags", "a,b", "--tags=c", "--tags", "d,,"]);
  assert.deepEqual(inv.flags.tags, ["a", "b", "c", "d"]);
  assert.deepEqual(invoke(["auth", "list", "--providers"]).flags.providers, ["*"]);
  assert.deepEqual(invoke(["auth", "list", "--providers=x,y"]).flags.providers, ["x", "y"]);
});

Deno.test("parseCommandLine() passes unknown flags through for wrapper commands", () => {
  const inv = invoke(["tf", "plan", "vpc", "-s", "dev", "--refresh=false", "-lock", "--", "x"]);
  assert.deepEqual(inv.path, ["terraform"]);
  assert.equal(inv.args.subcommand, "plan");
  assert.equal(inv.args.component, "vpc");
  assert.equal(inv.flags.stack, "dev");
  assert.deepEqual(inv.positionals, ["plan", "vpc", "--refresh=false", "-lock"]);
  assert.deepEqual(inv.rest, ["x"]);
});

Deno.test("parseCommandLine() passes single-dash long flags through with exactShortFlags", () => {
  const tree = atmosTree();
  const tf = tree.subcommands!.find((c) => c.name === "terraform")!;
  tf.exactShortFlags = true;
  const result = parseCommandLine(tree, [
    "terraform",
    "plan",
    "vpc",
    "-state=x.tfstate",
    "-s",
    "dev",
    "-var=a=b",
    "-s=prod",
  ]);
  assert.ok("invocation" in result);
  assert.equal(result.invocation.flags.stack, "prod");
  assert.deepEqual(result.invocation.positionals, ["plan", "vpc", "-state=x.tfstate", "-var=a=b"]);
  // Without the option, -state=x is read as -s "tate=x".
  assert.equal(invoke(["tf", "plan", "vpc", "-state=x"]).flags.stack, "tate=x");
});

Deno.test("parseCommandLine() returns help for --help anywhere before '--'", () => {
  const result = parseCommandLine(atmosTree(), ["auth", "--help", "login"]);
  assert.ok("help" in result);
  assert.equal(result.help.name, "login");
  assert.deepEqual(result.parents.map((c) => c.name), ["atmos", "auth"]);
  const short = parseCommandLine(atmosTree(), ["auth", "list", "-h", "--format=bogus"]);
  assert.ok("help" in short && short.help.name === "list");
  const typo = parseCommandLine(atmosTree(), ["auth", "logn", "-h"]);
  assert.ok("help" in typo && typo.help.name === "auth");
  const afterRest = parseCommandLine(atmosTree(), ["auth", "exec", "--", "ls", "--help"]);
  assert.ok("invocation" in afterRest);
});

Deno.test("parseCommandLine() returns help for a command group without run", () => {
  const result = parseCommandLine(atmosTree(), ["auth"]);
  assert.ok("help" in result && result.help.name === "auth");
  const root = parseCommandLine(atmosTree(), []);
  assert.ok("help" in root && root.help.name === "atmos");
});

Deno.test("parseCommandLine() returns version only for --version at the root", () => {
  assert.deepEqual(parseCommandLine(atmosTree(), ["--version"]), { version: true });
  assert.equal(
    usageError(["auth", "login", "--version"]).message,
    'unknown flag "--version" for "atmos auth login"',
  );
});

Deno.test("parseCommandLine() gives an empty path for the root and aliases resolve to names", () => {
  const tree = atmosTree();
  tree.run = async () => await Promise.resolve(0);
  tree.args = [{ name: "thing", description: "x" }];
  const result = parseCommandLine(tree, ["thing"]);
  assert.ok("invocation" in result);
  assert.deepEqual(result.invocation.path, []);
  assert.equal(result.invocation.args.thing, "thing");
  const alias = parseCommandLine(atmosTree(), ["auth", "ls"]);
  assert.ok("invocation" in alias);
  assert.deepEqual(alias.invocation.path, ["auth", "list"]);
});
