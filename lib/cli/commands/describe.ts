/**
 * `atmos describe component|stacks` and `atmos list stacks|components`: command specs only
 * (the `describe` and `list` groups are assembled in `app.ts`, next to other subcommands).
 * The implementation (stack processing, YAML output) is loaded when a command runs, so these
 * specs keep `atmos version` fast.
 *
 * @module
 */
import type { CommandSpec, FlagSpec } from "../command.ts";
import type { Runtime } from "../runtime.ts";
import { SELECT_SENTINEL } from "../../auth/select.ts";
import { stackFlag } from "./flags.ts";

const FORMAT_FLAG: FlagSpec = {
  name: "format",
  short: "f",
  type: "string",
  description: "output format",
  choices: ["yaml", "json"],
  default: "yaml",
};

const QUERY_FLAG: FlagSpec = {
  name: "query",
  short: "q",
  type: "string",
  description: "print only this path of the result, e.g. .vars.stage",
  valueName: "path",
};

const PROCESS_FLAGS: FlagSpec[] = [
  {
    name: "process-templates",
    type: "boolean",
    description: "render Go templates in values (when templates.settings.enabled)",
    default: true,
  },
  {
    name: "process-functions",
    type: "boolean",
    description: "evaluate YAML functions such as !env, !exec, !template",
    default: true,
  },
];

/** Accepted like Atmos; describing never authenticates. */
const IGNORED_IDENTITY_FLAG: FlagSpec = {
  name: "identity",
  short: "i",
  type: "string",
  description: "accepted for compatibility with Atmos; describing never authenticates",
  optionalValue: SELECT_SENTINEL,
  valueName: "name",
  hidden: true,
  complete: "identity",
};

/** Builds `atmos describe component`. */
export function describeComponentCommand(rt: Runtime): CommandSpec {
  return {
    name: "component",
    summary: "Show a component's final configuration in a stack",
    description:
      "Processes the stack manifests (imports, inheritance, overrides, templates, YAML functions) and prints everything the component gets: vars, settings, env, backend, workspace, metadata, merged auth (inline credentials redacted), imports and where each value comes from (sources).",
    args: [{
      name: "component",
      description: "Atmos component name",
      required: true,
      complete: "component",
    }],
    flags: [
      stackFlag("stack name"),
      FORMAT_FLAG,
      QUERY_FLAG,
      ...PROCESS_FLAGS,
      IGNORED_IDENTITY_FLAG,
    ],
    examples: [
      "atmos describe component vpc -s plat-ue2-prod",
      "atmos describe component vpc -s plat-ue2-prod --format json --query .vars",
    ],
    async run(inv) {
      const { runDescribeComponent } = await import("./describe_run.ts");
      return await runDescribeComponent(rt, inv);
    },
  };
}

/** Builds `atmos describe stacks`. */
export function describeStacksCommand(rt: Runtime): CommandSpec {
  return {
    name: "stacks",
    summary: "Show every stack with its components",
    flags: [
      stackFlag("only this stack"),
      {
        name: "components",
        type: "string[]",
        description: "only these components (comma-separated)",
        valueName: "names",
        complete: "component",
      },
      {
        name: "component-types",
        type: "string[]",
        description: "only components of these types",
        valueName: "types",
        choices: ["terraform", "helmfile", "packer"],
      },
      {
        name: "sections",
        type: "string[]",
        description: "only these sections of each component (vars, settings, env, …)",
        valueName: "names",
      },
      FORMAT_FLAG,
      QUERY_FLAG,
      ...PROCESS_FLAGS,
    ],
    examples: ["atmos describe stacks", "atmos describe stacks -s plat-ue2-prod --components vpc"],
    async run(inv) {
      const { runDescribeStacks } = await import("./describe_run.ts");
      return await runDescribeStacks(rt, inv);
    },
  };
}

/** `list stacks|components --format` (Atmos's flag; the list has one column, the name). */
const LIST_FORMAT_FLAG: FlagSpec = {
  name: "format",
  short: "f",
  type: "string",
  description: "output format (table: one name per line)",
  choices: ["table", "json", "yaml", "csv", "tsv"],
  default: "table",
};

/** Builds `atmos list stacks`. */
export function listStacksCommand(rt: Runtime): CommandSpec {
  return {
    name: "stacks",
    summary: "List stack names",
    flags: [{
      name: "component",
      short: "c",
      type: "string",
      description: "only stacks that have this component",
      valueName: "name",
      complete: "component",
    }, LIST_FORMAT_FLAG],
    async run(inv) {
      const { runListStacks } = await import("./describe_run.ts");
      return await runListStacks(rt, inv);
    },
  };
}

/** Builds `atmos list components`. */
export function listComponentsCommand(rt: Runtime): CommandSpec {
  return {
    name: "components",
    summary: "List component names (abstract components are left out)",
    flags: [stackFlag("only this stack's components"), LIST_FORMAT_FLAG],
    async run(inv) {
      const { runListComponents } = await import("./describe_run.ts");
      return await runListComponents(rt, inv);
    },
  };
}
