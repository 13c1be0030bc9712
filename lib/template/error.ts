/**
 * The error every template failure raises: Go's message, the template name and where.
 *
 * @module
 */

import { AtmosError } from "../errors.ts";

/** Where a template failed. */
export interface TemplateErrorDetails {
  /** Name of the template being parsed or executed. */
  templateName: string;
  /** 1-based line, when known. */
  line?: number;
  /** Column as Go prints it: the byte offset within the line (execution errors only). */
  column?: number;
  /** The underlying error (a function's own failure), shown only at debug level. */
  cause?: unknown;
}

/**
 * A template that does not parse or fails while executing. The message is Go's own text,
 * e.g. `template: t:1:5: executing "t" at <.Nope.deeper>: map has no entry for key "Nope"`.
 * Exit code 2: it is bad input (a template in configuration).
 */
export class TemplateError extends AtmosError {
  /** Name of the template being parsed or executed. */
  readonly templateName: string;
  /** 1-based line, when known. */
  readonly line?: number;
  /** Column as Go prints it: the byte offset within the line (execution errors only). */
  readonly column?: number;

  constructor(message: string, details: TemplateErrorDetails) {
    super(message, { exitCode: 2, cause: details.cause });
    this.name = "TemplateError";
    this.templateName = details.templateName;
    this.line = details.line;
    this.column = details.column;
  }
}
