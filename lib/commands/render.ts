/**
 * The one place custom commands render Go templates (step commands, env values,
 * `component_config`), with the context of atmos-workflows-commands.md §2.5: `.Arguments`,
 * `.Flags`/`.flags`, `.TrailingArgs`, `.ComponentConfig`, `.Cwd`/`.cwd`, `.Env`/`.env`.
 * Rendering is one pass with `missingkey=error` (Atmos renders up to three passes; one pass
 * means a value such as an argument containing `{{` is never evaluated).
 *
 * @module
 */
import { renderTemplate } from "../template/mod.ts";

/** The data custom-command templates see. */
export interface TemplateData {
  Arguments: Record<string, string>;
  Flags: Record<string, string | boolean>;
  flags: Record<string, string | boolean>;
  TrailingArgs: string;
  Cwd: string;
  cwd: string;
  Env: Record<string, string>;
  env: Record<string, string>;
  ComponentConfig?: Record<string, unknown>;
}

/**
 * Renders `text` with `data`. `name` says where the template is (e.g.
 * `commands.deploy.steps.0`) and appears in errors; the `env` template function reads
 * `processEnv` (atmos's own environment, as in Atmos).
 *
 * @throws {TemplateError} exit code 2 for a bad template or a missing key.
 */
export function renderCommandTemplate(
  text: string,
  data: TemplateData,
  name: string,
  processEnv: Record<string, string>,
): string {
  if (!text.includes("{{")) return text;
  return renderTemplate(text, data, {
    name,
    missingKey: "error",
    env: { get: (key) => processEnv[key] },
  });
}
