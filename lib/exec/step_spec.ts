/**
 * Step definitions as workflows and custom commands write them (atmos-workflows-commands.md
 * §1.3, Atmos's `docs/prd/workflow-step-types.md` and `parallel-workflow-steps.md`), read into
 * plain data for the step engine. Workflows and custom commands share this parser; they differ
 * only in the default type (`atmos` for workflows, `shell` for commands) and in whether a step
 * may name its own `identity` and `stack` (workflows only).
 *
 * Every problem is reported through the caller's `issue` function (which locates it in the
 * file), before any step runs.
 *
 * @module
 */
import { isRecord } from "../config/merge.ts";
import { didYouMean } from "../config/suggest.ts";
import { parseRetry, type RetryPolicy } from "./retry.ts";
import { expandMatrix, matrixStepName } from "./matrix.ts";

/** A position in the configuration, e.g. `["workflows", "deploy", "steps", 0]`. */
export type Path = (string | number)[];

/** Builds the located error for a problem at `path`. */
export type Issue = (path: Path, message: string, hint?: string) => Error;

/** Steps that run a child process. */
export type CommandType = "shell" | "atmos";
/** Steps that ask the user (or take their default without a terminal). */
export type PromptType = "input" | "choose" | "confirm";
/** Steps that run other steps concurrently. */
export type ControlType = "parallel" | "matrix";
/** Every supported step type. */
export type StepType = CommandType | "env" | PromptType | ControlType;

interface StepBase {
  /** `name:`, or `step<N>` (1-based; `<parent>_step<N>` inside parallel and matrix steps). */
  name: string;
  /** Where the step is (for error locations and template names). */
  path: Path;
}

/** A `shell` or `atmos` step. String fields are Go templates. */
export interface CommandStep extends StepBase {
  type: CommandType;
  command: string;
  stack?: string;
  identity?: string;
  workingDirectory?: string;
  /** The step's own `env:` (templates); earlier layers come from the run. */
  env: Record<string, string>;
  retry?: RetryPolicy;
  /** `output: none`: the output is not shown (templates can still read it). */
  quiet: boolean;
  /** Sibling steps that must succeed first (inside parallel and matrix steps only). */
  needs: string[];
  /** The matrix combination of a generated step (`.matrix` in its templates). */
  matrix?: Record<string, string>;
}

/** A `type: env` step: variables for later steps (`export: false` keeps them for templates). */
export interface EnvStep extends StepBase {
  type: "env";
  vars: Record<string, string>;
  export: boolean;
}

/** An `input`, `choose` or `confirm` step. */
export interface PromptStep extends StepBase {
  type: PromptType;
  prompt: string;
  options: string[];
  default?: string;
  placeholder?: string;
  /** `input` only: hide what is typed; the value is then treated as a secret. */
  password: boolean;
}

/** How a parallel or matrix step reacts to a failing child. */
export interface FailPolicy {
  mode: "wait_all" | "fail_fast" | "best_effort";
  /** Failures tolerated before the group is cancelled; 0 = no limit (fail_fast: 1). */
  maxFailures: number;
}

/** How a parallel or matrix step shows its children's output. */
export interface GroupOutput {
  /** `grouped`: each child's output as one block when it ends; `prefixed`: live lines. */
  mode: "grouped" | "prefixed" | "none";
  order: "completion" | "definition";
  showSummary: boolean;
  /** Template of each child's label; unset: the child's name (Atmos's `{{ .step.name }}`). */
  prefix?: string;
}

/** A `parallel` or `matrix` step. Matrix children are already expanded, one per combination. */
export interface ControlStep extends StepBase {
  type: ControlType;
  steps: CommandStep[];
  /** 0 = all ready children at once. */
  maxConcurrency: number;
  fail: FailPolicy;
  output: GroupOutput;
  /** Identity and stack for children that name none. */
  identity?: string;
  stack?: string;
}

/** A step of any type. */
export type Step = CommandStep | EnvStep | PromptStep | ControlStep;

/** What differs between workflows and custom commands. */
export interface StepContext {
  /** Type of a step that names none. */
  defaultType: CommandType;
  /** Whether steps may set `identity:` and `stack:` (workflows). */
  perStepIdentity: boolean;
}

const TYPES: StepType[] = [
  "atmos",
  "shell",
  "env",
  "input",
  "choose",
  "confirm",
  "parallel",
  "matrix",
];

/**
 * Step types of Atmos this implementation does not have (Atmos's step-type and parallel-step
 * PRDs, and its step registry), named so the error says so plainly.
 */
export const UNSUPPORTED_STEP_TYPES = [
  "filter",
  "file",
  "write",
  "spin",
  "table",
  "pager",
  "format",
  "join",
  "style",
  "linebreak",
  "log",
  "toast",
  "markdown",
  "sleep",
  "stage",
  "success",
  "info",
  "warn",
  "error",
  "alert",
  "title",
  "clear",
  "exit",
  "exec",
  "script",
  "container",
  "wait",
  "wait-all",
  "cancel",
  "http",
  "webhook",
  "archive",
  "require",
  "assert",
  "workdir",
  "cast",
  "store",
  "emulator",
  "say",
  "hint",
  "junit",
  "tflint",
];

/** Atmos step keys this implementation does not have. */
export const UNSUPPORTED_STEP_KEYS = [
  "when",
  "continue",
  "tty",
  "interactive",
  "outputs",
  "script",
  "interpreter",
  "timeout",
  "viewport",
  "show",
  "container",
  "dependencies",
  "inputs",
  "artifacts",
  "preconditions",
  "background",
  "for",
  "invoke",
  "content",
  "title",
  "multiple",
  "limit",
  "path",
  "extensions",
  "height",
];

const COMMON_KEYS = ["name", "type"];
const COMMAND_KEYS = ["command", "env", "working_directory", "retry", "output"];
const KEYS_BY_TYPE: Record<StepType, string[]> = {
  shell: COMMAND_KEYS,
  atmos: COMMAND_KEYS,
  env: ["vars", "export"],
  input: ["prompt", "default", "placeholder", "password"],
  choose: ["prompt", "options", "default"],
  confirm: ["prompt", "default"],
  parallel: ["steps", "max_concurrency", "fail", "output"],
  matrix: ["steps", "matrix", "max_concurrency", "fail", "output"],
};
const IDENTITY_KEYS = ["identity", "stack"];
/** Every key some step type takes (for "unknown key" suggestions and the JSON Schema). */
export const STEP_KEYS = [
  ...new Set([...COMMON_KEYS, ...Object.values(KEYS_BY_TYPE).flat(), ...IDENTITY_KEYS, "needs"]),
];
/** Every supported step type (for the JSON Schema). */
export const STEP_TYPES: readonly StepType[] = TYPES;

const FAIL_MODES: FailPolicy["mode"][] = ["wait_all", "fail_fast", "best_effort"];
const OUTPUT_MODES: GroupOutput["mode"][] = ["grouped", "prefixed", "none"];
const OUTPUT_ORDERS: GroupOutput["order"][] = ["completion", "definition"];

/**
 * Reads a list of steps. Unnamed steps are named `step<N>`; names must be unique across the
 * list and every parallel or matrix child (they share the `.steps` namespace).
 */
export function parseSteps(
  raw: readonly unknown[],
  path: Path,
  issue: Issue,
  context: StepContext,
): Step[] {
  const steps = raw.map((item, i) => parseStep(item, [...path, i], i, issue, context));
  checkUniqueNames(steps, issue);
  return steps;
}

/** Reads one step (`index` is its 0-based position, for the default name). */
export function parseStep(
  raw: unknown,
  path: Path,
  index: number,
  issue: Issue,
  context: StepContext,
  parent?: string,
): Step {
  if (!isRecord(raw)) {
    throw issue(path, "a step must be a map with a command:", "e.g. - command: terraform plan vpc");
  }
  const type = stepType(raw, path, issue, context);
  checkKeys(raw, type, path, issue, context, parent !== undefined);
  const name = optionalString(raw, "name", path, issue);
  if (name !== undefined && name.trim() === "") throw issue([...path, "name"], "empty step name");
  const base = {
    name: name ?? (parent === undefined ? `step${index + 1}` : `${parent}_step${index + 1}`),
    path,
  };
  switch (type) {
    case "env":
      return { ...base, type, ...envFields(raw, path, issue) };
    case "input":
    case "choose":
    case "confirm":
      return { ...base, type, ...promptFields(raw, type, path, issue) };
    case "parallel":
    case "matrix":
      return controlStep(raw, { ...base, type }, issue, context);
    default:
      return commandStep(raw, { ...base, type }, issue);
  }
}

function stepType(raw: Record<string, unknown>, path: Path, issue: Issue, context: StepContext) {
  const type = optionalString(raw, "type", path, issue) || context.defaultType;
  if (TYPES.includes(type as StepType)) return type as StepType;
  if (UNSUPPORTED_STEP_TYPES.includes(type)) {
    throw issue(
      [...path, "type"],
      `step type "${type}" is not supported by this atmos`,
      `supported types: ${TYPES.join(", ")}`,
    );
  }
  throw issue(
    [...path, "type"],
    `step type "${type}" is not supported${didYouMean(type, TYPES)}`,
    `use one of: ${TYPES.join(", ")}`,
  );
}

function checkKeys(
  raw: Record<string, unknown>,
  type: StepType,
  path: Path,
  issue: Issue,
  context: StepContext,
  child: boolean,
): void {
  const allowed = [...COMMON_KEYS, ...KEYS_BY_TYPE[type]];
  const isCommand = type === "shell" || type === "atmos";
  const isControl = type === "parallel" || type === "matrix";
  if (context.perStepIdentity && (isCommand || isControl)) allowed.push(...IDENTITY_KEYS);
  if (child) allowed.push("needs");
  for (const key of Object.keys(raw)) {
    if (allowed.includes(key)) continue;
    if (UNSUPPORTED_STEP_KEYS.includes(key)) {
      throw issue([...path, key], `"${key}" is not supported by this atmos`, "remove it");
    }
    if (key === "needs") {
      throw issue(
        [...path, key],
        '"needs" works only for steps inside a parallel or matrix step',
        "move the step into a parallel step, or remove needs",
      );
    }
    if (IDENTITY_KEYS.includes(key) && !context.perStepIdentity) {
      throw issue(
        [...path, key],
        `"${key}" is not supported on custom command steps`,
        key === "identity" ? "set identity: on the command" : "pass the stack as a flag",
      );
    }
    if (STEP_KEYS.includes(key)) {
      throw issue([...path, key], `"${key}" is not used by ${type} steps`, "remove it");
    }
    throw issue(
      [...path, key],
      `unknown key "${key}"${didYouMean(key, allowed)}`,
      `keys of ${type} steps: ${allowed.join(", ")}`,
    );
  }
}

function commandStep(
  raw: Record<string, unknown>,
  base: StepBase & { type: CommandType },
  issue: Issue,
): CommandStep {
  const { path } = base;
  const command = optionalString(raw, "command", path, issue);
  if (command === undefined || command.trim() === "") {
    throw issue(path, "the step has no command", "add command: <atmos arguments or shell script>");
  }
  const output = optionalString(raw, "output", path, issue);
  if (output !== undefined && !["raw", "none", "log"].includes(output)) {
    throw issue(
      [...path, "output"],
      `output "${output}" is not supported by this atmos`,
      "use raw (the default: output as it comes) or none (not shown)",
    );
  }
  let retry: RetryPolicy | undefined;
  if (raw.retry !== undefined && raw.retry !== null) {
    if (!isRecord(raw.retry)) throw issue([...path, "retry"], "retry must be a map");
    retry = parseRetry(
      raw.retry,
      (key, message, hint) => issue([...path, "retry", ...(key ? [key] : [])], message, hint),
    );
  }
  return {
    ...base,
    command,
    stack: optionalString(raw, "stack", path, issue) || undefined,
    identity: optionalString(raw, "identity", path, issue) || undefined,
    workingDirectory: optionalString(raw, "working_directory", path, issue) || undefined,
    env: stringMap(raw.env, [...path, "env"], issue, "env"),
    retry,
    quiet: output === "none",
    needs: stringList(raw.needs, [...path, "needs"], issue, "needs"),
  };
}

function envFields(raw: Record<string, unknown>, path: Path, issue: Issue) {
  const vars = stringMap(raw.vars, [...path, "vars"], issue, "vars");
  if (Object.keys(vars).length === 0) {
    throw issue(
      raw.vars === undefined ? path : [...path, "vars"],
      "an env step needs vars: NAME: value",
    );
  }
  const exported = raw.export;
  if (exported !== undefined && exported !== null && typeof exported !== "boolean") {
    throw issue([...path, "export"], "export must be true or false");
  }
  return { vars, export: exported !== false };
}

function promptFields(raw: Record<string, unknown>, type: PromptType, path: Path, issue: Issue) {
  const prompt = optionalString(raw, "prompt", path, issue);
  if (prompt === undefined || prompt.trim() === "") {
    throw issue(path, `a ${type} step needs prompt: <question>`);
  }
  const options = stringList(raw.options, [...path, "options"], issue, "options");
  if (type === "choose" && options.length === 0) {
    throw issue(
      raw.options === undefined ? path : [...path, "options"],
      "a choose step needs options: [a, b, …]",
    );
  }
  const password = raw.password;
  if (password !== undefined && password !== null && typeof password !== "boolean") {
    throw issue([...path, "password"], "password must be true or false");
  }
  return {
    prompt,
    options,
    default: scalar(raw.default, [...path, "default"], issue, "default"),
    placeholder: optionalString(raw, "placeholder", path, issue),
    password: password === true,
  };
}

function controlStep(
  raw: Record<string, unknown>,
  base: StepBase & { type: ControlType },
  issue: Issue,
  context: StepContext,
): ControlStep {
  const { path, name } = base;
  if (!Array.isArray(raw.steps) || raw.steps.length === 0) {
    throw issue(
      raw.steps === undefined ? path : [...path, "steps"],
      `a ${base.type} step needs steps: to run`,
      "add at least one shell or atmos step under steps:",
    );
  }
  const children = raw.steps.map((item, i) => {
    const child = parseStep(item, [...path, "steps", i], i, issue, context, name);
    if (child.type !== "shell" && child.type !== "atmos") {
      throw issue(
        [...path, "steps", i, "type"],
        `a ${child.type} step cannot run inside ${base.type} step "${name}"`,
        "steps inside parallel and matrix steps are shell or atmos steps",
      );
    }
    return child;
  });
  checkNeeds(children, [...path, "steps"], issue);
  const concurrency = raw.max_concurrency ?? 0;
  if (!Number.isInteger(concurrency) || (concurrency as number) < 0) {
    throw issue(
      [...path, "max_concurrency"],
      "max_concurrency must be a whole number (0: no limit)",
    );
  }
  const steps = base.type === "matrix"
    ? expandChildren(children, matrixAxes(raw.matrix, [...path, "matrix"], issue), name)
    : children;
  return {
    ...base,
    steps,
    maxConcurrency: concurrency as number,
    fail: failPolicy(raw.fail, [...path, "fail"], issue),
    output: groupOutput(raw.output, [...path, "output"], issue),
    identity: optionalString(raw, "identity", path, issue) || undefined,
    stack: optionalString(raw, "stack", path, issue) || undefined,
  };
}

/** One copy of the children per combination; without `needs`, a row runs in order. */
function expandChildren(
  children: CommandStep[],
  axes: Record<string, string[]>,
  parent: string,
): CommandStep[] {
  return expandMatrix(axes).flatMap((row) => {
    const named = (child: string) => matrixStepName(parent, row, child);
    return children.map((child, i) => ({
      ...child,
      name: named(child.name),
      needs: child.needs.length > 0
        ? child.needs.map(named)
        : i > 0
        ? [named(children[i - 1].name)]
        : [],
      matrix: row,
    }));
  });
}

function matrixAxes(raw: unknown, path: Path, issue: Issue): Record<string, string[]> {
  if (!isRecord(raw) || Object.keys(raw).length === 0) {
    throw issue(path, "a matrix step needs matrix: with at least one axis, e.g. { os: [a, b] }");
  }
  const axes: Record<string, string[]> = {};
  for (const [axis, values] of Object.entries(raw)) {
    if (axis.trim() === "") throw issue(path, "a matrix axis has an empty name");
    const list = stringList(values, [...path, axis], issue, `matrix axis "${axis}"`);
    if (list.length === 0) {
      throw issue([...path, axis], `matrix axis "${axis}" needs at least one value`);
    }
    axes[axis] = list;
  }
  return axes;
}

function failPolicy(raw: unknown, path: Path, issue: Issue): FailPolicy {
  if (raw === undefined || raw === null) return { mode: "wait_all", maxFailures: 0 };
  if (!isRecord(raw)) throw issue(path, "fail must be a map with mode: and max_failures:");
  for (const key of Object.keys(raw)) {
    if (key !== "mode" && key !== "max_failures") {
      throw issue([...path, key], `unknown key "${key}"`, "keys of fail: mode, max_failures");
    }
  }
  const mode = raw.mode ?? "wait_all";
  if (!FAIL_MODES.includes(mode as FailPolicy["mode"])) {
    throw issue(
      [...path, "mode"],
      `fail mode "${String(mode)}" is not supported${didYouMean(String(mode), FAIL_MODES)}`,
      `use one of: ${FAIL_MODES.join(", ")}`,
    );
  }
  const max = raw.max_failures ?? 0;
  if (!Number.isInteger(max) || (max as number) < 0) {
    throw issue([...path, "max_failures"], "max_failures must be a whole number (0: no limit)");
  }
  return { mode: mode as FailPolicy["mode"], maxFailures: max as number };
}

function groupOutput(raw: unknown, path: Path, issue: Issue): GroupOutput {
  const out: GroupOutput = {
    mode: "grouped",
    order: "completion",
    showSummary: true,
  };
  if (raw === undefined || raw === null) return out;
  const fields = typeof raw === "string" ? { mode: raw } : raw;
  if (!isRecord(fields)) {
    throw issue(path, "output must be a mode (grouped, prefixed, none) or a map");
  }
  for (const [key, value] of Object.entries(fields)) {
    const at = typeof raw === "string" ? path : [...path, key];
    if (key === "mode" || key === "order") {
      const choices: readonly string[] = key === "mode" ? OUTPUT_MODES : OUTPUT_ORDERS;
      if (typeof value !== "string" || !choices.includes(value)) {
        throw issue(
          at,
          `output ${key} "${String(value)}" is not supported`,
          `use one of: ${choices.join(", ")}`,
        );
      }
      if (key === "mode") out.mode = value as GroupOutput["mode"];
      else out.order = value as GroupOutput["order"];
    } else if (key === "show_summary") {
      if (typeof value !== "boolean") throw issue(at, "show_summary must be true or false");
      out.showSummary = value;
    } else if (key === "prefix") {
      if (typeof value !== "string") throw issue(at, "prefix must be a string");
      out.prefix = value;
    } else {
      throw issue(at, `unknown key "${key}"`, "keys of output: mode, order, show_summary, prefix");
    }
  }
  return out;
}

function checkNeeds(children: CommandStep[], path: Path, issue: Issue): void {
  const names = new Map(children.map((child, i) => [child.name, i]));
  children.forEach((child, i) => {
    child.needs.forEach((need, j) => {
      if (!names.has(need)) {
        throw issue(
          [...path, i, "needs", j],
          `step "${child.name}" needs "${need}", which is not a step of this group${
            didYouMean(need, names.keys())
          }`,
        );
      }
    });
  });
  const state = new Map<string, "visiting" | "done">();
  const visit = (name: string): void => {
    if (state.get(name) === "done") return;
    const index = names.get(name)!;
    if (state.get(name) === "visiting") {
      throw issue(
        [...path, index, "needs"],
        `steps needing each other in a cycle, including "${name}"`,
      );
    }
    state.set(name, "visiting");
    for (const need of children[index].needs) visit(need);
    state.set(name, "done");
  };
  for (const child of children) visit(child.name);
}

function checkUniqueNames(steps: Step[], issue: Issue): void {
  const seen = new Map<string, Path>();
  const check = (step: Step) => {
    const first = seen.get(step.name);
    if (first !== undefined) {
      throw issue(
        [...step.path, "name"],
        `step name "${step.name}" is already used (at ${first.join(".")})`,
        "step names must be unique: --from-step and {{ .steps.<name> }} find steps by name",
      );
    }
    seen.set(step.name, step.path);
  };
  for (const step of steps) {
    check(step);
    if (step.type === "parallel" || step.type === "matrix") step.steps.forEach(check);
  }
}

function optionalString(
  raw: Record<string, unknown>,
  key: string,
  path: Path,
  issue: Issue,
): string | undefined {
  const value = raw[key];
  if (value === undefined || value === null) return undefined;
  if (typeof value !== "string") throw issue([...path, key], `"${key}" must be a string`);
  return value;
}

function scalar(value: unknown, path: Path, issue: Issue, what: string): string | undefined {
  if (value === undefined || value === null) return undefined;
  if (typeof value === "object") throw issue(path, `${what} must be a string, number or boolean`);
  return String(value);
}

function stringMap(
  raw: unknown,
  path: Path,
  issue: Issue,
  what: string,
): Record<string, string> {
  if (raw === undefined || raw === null) return {};
  if (!isRecord(raw)) throw issue(path, `${what} must be a map of NAME: value`);
  const out: Record<string, string> = {};
  for (const [key, value] of Object.entries(raw)) {
    out[key] = scalar(value, [...path, key], issue, `${what} value of ${key}`) ?? "";
  }
  return out;
}

function stringList(raw: unknown, path: Path, issue: Issue, what: string): string[] {
  if (raw === undefined || raw === null) return [];
  if (!Array.isArray(raw)) throw issue(path, `${what} must be a list`);
  return raw.map((item, i) => scalar(item, [...path, i], issue, `each of ${what}`) ?? "");
}
