/**
 * The validation/authentication invariant (invariant.ts) over every fixture `atmos.yaml` under
 * tests/ (the e2e sandboxes check theirs through the harness).
 */
import { dirname, join, relative } from "node:path";
import { fileURLToPath } from "node:url";
import { assertAuthInvariant } from "./invariant.ts";

const TESTS = fileURLToPath(new URL("../", import.meta.url));
const NAMES = new Set(["atmos.yaml", "atmos.yml", ".atmos.yaml"]);

async function fixtureConfigs(dir: string, out: string[] = []): Promise<string[]> {
  for await (const entry of Deno.readDir(dir)) {
    const path = join(dir, entry.name);
    if (entry.isDirectory && entry.name !== "node_modules") await fixtureConfigs(path, out);
    else if (entry.isFile && NAMES.has(entry.name)) out.push(path);
  }
  return out.sort();
}

Deno.test("every fixture atmos.yaml that validates builds every chain, and one that does not makes no call", async () => {
  const files = await fixtureConfigs(TESTS);
  if (files.length < 10) throw new Error(`expected the fixture configs, found ${files.length}`);
  for (const file of files) {
    await assertAuthInvariant({
      cwd: dirname(file),
      configFile: file,
      env: { HOME: "/nonexistent-home" },
      label: relative(TESTS, file),
    });
  }
});
