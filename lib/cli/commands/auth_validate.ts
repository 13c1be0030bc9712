/**
 * `atmos auth validate`: every problem in the `auth:` section, one line each, without any
 * network call.
 *
 * @module
 */
import type { CommandSpec } from "../command.ts";
import type { Runtime } from "../runtime.ts";
import { formatErrorLine } from "../../errors.ts";

/** Builds the `auth validate` command. */
export function authValidateCommand(rt: Runtime): CommandSpec {
  return {
    name: "validate",
    summary: "Check the auth configuration (kinds, via references, cycles, fields)",
    async run() {
      const manager = await rt.manager();
      const errors = manager.validate();
      if (errors.length === 0) {
        rt.err("✓ Authentication configuration is valid\n");
        return 0;
      }
      for (const error of errors) rt.err(`error: ${formatErrorLine(error)}\n`);
      rt.err(`✗ Authentication configuration has ${errors.length} problem(s)\n`);
      return 2;
    },
  };
}
