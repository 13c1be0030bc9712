/**
 * `atmos workflow`, `atmos list workflows` and `atmos describe workflows`. The specs are plain
 * data; the workflow modules (YAML, the auth manager, the step engine) load only when one of
 * these commands runs.
 *
 * @module
 */
import { UsageError } from "../../errors.ts";
import type { CommandSpec, FlagSpec } from "../command.ts";
import type { Runtime } from "../runtime.ts";
import { renderTable, toJson } from "../output.ts";
import { SELECT_SENTINEL } from "../../auth/select.ts";
import { stackFlag } from "./flags.ts";
import { resolve } from "../../fs/path.ts";

/** `-i/--identity` of `atmos workflow`: the identity for steps without their own. */
const WORKFLOW_IDENTITY_FLAG: FlagSpec = {
  name: "identity",
  short: "i",
  type: "string",
  description:
    "identity for steps that name none (bare: choose interactively; false/0/no/off: no authentication for any step)",
  optionalValue: SELECT_SENTINEL,
  valueName: "name",
  complete: "identity",
};

/** Builds `atmos workflow`. */
export function workflowCommand(rt: Runtime): CommandSpec {
  return {
    name: "workflow",
    summary: "Run a workflow: a list of atmos and shell steps, each with its own identity",
    description:
      "Runs the steps of a workflow from the files under workflows.base_path, in order, stopping at the first failure. A step with `identity:` runs with that identity's credential files (authenticated once per run); --identity gives one to steps without their own.",
    args: [{
      name: "name",
      description: "workflow to run (a picker on a terminal when omitted)",
      complete: "workflow",
    }],
    flags: [
      {
        name: "file",
        short: "f",
        type: "string",
        description: "workflow file, relative to workflows.base_path (.yaml may be left out)",
        valueName: "file",
        complete: "workflow-file",
      },
      {
        name: "dry-run",
        type: "boolean",
        description: "print each step with its command, identity and stack; run nothing",
      },
      {
        name: "from-step",
        type: "string",
        description: "start at this step (by name; unnamed steps are step1, step2, …)",
        valueName: "step",
      },
      stackFlag("stack for every atmos step (overrides the workflow's and steps' stack)"),
      WORKFLOW_IDENTITY_FLAG,
    ],
    examples: [
      "atmos workflow deploy-multi-account -f deploy",
      "atmos workflow deploy-multi-account --identity dev-account --dry-run",
      "atmos workflow deploy -f deploy --from-step apply -s prod",
    ],
    async run(inv) {
      const { runWorkflow } = await import("../../workflow/run.ts");
      return await runWorkflow(rt, {
        name: inv.args.name as string | undefined,
        file: inv.flags.file as string | undefined,
        dryRun: inv.flags["dry-run"] === true,
        fromStep: inv.flags["from-step"] as string | undefined,
        stack: inv.flags.stack as string | undefined,
        identity: inv.given.has("identity") ? String(inv.flags.identity) : undefined,
      });
    },
  };
}

/** Builds `atmos list workflows`. */
export function listWorkflowsCommand(rt: Runtime): CommandSpec {
  return {
    name: "workflows",
    summary: "List the workflows with their file, description and number of steps",
    flags: [
      {
        name: "file",
        short: "f",
        type: "string",
        description: "only this workflow file (a path relative to the current directory)",
        valueName: "file",
        complete: "file",
      },
      {
        name: "format",
        type: "string",
        description: "output format",
        choices: ["table", "json", "yaml"],
        default: "table",
      },
    ],
    async run(inv) {
      const { workflowRows } = await import("../../workflow/list.ts");
      const manifests = await loadManifests(rt, inv.flags.file as string | undefined);
      const rows = workflowRows(manifests);
      const format = inv.flags.format as string;
      if (format === "json") rt.out(toJson(rows));
      else if (format === "yaml") rt.out(await yaml(rows));
      else if (rows.length === 0) rt.out("No workflows found\n");
      else {
        rt.out(renderTable(
          ["FILE", "WORKFLOW", "DESCRIPTION", "STEPS"],
          rows.map((r) => [r.file, r.workflow, r.description, String(r.steps)]),
        ));
      }
      return 0;
    },
  };
}

/** Builds `atmos describe workflows`. */
export function describeWorkflowsCommand(rt: Runtime): CommandSpec {
  return {
    name: "workflows",
    summary: "Describe the workflows: file and name pairs, names per file, or whole files",
    flags: [
      {
        name: "format",
        short: "f",
        type: "string",
        description: "output format",
        choices: ["yaml", "json", "table"],
        default: "yaml",
      },
      {
        name: "output",
        short: "o",
        type: "string",
        description: "list: {file, workflow} pairs; map: workflow names per file; all: whole files",
        choices: ["list", "map", "all"],
        default: "list",
      },
    ],
    async run(inv) {
      const { describeData } = await import("../../workflow/list.ts");
      const output = inv.flags.output as "list" | "map" | "all";
      const format = inv.flags.format as string;
      if (format === "table" && output === "all") {
        throw new UsageError("--format table works with -o list or -o map", {
          hint: "use --format yaml or json for -o all",
        });
      }
      const data = describeData(await loadManifests(rt), output);
      if (format === "json") rt.out(toJson(data));
      else if (format === "yaml") rt.out(await yaml(data));
      else rt.out(describeTable(data, output));
      return 0;
    },
  };
}

async function loadManifests(rt: Runtime, file?: string) {
  const { loadAllManifests, loadManifest, manifestLoadOptions } = await import(
    "../../workflow/mod.ts"
  );
  const loaded = await rt.config();
  if (file === undefined) return await loadAllManifests(rt, loaded);
  const path = resolve(rt.cwd, file);
  if (!/\.ya?ml$/i.test(path)) {
    throw new UsageError(`--file must name a .yaml or .yml file, got "${file}"`);
  }
  return [await loadManifest(path, file, await manifestLoadOptions(rt))];
}

async function yaml(value: unknown): Promise<string> {
  const { toYaml } = await import("../output_yaml.ts");
  return await toYaml(value);
}

function describeTable(data: unknown, output: "list" | "map" | "all"): string {
  if (output === "list") {
    const rows = data as { file: string; workflow: string }[];
    return renderTable(["FILE", "WORKFLOW"], rows.map((r) => [r.file, r.workflow]));
  }
  if (output === "map") {
    const map = data as Record<string, string[]>;
    return renderTable(
      ["FILE", "WORKFLOWS"],
      Object.entries(map).map(([file, names]) => [file, names.join(", ")]),
    );
  }
  return "";
}
