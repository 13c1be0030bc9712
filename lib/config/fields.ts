/**
 * Plain-data descriptions of open settings sections of atmos.yaml (`stacks:`, `workflows:`):
 * the keys atmos reads and the type of each value. The JSON Schema is generated from them; the
 * readers' tests check that every key they read is listed. Other keys are allowed (Atmos
 * knows many more) and ignored.
 *
 * @module
 */

/** The type of one settings value, or a nested table. */
export type FieldType = "string" | "boolean" | "string[]" | "map" | FieldTable;

/** Keys of a settings section and their value types. */
export interface FieldTable {
  readonly [key: string]: FieldType;
}
