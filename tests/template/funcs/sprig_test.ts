import assert from "node:assert/strict";
import { renderTemplate, TemplateError } from "../../../lib/template/mod.ts";

const DATA = {
  s: "hello",
  e: "",
  n: 3,
  f: 2.5,
  nil: null,
  list: ["a", "b"],
  m: {},
  obj: { b: 2, a: 1 },
};

/** Renders each `[template, expected]` pair with {@linkcode DATA}. */
function check(cases: [string, string][]): void {
  for (const [template, expected] of cases) {
    assert.equal(renderTemplate(template, DATA, { name: "t" }), expected, template);
  }
}

/** Each template must fail with a message ending in `expected`. */
function checkErrors(cases: [string, string][]): void {
  for (const [template, expected] of cases) {
    assert.throws(
      () => renderTemplate(template, DATA, { name: "t" }),
      (error: unknown) => error instanceof TemplateError && error.message.endsWith(expected),
      `${template} should fail with …${expected}`,
    );
  }
}

Deno.test("Sprig defaults: default empty coalesce ternary required fail", () => {
  check([
    ['{{ .e | default "d" }}|{{ .s | default "d" }}|{{ .nope | default "d" }}', "d|hello|d"],
    [
      '{{ default "d" }}|{{ 0 | default 5 }}|{{ false | default "f" }}|{{ list | default "x" }}',
      "d|5|f|x",
    ],
    [
      '{{ empty "" }} {{ empty 0 }} {{ empty .m }} {{ empty .nil }} {{ empty "a" }} {{ empty .list }}',
      "true true true true false false",
    ],
    ['{{ coalesce "" 0 .nil "x" "y" }}|{{ coalesce "" 0 }}', "x|<no value>"],
    ['{{ ternary "a" "b" true }}|{{ false | ternary "a" "b" }}', "a|b"],
    ['{{ required "need s" .s }}', "hello"],
  ]);
  checkErrors([
    ['{{ required "need x" .nope }}', "error calling required: need x"],
    ['{{ required "need e" .e }}', "error calling required: need e"],
    [
      '{{ fail "stop here" }}',
      'executing "t" at <fail "stop here">: error calling fail: stop here',
    ],
    ['{{ ternary "a" "b" "yes" }}', 'expected bool; found "yes"'],
  ]);
});

Deno.test("Sprig strings take the string last, as in Go", () => {
  check([
    [
      '{{ upper "abc" }} {{ lower "ÀB" }} {{ title "hello wörld-foo bar_baz" }}',
      "ABC àb Hello Wörld-Foo Bar_baz",
    ],
    ['[{{ trim "  \\t x y \\n" }}]', "[x y]"],
    [
      '{{ trimPrefix "ab" "abc" }} {{ trimSuffix "c" "abc" }} {{ trimAll "-_" "--a_b__" }} {{ trimSuffix "" "abc" }}',
      "c ab a_b abc",
    ],
    ['{{ replace "a" "b" "banana" }} {{ "banana" | replace "an" "AN" }}', "bbnbnb bANANa"],
    [
      '{{ contains "an" "banana" }} {{ hasPrefix "ba" "banana" }} {{ hasSuffix "x" "banana" }}',
      "true true false",
    ],
    [
      '{{ quote "a" 1 .nil "b\\"c" }}|{{ squote "a" 2.5 }}|{{ cat "a" 1 .nil true }}',
      `"a" "1" "b\\"c"|'a' '2.5'|a 1 true`,
    ],
    ['{{ indent 2 "a\\nb" }}|{{ "x" | nindent 4 }}', "  a\n  b|\n    x"],
    [
      '{{ split "," "a,b" }} {{ (split "," "a,b")._1 }} {{ splitList "," "a,,b" }} {{ splitList "" "ab" }}',
      "map[_0:a _1:b] b [a  b] [a b]",
    ],
    [
      '{{ join "-" (list 1 "a" .nil 2.5) }} {{ join "," "str" }} {{ .list | join "+" }}',
      "1-a-2.5 str a+b",
    ],
    ['{{ repeat 3 "ab" }}|{{ repeat 0 "ab" }}', "ababab|"],
    [
      '{{ substr 1 3 "hello" }} {{ substr -1 2 "hello" }} {{ substr 2 -1 "hello" }} {{ substr 2 99 "hello" }}',
      "el he llo llo",
    ],
    ['{{ trunc 3 "hello" }} {{ trunc -2 "hello" }} {{ trunc 10 "hi" }}', "hel lo hi"],
    [
      '{{ abbrev 5 "hello world" }} {{ abbrev 3 "hello" }} {{ abbrev 20 "short" }}',
      "he... hello short",
    ],
    [
      "{{ toString 3 }} {{ toString .nil }} {{ toString .list }} {{ toString 2.5 }}",
      "3 <nil> [a b] 2.5",
    ],
  ]);
  checkErrors([
    ['{{ indent -1 "a" }}', "error calling indent: strings: negative Repeat count"],
    ["{{ upper 3 }}", "expected string; found 3"],
    ["{{ upper .n }}", "wrong type for value; expected string; got int"],
    ["{{ upper .nope }}", "invalid value; expected string"],
    [
      '{{ substr -1 9 "ab" }}',
      "error calling substr: runtime error: slice bounds out of range [:9] with length 2",
    ],
  ]);
});

Deno.test("Sprig lists: list first last rest initial append concat until seq", () => {
  check([
    [
      '{{ list 1 "a" .nil }} {{ first .list }} {{ last .list }} {{ rest .list }} {{ initial .list }}',
      "[1 a <nil>] a b [b] [a]",
    ],
    ["{{ first (list) }}|{{ rest (list) }}|{{ initial (list) }}", "<no value>|[]|[]"],
    [
      "{{ append .list 3 }} {{ .list }} {{ concat (list 1) .list (list) }}",
      "[a b 3] [a b] [1 a b]",
    ],
    ["{{ until 3 }} {{ until -2 }} {{ until 0 }}", "[0 1 2] [0 -1] []"],
    [
      "{{ seq 3 }}|{{ seq 2 5 }}|{{ seq 5 2 }}|{{ seq 0 2 6 }}|{{ seq 6 2 0 }}|{{ seq }}",
      "1 2 3|2 3 4 5|5 4 3 2|0 2 4 6||",
    ],
    ["{{ range $i := until 2 }}{{ $i }}{{ end }}", "01"],
  ]);
  checkErrors([
    ['{{ first "str" }}', "error calling first: Cannot find first on type string"],
    ["{{ last .obj }}", "error calling last: Cannot find last on type map"],
    ['{{ concat .list "x" }}', "error calling concat: Cannot concat type string as list"],
  ]);
});

Deno.test("Sprig dictionaries: dict get set hasKey keys values", () => {
  check([
    ['{{ dict "b" 2 "a" (list 1) }} {{ dict "a" }} {{ dict }}', "map[a:[1] b:2] map[a:] map[]"],
    [
      '{{ $d := dict "a" 1 }}{{ get $d "a" }}|{{ get $d "z" }}|{{ hasKey $d "a" }}|{{ hasKey $d "z" }}',
      "1||true|false",
    ],
    [
      '{{ $d := dict "a" 1 }}{{ $_ := set $d "b" 2 }}{{ $d }} {{ keys $d }} {{ values $d }}',
      "map[a:1 b:2] [a b] [1 2]",
    ],
    ["{{ keys .obj .m }} {{ values .obj }}", "[a b] [1 2]"],
    ['{{ (dict "x" (dict "y" "deep")).x.y }}', "deep"],
  ]);
  checkErrors([
    ['{{ get .s "a" }}', "wrong type for value; expected map[string]interface {}; got string"],
    [
      '{{ hasKey .nil "a" }}',
      "wrong type for value; expected map[string]interface {}; got interface {}",
    ],
  ]);
});

Deno.test("Sprig conversions follow Go: toJson escapes HTML and sorts keys, fromJson gives float64", () => {
  check([
    [
      '{{ toJson (dict "b" (list 1 "x" .nil 2.5) "a" "<&>") }}',
      '{"a":"\\u003c\\u0026\\u003e","b":[1,"x",null,2.5]}',
    ],
    [
      '{{ toPrettyJson (dict "a" 1 "b" (list) "c" (dict)) }}',
      '{\n  "a": 1,\n  "b": [],\n  "c": {}\n}',
    ],
    [
      '{{ toJson "tab\\there\\n" }} {{ toJson .nil }} {{ toJson 1e-7 }} {{ toJson 1e21 }}',
      '"tab\\there\\n" null 1e-7 1e+21',
    ],
    [
      '{{ (fromJson "{\\"a\\":[1,2],\\"b\\":1000000}").a }} {{ (fromJson "{\\"b\\":1000000}").b }}',
      "[1 2] 1e+06",
    ],
    ['{{ fromJson "not json" }}', "<no value>"],
    ['{{ atoi "42" }} {{ atoi "x" }} {{ atoi "-7" }}', "42 0 -7"],
    [
      '{{ int "12" }} {{ int 3.9 }} {{ int "0x10" }} {{ int "1.0" }} {{ int "abc" }} {{ int .t }} {{ int64 "9" }}',
      "12 3 16 1 0 0 9",
    ],
    [
      '{{ float64 "1.5" }} {{ float64 3 }} {{ float64 "2" | printf "%T" }} {{ float64 "x" }}',
      "1.5 3 float64 0",
    ],
  ]);
});

Deno.test("Sprig math converts with cast.ToInt64 and divides like Go", () => {
  check([
    ['{{ add 1 2 "3" }} {{ add 1.9 }} {{ add }} {{ sub 5 7 }} {{ mul 2 3 4 }}', "6 1 0 -2 24"],
    ["{{ div 7 2 }} {{ div -7 2 }} {{ mod 7 3 }} {{ mod -7 3 }}", "3 -3 1 -1"],
    ['{{ max 1 5 3 }} {{ min 4 -1 }} {{ max "7" }}', "5 -1 7"],
    ['{{ add .n 1 | printf "%T" }}', "int"],
  ]);
  checkErrors([
    ["{{ div 1 0 }}", "error calling div: runtime error: integer divide by zero"],
    ["{{ mod 1 0 }}", "error calling mod: runtime error: integer divide by zero"],
  ]);
});

Deno.test("Sprig encodings: b64enc b64dec sha256sum", () => {
  check([
    [
      '{{ b64enc "héllo" }} {{ b64dec "aMOpbGxv" }} {{ b64dec "YWJj" }} {{ b64dec "YW\\nJj" }}',
      "aMOpbGxv héllo abc abc",
    ],
    [
      '{{ b64dec "!!!!" }}|{{ b64dec "YWJ" }}|{{ b64dec "YW=" }}|{{ b64dec "YQ==x" }}',
      "illegal base64 data at input byte 0|illegal base64 data at input byte 0|illegal base64 data at input byte 3|illegal base64 data at input byte 4",
    ],
    ['{{ sha256sum "abc" }}', "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad"],
  ]);
});
