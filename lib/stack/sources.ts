/**
 * Provenance of a component's `vars`, `settings`, `env` and `backend` keys (`sources` in
 * `describe component`) and the manifests the component depends on: `deps` (files that give a
 * final value) and `deps_all` (files that give any value, plus the manifest itself).
 *
 * For each top-level key, every layer that writes it in a section that feeds the component —
 * globals, `<type>.<section>`, base components, the component, `overrides` — is listed, most
 * significant first (section precedence, then file precedence), so `stack_dependencies[0]` is
 * where the final value comes from.
 *
 * @module
 */
import type { Manifest } from "./manifest.ts";
import { valueAt } from "./manifest.ts";
import { isSection, type Section } from "./merge.ts";
import type { ComponentType } from "./settings.ts";

/** One place a value is written. */
export interface StackDependency {
  dependency_type: "inline" | "import";
  stack_file: string;
  stack_file_section: string;
  variable_value: unknown;
}

/** Provenance of one key. */
export interface SourceEntry {
  final_value: unknown;
  name: string;
  stack_dependencies: StackDependency[];
}

/** `sources`, `deps` and `deps_all` of a component. */
export interface Provenance {
  sources: Record<string, Record<string, SourceEntry>>;
  deps: string[];
  deps_all: string[];
}

interface Candidate {
  path: string[];
  label: string;
  rank: number;
}

/** Computes provenance for the final section of component `name` with `bases`. */
export function provenance(
  manifest: Manifest,
  type: ComponentType,
  name: string,
  bases: string[],
  section: Section,
): Provenance {
  const sources: Provenance["sources"] = {};
  const deps = new Set<string>();
  const all = new Set<string>([manifest.name]);
  const backendType = typeof section.backend_type === "string" ? section.backend_type : "";
  // A base applied twice takes effect at its last application.
  const uniqueBases = bases.filter((base, i) => bases.lastIndexOf(base) === i);
  for (const key of ["vars", "settings", "env", "backend"]) {
    const final = isSection(section[key]) ? section[key] as Section : {};
    const candidates = key === "backend"
      ? backendCandidates(type, name, uniqueBases, backendType)
      : sectionCandidates(type, name, uniqueBases, key);
    const entries: Record<string, SourceEntry> = {};
    for (const variable of Object.keys(final).sort()) {
      const found: Array<StackDependency & { rank: number; layer: number }> = [];
      manifest.layers.forEach((layer, index) => {
        for (const candidate of candidates) {
          if (candidate.path.length === 0) continue;
          const value = valueAt(layer.file.value, [...candidate.path, variable]);
          if (value === undefined) continue;
          found.push({
            dependency_type: layer.inline ? "inline" : "import",
            stack_file: layer.file.name,
            stack_file_section: candidate.label,
            variable_value: value,
            rank: candidate.rank,
            layer: index,
          });
        }
      });
      found.sort((a, b) => b.rank - a.rank || b.layer - a.layer);
      // A file imported twice, or a base applied twice, counts once (where it matters most).
      const seen = new Set<string>();
      const dependencies = found.filter((d) => {
        const key = `${d.stack_file}\0${d.stack_file_section}`;
        if (seen.has(key)) return false;
        seen.add(key);
        return true;
      }).map(({ rank: _rank, layer: _layer, ...rest }) => rest);
      if (dependencies.length > 0) deps.add(dependencies[0].stack_file);
      for (const dependency of dependencies) all.add(dependency.stack_file);
      entries[variable] = {
        final_value: final[variable],
        name: variable,
        stack_dependencies: dependencies,
      };
    }
    sources[key] = entries;
  }
  return { sources, deps: [...deps].sort(), deps_all: [...all].sort() };
}

function sectionCandidates(
  type: ComponentType,
  name: string,
  bases: string[],
  key: string,
): Candidate[] {
  return [
    { path: [key], label: key, rank: 0 },
    { path: [type, key], label: `${type}.${key}`, rank: 1 },
    ...bases.map((base, i) => ({
      path: ["components", type, base, key],
      label: `components.${type}.${key}`,
      rank: 2 + i / (bases.length + 1),
    })),
    { path: ["components", type, name, key], label: `components.${type}.${key}`, rank: 3 },
    { path: ["overrides", key], label: `overrides.${key}`, rank: 4 },
    { path: [type, "overrides", key], label: `${type}.overrides.${key}`, rank: 5 },
  ];
}

function backendCandidates(
  type: ComponentType,
  name: string,
  bases: string[],
  backendType: string,
): Candidate[] {
  if (backendType === "") return [];
  return [
    { path: [type, "backend", backendType], label: `${type}.backend.${backendType}`, rank: 1 },
    ...bases.map((base, i) => ({
      path: ["components", type, base, "backend", backendType],
      label: `components.${type}.backend.${backendType}`,
      rank: 2 + i / (bases.length + 1),
    })),
    {
      path: ["components", type, name, "backend", backendType],
      label: `components.${type}.backend.${backendType}`,
      rank: 3,
    },
  ];
}
