/**
 * Workflow manifests (atmos-workflows-commands.md §1.1–§1.3): YAML files under
 * `workflows.base_path` with a top-level `workflows:` map. Only `!include` and `!include.raw`
 * are evaluated in them (other tags stay literal strings, as in Atmos), so listing workflows
 * never runs an `!exec`. Every problem is a {@linkcode ConfigError} with `file:line:col`.
 *
 * @module
 */
import { ConfigError } from "../errors.ts";
import { isRecord } from "../config/merge.ts";
import { didYouMean } from "../config/suggest.ts";
import { configIssue } from "../config/issue.ts";
import {
  type EnvGetter,
  loadYamlFile,
  type YamlFile,
  type YamlParseCache,
} from "../config/yaml.ts";
import { parseSteps, type Step } from "../exec/step_spec.ts";

/** One loaded manifest file. */
export interface Manifest {
  /** Absolute path. */
  file: string;
  /** Path relative to the workflows directory, e.g. `deploy.yaml`, `sub/test.yaml`. */
  relative: string;
  /** What `-f` takes: {@linkcode relative} without the extension. */
  id: string;
  /** Optional top-level `name` and `description`. */
  name?: string;
  description?: string;
  /** The raw `workflows:` map. */
  workflows: Record<string, unknown>;
  yaml: YamlFile;
}

/**
 * One step of a workflow, validated (the step engine's definition; identities are still the
 * names written in the manifest). `path` is the step's place in the manifest.
 */
export type WorkflowStep = Step;

/** One workflow, validated. */
export interface Workflow {
  name: string;
  description?: string;
  stack?: string;
  env: Record<string, string>;
  workingDirectory?: string;
  steps: WorkflowStep[];
}

/** Tags evaluated in workflow manifests. */
export const MANIFEST_TAGS = ["!include", "!include.raw"];

const WORKFLOW_KEYS = ["description", "steps", "stack", "env", "working_directory"];
/** Atmos workflow keys this implementation does not have; named so the error says so plainly. */
const UNSUPPORTED_KEYS = ["dependencies", "container", "output", "viewport", "show"];

/**
 * Loads a manifest and checks its shape (a map with a `workflows:` map).
 *
 * @throws {ConfigError} for unreadable, malformed or wrongly shaped files.
 */
export async function loadManifest(
  file: string,
  relative: string,
  options: { env: EnvGetter; cwd: string; cache?: YamlParseCache },
): Promise<Manifest> {
  const yaml = await loadYamlFile(file, { ...options, tags: MANIFEST_TAGS });
  const top = yaml.value;
  if (!isRecord(top) || !isRecord(top.workflows)) {
    throw configIssue(
      yaml,
      isRecord(top) && top.workflows !== undefined ? ["workflows"] : [],
      "invalid workflow manifest: it must be a map with a top-level workflows: map",
      "put the workflows under a top-level `workflows:` key",
    );
  }
  return {
    file,
    relative,
    id: relative.replace(/\.ya?ml$/i, ""),
    name: typeof top.name === "string" ? top.name : undefined,
    description: typeof top.description === "string" ? top.description : undefined,
    workflows: top.workflows,
    yaml,
  };
}

/** The workflow names of a manifest, sorted. */
export function workflowNames(manifest: Manifest): string[] {
  return Object.keys(manifest.workflows).sort();
}

/** A workflow's description and step count without validating it (for listings). */
export function summarize(
  manifest: Manifest,
  name: string,
): { description: string; steps: number } {
  const raw = manifest.workflows[name];
  if (!isRecord(raw)) return { description: "", steps: 0 };
  return {
    description: typeof raw.description === "string" ? raw.description : "",
    steps: Array.isArray(raw.steps) ? raw.steps.length : 0,
  };
}

/**
 * Validates one workflow of a manifest and fills in default step names and types.
 *
 * @throws {ConfigError} for any problem, located in the manifest.
 */
export function parseWorkflow(manifest: Manifest, name: string): Workflow {
  const at = ["workflows", name];
  const raw = manifest.workflows[name];
  const issue = (path: (string | number)[], message: string, hint?: string) =>
    configIssue(manifest.yaml, [...at, ...path], message, hint);
  if (!isRecord(raw)) throw issue([], "a workflow must be a map with a steps: list");
  checkKeys(raw, WORKFLOW_KEYS, issue, []);
  if (!Array.isArray(raw.steps) || raw.steps.length === 0) {
    throw issue(
      raw.steps === undefined ? [] : ["steps"],
      `workflow "${name}" has no steps`,
      "add at least one step under steps:",
    );
  }
  const steps = parseSteps(
    raw.steps,
    [...at, "steps"],
    (path, message, hint) => configIssue(manifest.yaml, path, message, hint),
    { defaultType: "atmos", perStepIdentity: true },
  );
  return {
    name,
    description: optionalString(raw, "description", issue, []),
    stack: optionalString(raw, "stack", issue, []),
    env: stringMap(raw.env, issue, ["env"]),
    workingDirectory: optionalString(raw, "working_directory", issue, []),
    steps,
  };
}

type Issue = (path: (string | number)[], message: string, hint?: string) => ConfigError;

function checkKeys(
  raw: Record<string, unknown>,
  allowed: string[],
  issue: Issue,
  path: (string | number)[],
): void {
  for (const key of Object.keys(raw)) {
    if (allowed.includes(key)) continue;
    if (UNSUPPORTED_KEYS.includes(key)) {
      throw issue([...path, key], `"${key}" is not supported by this atmos`, "remove it");
    }
    throw issue(
      [...path, key],
      `unknown key "${key}"${didYouMean(key, allowed)}`,
      `allowed keys: ${allowed.join(", ")}`,
    );
  }
}

function optionalString(
  raw: Record<string, unknown>,
  key: string,
  issue: Issue,
  path: (string | number)[],
): string | undefined {
  const value = raw[key];
  if (value === undefined || value === null) return undefined;
  if (typeof value !== "string") throw issue([...path, key], `"${key}" must be a string`);
  return value;
}

function stringMap(raw: unknown, issue: Issue, path: (string | number)[]): Record<string, string> {
  if (raw === undefined || raw === null) return {};
  if (!isRecord(raw)) throw issue(path, "env must be a map of NAME: value");
  const out: Record<string, string> = {};
  for (const [key, value] of Object.entries(raw)) {
    if (value === null || typeof value === "object") {
      throw issue([...path, key], `env value of ${key} must be a string`);
    }
    out[key] = String(value);
  }
  return out;
}
