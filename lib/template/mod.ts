/**
 * A Go `text/template`-compatible engine with a Sprig/gomplate function subset.
 *
 * ```ts
 * renderTemplate("{{ .Arguments.name | upper }}", { Arguments: { name: "vpc" } }); // "VPC"
 * ```
 *
 * Hand-written: the only complete TypeScript port on npm is proprietary, the MIT ones lack
 * `if`, variables, `printf` and custom functions (see the reference notes on Go templates).
 *
 * @module
 */

export { TemplateError } from "./error.ts";
export type { TemplateErrorDetails } from "./error.ts";
export { parseTemplate, renderTemplate, Template } from "./template.ts";
export type { RenderOptions, TemplateFunc } from "./template.ts";
