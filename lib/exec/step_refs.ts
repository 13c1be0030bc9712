/**
 * Which steps' output a run's templates read. A command step's stdout/stderr is captured only
 * when some template reads it (`.steps.<name>.value`, `.stdout`, `.stderr`, …); every other step
 * keeps the terminal as its own stdout and stderr, so colours, progress bars and prompts of tools
 * such as terraform work as when run by hand. A reference the text does not spell out (`range
 * .steps`, `index .steps $name`, `$s := .steps`) captures every step.
 *
 * @module
 */
import type { Step } from "./step_spec.ts";

/** Every template text of the steps, with where it is (for reference scans and checks). */
export function templateTexts(steps: readonly Step[]): { text: string; where: string }[] {
  const out: { text: string; where: string }[] = [];
  const add = (step: Step, field: string, text: string | undefined) => {
    if (text !== undefined) out.push({ text, where: `${step.path.join(".")}.${field}` });
  };
  const visit = (step: Step) => {
    switch (step.type) {
      case "env":
        for (const [k, v] of Object.entries(step.vars)) add(step, `vars.${k}`, v);
        break;
      case "input":
      case "choose":
      case "confirm":
        add(step, "prompt", step.prompt);
        add(step, "default", step.default);
        add(step, "placeholder", step.placeholder);
        step.options.forEach((o, i) => add(step, `options.${i}`, o));
        break;
      case "parallel":
      case "matrix":
        add(step, "output.prefix", step.output.prefix);
        step.steps.forEach(visit);
        break;
      default:
        add(step, "command", step.command);
        add(step, "stack", step.stack);
        add(step, "working_directory", step.workingDirectory);
        for (const [k, v] of Object.entries(step.env)) add(step, `env.${k}`, v);
    }
  };
  steps.forEach(visit);
  return out;
}

/** The streams to capture, by step name. */
export interface CaptureNeeds {
  all: boolean;
  stdout: Set<string>;
  stderr: Set<string>;
}

const DOTTED = /\.steps\.([\p{L}_][\p{L}\p{Nd}_]*)(?:\.([\p{L}_][\p{L}\p{Nd}_]*))?/gu;
const INDEXED =
  /index\s+\$?\.steps\s+"((?:[^"\\]|\\.)*)"(?:\s*\)\s*\.([\p{L}_][\p{L}\p{Nd}_]*))?/gu;
const ANY = /\.steps\b/g;

/** Fields that need stdout, stderr or neither. */
const STDOUT_FIELDS = new Set(["value", "values", "stdout"]);
const STDERR_FIELDS = new Set(["stderr", "error"]);

/** Scans template texts for step-output references. */
export function captureNeeds(texts: Iterable<string>): CaptureNeeds {
  const needs: CaptureNeeds = { all: false, stdout: new Set(), stderr: new Set() };
  for (const text of texts) {
    if (!text.includes("{{") || !text.includes(".steps")) continue;
    let spelled = 0;
    for (const match of text.matchAll(DOTTED)) {
      spelled++;
      add(needs, match[1], match[2]);
    }
    for (const match of text.matchAll(INDEXED)) {
      spelled++;
      add(needs, match[1].replace(/\\(.)/g, "$1"), match[2]);
    }
    if ((text.match(ANY)?.length ?? 0) > spelled) needs.all = true;
  }
  return needs;
}

/** Which streams of step `name` to capture. */
export function streamsToCapture(
  needs: CaptureNeeds,
  name: string,
): { stdout: boolean; stderr: boolean } {
  if (needs.all) return { stdout: true, stderr: true };
  return { stdout: needs.stdout.has(name), stderr: needs.stderr.has(name) };
}

function add(needs: CaptureNeeds, name: string, field: string | undefined): void {
  if (field === undefined || STDOUT_FIELDS.has(field)) needs.stdout.add(name);
  if (field === undefined || STDERR_FIELDS.has(field)) needs.stderr.add(name);
}

/**
 * Whether any template reads the environment (`.env`, `.Env` or the `env` function): only then
 * can a rendered value carry a secret the configuration read from it, and only then does the
 * caller need to load the configuration's secrets to mask them.
 */
export function templatesReadEnv(texts: Iterable<string>): boolean {
  for (const text of texts) {
    if (text.includes("{{") && /\.env\b|\.Env\b|\benv\s/.test(text)) return true;
  }
  return false;
}
