/**
 * Template/data cases run through both our engine and Go's `text/template` (the WASM
 * oracle): every construct against several data shapes, plus edge cases and errors.
 * Data is JSON, so every number is a Go float64 on both sides.
 *
 * @module
 */

/** One case: a template, JSON data and the group it belongs to. */
export interface DiffCase {
  group: string;
  template: string;
  data: unknown;
}

/** Data with one value of every kind. */
export const KINDS = {
  s: "hello",
  e: "",
  q: 'say "hi"\n\ttab',
  u: "héllo wörld ✓",
  n: 3,
  z: 0,
  f: 2.5,
  neg: -7,
  big: 1e6,
  tiny: 0.000012,
  t: true,
  fl: false,
  nil: null,
  list: ["a", "b", "c"],
  nums: [1, 2, 3],
  empty: [],
  mixed: [1, "x", null, true, 2.5, { k: "v" }, [1, 2]],
  m: { b: 2, a: 1, c: { d: "deep" } },
  em: {},
  nested: { a: { b: { c: "x" } } },
};

const KIND_KEYS = Object.keys(KINDS);

function group(name: string, templates: string[], data: unknown = KINDS): DiffCase[] {
  return templates.map((template) => ({ group: name, template, data }));
}

function printing(): DiffCase[] {
  return [
    ...group("print every kind", KIND_KEYS.map((k) => `{{ .${k} }}`)),
    ...group("print every kind", KIND_KEYS.map((k) => `{{ print .${k} }}|{{ println .${k} }}`)),
    ...group(
      "printf %v %+v %#v",
      KIND_KEYS.map((k) => `{{ printf "%v|%+v|%#v" .${k} .${k} .${k} }}`),
    ),
    ...group("print top-level data", ["{{ . }}", "{{ $ }}", "{{ print . }}"], ["a", 1, null]),
    ...group("print top-level data", ["{{ . }}"], "just a string"),
    ...group("print top-level data", ["{{ . }}"], null),
    ...group("print top-level data", ["{{ . }}"], 12.75),
    ...group("print spacing", [
      '{{ print 1 2 "a" "b" 3 nil }}',
      '{{ print "a" 1 "b" }}',
      "{{ print .n .f .t .s .nil }}",
      "{{ println }}",
      "{{ print }}",
    ]),
  ];
}

function literals(): DiffCase[] {
  return group("literals", [
    "{{ 0x1F }} {{ 0X1f }} {{ 0o17 }} {{ 017 }} {{ 0b101 }} {{ 1_000 }} {{ -5 }} {{ +5 }}",
    "{{ 1e3 }} {{ .5 }} {{ 1. }} {{ 1.0 }} {{ 1e6 }} {{ 1e21 }} {{ 123456789.0 }} {{ 0x1p-2 }}",
    "{{ 'a' }} {{ '\\n' }} {{ '\\x41' }} {{ '\\u00e9' }} {{ 'é' }}",
    '{{ "a\\tb\\n\\"c\\"\\\\" }}',
    '{{ "\\x41\\101\\u00e9\\U0001F600" }}',
    "{{ `raw\\n` }}",
    "{{ true }} {{ false }}",
    "{{ 9223372036854775807 }}",
    "{{ 9223372036854775808 }}",
    "{{ 18446744073709551616 }}",
    "{{ 1e400 }}",
    "{{ 08 }}",
    "{{ 0x }}",
    "{{ 1__0 }}",
    "{{ 3x }}",
    "{{ 'ab' }}",
    "{{ '' }}",
    '{{ "\\q" }}',
    "{{ nil }}",
    "{{ -0 }} {{ -0.0 }}",
  ]);
}

function fields(): DiffCase[] {
  return [
    ...group("field chains", [
      "{{ .nested.a.b.c }}",
      "{{ .nested.a.b }}",
      "{{ $.nested.a.b.c }}",
      "{{ (.nested.a).b.c }}",
      '{{ (index .nested "a").b }}',
      "{{ .m.c.d }}{{ .m.a }}",
      "{{ .missing }}",
      "{{ .nested.missing.c }}",
      "{{ .nested.a.missing }}",
      "{{ .nil.x }}",
      "{{ .s.x }}",
      "{{ .list.x }}",
      "{{ .n.x }}",
      "{{ .t.x }}",
      "{{ (.s).x }}",
      "{{ $.s.x }}",
      "{{ $x := .s }}{{ $x.y }}",
      "{{ .s 1 }}",
      "{{ .m.a .n }}",
      "{{ .n | .m.a }}",
      "{{ (1).x }}",
      '{{ "s".x }}',
      "{{ nil.x }}",
      "{{ .nested.a.b.c.d }}",
    ]),
    ...group("field on top-level non-map", ["{{ .x }}", "{{ .x.y }}"], "str"),
    ...group("field on top-level non-map", ["{{ .x }}"], [1, 2]),
    ...group("field on top-level non-map", ["{{ .x }}"], null),
  ];
}

function variables(): DiffCase[] {
  return group("variables", [
    "{{ $x := 1 }}{{ $x }}",
    "{{ $x := .s }}{{ $x }}-{{ $x | len }}",
    "{{ $x := 1 }}{{ if true }}{{ $x = 2 }}{{ end }}{{ $x }}",
    "{{ $x := 1 }}{{ if true }}{{ $x := 2 }}{{ $x }}{{ end }}{{ $x }}",
    "{{ if true }}{{ $y := 1 }}{{ end }}{{ $y }}",
    "{{ $x }}",
    "{{ $x = 1 }}",
    "{{ $x := 1 }}{{ $x := 2 }}{{ $x }}",
    "{{ with $x := .s }}{{ $x }}{{ . }}{{ end }}",
    "{{ range $i := .list }}{{ $i }}{{ end }}",
    "{{ $ }}",
    "{{ $.s }}",
    "{{ $x, $y := 1 }}",
    "{{ $x := }}",
    "{{ $x := 1 }}{{ $x.y }}",
    "{{ $x := .m }}{{ $x.a }}{{ $x.c.d }}",
    "{{ $a := 1 }}{{ $b := 2 }}{{ $a }}{{ $b }}{{ $a = $b }}{{ $a }}",
    "{{ $x := 1 }}{{ range .list }}{{ $x = . }}{{ end }}{{ $x }}",
    "{{ $x := 1 }}{{ with .s }}{{ $x = . }}{{ end }}{{ $x }}",
    '{{ define "v" }}{{ $x }}{{ end }}',
    '{{ $x := 5 }}{{ template "t" }}{{ define "t" }}{{ $ }}{{ end }}',
  ]);
}

function pipelines(): DiffCase[] {
  return group("pipelines", [
    '{{ .s | printf "%s!" }}',
    "{{ .list | len }}",
    '{{ .n | printf "%v-%v" .f }}',
    '{{ "x" | printf "%s%s" "y" }}',
    "{{ . | len }}",
    '{{ .s | printf "%q" | printf "%s|%s" "a" }}',
    "{{ (len .list) }}",
    '{{ (printf "%s" .s) | len }}',
    '{{ len (index .m "c") }}',
    "{{ .s | 1 }}",
    "{{ .s | . }}",
    "{{ .s | nil }}",
    '{{ .s | "a" }}',
    "{{ . | }}",
    "{{ | . }}",
    "{{ () }}",
    "{{ (.s }}",
    "{{ .s) }}",
    "{{ ((.s)) }}",
    "{{ (.s) (.n) }}",
    "{{ 1 2 }}",
    "{{ .s | len | len }}",
    "{{ $x := .list | len }}{{ $x }}",
    "{{ print (.n) (.f) }}",
  ]);
}

function conditionals(): DiffCase[] {
  return [
    ...group(
      "if truthiness",
      KIND_KEYS.filter((k) => k !== "missing").map((k) => `{{ if .${k} }}T{{ else }}F{{ end }}`),
    ),
    ...group("if / else if / else", [
      "{{ if .fl }}1{{ else if .z }}2{{ else if .e }}3{{ else }}4{{ end }}",
      "{{ if .fl }}1{{ else if .n }}2{{ else }}3{{ end }}",
      "{{ if .t }}{{ if .fl }}a{{ else }}b{{ end }}{{ end }}",
      "{{ if }}{{ end }}",
      "{{ if .t }}x",
      "{{ if .t }}x{{ else }}y{{ else }}z{{ end }}",
      "{{ if .t }}x{{ end }}{{ end }}",
      "{{ else }}",
      "{{ end }}",
      "{{ if .t }}x{{ else if }}y{{ end }}",
      "{{ if .missing }}x{{ end }}",
      "{{ if not .fl }}yes{{ end }}",
      "{{ if and .t .n }}both{{ end }}",
      "{{ if or .z .e .s }}{{ or .z .e .s }}{{ end }}",
      "{{ if .t }} a {{- else -}} b {{ end }}",
    ]),
    ...group("with", [
      "{{ with .s }}{{ . }}{{ end }}",
      "{{ with .e }}{{ . }}{{ else }}empty{{ end }}",
      "{{ with .m }}{{ .a }}{{ .c.d }}{{ end }}",
      "{{ with .z }}z{{ else with .n }}n={{ . }}{{ end }}",
      "{{ with .z }}z{{ else with .e }}e{{ else }}none{{ end }}",
      "{{ with .s }}{{ .x }}{{ end }}",
      "{{ with .nil }}x{{ else }}nil{{ end }}",
      "{{ with $v := .list }}{{ $v }}{{ len . }}{{ end }}",
      "{{ with .m }}{{ $.s }}{{ end }}",
    ]),
  ];
}

function ranges(): DiffCase[] {
  return group("range", [
    "{{ range .list }}[{{ . }}]{{ end }}",
    "{{ range $i, $v := .list }}{{ $i }}={{ $v }} {{ end }}",
    "{{ range $v := .list }}{{ $v }}{{ end }}",
    "{{ range .m }}{{ . }},{{ end }}",
    "{{ range $k, $v := .m }}{{ $k }}:{{ $v }};{{ end }}",
    "{{ range .empty }}x{{ else }}empty{{ end }}",
    "{{ range .em }}x{{ else }}empty map{{ end }}",
    "{{ range .nil }}x{{ else }}nil{{ end }}",
    "{{ range .missing }}x{{ end }}",
    "{{ range 3 }}{{ . }}{{ end }}",
    "{{ range $i := 4 }}{{ $i }}{{ end }}",
    "{{ range 0 }}x{{ else }}zero{{ end }}",
    "{{ range -2 }}x{{ else }}neg{{ end }}",
    "{{ range $i, $v := 3 }}{{ end }}",
    "{{ range .n }}{{ . }}{{ end }}",
    "{{ range .s }}{{ . }}{{ end }}",
    "{{ range .t }}{{ . }}{{ end }}",
    "{{ range .f }}{{ . }}{{ end }}",
    "{{ range .mixed }}{{ . }}|{{ end }}",
    "{{ range .mixed }}{{ print . }}|{{ end }}",
    "{{ range .list }}{{ .x }}{{ end }}",
    "{{ range .nums }}{{ if eq . 2.0 }}{{ continue }}{{ end }}{{ . }}{{ end }}",
    "{{ range .nums }}{{ if gt . 1.5 }}{{ break }}{{ end }}{{ . }}{{ end }}",
    "{{ range .list }}{{ range $.nums }}{{ . }}{{ end }}{{ . }};{{ end }}",
    "{{ range $i, $x := .list }}{{ range $j, $y := $.list }}{{ $i }}{{ $j }} {{ end }}{{ end }}",
    "{{ range .list }}{{ $x := . }}{{ $x }}{{ end }}",
    "{{ range $i, $v := .list }}{{ end }}{{ $i }}",
    "{{ break }}",
    "{{ continue }}",
    "{{ range .list }}{{ break 1 }}{{ end }}",
    "{{ range .list }}x{{ else }}{{ break }}{{ end }}",
    "{{ range $a, $b, $c := .list }}{{ end }}",
    "{{ range $a, 1 := .list }}{{ end }}",
    "{{ range .list }}{{ . }}",
    "{{ $i := 0 }}{{ range $i, $v = .list }}{{ end }}{{ $i }}{{ $v }}",
    "{{ range .nested }}{{ .b.c }}{{ end }}",
  ]);
}

function templates(): DiffCase[] {
  return group("define / template / block", [
    '{{ define "a" }}A{{ . }}{{ end }}{{ template "a" 3 }}{{ template "a" .s }}',
    '{{ template "a" }}{{ define "a" }}[{{ . }}]{{ end }}',
    '{{ template "a" .m }}{{ define "a" }}{{ .a }}{{ template "b" .c }}{{ end }}{{ define "b" }}{{ .d }}{{ end }}',
    '{{ block "b" .list }}{{ range . }}{{ . }}{{ end }}{{ end }}',
    '{{ template "missing" }}',
    '{{ define "a" }}1{{ end }}{{ define "a" }}2{{ end }}',
    '{{ define "a" }}{{ end }}{{ define "a" }}2{{ end }}{{ template "a" }}',
    '{{ define "a" }}{{ $ }}{{ end }}{{ template "a" .n }}',
    '{{ define "r" }}{{ if . }}{{ len . }}{{ template "r" (slice . 1) }}{{ end }}{{ end }}{{ template "r" .list }}',
    '{{ define "loop" }}{{ template "loop" . }}{{ end }}{{ template "loop" 1 }}',
    "{{ define a }}{{ end }}",
    '{{ define "a" }}',
    '{{ define "a" }}x{{ else }}y{{ end }}',
    '{{ if .t }}{{ define "a" }}{{ end }}{{ end }}',
    "{{ template }}",
    "{{ template .s }}",
    '{{ template "a" 1 2 }}{{ define "a" }}{{ end }}',
    '{{ define "a" }}{{ .missing }}{{ end }}{{ template "a" . }}',
    '{{ define "a" }}\n\n{{ .x.y }}{{ end }}{{ template "a" .m }}',
    '{{ define "tpl" }}redefined main{{ end }}',
    '{{ define "tpl" }}redefined main{{ end }}  ',
    '{{ block "b" . }}{{ .s }}{{ end }}{{ define "b" }}override{{ end }}',
  ]);
}

function trimming(): DiffCase[] {
  return group("trim markers and comments", [
    "a  {{- .s -}}  b",
    "a \n\t {{- .s }} \n b",
    "a {{ .s -}} \n\t b",
    "a\n{{- /* comment */ -}}\nb",
    "a {{/* comment */}} b",
    "a {{- /* c */}} b",
    "a {{/* c */ -}} b",
    "{{-3}}",
    "{{- 3 -}}",
    "{{ -3 }}",
    "x {{-3}} y",
    "{{- .s}}",
    "{{.s -}}  z",
    "{{ .s-}}",
    "{{ /* c */ }}",
    "{{/* unclosed",
    "{{/* c */ x }}",
    "{{/* c */}}{{ .s }}",
    "{{ range .list -}}\n  {{ . }}\n{{- end }}",
    "{{- if .t }}\n  yes\n{{- end }}\n",
    'a\n\n{{- "" }}',
    "{{\n.s\n}}",
    "{{ .s\n  | len }}",
  ]);
}

function comparisons(): DiffCase[] {
  return group("comparisons", [
    '{{ eq .s "hello" }} {{ eq .s "x" }} {{ eq .s "x" "y" "hello" }}',
    "{{ eq .n 3.0 }} {{ eq .f 2.5 }} {{ ne .n 3.0 }}",
    "{{ eq .n 3 }}",
    "{{ eq 1 1 }} {{ eq 1 2 }} {{ ne 1 2 }}",
    "{{ eq .t true }} {{ eq .t .fl }}",
    "{{ lt 1 2 }} {{ le 2 2 }} {{ gt 1 2 }} {{ ge 2 3 }}",
    '{{ lt "a" "b" }} {{ lt "b" "a" }} {{ le "a" "a" }}',
    "{{ lt .n .f }} {{ gt .n .f }} {{ ge .neg .z }}",
    "{{ lt .t .fl }}",
    "{{ lt .list .list }}",
    '{{ lt 1 "a" }}',
    '{{ eq 1 "a" }}',
    "{{ eq .nil .missing2 }}",
    "{{ eq .nil nil }}",
    "{{ eq nil nil }}",
    '{{ eq .nil "x" }}',
    "{{ eq .list .list }}",
    "{{ eq .m .m }}",
    "{{ eq .m .list }}",
    "{{ eq .s }}",
    "{{ eq }}",
    "{{ lt 1 }}",
    "{{ lt 1 2 3 }}",
    "{{ ne .s }}",
    "{{ eq 'a' 97 }}",
    "{{ eq 1.5 1.5 }} {{ lt 1.5 2.5 }}",
    "{{ eq 1.0 1 }}",
    "{{ lt .e .s }}",
    '{{ eq "é" .u }} {{ lt "z" "é" }}',
  ]);
}

function builtins(): DiffCase[] {
  return group("builtins", [
    '{{ and 1 0 2 }}|{{ and 1 2 }}|{{ or 0 "" }}|{{ or 0 5 }}|{{ and }}',
    "{{ and .fl (index .list 99) }}",
    "{{ or .t (index .list 99) }}",
    "{{ and .t (index .list 99) }}",
    "{{ not .t }} {{ not .z }} {{ not .nil }} {{ not .list }}",
    "{{ not }}",
    "{{ not 1 2 }}",
    "{{ len .s }} {{ len .u }} {{ len .list }} {{ len .m }} {{ len .em }}",
    "{{ len .n }}",
    "{{ len .nil }}",
    "{{ len nil }}",
    "{{ len }}",
    '{{ index .list 1 }} {{ index .m "a" }} {{ index .nested "a" "b" "c" }} {{ index .s 1 }}',
    "{{ index .list 3 }}",
    "{{ index .list 5 }}",
    "{{ index .list -1 }}",
    "{{ index .list .n }}",
    "{{ index .list 1.5 }}",
    '{{ index .m "zz" }}',
    "{{ index .m 1 }}",
    "{{ index .m nil }}",
    "{{ index .n 1 }}",
    "{{ index .nil 1 }}",
    '{{ index . "nil" "x" }}',
    "{{ index .list }}",
    '{{ index .mixed 5 "k" }}',
    "{{ slice .list 1 }} {{ slice .list 1 2 }} {{ slice .list }} {{ slice .s 1 3 }} {{ slice .list 0 1 2 }}",
    "{{ slice .s 0 1 2 }}",
    "{{ slice .list 2 1 }}",
    "{{ slice .list 1 9 }}",
    "{{ slice .list 1 2 3 4 }}",
    "{{ slice .n 1 }}",
    "{{ slice .nil }}",
    "{{ slice .u 1 3 }}",
    '{{ html "<a href=\\"x\\">&\'</a>" }} {{ html 1 "<" }} {{ html .nil }}',
    '{{ js "a\'b\\"c<>&=\\n\\u2028é" }}',
    '{{ urlquery "a b&c=d/é?~" }} {{ urlquery 1 2 }}',
    "{{ call .s }}",
    "{{ call nil }}",
    "{{ call }}",
    "{{ nofunc 1 }}",
    "{{ .s | nofunc }}",
    "{{ printf }}",
    "{{ printf 3 }}",
    "{{ 3 | printf }}",
    "{{ printf .n }}",
  ]);
}

function printfVerbs(): DiffCase[] {
  return group("printf verbs", [
    '{{ printf "%s|%d|%v|%t|%q" .s 3 .list .t .s }}',
    '{{ printf "%5s|%-5s|%.2s|%5.1s|%05s" "ab" "ab" "abc" "abc" "ab" }}',
    '{{ printf "%d|%5d|%-5d|%05d|%+d|% d|%x|%X|%o|%O|%b|%#x|%#o|%08.3d" 42 42 42 -42 42 42 255 255 8 8 5 255 8 7 }}',
    '{{ printf "%c|%q|%U|%#U" 65 65 233 233 }}',
    '{{ printf "%f|%.2f|%8.3f|%-8.2f|%+.1f|%e|%E|%.3e|%g|%G|%.3g" 3.14159 3.14159 3.14159 2.5 2.5 1234.5678 1234.5678 1234.5678 0.000012 1e21 1234.5678 }}',
    '{{ printf "%.0f %.0f %.0f %.2f %.1f %.1f" 0.5 1.5 2.5 0.125 0.25 0.35 }}',
    '{{ printf "%v %v %v %v %v %v" 100000.0 1e6 1e21 1e-5 123456789.0 0.1 }}',
    '{{ printf "%g %g %g" 1e-7 100000.0 1e20 }}',
    '{{ printf "%x %X % x %#x" "hi" "hi" "abc" "hi" }}',
    '{{ printf "%q %+q %#q" "é\\n" "é" "raw" }}',
    '{{ printf "%d %s" 1 }}',
    '{{ printf "%d" 1 2 }}',
    '{{ printf "%z" 1 }}',
    '{{ printf "%s %d %v" nil nil nil }}',
    '{{ printf "%d %s %t" "x" 1 1 }}',
    '{{ printf "%d|%s|%v" .list .list .m }}',
    '{{ printf "%s %d" .n .f }}',
    '{{ printf "%%|%5%|%" }}',
    '{{ printf "%*d|%-*d|%.*f" 5 1 4 2 2 3.14159 }}',
    '{{ printf "%T %T %T %T %T %T" .s .n .t .list .m .nil }}',
    '{{ printf "%6.2f|%-8v|%8v" .f .list .s }}',
    '{{ printf "%v" .mixed }}',
    '{{ printf "%.3v %10.4v" .f 3.14159 }}',
    '{{ printf "%!" 1 }}',
  ]);
}

function syntaxErrors(): DiffCase[] {
  return group("syntax errors", [
    "{{ .s",
    "{{ .s }",
    "{{",
    "text {{ .s \n more",
    "{{ .s }}{{ .n",
    "{{ ( .s }}",
    "{{ .s ) }}",
    "{{ .s @ }}",
    "{{ .s# }}",
    "{{ .dry-run }}",
    "{{ .s.  }}",
    '{{ "unterminated }}',
    "{{ `unterminated }}",
    "{{ 'x }}",
    "{{ .s : }}",
    "{{ $x ! }}",
    "{{ \u00e9 }}",
    "{{ .s \x01 }}",
    "{{ if .t }}{{ .s }}",
    "{{ range .list }}\n{{ . }}\n",
    "line1\nline2 {{ .s \n\n .n",
    "{{ .s }}\n\n{{ end }}",
    "{{ with }}{{ end }}",
    "{{ range }}{{ end }}",
    "{{ else if .t }}",
    "{{ 1 | 2 }}",
    "{{ .s | true }}",
    "{{ .s , }}",
    "{{ $ := 1 }}",
    "{{ = }}",
    "{{ := }}",
  ]);
}

function multiline(): DiffCase[] {
  const data = { a: { b: 1 }, list: ["x"] };
  return group("error positions on later lines", [
    "line one\n  line two {{ .a.b }}\n\tline three {{ .a.c }}",
    "é {{ .a.nope }}",
    "x\n{{ if .a }}\n  {{ range .list }}\n    {{ .q }}\n  {{ end }}\n{{ end }}",
    "{{ .a.b }}\r\n{{ .zz }}",
    '{{ define "d" }}\n{{ .nope }}\n{{ end }}\n\n{{ template "d" . }}',
  ], data);
}

/** A small deterministic generator (linear congruential), so generated cases are stable. */
function seeded(seed: number): () => number {
  let state = seed;
  return () => {
    state = (state * 1103515245 + 12345) & 0x7fffffff;
    return state / 0x7fffffff;
  };
}

function picker(random: () => number): <T>(items: T[]) => T {
  return (items) => items[Math.floor(random() * items.length)];
}

const PRINTF_VALUES = [
  "0",
  "1",
  "-1",
  "255",
  "3.14159",
  "-2.5",
  "1e6",
  "1e-7",
  "0.1",
  "123456.789",
  "1e21",
  "5e-324",
  "'x'",
  "'é'",
  '"str"',
  '"é✓"',
  '""',
  '"a\\tb"',
  "true",
  "false",
  ".l",
  ".m",
  ".n",
  ".f",
  ".s",
  ".nil",
  "65",
  "0x7fffffff",
  "-0.0",
  "0.5",
  "2.5",
  "0.125",
  "99.995",
];

/** Random `printf` directives: flags × width × precision × verb × operand kind. */
function generatedPrintf(count: number): DiffCase[] {
  const pick = picker(seeded(7));
  const data = {
    l: [1, "a", null, 2.5, true],
    m: { k: 1, "z z": "v" },
    n: 42,
    f: -3.75,
    s: "hey",
    nil: null,
  };
  const directive = () =>
    "%" + pick(["", "+", "-", "#", " ", "0", "-0", "+0"]) + pick(["", "1", "5", "12"]) +
    pick(["", ".", ".0", ".1", ".3", ".10"]) +
    pick([
      "v",
      "d",
      "s",
      "q",
      "x",
      "X",
      "o",
      "b",
      "e",
      "E",
      "f",
      "F",
      "g",
      "G",
      "t",
      "c",
      "U",
      "T",
      "%",
    ]);
  return Array.from({ length: count }, () => {
    const n = 1 + Math.floor(pick([0, 1, 2]));
    const format = Array.from({ length: n }, () => directive() + "|").join("");
    const args = Array.from({ length: n + pick([0, 0, 0, 1]) }, () => pick(PRINTF_VALUES));
    return {
      group: "generated printf directives",
      template: `{{ printf ${JSON.stringify(format)} ${args.join(" ")} }}`,
      data,
    };
  });
}

const FUNCS = [
  "eq",
  "ne",
  "lt",
  "le",
  "gt",
  "ge",
  "and",
  "or",
  "not",
  "len",
  "index",
  "slice",
  "print",
  "printf",
  "println",
  "html",
  "js",
  "urlquery",
];

/** Random templates: nested if/range/with, pipelines and builtins over {@linkcode KINDS}. */
function generatedTemplates(count: number): DiffCase[] {
  const random = seeded(11);
  const pick = picker(random);
  const atom = (depth: number): string =>
    pick([
      () => "." + pick(KIND_KEYS),
      () => "$." + pick(KIND_KEYS),
      () => ".",
      () => "$v",
      () =>
        pick([
          "1",
          "0",
          "-2",
          "2.5",
          "1e3",
          "'a'",
          "0x10",
          '"s"',
          '""',
          "`r`",
          "true",
          "false",
          "nil",
        ]),
      () => "." + pick(KIND_KEYS) + "." + pick(["a", "b", "c", "k"]),
      () => (depth < 2 ? "(" + expr(depth + 1) + ")" : "."),
    ])();
  const expr = (depth: number): string => {
    if (depth > 2 || random() < 0.4) return atom(depth);
    const f = pick(FUNCS);
    let out = f === "printf"
      ? f + " " + pick(['"%v"', '"%d %s"', '"%q"', '"%5.2f"', '"%x|%v"'])
      : f;
    for (let i = Math.floor(random() * 4); i > 0; i--) out += " " + atom(depth + 1);
    return random() < 0.2 ? atom(depth) + " | " + out : out;
  };
  const block = (depth: number): string => {
    let out = "";
    for (let i = 1 + Math.floor(random() * 3); i > 0; i--) {
      const r = random();
      if (depth < 2 && r < 0.15) {
        out += `{{ if ${expr(0)} }}${block(depth + 1)}{{ else }}${block(depth + 1)}{{ end }}`;
      } else if (depth < 2 && r < 0.3) {
        out += `{{ range $i, $v := ${atom(0)} }}${block(depth + 1)}{{ else }}E{{ end }}`;
      } else if (depth < 2 && r < 0.4) {
        out += `{{ with $v := ${atom(0)} }}${block(depth + 1)}{{ end }}`;
      } else if (r < 0.5) out += pick(["x", " ", "\n", "{{- ", "{{ ", " -}}"]);
      else out += `{{ ${expr(0)} }}`;
    }
    return out;
  };
  return Array.from({ length: count }, () => ({
    group: "generated templates",
    template: "{{ $v := 1 }}" + block(0),
    data: KINDS,
  }));
}

/** All cases. */
export const DIFFERENTIAL_CASES: DiffCase[] = [
  ...printing(),
  ...literals(),
  ...fields(),
  ...variables(),
  ...pipelines(),
  ...conditionals(),
  ...ranges(),
  ...templates(),
  ...trimming(),
  ...comparisons(),
  ...builtins(),
  ...printfVerbs(),
  ...syntaxErrors(),
  ...multiline(),
  ...generatedPrintf(120),
  ...generatedTemplates(120),
];
