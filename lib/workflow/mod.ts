/**
 * Workflows: manifests under `workflows.base_path`, finding a workflow by name, planning and
 * running its steps through the step engine, and listings.
 *
 * @module
 */
export {
  findWorkflow,
  type Found,
  loadAllManifests,
  loadManifestArg,
  manifestLoadOptions,
  manifestPath,
  workflowsDir,
} from "./files.ts";
export {
  loadManifest,
  type Manifest,
  MANIFEST_TAGS,
  parseWorkflow,
  summarize,
  type Workflow,
  workflowNames,
  type WorkflowStep,
} from "./manifest.ts";
export { describeData, type WorkflowRow, workflowRows } from "./list.ts";
export { resumeCommand, runWorkflow, type WorkflowContext, type WorkflowOptions } from "./run.ts";
