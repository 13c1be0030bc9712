import assert from "node:assert/strict";
import { AtmosError, exitCodeOf, formatErrorLine } from "../../lib/errors.ts";
import { parseTemplate, renderTemplate, TemplateError } from "../../lib/template/mod.ts";

function renderError(fn: () => unknown): TemplateError {
  try {
    fn();
  } catch (error) {
    assert.ok(error instanceof TemplateError, `expected a TemplateError, got ${error}`);
    return error;
  }
  assert.fail("expected an error");
}

Deno.test("renderTemplate() renders fields, pipelines and Sprig functions", () => {
  const out = renderTemplate(
    '{{ .Arguments.name | upper }} -s {{ index .Flags "stack-name" }}{{ if .Flags.dry }} --dry-run{{ end }}',
    { Arguments: { name: "vpc" }, Flags: { "stack-name": "prod", dry: true } },
  );
  assert.equal(out, "VPC -s prod --dry-run");
});

Deno.test("renderTemplate() prints <no value> for a missing key by default, as Go does", () => {
  assert.equal(renderTemplate("[{{ .nope }}]", {}), "[<no value>]");
  assert.equal(renderTemplate("[{{ .nope.deeper }}]", {}), "[<no value>]");
  assert.equal(renderTemplate("[{{ print .nope }}]", {}), "[<nil>]");
  assert.equal(renderTemplate("{{ if .nope }}yes{{ else }}no{{ end }}", {}), "no");
  assert.equal(renderTemplate("[{{ . }}]", undefined), "[<no value>]");
});

Deno.test("renderTemplate() with missingKey zero gives Go's zero interface (still <no value>)", () => {
  assert.equal(renderTemplate("[{{ .nope }}]", {}, { missingKey: "zero" }), "[<no value>]");
  const error = renderError(() => renderTemplate("{{ .nope.x }}", {}, { missingKey: "zero" }));
  assert.match(error.message, /nil pointer evaluating interface \{\}\.x$/);
});

Deno.test("renderTemplate() with missingKey error names the key, the template and the position", () => {
  const error = renderError(() =>
    renderTemplate("ok\n  {{ .Arguments.nope }}", { Arguments: {} }, {
      name: "step1",
      missingKey: "error",
    })
  );
  assert.equal(
    error.message,
    'template: step1:2:15: executing "step1" at <.Arguments.nope>: map has no entry for key "nope"',
  );
  assert.equal(error.templateName, "step1");
  assert.equal(error.line, 2);
  assert.equal(error.column, 15);
  assert.ok(error instanceof AtmosError);
  assert.equal(exitCodeOf(error), 2);
  assert.equal(formatErrorLine(error), error.message);
});

Deno.test("renderTemplate() parse errors carry Go's message and the line, not a column", () => {
  const error = renderError(() => renderTemplate("a\nb {{ .x ", {}, { name: "cmd" }));
  assert.equal(error.message, "template: cmd:2: unclosed action");
  assert.equal(error.templateName, "cmd");
  assert.equal(error.line, 2);
  assert.equal(error.column, undefined);
});

Deno.test("renderTemplate() names the defined template that failed", () => {
  const error = renderError(() =>
    renderTemplate('{{ define "inner" }}{{ .x.y }}{{ end }}{{ template "inner" . }}', { x: 1 })
  );
  assert.equal(
    error.message,
    'template: template:1:25: executing "inner" at <.x.y>: can\'t evaluate field y in type interface {}',
  );
  assert.equal(error.templateName, "inner");
});

Deno.test("renderTemplate() treats integral JavaScript numbers as Go ints and others as float64", () => {
  assert.equal(
    renderTemplate("{{ .n }} {{ .f }} {{ .big }}", { n: 1000000, f: 2.5, big: 2 ** 70 }),
    "1000000 2.5 1.1805916207174113e+21",
  );
  assert.equal(renderTemplate("{{ eq .n 3 }} {{ lt .n 10 }}", { n: 3 }), "true true");
  assert.equal(renderTemplate('{{ printf "%d|%05.1f" .n .f }}', { n: 42, f: 2.25 }), "42|002.2");
  const error = renderError(() => renderTemplate("{{ eq .f 3 }}", { f: 2.5 }));
  assert.match(error.message, /incompatible types for comparison: float64 and int$/);
  assert.equal(renderTemplate("{{ .b }}", { b: 2n ** 62n }), "4611686018427387904");
});

Deno.test("renderTemplate() reads JavaScript Maps and plain objects as Go maps with sorted keys", () => {
  const data = { m: new Map<string, unknown>([["b", 2], ["a", [1, "x"]]]), o: { z: 1, y: null } };
  assert.equal(
    renderTemplate("{{ .m }} {{ .m.b }} {{ .o }}", data),
    "map[a:[1 x] b:2] 2 map[y:<nil> z:1]",
  );
  assert.equal(
    renderTemplate("{{ range $k, $v := .o }}{{ $k }}={{ $v }};{{ end }}", data),
    "y=<no value>;z=1;",
  );
  assert.equal(renderTemplate("{{ .o.constructor }}", data), "<no value>");
});

Deno.test("renderTemplate() treats a present undefined or null value as a nil entry, not a missing key", () => {
  const data = { a: undefined, b: null };
  assert.equal(
    renderTemplate("{{ .a }}|{{ .b }}", data, { missingKey: "error" }),
    "<no value>|<no value>",
  );
  const error = renderError(() => renderTemplate("{{ .b.c }}", data, { missingKey: "error" }));
  assert.match(error.message, /nil pointer evaluating interface \{\}\.c$/);
});

Deno.test("renderTemplate() calls the caller's functions with plain values and wraps their errors", () => {
  const seen: unknown[][] = [];
  const funcs = {
    record: (...args: unknown[]) => {
      seen.push(args);
      return args.length;
    },
    boom: () => {
      throw new Error("no such stack");
    },
    nothing: () => undefined,
  };
  assert.equal(
    renderTemplate('{{ record 1 2.0 .x nil | printf "%d" }}', { x: "s" }, { funcs }),
    "4",
  );
  assert.deepEqual(seen, [[1, 2, "s", null]]);
  assert.equal(renderTemplate("[{{ nothing }}]", {}, { funcs }), "[<no value>]");
  const error = renderError(() => renderTemplate("{{ boom }}", {}, { funcs, name: "t" }));
  assert.ok(error.cause instanceof Error && error.cause.message === "no such stack");
  assert.equal(
    error.message,
    'template: t:1:3: executing "t" at <boom>: error calling boom: no such stack',
  );
});

Deno.test("renderTemplate() lets the caller's functions override Sprig and Go's builtins", () => {
  const funcs = { upper: (s: unknown) => `U(${s})`, len: () => 42 };
  assert.equal(renderTemplate('{{ upper "a" }} {{ len "abc" }}', {}, { funcs }), "U(a) 42");
  assert.equal(renderTemplate('{{ upper "a" }} {{ len "abc" }}', {}), "A 3");
});

Deno.test("renderTemplate() rejects function names Go would reject", () => {
  assert.throws(() => renderTemplate("x", {}, { funcs: { "bad-name": () => 1 } }), TypeError);
  assert.throws(
    () => renderTemplate("x", {}, { funcs: { f: 1 as unknown as () => unknown } }),
    TypeError,
  );
});

Deno.test("renderTemplate() does not reuse a parse made with a different set of functions", () => {
  const funcs = { myfn: () => "mine" };
  assert.equal(renderTemplate("{{ myfn }}", {}, { funcs }), "mine");
  const error = renderError(() => renderTemplate("{{ myfn }}", {}));
  assert.equal(error.message, 'template: template:1: function "myfn" not defined');
});

Deno.test("renderTemplate() without Sprig only knows Go's builtins", () => {
  const error = renderError(() => renderTemplate('{{ upper "a" }}', {}, { sprig: false }));
  assert.equal(error.message, 'template: template:1: function "upper" not defined');
  assert.equal(renderTemplate('{{ len "abc" }}', {}, { sprig: false }), "3");
});

Deno.test("renderTemplate() env reads the getter from the options, never the process", () => {
  const env = new Map([["BUILD", "42"]]);
  assert.equal(renderTemplate('{{ env "BUILD" }}|{{ env "HOME" }}', {}, { env }), "42|");
  assert.equal(renderTemplate('[{{ env "HOME" }}]', {}), "[]");
  assert.equal(renderTemplate('{{ env "BUILD" | default "local" }}', {}), "local");
});

Deno.test("renderTemplate() honours custom delimiters, with trim markers", () => {
  const out = renderTemplate("{{ keep }} <<.a>> [ <<- .b ->> ]", { a: 1, b: 2 }, {
    delims: ["<<", ">>"],
  });
  assert.equal(out, "{{ keep }} 1 [2]");
});

Deno.test("renderTemplate() trims with {{- -}} and keeps comments out of the output", () => {
  assert.equal(renderTemplate("a \n {{- .x -}} \n b {{/* note */}}c", { x: "X" }), "aXb c");
});

Deno.test("renderTemplate() supports break and continue in range, and ranges over an int", () => {
  const out = renderTemplate(
    "{{ range $i := 10 }}{{ if eq $i 2 }}{{ continue }}{{ end }}{{ if gt $i 4 }}{{ break }}{{ end }}{{ $i }}{{ end }}",
    {},
  );
  assert.equal(out, "0134");
});

Deno.test("parseTemplate() returns a template that renders different data", () => {
  const template = parseTemplate("{{ .name }}!", { name: "greeting" });
  assert.equal(template.name, "greeting");
  assert.equal(template.execute({ name: "a" }), "a!");
  assert.equal(template.execute({ name: "b" }), "b!");
  assert.throws(() => parseTemplate("{{ .x", { name: "bad" }), TemplateError);
});

Deno.test("renderTemplate() calls functions from the data with call", () => {
  const data = { add: (a: unknown, b: unknown) => Number(a) + Number(b), n: 1 };
  assert.equal(renderTemplate("{{ call .add .n 2 }}", data), "3");
  const error = renderError(() => renderTemplate("{{ call .n }}", data));
  assert.match(error.message, /error calling call: non-function \.n of type int$/);
});

Deno.test("renderTemplate() stops runaway template recursion with Go's error", () => {
  const error = renderError(() =>
    renderTemplate('{{ define "r" }}{{ template "r" . }}{{ end }}{{ template "r" . }}', {})
  );
  assert.match(error.message, /exceeded maximum template depth \(1000\)$/);
});
