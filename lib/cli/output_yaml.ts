/**
 * YAML output, kept out of `output.ts` so that commands printing tables or JSON never load the
 * YAML library.
 *
 * @module
 */
import { importYaml } from "../config/yaml_lib.ts";

/** Renders a value as a YAML document (2-space indentation, trailing newline). */
export async function toYaml(value: unknown): Promise<string> {
  const Y = await importYaml();
  return Y.stringify(value, { indent: 2, lineWidth: 0 });
}
