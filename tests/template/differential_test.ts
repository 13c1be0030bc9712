/**
 * Differential tests: every case in differential_cases.ts goes through our engine and through
 * Go's real `text/template` (compiled to WebAssembly, the dev-only oracle), with
 * `missingkey=error` and no Sprig on both sides. The outputs must be equal, and when Go fails
 * ours must fail with the very same message (template name, line:column, node, reason).
 */
import assert from "node:assert/strict";
import { renderTemplate } from "../../lib/template/mod.ts";
import { GoFloat } from "../../lib/template/value.ts";
import { DIFFERENTIAL_CASES } from "./differential_cases.ts";

/** The oracle's name for the template, and its fixed option. */
const ORACLE_NAME = "tpl";

type RenderFn = (template: string, json: string) => string;

/** Loads the WASM oracle once per test file; returns its raw `Render(template, json)`. */
async function loadOracle(): Promise<RenderFn> {
  const { parse } = await import("go-template-oracle");
  await parse("", {});
  const render = (globalThis as { Render?: RenderFn }).Render;
  assert.equal(typeof render, "function", "the oracle exposes Render once loaded");
  return render as RenderFn;
}

const oracle = await loadOracle();

/** Go reads JSON numbers as float64: give our engine the same types. */
function asGoJson(value: unknown): unknown {
  if (typeof value === "number") return new GoFloat(value);
  if (Array.isArray(value)) return value.map(asGoJson);
  if (value !== null && typeof value === "object") {
    return Object.fromEntries(Object.entries(value).map(([k, v]) => [k, asGoJson(v)]));
  }
  return value;
}

/** `ok:<output>` or `error:<Go message>` from the oracle. */
function goResult(template: string, data: unknown): string {
  const raw = oracle(template, JSON.stringify(data));
  const failure = /^Template (?:exec|parse) error: /.exec(raw);
  return failure ? "error:" + raw.slice(failure[0].length) : "ok:" + raw;
}

function ourResult(template: string, data: unknown): string {
  try {
    return "ok:" + renderTemplate(template, asGoJson(data), {
      name: ORACLE_NAME,
      missingKey: "error",
      sprig: false,
    });
  } catch (error) {
    return "error:" + (error as Error).message;
  }
}

Deno.test("the differential case set is large and mixes outputs, exec errors and parse errors", () => {
  assert.ok(DIFFERENTIAL_CASES.length >= 200, `${DIFFERENTIAL_CASES.length} cases`);
  const kinds = new Set(DIFFERENTIAL_CASES.map((c) => goResult(c.template, c.data).split(":")[0]));
  assert.deepEqual([...kinds].sort(), ["error", "ok"]);
});

const groups = [...new Set(DIFFERENTIAL_CASES.map((c) => c.group))];

for (const group of groups) {
  Deno.test(`renderTemplate() matches Go's text/template: ${group}`, () => {
    const mismatches: string[] = [];
    for (const c of DIFFERENTIAL_CASES.filter((x) => x.group === group)) {
      const go = goResult(c.template, c.data);
      const ours = ourResult(c.template, c.data);
      if (go !== ours) {
        mismatches.push(`${JSON.stringify(c.template)}\n  go:   ${go}\n  ours: ${ours}`);
      }
    }
    assert.deepEqual(mismatches, []);
  });
}
