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

/** The tables of this build of atmos (every kind is loaded for its fields). */
export async function atmosSchemaTables(): Promise<SchemaTables> {
  await registry.loadAll();
  return {
    kinds: registry.kindLists(),
    kindFields: registry.fieldsByKind(),
    stacks: STACKS_FIELDS,
    workflows: WORKFLOWS_FIELDS,
    commands: COMMAND_TABLES,
  };
}

/** The schema as `atmos schema` prints it and the committed file holds it. */
export async function atmosSchemaText(): Promise<string> {
  return schemaText(buildAtmosSchema(await atmosSchemaTables()));
}
