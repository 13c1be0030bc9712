/**
 * `atmos schema`: prints the JSON Schema of atmos.yaml, generated from the tables the
 * validators and readers use (see lib/config/schema/build.ts). The builder and the tables load
 * only when the command runs.
 *
 * @module
 */
import type { CommandSpec } from "../command.ts";
import type { Runtime } from "../runtime.ts";

/** Builds `atmos schema`. */
export function schemaCommand(rt: Runtime): CommandSpec {
  return {
    name: "schema",
    summary: "Print the JSON Schema of atmos.yaml (for editor completion and validation)",
    description:
      "Prints the JSON Schema (draft-07) of the atmos.yaml sections atmos reads: auth, commands, workflows and stacks. The same schema is in the repository as lib/config/schema/atmos.schema.json. Point your editor at it, e.g. with a first line `# yaml-language-server: $schema=<path or URL>`.",
    examples: ["atmos schema > atmos.schema.json"],
    async run() {
      const { atmosSchemaText } = await import("./schema_run.ts");
      rt.out(await atmosSchemaText());
      return 0;
    },
  };
}
