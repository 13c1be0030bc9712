import assert from "node:assert/strict";
import { renderTemplate } from "../../lib/stack/template.ts";
import { envOf, thrown } from "./helpers.ts";

Deno.test("renderTemplate() renders stack names with the shared engine and Sprig functions", () => {
  const data = { vars: { tenant: "t1", environment: "ue2", stage: "dev" } };
  assert.equal(
    renderTemplate("{{ .vars.tenant }}-{{.vars.environment}}-{{ .vars.stage }}", data),
    "t1-ue2-dev",
  );
  assert.equal(renderTemplate("{{- .vars.tenant | upper -}}  ", data), "T1");
  assert.equal(
    renderTemplate('{{ if eq .vars.stage "dev" }}nonprod{{ else }}prod{{ end }}', data),
    "nonprod",
  );
});

Deno.test("renderTemplate() fails on a missing key by default, with Go's message and the location", () => {
  const error = thrown(() =>
    renderTemplate("x\n  {{ .vars.tenant }}", { vars: {} }, {
      name: "stacks.name_template",
      location: { file: "atmos.yaml", line: 7, column: 3 },
    })
  );
  assert.equal(error.exitCode, 2);
  assert.match(
    error.message,
    /^template: stacks\.name_template:2:.*map has no entry for key "tenant"/,
  );
  assert.deepEqual(error.location, { file: "atmos.yaml", line: 7, column: 3 });
});

Deno.test("renderTemplate() renders a missing key as <no value> with missingKey default", () => {
  assert.equal(
    renderTemplate("[{{ .a.b }}]", { a: {} }, { missingKey: "default" }),
    "[<no value>]",
  );
});

Deno.test("renderTemplate() reads env from the given environment only", () => {
  assert.equal(renderTemplate('{{ env "STAGE" }}', {}, { env: envOf({ STAGE: "prod" }) }), "prod");
  assert.equal(renderTemplate('[{{ env "STAGE" }}]', {}), "[]");
});

Deno.test("renderTemplate() reports a template that does not parse", () => {
  const error = thrown(() => renderTemplate("{{ .a ", {}, { name: "n" }));
  assert.equal(error.exitCode, 2);
  assert.match(error.message, /^template: n:1: /);
});
