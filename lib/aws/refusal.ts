/**
 * Which STS answers prove that the credentials a call was signed with are no good — as opposed
 * to a role that may not be assumed, or a server fault: `InvalidClientTokenId` (a key or token
 * STS does not know: revoked, or damaged), `ExpiredToken` (a session past its end, whatever the
 * cached expiry said) and `SignatureDoesNotMatch` (a damaged secret).
 *
 * Reads the error's name and code, so the STS client need not be loaded to ask.
 *
 * @module
 */

const REFUSALS = new Set(["InvalidClientTokenId", "ExpiredToken", "SignatureDoesNotMatch"]);

/** True when `error` (an `StsError`) refuses the credentials the call was signed with. */
export function refusesCredentials(error: unknown): boolean {
  if (!(error instanceof Error) || error.name !== "StsError") return false;
  return REFUSALS.has((error as Error & { code?: unknown }).code as string);
}
