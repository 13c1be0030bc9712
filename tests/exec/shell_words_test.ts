import assert from "node:assert/strict";
import { shellQuote, ShellSyntaxError, splitShellWords } from "../../lib/exec/shell_words.ts";

Deno.test("splitShellWords() honours and removes single and double quotes", () => {
  assert.deepEqual(splitShellWords(`terraform plan vpc -var="enabled=false"`), [
    "terraform",
    "plan",
    "vpc",
    "-var=enabled=false",
  ]);
  assert.deepEqual(splitShellWords(`describe --query '.x == true' ""`), [
    "describe",
    "--query",
    ".x == true",
    "",
  ]);
  assert.deepEqual(splitShellWords(`a'b'"c d"e`), ["abc de"]);
});

Deno.test("splitShellWords() handles backslashes outside and inside double quotes", () => {
  assert.deepEqual(splitShellWords(`a\\ b "c\\"d" "e\\f" line\\\ncontinued`), [
    "a b",
    'c"d',
    "e\\f",
    "linecontinued",
  ]);
  assert.deepEqual(splitShellWords(`'single \\ keeps'`), ["single \\ keeps"]);
});

Deno.test("splitShellWords() expands $VAR and ${VAR}, splitting unquoted values only", () => {
  const env = { STACK: "prod", ARGS: " -a  -b ", EMPTY: "", HOME: "/home/u" };
  assert.deepEqual(splitShellWords("plan -s $STACK x${STACK}y", env), [
    "plan",
    "-s",
    "prod",
    "xprody",
  ]);
  assert.deepEqual(splitShellWords("run $ARGS end", env), ["run", "-a", "-b", "end"]);
  assert.deepEqual(splitShellWords(`run "$ARGS"`, env), ["run", " -a  -b "]);
  assert.deepEqual(splitShellWords("a $EMPTY $UNSET b", env), ["a", "b"]);
  assert.deepEqual(splitShellWords(`a "$EMPTY"`, env), ["a", ""]);
  assert.deepEqual(splitShellWords("'$STACK' $ 5$", env), ["$STACK", "$", "5$"]);
});

Deno.test("splitShellWords() expands ~ at the start of a word and skips # comments", () => {
  const env = { HOME: "/home/u" };
  assert.deepEqual(splitShellWords("ls ~ ~/x a~b # a comment", env), [
    "ls",
    "/home/u",
    "/home/u/x",
    "a~b",
  ]);
  assert.deepEqual(splitShellWords("a#b"), ["a#b"]);
});

Deno.test("splitShellWords() rejects unterminated quotes with exit code 2", () => {
  for (const text of [`a "b`, "a 'b", "a ${B"]) {
    assert.throws(() => splitShellWords(text), (e: unknown) => {
      assert.ok(e instanceof ShellSyntaxError);
      assert.equal(e.exitCode, 2);
      return true;
    });
  }
});

Deno.test("shellQuote() leaves safe words alone and single-quotes the rest", () => {
  assert.equal(shellQuote("plain-word_1.2/x"), "plain-word_1.2/x");
  assert.equal(shellQuote("a b"), "'a b'");
  assert.equal(shellQuote("it's"), `'it'"'"'s'`);
  assert.equal(shellQuote(""), "''");
  for (const word of ["a b", "it's", "$HOME", ""]) {
    assert.deepEqual(splitShellWords(shellQuote(word), { HOME: "/h" }), [word], word);
  }
});
