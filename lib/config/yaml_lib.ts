/**
 * Loads the `yaml` package as ES modules.
 *
 * Why not a plain `import "yaml"`: the package's `node` export is CommonJS, and loading it
 * through Deno's CommonJS layer costs ~35 ms at start-up; the package ships the same code as
 * ES modules (`browser/index.js`), which loads in ~5 ms. We find the package directory through
 * its one exported file subpath (`yaml/package.json`) and fall back to the normal import where
 * that does not resolve (e.g. in a bundle, where `yaml` is already inlined as ES modules).
 *
 * @module
 */

/** The `yaml` module namespace. */
export type YamlModule = typeof import("yaml");

/** Imports the `yaml` package, preferring its ES module build. */
export async function importYaml(): Promise<YamlModule> {
  let esmUrl: string | undefined;
  try {
    esmUrl = new URL("./browser/index.js", import.meta.resolve("yaml/package.json")).href;
  } catch {
    esmUrl = undefined;
  }
  if (esmUrl) {
    try {
      const mod = await import(esmUrl) as YamlModule;
      if (typeof mod.LineCounter === "function") return mod;
    } catch {
      // Fall through to the package's default entry.
    }
  }
  const mod = await import("yaml") as YamlModule & { default?: YamlModule };
  // A bundler may wrap the CommonJS build so that only `default` carries the exports.
  return typeof mod.LineCounter === "function" ? mod : mod.default ?? mod;
}
