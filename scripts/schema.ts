/**
 * `deno task schema`: writes lib/config/schema/atmos.schema.json from the validators' tables
 * (the same text `atmos schema` prints). `--check` only compares and exits 1 when the
 * committed file is out of date.
 *
 * @module
 */
import { join } from "node:path";
import { ROOT } from "../tests/e2e/harness.ts";
import { atmosSchemaText } from "../lib/cli/commands/schema_run.ts";

/** The committed schema file. */
export const SCHEMA_FILE = join(ROOT, "lib", "config", "schema", "atmos.schema.json");

async function main(): Promise<number> {
  const text = await atmosSchemaText();
  if (Deno.args.includes("--check")) {
    const committed = await Deno.readTextFile(SCHEMA_FILE).catch(() => "");
    if (committed === text) return 0;
    console.error(`schema: ${SCHEMA_FILE} is out of date; run deno task schema`);
    return 1;
  }
  await Deno.writeTextFile(SCHEMA_FILE, text);
  console.log(`wrote ${SCHEMA_FILE}`);
  return 0;
}

if (import.meta.main) Deno.exit(await main());
