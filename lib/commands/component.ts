/**
 * `component_config`: the described component a custom command's templates see as
 * `.ComponentConfig` (atmos-workflows-commands.md §2.4–§2.5, §4.1), with `.Component` and
 * `.Stack` added for the spelling the Atmos announcement uses
 * (`{{ .ComponentConfig.Component }}`).
 *
 * @module
 */
import type { LoadedConfig } from "../config/load.ts";

/** What to describe. */
export interface ComponentRequest {
  component: string;
  stack: string;
  cwd: string;
  /** Environment for `!env` and `ATMOS_STACKS_*` (atmos's, plus atmos.yaml and command env). */
  env: Record<string, string>;
}

/**
 * Describes the component in the stack (`atmos describe component`), with `Component` and
 * `Stack` added.
 *
 * @throws {ConfigError} exit code 2 when the stack or component does not exist.
 */
export async function describeForCommand(
  loaded: LoadedConfig,
  request: ComponentRequest,
): Promise<Record<string, unknown>> {
  const { describeComponent } = await import("../stack/mod.ts");
  const described = await describeComponent(loaded, {
    component: request.component,
    stack: request.stack,
    cwd: request.cwd,
    env: { get: (name) => request.env[name] },
  });
  return withAliases(described);
}

/** Adds `Component` and `Stack` to a described component. */
export function withAliases(described: Record<string, unknown>): Record<string, unknown> {
  return {
    ...described,
    Component: described.component,
    Stack: described.atmos_stack ?? described.stack,
  };
}
