/**
 * Shapes of Google identifiers, for the kinds' configuration checks (each shape function returns
 * what is wrong, for the message, or undefined), and the checks of string and list settings that
 * report them located.
 *
 * @module
 */
import type { FieldIssue } from "../config/fields.ts";
import { stringAt } from "../config/values.ts";

/** The longest token lifetime IAM grants (with the organisation policy that allows it). */
export const MAX_LIFETIME_SECONDS = 12 * 3600;

const SERVICE_ACCOUNT_EMAIL = /^[a-z0-9][a-z0-9._-]*@[a-z0-9][a-z0-9.-]*\.gserviceaccount\.com$/;
const PROJECT_ID = /^[a-z][a-z0-9-]{4,28}[a-z0-9]$/;
const POOL_OR_PROVIDER_ID = /^[a-z0-9][a-z0-9-]{2,30}[a-z0-9]$/;
const LOCATION = /^[a-z][a-z0-9-]*[a-z0-9]$/;

/** A service account's e-mail (`name@project.iam.gserviceaccount.com`, or Google's own). */
export function emailProblem(value: string): string | undefined {
  return SERVICE_ACCOUNT_EMAIL.test(value)
    ? undefined
    : `"${value}" is not a service account e-mail (name@project.iam.gserviceaccount.com)`;
}

/** A project id: 6 to 30 lower-case letters, digits and hyphens, starting with a letter. */
export function projectProblem(value: string): string | undefined {
  return PROJECT_ID.test(value)
    ? undefined
    : `"${value}" is not a project id (6 to 30 lower-case letters, digits and hyphens, starting with a letter)`;
}

/** A project number: digits. */
export function projectNumberProblem(value: string): string | undefined {
  return /^\d{1,20}$/.test(value) ? undefined : `"${value}" is not a project number (digits)`;
}

/** A workload identity pool or provider id: 4 to 32 lower-case letters, digits and hyphens. */
export function poolIdProblem(value: string): string | undefined {
  return POOL_OR_PROVIDER_ID.test(value)
    ? undefined
    : `"${value}" is not a workload identity pool or provider id (4 to 32 lower-case letters, digits and hyphens)`;
}

/** A region, zone or location name (`us-central1`, `us-central1-a`). */
export function locationProblem(value: string): string | undefined {
  return LOCATION.test(value) ? undefined : `"${value}" is not a region or zone name`;
}

/** An OAuth scope URL. */
export function scopeProblem(value: string): string | undefined {
  return /^https:\/\/\S+$/.test(value) || /^[a-z][\w.-]*$/.test(value)
    ? undefined
    : `"${value}" is not an OAuth scope (e.g. https://www.googleapis.com/auth/cloud-platform)`;
}

/** One string setting to check. */
export interface SettingCheck {
  key: string;
  shape: (value: string) => string | undefined;
  /** When set, the setting is required and this is how to fill it in. */
  required?: string;
}

/**
 * Checks string settings of a section (`spec` or `principal`): missing required ones, then each
 * value's shape; one located problem each, through `issue`.
 */
export function settingProblems<E>(
  settings: Record<string, unknown> | undefined,
  section: string,
  checks: readonly SettingCheck[],
  issue: FieldIssue<E>,
): E[] {
  const problems: E[] = [];
  for (const check of checks) {
    const value = stringAt(settings, check.key);
    if (value === undefined) {
      if (check.required !== undefined) {
        problems.push(
          issue([section, check.key], `${section}.${check.key} is required`, check.required),
        );
      }
      continue;
    }
    const wrong = check.shape(value);
    if (wrong) problems.push(issue([section, check.key], wrong));
  }
  return problems;
}

/** Checks every entry of a list setting (or a single string) with `shape`. */
export function listProblems<E>(
  settings: Record<string, unknown> | undefined,
  section: string,
  key: string,
  shape: (value: string) => string | undefined,
  issue: FieldIssue<E>,
): E[] {
  const value = settings?.[key];
  const list = Array.isArray(value) ? value : typeof value === "string" ? [value] : [];
  return list.flatMap((entry, i) => {
    const wrong = shape(String(entry));
    return wrong ? [issue([section, key, ...(Array.isArray(value) ? [i] : [])], wrong)] : [];
  });
}
