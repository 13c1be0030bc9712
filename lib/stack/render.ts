/**
 * Templates in component values (`templates.settings.enabled: true`, reference
 * atmos-workflows-commands.md §4.5): every string containing `{{` is rendered with the component
 * section as the dot, so `{{ .vars.stage }}`, `{{ .atmos_component }}` and `{{ .workspace }}`
 * work. Atmos renders the section serialised as one YAML document; rendering string by string
 * gives the same values without re-parsing (a template cannot produce YAML structure here).
 *
 * @module
 */
import type { SourceLocation } from "../errors.ts";
import type { EnvGetter } from "../config/yaml.ts";
import { isSection, type Section } from "./merge.ts";
import { renderTemplate } from "./template.ts";

/** Renders every templated string of `value` against `data`; returns a new value. */
export function renderValueTemplates(
  value: unknown,
  data: Section,
  options: { locate: (text: string) => SourceLocation | undefined; env: EnvGetter },
): unknown {
  if (typeof value === "string") {
    if (!value.includes("{{")) return value;
    return renderTemplate(value, data, {
      name: "stack value",
      location: options.locate(value),
      env: options.env,
    });
  }
  if (Array.isArray(value)) return value.map((item) => renderValueTemplates(item, data, options));
  if (isSection(value)) {
    const out: Section = {};
    for (const [key, item] of Object.entries(value)) {
      out[key] = renderValueTemplates(item, data, options);
    }
    return out;
  }
  return value;
}
