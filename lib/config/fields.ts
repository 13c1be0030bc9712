/**
 * Plain-data descriptions of settings sections of atmos.yaml: the keys atmos reads and the
 * type of each value. The JSON Schema is generated from them.
 *
 * - Open sections (`stacks:`, `workflows:`): the readers' tests check that every key they read
 *   is listed; other keys are allowed (Atmos knows many more) and ignored.
 * - Closed sections (a kind's `spec`, `principal`, `credentials`): {@linkcode checkFields}
 *   reports every unknown key (with a near-name suggestion) and every value of the wrong
 *   type, located, before the kind's own checks run.
 *
 * @module
 */
import { didYouMean } from "./suggest.ts";

/**
 * The type of one settings value, or a nested table:
 * - `string`, `boolean`, `map` (any map), `integer`;
 * - `string[]`: a list of strings, or one string (open sections' readers accept both);
 * - `strings`: a list of strings only;
 * - `scalar`: a string or a number (an id written either way, e.g. an account id);
 * - `duration`: a Go duration string (`1h30m`) or a number of seconds;
 * - `{ oneOf: [...] }`: one of the given strings.
 */
export type FieldType =
  | "string"
  | "boolean"
  | "string[]"
  | "strings"
  | "map"
  | "integer"
  | "scalar"
  | "duration"
  | { readonly oneOf: readonly string[] }
  | FieldTable;

/** Keys of a settings section and their value types. */
export interface FieldTable {
  readonly [key: string]: FieldType;
}

/** Builds one located problem below the checked section (`sub` is relative to it). */
export type FieldIssue<E> = (sub: (string | number)[], message: string, hint?: string) => E;

/**
 * Checks a closed section against its table: unknown keys and wrong types, each one located
 * problem. An absent or `null` section, and `null` values, are fine (YAML's "no value").
 *
 * @param name the section's name for messages (e.g. `principal`).
 */
export function checkFields<E>(
  value: unknown,
  table: FieldTable,
  name: string,
  issue: FieldIssue<E>,
): E[] {
  if (value === undefined || value === null) return [];
  if (!isMap(value)) return [issue([], `"${name}" must be a map, not ${typeName(value)}`)];
  const problems: E[] = [];
  const allowed = Object.keys(table);
  for (const [key, field] of Object.entries(value)) {
    const type = Object.hasOwn(table, key) ? table[key] : undefined;
    if (type === undefined) {
      problems.push(issue(
        [key],
        `unknown ${name} field "${key}"${didYouMean(key, allowed)}`,
        allowed.length > 0 ? `allowed: ${allowed.join(", ")}` : `${name} takes no fields`,
      ));
      continue;
    }
    if (field === null || field === undefined) continue;
    if (isTable(type)) {
      problems.push(
        ...checkFields(
          field,
          type,
          key,
          (sub, message, hint) => issue([key, ...sub], message, hint),
        ),
      );
      continue;
    }
    const wrong = typeProblem(field, type);
    if (wrong) problems.push(issue([key], `"${key}" must be ${wrong}, not ${typeName(field)}`));
    else if (Array.isArray(field)) {
      field.forEach((item, i) => {
        if (typeof item !== "string") {
          problems.push(issue([key, i], `"${key}" entries must be strings, not ${typeName(item)}`));
        }
      });
    }
  }
  return problems;
}

/** Describes a value's type for messages without echoing the value (it may be a secret). */
export function typeName(value: unknown): string {
  if (value === null || value === undefined) return "empty";
  if (Array.isArray(value)) return "a list";
  if (isMap(value)) return "a map";
  if (typeof value === "string") return "a string";
  if (typeof value === "number") return "a number";
  if (typeof value === "boolean") return "a boolean";
  return typeof value;
}

/** What `value` should have been, or undefined when it fits `type`. */
function typeProblem(value: unknown, type: Exclude<FieldType, FieldTable>): string | undefined {
  if (typeof type === "object") {
    return typeof value === "string" && type.oneOf.includes(value)
      ? undefined
      : `one of ${type.oneOf.map((v) => `"${v}"`).join(", ")}`;
  }
  switch (type) {
    case "string":
      return typeof value === "string" ? undefined : "a string";
    case "boolean":
      return typeof value === "boolean" ? undefined : "true or false";
    case "map":
      return isMap(value) ? undefined : "a map";
    case "integer":
      return Number.isInteger(value) ? undefined : "a whole number";
    case "scalar":
      return typeof value === "string" || typeof value === "number" ? undefined : "a string";
    case "duration":
      return typeof value === "string" || (typeof value === "number" && value >= 0)
        ? undefined
        : "a duration such as 1h or a number of seconds";
    case "strings":
      return Array.isArray(value) ? undefined : "a list of strings";
    case "string[]":
      return Array.isArray(value) || typeof value === "string"
        ? undefined
        : "a string or a list of strings";
  }
}

/** True for a nested table (as opposed to a type name or a `oneOf`). */
export function isTable(type: FieldType): type is FieldTable {
  return typeof type === "object" && !("oneOf" in type && Array.isArray(type.oneOf));
}

function isMap(value: unknown): value is Record<string, unknown> {
  return typeof value === "object" && value !== null && !Array.isArray(value);
}
