/**
 * `deno task bench:template`: throughput of the template engine, in renders per second.
 *
 * Rows: 10,000 distinct small templates rendered once each (every render parses: the texts
 * differ, so the parse cache cannot help), and 10,000 renders cycling through 100 templates
 * (parsed once, then served from renderTemplate's cache). The templates look like Atmos
 * custom-command and workflow steps: field chains, `index` for dashed flags, `if`, `range`,
 * pipelines into Sprig functions, `printf`. Each row runs a warm-up round, then reports the
 * median of 5 rounds.
 *
 * Usage: `deno task bench:template`
 *
 * @module
 */
import { renderTemplate } from "../lib/template/mod.ts";

const COUNT = 10_000;
const ROUNDS = 5;

const DATA = {
  Arguments: { component: "vpc", stack: "plat-ue2-prod" },
  Flags: { "dry-run": true, region: "us-east-2", verbose: false },
  TrailingArgs: "-var=a=b",
  ComponentConfig: {
    component: "vpc",
    vars: { tenant: "plat", environment: "ue2", stage: "prod", cidr: "10.0.0.0/16" },
    deps: ["catalog/base", "prod"],
  },
  Env: { HOME: "/home/ci" },
};

const SHAPES: ((i: number) => string)[] = [
  (i) => `echo {{ .Arguments.component }}-${i}`,
  (i) => `atmos terraform plan {{ .Arguments.component }} -s {{ .Arguments.stack }} # ${i}`,
  (i) => `{{ if index .Flags "dry-run" }}echo dry ${i}{{ else }}apply ${i}{{ end }}`,
  (i) => `{{ .ComponentConfig.vars.tenant }}-{{ .ComponentConfig.vars.stage }}-${i}`,
  (i) => `{{ range .ComponentConfig.deps }}dep={{ . }} {{ end }}${i}`,
  (i) => `{{ .Flags.region | upper }}/{{ printf "%s-%d" .Arguments.component ${i} }}`,
  (i) => `{{- $s := .Arguments.stack -}} stack={{ $s }} n=${i}`,
  (i) => `{{ .TrailingArgs | default "none" }} ${i}`,
];

function template(i: number): string {
  return SHAPES[i % SHAPES.length](i);
}

function median(values: number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.floor(sorted.length / 2)];
}

/** Renders every text once; returns renders per second. */
function round(texts: string[]): number {
  const start = performance.now();
  let length = 0;
  for (const text of texts) length += renderTemplate(text, DATA, { missingKey: "error" }).length;
  const seconds = (performance.now() - start) / 1000;
  if (length === 0) throw new Error("templates rendered nothing");
  return texts.length / seconds;
}

function measure(label: string, texts: string[]): void {
  round(texts);
  const rates = Array.from({ length: ROUNDS }, () => round(texts));
  console.log(
    `${label.padEnd(52)} ${Math.round(median(rates)).toLocaleString("en-US").padStart(10)} ops/s`,
  );
}

const distinct = Array.from({ length: COUNT }, (_, i) => template(i));
const cycling = Array.from({ length: COUNT }, (_, i) => template(i % 100));

console.log(
  `template engine, ${COUNT.toLocaleString("en-US")} renders per round, median of ${ROUNDS}`,
);
measure("distinct small templates (parse + execute)", distinct);
measure("100 templates cycled (cached parse, execute)", cycling);
