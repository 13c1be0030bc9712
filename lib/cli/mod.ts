/**
 * The generic CLI toolkit: command tree, parsing, help, output formatting and prompts.
 *
 * @module
 */

export * from "./command.ts";
export * from "./parse.ts";
export * from "./help.ts";
export * from "./output.ts";
export * from "./suggest.ts";
export * from "./prompt/mod.ts";
