/** Shared helpers for the stack tests: fixtures, temporary projects, expected errors. */

import assert from "node:assert/strict";
import { dirname, join } from "node:path";
import { loadConfig, type LoadedConfig } from "../../lib/config/load.ts";
import type { EnvGetter } from "../../lib/config/yaml.ts";
import { AtmosError } from "../../lib/errors.ts";
import { describeComponent } from "../../lib/stack/mod.ts";
import { envOf, makeTree, removeTree } from "../config/helpers.ts";

export { envOf, makeTree, removeTree };

/** Absolute path of a fixture project under tests/stack/testdata. */
export function fixture(name: string): string {
  return join(dirname(new URL(import.meta.url).pathname), "testdata", name);
}

/** A loaded project: its configuration, directory and environment. */
export interface Project {
  loaded: LoadedConfig;
  cwd: string;
  env: EnvGetter;
}

/** Loads a project directory (a fixture or a temp tree) with a fixed environment. */
export async function openProject(
  dir: string,
  vars: Record<string, string> = {},
): Promise<Project> {
  const env = envOf({ ATMOS_GIT_ROOT_BASEPATH: "false", ...vars });
  return { loaded: await loadConfig({ cwd: dir, env }), cwd: dir, env };
}

/** A stacks project in a temp dir: `atmos.yaml` with the given stacks settings, plus files. */
export async function tempProject(
  files: Record<string, string>,
  stacks =
    'stacks:\n  base_path: stacks\n  included_paths: ["**/*"]\n  excluded_paths: ["catalog/**"]\n',
): Promise<string> {
  return await makeTree({ "atmos.yaml": `base_path: "./"\n${stacks}`, ...files });
}

/**
 * Describes component `c` in stack `dev` of a temporary project made of `files` (see
 * {@linkcode tempProject}), then removes the project.
 */
export async function describeIn(
  files: Record<string, string>,
  options: { stacks?: string; env?: Record<string, string>; processFunctions?: boolean } = {},
) {
  const dir = await tempProject(files, options.stacks);
  try {
    const project = await openProject(dir, options.env);
    return await describeComponent(project.loaded, {
      component: "c",
      stack: "dev",
      cwd: dir,
      env: project.env,
      processFunctions: options.processFunctions,
    });
  } finally {
    await removeTree(dir);
  }
}

/** Runs `fn` and returns the AtmosError it throws (failing when it does not throw one). */
export async function rejection(fn: () => Promise<unknown>): Promise<AtmosError> {
  try {
    await fn();
  } catch (error) {
    assert.ok(error instanceof AtmosError, `expected an AtmosError, got ${error}`);
    return error;
  }
  assert.fail("expected an error");
}

/** `file:line:col` of an error's location (file name only). */
export function where(error: AtmosError): string {
  const location = error.location;
  if (!location) return "";
  const file = location.file.split("/").pop();
  return `${file}:${location.line ?? "?"}:${location.column ?? "?"}`;
}

/** Runs `fn` and returns the AtmosError it throws synchronously. */
export function thrown(fn: () => unknown): AtmosError {
  try {
    fn();
  } catch (error) {
    assert.ok(error instanceof AtmosError, `expected an AtmosError, got ${error}`);
    return error;
  }
  assert.fail("expected an error");
}
