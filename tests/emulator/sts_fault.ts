/**
 * The error an STS action answers with: an AWS error code, HTTP status and fault type.
 *
 * Not one of lib/errors.ts's classes on purpose: this models a remote service's wire error, not
 * an atmos user error.
 *
 * @module
 */

/** An STS error response. Messages never contain secrets. */
export class StsFault extends Error {
  /** AWS error code, e.g. `AccessDenied`. */
  readonly code: string;
  /** HTTP status (400 or 403 for client faults). */
  readonly status: number;
  /** `Sender` for client faults, `Receiver` for server faults. */
  readonly type: "Sender" | "Receiver";

  constructor(code: string, message: string, status = 400, type: "Sender" | "Receiver" = "Sender") {
    super(message);
    this.name = "StsFault";
    this.code = code;
    this.status = status;
    this.type = type;
  }
}

/** A `ValidationError` (400) in the shape real STS uses for one bad parameter. */
export function validationError(detail: string): StsFault {
  return new StsFault("ValidationError", `1 validation error detected: ${detail}`, 400);
}
