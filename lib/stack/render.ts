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
import { isSection, type Section } from "./merge.ts";
import { renderTemplate } from "./template.ts";

/** Renders every templated string of `value` against `data`; returns a new value. */
export function renderValueTemplates(
  value: unknown,
  data: Section,
  locate: (text: string) => SourceLocation | undefined,
): unknown {
  if (typeof value === "string") {
    if (!value.includes("{{")) return value;
    return renderTemplate(value, data, { name: "stack value", location: locate(value) });
  }
  if (Array.isArray(value)) return value.map((item) => renderValueTemplates(item, data, locate));
  if (isSection(value)) {
    const out: Section = {};
    for (const [key, item] of Object.entries(value)) {
      out[key] = renderValueTemplates(item, data, locate);
    }
    return out;
  }
  return value;
}
