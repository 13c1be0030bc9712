/**
 * `atmos list workflows` and `atmos describe workflows` (atmos-workflows-commands.md §1.12):
 * every workflow of every manifest, sorted by file then name, as a table, JSON or YAML.
 *
 * @module
 */
import type { Manifest } from "./manifest.ts";
import { summarize, workflowNames } from "./manifest.ts";

/** One row of `list workflows`. */
export interface WorkflowRow {
  file: string;
  workflow: string;
  description: string;
  steps: number;
}

/** Rows for every workflow, sorted by file then workflow name. */
export function workflowRows(manifests: Manifest[]): WorkflowRow[] {
  const rows = manifests.flatMap((manifest) =>
    workflowNames(manifest).map((workflow) => ({
      file: manifest.relative,
      workflow,
      ...summarize(manifest, workflow),
    }))
  );
  return rows.sort((a, b) => compare(a.file, b.file) || compare(a.workflow, b.workflow));
}

/** `describe workflows -o list|map|all` data. */
export function describeData(manifests: Manifest[], output: "list" | "map" | "all"): unknown {
  const sorted = [...manifests].sort((a, b) => compare(a.relative, b.relative));
  if (output === "list") {
    return workflowRows(sorted).map(({ file, workflow }) => ({ file, workflow }));
  }
  const out: Record<string, unknown> = {};
  for (const manifest of sorted) {
    out[manifest.relative] = output === "map"
      ? workflowNames(manifest)
      : withStepNames(manifest.yaml.value as Record<string, unknown>);
  }
  return out;
}

/** The manifest with generated `name: stepN` filled in for unnamed steps. */
function withStepNames(manifest: Record<string, unknown>): Record<string, unknown> {
  const workflows = manifest.workflows as Record<string, unknown>;
  const named: Record<string, unknown> = {};
  for (const name of Object.keys(workflows).sort()) {
    const workflow = workflows[name];
    if (!isMap(workflow) || !Array.isArray(workflow.steps)) {
      named[name] = workflow;
      continue;
    }
    const steps = workflow.steps.map((step, i) =>
      isMap(step) && step.name === undefined ? { name: `step${i + 1}`, ...step } : step
    );
    named[name] = { ...workflow, steps };
  }
  return { ...manifest, workflows: named };
}

function isMap(value: unknown): value is Record<string, unknown> {
  return typeof value === "object" && value !== null && !Array.isArray(value);
}

function compare(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}
