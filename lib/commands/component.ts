/**
 * `component_config`: the described component a custom command's templates see as
 * `.ComponentConfig` (atmos-workflows-commands.md §2.4–§2.5, §4.1), with `.Component` and
 * `.Stack` added for the spelling the Atmos announcement uses
 * (`{{ .ComponentConfig.Component }}`).
 *
 * @module
 */
import { AtmosError } from "../errors.ts";
import type { LoadedConfig } from "../config/load.ts";

/** What to describe. */
export interface ComponentRequest {
  component: string;
  stack: string;
  cwd: string;
  env: Record<string, string>;
}

/**
 * Describes the component in the stack.
 *
 * @throws {AtmosError} exit code 2: stacks are not supported by this build yet.
 */
export function describeForCommand(
  _loaded: LoadedConfig,
  request: ComponentRequest,
): Promise<Record<string, unknown>> {
  return Promise.reject(
    new AtmosError(
      `component_config needs stacks to describe component "${request.component}" in stack "${request.stack}", and this atmos has no stack support yet`,
      {
        exitCode: 2,
        hint: "remove component_config from the command, or use an atmos with stacks",
      },
    ),
  );
}

/** Adds `Component` and `Stack` to a described component. */
export function withAliases(described: Record<string, unknown>): Record<string, unknown> {
  return {
    ...described,
    Component: described.component,
    Stack: described.atmos_stack ?? described.stack,
  };
}
