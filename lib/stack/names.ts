/**
 * Stack names and Terraform workspaces (reference atmos-workflows-commands.md §4.4).
 *
 * A component's stack name, highest first: the manifest's `name:`, `stacks.name_template`
 * rendered against the component section, `stacks.name_pattern` (`{tenant}-{environment}-…`
 * from `vars`), the manifest's path without extension.
 *
 * Workspace: `metadata.terraform_workspace_template` > `metadata.terraform_workspace_pattern` >
 * `metadata.terraform_workspace` > the stack prefix (for a component that is its own Terraform
 * directory) > `<prefix>-<atmos component>`; `/` becomes `-`.
 *
 * @module
 */
import { AtmosError, ConfigError } from "../errors.ts";
import type { Manifest } from "./manifest.ts";
import { isSection, type Section } from "./merge.ts";
import type { StackSettings } from "./settings.ts";
import { renderTemplate } from "./template.ts";

const PATTERN_TOKENS = ["namespace", "tenant", "environment", "stage"];

/** The manifest's own `name:`, when set. */
export function manifestName(manifest: Manifest): string | undefined {
  const name = manifest.config.name;
  return typeof name === "string" && name.trim() !== "" ? name.trim() : undefined;
}

/** The stack name of a component section in a manifest. */
export function stackName(manifest: Manifest, section: Section, settings: StackSettings): string {
  return manifestName(manifest) ?? nameFromSettings(manifest, section, settings) ?? manifest.name;
}

function nameFromSettings(
  manifest: Manifest,
  section: Section,
  settings: StackSettings,
): string | undefined {
  if (settings.nameTemplate) {
    try {
      return renderTemplate(settings.nameTemplate, section, {
        name: "stacks.name_template",
        env: settings.env,
      })
        .trim();
    } catch (error) {
      throw new ConfigError(
        `cannot name the stack of manifest "${manifest.name}": ${errorText(error)}`,
        {
          hint: "every component must define the values stacks.name_template uses",
          location: { file: manifest.file.shown },
        },
      );
    }
  }
  if (settings.namePattern) {
    const name = fromPattern(settings.namePattern, section);
    if (name.missing) {
      throw new ConfigError(
        `cannot name the stack of manifest "${manifest.name}": stacks.name_pattern "${settings.namePattern}" needs vars.${name.missing}`,
        {
          hint: `define vars.${name.missing} in the manifest or its imports`,
          location: { file: manifest.file.shown },
        },
      );
    }
    return name.value;
  }
  return undefined;
}

/** Renders a `{token}-{token}` pattern from `vars`; reports the first missing token. */
function fromPattern(pattern: string, section: Section): { value: string; missing?: string } {
  const vars = isSection(section.vars) ? section.vars : {};
  const parts: string[] = [];
  for (const part of pattern.split("-")) {
    const token = /^\{(\w+)\}$/.exec(part)?.[1];
    if (token && PATTERN_TOKENS.includes(token)) {
      const value = vars[token];
      if (typeof value !== "string" && typeof value !== "number") {
        return { value: "", missing: token };
      }
      if (String(value) === "") return { value: "", missing: token };
      parts.push(String(value));
    } else parts.push(part);
  }
  return { value: parts.join("-") };
}

/** The base component for workspace purposes: "" when the component is its own directory. */
export function baseComponentOf(atmosComponent: string, section: Section): string {
  const metadata = isSection(section.metadata) ? section.metadata : {};
  let base = typeof section.component === "string" ? section.component : "";
  if (typeof metadata.component === "string" && metadata.component !== "") {
    base = metadata.component;
  }
  return base === atmosComponent ? "" : base;
}

/** The Terraform workspace of a component in a stack. */
export function workspaceName(
  manifest: Manifest,
  atmosComponent: string,
  section: Section,
  stack: string,
  settings: StackSettings,
): string {
  if (!settings.workspacesEnabled) return "default";
  const prefix = manifestName(manifest) ?? prefixFromSettings(section, stack, settings);
  const metadata = isSection(section.metadata) ? section.metadata : {};
  const base = baseComponentOf(atmosComponent, section);
  let workspace: string;
  if (typeof metadata.terraform_workspace_template === "string") {
    workspace = renderTemplate(metadata.terraform_workspace_template, section, {
      name: "metadata.terraform_workspace_template",
      env: settings.env,
    });
  } else if (typeof metadata.terraform_workspace_pattern === "string") {
    workspace = replaceTokens(metadata.terraform_workspace_pattern, section, atmosComponent, base);
  } else if (typeof metadata.terraform_workspace === "string") {
    workspace = metadata.terraform_workspace;
  } else if (base === "") {
    workspace = prefix;
  } else {
    workspace = `${prefix}-${atmosComponent}`;
  }
  return workspace.replaceAll("/", "-");
}

function prefixFromSettings(section: Section, stack: string, settings: StackSettings): string {
  if (settings.nameTemplate) {
    return renderTemplate(settings.nameTemplate, section, {
      name: "stacks.name_template",
      env: settings.env,
    }).trim();
  }
  if (settings.namePattern) {
    const name = fromPattern(settings.namePattern, section);
    if (!name.missing) return name.value;
  }
  return stack.replaceAll("/", "-");
}

function replaceTokens(
  pattern: string,
  section: Section,
  component: string,
  base: string,
): string {
  const vars = isSection(section.vars) ? section.vars : {};
  const values: Record<string, string> = {
    "base-component": base,
    component,
    namespace: String(vars.namespace ?? ""),
    tenant: String(vars.tenant ?? ""),
    environment: String(vars.environment ?? ""),
    region: String(vars.region ?? ""),
    stage: String(vars.stage ?? ""),
    attributes: Array.isArray(vars.attributes) ? vars.attributes.join("-") : "",
  };
  return pattern.replace(/\{([a-z-]+)\}/g, (all, token: string) => values[token] ?? all);
}

function errorText(error: unknown): string {
  return error instanceof AtmosError || error instanceof Error ? error.message : String(error);
}
