/**
 * Gathers the tables the atmos.yaml JSON Schema is generated from: the auth kinds registry,
 * the stacks and workflows settings readers and the custom-command validator.
 *
 * @module
 */
import { buildAtmosSchema, type SchemaTables, schemaText } from "../../config/schema/build.ts";
import { registry } from "../../auth/registry/mod.ts";
import { STACKS_FIELDS, WORKFLOWS_FIELDS } from "../../stack/settings.ts";
import { COMMAND_TABLES } from "../../commands/schema.ts";

/** The tables of this build of atmos. */
export function atmosSchemaTables(): SchemaTables {
  return {
    kinds: registry.kindLists(),
    stacks: STACKS_FIELDS,
    workflows: WORKFLOWS_FIELDS,
    commands: COMMAND_TABLES,
  };
}

/** The schema as `atmos schema` prints it and the committed file holds it. */
export function atmosSchemaText(): string {
  return schemaText(buildAtmosSchema(atmosSchemaTables()));
}
