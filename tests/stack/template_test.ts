import assert from "node:assert/strict";
import { thrown } from "./helpers.ts";
import { formatValue, renderTemplate } from "../../lib/stack/template.ts";

Deno.test("renderTemplate() renders field chains and trims with {{- -}}", () => {
  const data = { vars: { tenant: "t1", environment: "ue2", stage: "dev" } };
  assert.equal(
    renderTemplate("{{ .vars.tenant }}-{{.vars.environment}}-{{ .vars.stage }}", data),
    "t1-ue2-dev",
  );
  assert.equal(renderTemplate("a  {{- .vars.stage -}}  b", data), "adevb");
  assert.equal(renderTemplate("{{/* note */}}x", data), "x");
});

Deno.test("renderTemplate() prints values like Go's fmt", () => {
  const data = { l: ["a", "b"], m: { k: 1, a: true }, n: null, f: 1.5 };
  assert.equal(
    renderTemplate("{{ .l }} {{ .m }} {{ .n }} {{ .f }}", data),
    "[a b] map[a:true k:1] <no value> 1.5",
  );
  assert.equal(formatValue(undefined), "<no value>");
});

Deno.test("renderTemplate() fails on a missing key with the template name and line:col", () => {
  const error = thrown(() =>
    renderTemplate("x\n  {{ .vars.tenant }}", { vars: {} }, { name: "stacks.name_template" })
  );
  assert.equal(error.exitCode, 2);
  assert.match(
    error.message,
    /^template stacks\.name_template:2:3: map has no entry for key "tenant"/,
  );
});

Deno.test("renderTemplate() renders a missing key as <no value> with missingKey default", () => {
  assert.equal(
    renderTemplate("[{{ .a.b }}]", { a: {} }, { missingKey: "default" }),
    "[<no value>]",
  );
});

Deno.test("renderTemplate() refuses actions other than field chains", () => {
  assert.throws(
    () => renderTemplate("{{ if .x }}y{{ end }}", { x: 1 }),
    /unsupported template action/,
  );
  assert.throws(() => renderTemplate('{{ env "HOME" }}', {}), /unsupported template action/);
});
