/**
 * Fault injection: answers the emulator gives instead of handling a call — a server error, a
 * throttle, any AWS error code — for the next N calls of one kind, so tests can drive clients
 * through retries and failures. Calls are named like the call counters (`AssumeRole`,
 * `sso-oidc.CreateToken.refresh_token`, `sso.GetRoleCredentials`); a faulted call still counts.
 * Dropped connections (no answer at all) are the flaky front door's (`flaky_proxy.ts`).
 *
 * @module
 */

import type { EmulatorState } from "./state.ts";
import type { FaultSpec } from "./types.ts";

/** A queued fault with the calls it still answers. */
export interface QueuedFault {
  status: number;
  code: string;
  message: string;
  remaining: number;
}

/** Default AWS code per status: a server error, or throttling for 400 and 429. */
function defaultCode(status: number): string {
  if (status >= 500) return status === 503 ? "ServiceUnavailable" : "InternalFailure";
  return status === 429 ? "TooManyRequestsException" : "Throttling";
}

/** Queues `spec` behind the faults already queued for its call. */
export function queueFault(state: EmulatorState, spec: FaultSpec): void {
  const status = spec.status ?? 500;
  const code = spec.code ?? defaultCode(status);
  const queue = state.faults.get(spec.call) ?? [];
  queue.push({
    status,
    code,
    message: spec.message ??
      (status >= 500 ? "We encountered an internal error." : "Rate exceeded"),
    remaining: spec.times ?? 1,
  });
  state.faults.set(spec.call, queue);
}

/** The fault answering this call of `call`, if one is queued (using up one of its calls). */
export function takeFault(state: EmulatorState, call: string): QueuedFault | undefined {
  const queue = state.faults.get(call);
  const fault = queue?.[0];
  if (fault === undefined) return undefined;
  fault.remaining--;
  if (fault.remaining <= 0) queue!.shift();
  return fault;
}

/** Reads a {@linkcode FaultSpec} from a control request's JSON body. */
export function parseFaultSpec(value: unknown): FaultSpec {
  if (typeof value !== "object" || value === null) throw new Error("body must be a JSON object");
  const v = value as Record<string, unknown>;
  if (typeof v.call !== "string" || v.call === "") throw new Error("'call' must be a string");
  for (const field of ["status", "times"]) {
    if (v[field] !== undefined && !Number.isInteger(v[field])) {
      throw new Error(`'${field}' must be an integer`);
    }
  }
  for (const field of ["code", "message"]) {
    if (v[field] !== undefined && typeof v[field] !== "string") {
      throw new Error(`'${field}' must be a string`);
    }
  }
  return v as unknown as FaultSpec;
}
