import assert from "node:assert/strict";
import { compileGoRegex } from "../../../lib/template/funcs/regex.ts";
import { renderTemplate, TemplateError } from "../../../lib/template/mod.ts";

function render(template: string): string {
  return renderTemplate(template, {}, { name: "t" });
}

Deno.test("regex functions match, find and replace with Go's results", () => {
  assert.equal(
    render('{{ regexMatch "^[a-z]+\\\\d$" "abc1" }} {{ regexMatch "^x" "abc" }}'),
    "true false",
  );
  assert.equal(render('{{ regexFind "[0-9]+" "ab123cd45" }}|{{ regexFind "z" "ab" }}'), "123|");
  assert.equal(
    render('{{ regexFindAll "[0-9]+" "a1b22c333" -1 }} {{ regexFindAll "[0-9]+" "a1b22c333" 2 }}'),
    "[1 22 333] [1 22]",
  );
  assert.equal(
    render('{{ regexReplaceAll "(\\\\w+)@(\\\\w+)" "me@host you@there" "${2}:$1" }}'),
    "host:me there:you",
  );
});

Deno.test("regexReplaceAll expands $name like Go: the longest name, unknown groups are empty", () => {
  assert.equal(render('{{ regexReplaceAll "(a)" "a" "[$1x]" }}'), "[]");
  assert.equal(render('{{ regexReplaceAll "(a)" "a" "[${1}x]" }}'), "[ax]");
  assert.equal(render('{{ regexReplaceAll "(a)" "a" "$$1 $ $9" }}'), "$1 $ ");
  assert.equal(
    render('{{ regexReplaceAll "(?P<year>\\\\d{4})-(?P<m>\\\\d\\\\d)" "2024-05" "${m}/${year}" }}'),
    "05/2024",
  );
});

Deno.test("regex empty matches follow Go (not JavaScript) next to a previous match", () => {
  assert.equal(render('{{ regexReplaceAll "a*" "baaac" "-" }}'), "-b-c-");
  assert.equal("baaac".replace(/a*/g, "-"), "-b--c-", "JavaScript differs");
  assert.equal(render('{{ regexFindAll "a*" "baaac" -1 | len }}'), "3");
});

Deno.test("RE2 syntax is translated: flags, \\Q…\\E, POSIX classes, \\x{…}, \\z, Go's \\s", () => {
  assert.equal(render('{{ regexMatch "(?i)abc" "xABCx" }}'), "true");
  assert.equal(
    render('{{ regexMatch "(?s)a.b" "a\\nb" }} {{ regexMatch "a.b" "a\\nb" }}'),
    "true false",
  );
  assert.equal(
    render('{{ regexMatch "^\\\\Qa.b\\\\E$" "a.b" }} {{ regexMatch "^\\\\Qa.b\\\\E$" "axb" }}'),
    "true false",
  );
  assert.equal(
    render('{{ regexFind "[[:digit:]]+" "ab12" }} {{ regexMatch "\\\\x{41}" "A" }}'),
    "12 true",
  );
  assert.equal(
    render('{{ regexMatch "a\\\\z" "a\\n" }} {{ regexMatch "a$" "ab" }}'),
    "false false",
  );
  assert.equal(
    render('{{ regexMatch "^\\\\s$" "\\v" }} {{ regexMatch "^\\\\s$" "\\t" }}'),
    "false true",
  );
  assert.equal(render('{{ regexMatch "a{" "a{" }} {{ regexMatch "^a{2}$" "aa" }}'), "true true");
  assert.equal(
    render('{{ regexMatch "\\\\pL+" "é" }} {{ regexMatch "\\\\p{Greek}" "α" }}'),
    "true true",
  );
  assert.equal(
    render('{{ regexMatch "((?i)b)c" "Bc" }} {{ regexMatch "((?i)b)c" "BC" }}'),
    "true false",
  );
  assert.equal(render('{{ regexMatch "\\\\-\\\\#" "-#" }}'), "true");
});

Deno.test("RE2 rejects lookaround and backreferences; the error says so", () => {
  const rejected: [string, string][] = [
    ["(?<=a)b", "invalid or unsupported Perl syntax: `(?<`"],
    ["a(?=b)", "invalid or unsupported Perl syntax: `(?=`"],
    ["a(?!b)", "invalid or unsupported Perl syntax: `(?!`"],
    ["(a)\\1", "invalid escape sequence: `\\1`"],
    ["a(?i)b", "invalid or unsupported Perl syntax: `(?i)`"],
    ["\\C", "invalid escape sequence: `\\C`"],
  ];
  for (const [pattern, reason] of rejected) {
    assert.throws(
      () => compileGoRegex(pattern),
      (error: Error) => error.message.includes(reason),
      pattern,
    );
  }
  assert.throws(
    () => render('{{ regexMatch "(?<=a)b" "ab" }}'),
    (error: unknown) =>
      error instanceof TemplateError &&
      error.message.includes(
        "error calling regexMatch: regexp: Compile(`(?<=a)b`): error parsing regexp: invalid or unsupported Perl syntax: `(?<`",
      ) &&
      error.message.includes("lookaround"),
  );
});
