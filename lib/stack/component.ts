/**
 * Building one component's merged sections in one manifest (reference
 * atmos-workflows-commands.md §4.3 steps 5–8):
 *
 * - `vars`, `settings`, `env`, `auth`, `hooks`: globals → component type (`terraform:`) → base
 *   components (`component:` then `metadata.inherits`, in order, each through its own chain) →
 *   the component → its `overrides`;
 * - `providers` (terraform): type → bases → component → overrides;
 * - `command`, `backend_type`: the last non-empty value in the same order;
 * - `metadata`: inherited from bases (without `inherits` and `type`) unless
 *   `stacks.inherit.metadata: false`;
 * - `backend`: the merged `backend` map's entry for `backend_type`, with the s3/gcs/azurerm key
 *   defaults derived from the component name;
 * - `component`: `metadata.component`, else the base named by a top-level `component:` that is
 *   defined in the stack, else the Atmos component name (the Terraform directory).
 *
 * @module
 */
import { type Manifest, manifestIssue } from "./manifest.ts";
import { isSection, mergeAll, type Section, sectionAt } from "./merge.ts";
import type { ComponentType, StackSettings } from "./settings.ts";

/** The merged sections of a component plus what later steps need to know. */
export interface BuiltComponent {
  /** `vars`, `settings`, `env`, `auth`, `metadata`, `backend`, `component`, … */
  section: Section;
  /** Every base component visited, in merge order (for provenance). */
  bases: string[];
  /** True for `metadata.type: abstract`. */
  abstract: boolean;
}

/** Sections merged through the whole inheritance order. */
const MERGED_SECTIONS = ["vars", "settings", "env", "auth", "hooks"] as const;

interface Accumulated {
  sections: Record<string, Section>;
  metadata: Section;
  backend: Section;
  remoteStateBackend: Section;
  command: string;
  backendType: string;
  remoteStateBackendType: string;
  chain: string[];
  firstBase: string;
  bases: string[];
}

/** Component names of a type in a manifest, sorted. */
export function componentNames(manifest: Manifest, type: ComponentType): string[] {
  return Object.keys(sectionAt(sectionAt(manifest.config, "components"), type)).sort();
}

/** Builds the component's merged section; throws a located ConfigError on bad input. */
export function buildComponent(
  manifest: Manifest,
  type: ComponentType,
  name: string,
  settings: StackSettings,
): BuiltComponent {
  const config = manifest.config;
  const components = sectionAt(sectionAt(config, "components"), type);
  const here = ["components", type, name];
  const raw = components[name];
  if (!isSection(raw)) {
    throw manifestIssue(manifest, here, `component "${name}" must be a map`);
  }
  const typeSection = mapAt(manifest, config, [type]);
  const overrides = mapAt(manifest, raw, [...here, "overrides"], "overrides");
  const metadata = mapAt(manifest, raw, [...here, "metadata"], "metadata");
  const strategy = settings.listMergeStrategy;

  const acc = inherit(manifest, type, name, raw, metadata, components, settings);
  const baseName = componentDirectory(name, raw, metadata, acc);

  const section: Section = {};
  for (const key of MERGED_SECTIONS) {
    section[key] = mergeAll([
      mapAt(manifest, config, [key]),
      mapAt(manifest, typeSection, [type, key], key),
      acc.sections[key],
      mapAt(manifest, raw, [...here, key], key),
      mapAt(manifest, overrides, [...here, "overrides", key], key),
    ], strategy);
  }
  section.command = lastNonEmpty([
    settings.commands[type],
    stringAt(manifest, typeSection, [type, "command"]),
    acc.command,
    stringAt(manifest, raw, [...here, "command"], "command"),
    stringAt(manifest, overrides, [...here, "overrides", "command"], "command"),
  ]);
  section.inheritance = acc.chain;
  section.metadata = settings.inheritMetadata
    ? mergeAll([acc.metadata, metadata], strategy)
    : metadata;
  section.overrides = overrides;
  if (type === "terraform") {
    section.providers = mergeAll([
      mapAt(manifest, typeSection, [type, "providers"], "providers"),
      acc.sections.providers,
      mapAt(manifest, raw, [...here, "providers"], "providers"),
      mapAt(manifest, overrides, [...here, "overrides", "providers"], "providers"),
    ], strategy);
    Object.assign(
      section,
      backendSections(
        manifest,
        type,
        name,
        typeSection,
        raw,
        acc,
        baseName,
        section.metadata as Section,
      ),
    );
  }
  section.component = baseName;
  return { section, bases: acc.bases, abstract: metadata.type === "abstract" };
}

/** Applies `component:` and `metadata.inherits` bases, in order. */
function inherit(
  manifest: Manifest,
  type: ComponentType,
  name: string,
  raw: Section,
  metadata: Section,
  components: Section,
  settings: StackSettings,
): Accumulated {
  const acc: Accumulated = {
    sections: { vars: {}, settings: {}, env: {}, auth: {}, hooks: {}, providers: {} },
    metadata: {},
    backend: {},
    remoteStateBackend: {},
    command: "",
    backendType: "",
    remoteStateBackendType: "",
    chain: [],
    firstBase: "",
    bases: [],
  };
  const here = ["components", type, name];
  const visiting = new Set<string>();
  if (raw.component !== undefined && raw.component !== null) {
    if (typeof raw.component !== "string") {
      throw manifestIssue(manifest, [...here, "component"], "component must be a string");
    }
    applyBase(manifest, type, name, raw.component, components, acc, settings, visiting, false);
  }
  const inherits = metadata.inherits;
  if (inherits !== undefined && inherits !== null) {
    if (!Array.isArray(inherits) || inherits.some((item) => typeof item !== "string")) {
      throw manifestIssue(
        manifest,
        [...here, "metadata", "inherits"],
        "metadata.inherits must be a list of component names",
      );
    }
    inherits.forEach((base: string, i: number) => {
      if (!Object.hasOwn(components, base)) {
        throw manifestIssue(
          manifest,
          [...here, "metadata", "inherits", i],
          `component "${name}" inherits from "${base}", which is not defined in stack manifest "${manifest.name}"`,
          "define the base component in this manifest or one it imports",
        );
      }
      applyBase(manifest, type, name, base, components, acc, settings, visiting, true);
    });
  }
  return acc;
}

function applyBase(
  manifest: Manifest,
  type: ComponentType,
  component: string,
  base: string,
  components: Section,
  acc: Accumulated,
  settings: StackSettings,
  visiting: Set<string>,
  required: boolean,
): void {
  if (component === base) return;
  const key = `${component}\0${base}`;
  if (visiting.has(key)) {
    throw manifestIssue(
      manifest,
      ["components", type, component],
      `circular component inheritance: "${component}" → "${base}"`,
      "remove one of the inherits entries",
    );
  }
  const baseRaw = components[base];
  if (baseRaw === undefined) {
    if (required) {
      throw manifestIssue(
        manifest,
        ["components", type, component],
        `component "${component}" inherits from "${base}", which is not defined in stack manifest "${manifest.name}"`,
      );
    }
    return; // a top-level `component:` naming a Terraform directory, not a YAML component
  }
  const path = ["components", type, base];
  if (!isSection(baseRaw)) throw manifestIssue(manifest, path, `component "${base}" must be a map`);
  visiting.add(key);
  const baseMetadata = mapAt(manifest, baseRaw, [...path, "metadata"], "metadata");
  if (baseMetadata.type !== "abstract" && typeof baseRaw.component === "string") {
    applyBase(manifest, type, base, baseRaw.component, components, acc, settings, visiting, false);
  }
  const inherits = Array.isArray(baseMetadata.inherits) ? baseMetadata.inherits : [];
  for (const next of inherits) {
    if (typeof next !== "string") continue;
    applyBase(manifest, type, component, next, components, acc, settings, visiting, true);
  }
  const strategy = settings.listMergeStrategy;
  for (const section of Object.keys(acc.sections)) {
    acc.sections[section] = mergeAll(
      [acc.sections[section], mapAt(manifest, baseRaw, [...path, section], section)],
      strategy,
    );
  }
  if (settings.inheritMetadata) {
    const { inherits: _inherits, type: _type, ...inheritable } = baseMetadata;
    acc.metadata = mergeAll([acc.metadata, inheritable], strategy);
  }
  acc.backend = mergeAll([acc.backend, mapAt(manifest, baseRaw, [...path, "backend"], "backend")]);
  acc.remoteStateBackend = mergeAll([
    acc.remoteStateBackend,
    mapAt(manifest, baseRaw, [...path, "remote_state_backend"], "remote_state_backend"),
  ]);
  acc.command = stringAt(manifest, baseRaw, [...path, "command"], "command") || acc.command;
  acc.backendType = stringAt(manifest, baseRaw, [...path, "backend_type"], "backend_type") ||
    acc.backendType;
  acc.remoteStateBackendType = stringAt(
    manifest,
    baseRaw,
    [...path, "remote_state_backend_type"],
    "remote_state_backend_type",
  ) ||
    acc.remoteStateBackendType;
  if (acc.firstBase === "") acc.firstBase = base;
  acc.chain = [base, ...acc.chain.filter((item) => item !== base)];
  acc.bases.push(base);
  visiting.delete(key);
}

/** The Terraform directory name (see the module documentation). */
function componentDirectory(name: string, raw: Section, metadata: Section, acc: Accumulated) {
  if (typeof metadata.component === "string" && metadata.component !== "") {
    return metadata.component;
  }
  if (typeof raw.component === "string" && acc.firstBase !== "") return acc.firstBase;
  return name;
}

function backendSections(
  manifest: Manifest,
  type: ComponentType,
  name: string,
  typeSection: Section,
  raw: Section,
  acc: Accumulated,
  baseName: string,
  metadata: Section,
): Section {
  const here = ["components", type, name];
  const backendType = lastNonEmpty([
    stringAt(manifest, typeSection, [type, "backend_type"], "backend_type"),
    acc.backendType,
    stringAt(manifest, raw, [...here, "backend_type"], "backend_type"),
  ]);
  const backendMap = mergeAll([
    mapAt(manifest, typeSection, [type, "backend"], "backend"),
    acc.backend,
    mapAt(manifest, raw, [...here, "backend"], "backend"),
  ]);
  let backend: Section = {};
  if (backendType !== "") {
    const entry = backendMap[backendType];
    if (entry !== undefined && entry !== null && !isSection(entry)) {
      throw manifestIssue(manifest, [...here, "backend", backendType], "backend must be a map");
    }
    if (isSection(entry)) backend = { ...entry };
    else if (Object.keys(backendMap).length > 0) {
      throw manifestIssue(
        manifest,
        [...here, "backend_type"],
        `backend_type is "${backendType}" but backend only configures ${
          Object.keys(backendMap).sort().join(", ")
        }`,
        `add a "${backendType}" key under backend, or change backend_type`,
      );
    }
  }
  const keyName = (typeof metadata.name === "string" && metadata.name) || baseName || name;
  const prefix = keyName.replaceAll("/", "-");
  if (backendType === "s3" && !nonEmptyString(backend.workspace_key_prefix)) {
    backend.workspace_key_prefix = prefix;
  } else if (backendType === "gcs" && !nonEmptyString(backend.prefix)) {
    backend.prefix = prefix;
  } else if (backendType === "azurerm" && !nonEmptyString(backend.key)) {
    const globalKey = sectionAt(sectionAt(typeSection, "backend"), "azurerm").key;
    backend.key = [nonEmptyString(globalKey) ? globalKey : "", `${prefix}.terraform.tfstate`]
      .filter(Boolean).join("/");
  }
  const remoteType = lastNonEmpty([
    backendType,
    stringAt(
      manifest,
      typeSection,
      [type, "remote_state_backend_type"],
      "remote_state_backend_type",
    ),
    acc.remoteStateBackendType,
    stringAt(manifest, raw, [...here, "remote_state_backend_type"], "remote_state_backend_type"),
  ]);
  const remoteMap = mergeAll([
    backendType ? { [backendType]: backend } : {},
    mapAt(manifest, typeSection, [type, "remote_state_backend"], "remote_state_backend"),
    acc.remoteStateBackend,
    mapAt(manifest, raw, [...here, "remote_state_backend"], "remote_state_backend"),
  ]);
  const remote = remoteMap[remoteType];
  return {
    backend_type: backendType,
    backend,
    remote_state_backend_type: remoteType,
    remote_state_backend: isSection(remote) ? remote : {},
  };
}

/** The map at `key` of `parent` (`{}` when absent); a non-map is a located error. */
function mapAt(
  manifest: Manifest,
  parent: Section,
  path: (string | number)[],
  key: string = String(path[path.length - 1]),
): Section {
  const value = parent[key];
  if (value === undefined || value === null) return {};
  if (!isSection(value)) {
    throw manifestIssue(manifest, path, `"${key}" must be a map`);
  }
  return value;
}

function stringAt(
  manifest: Manifest,
  parent: Section,
  path: (string | number)[],
  key: string = String(path[path.length - 1]),
): string {
  const value = parent[key];
  if (value === undefined || value === null) return "";
  if (typeof value !== "string") throw manifestIssue(manifest, path, `"${key}" must be a string`);
  return value;
}

function lastNonEmpty(values: string[]): string {
  let out = "";
  for (const value of values) if (value) out = value;
  return out;
}

function nonEmptyString(value: unknown): value is string {
  return typeof value === "string" && value !== "";
}
