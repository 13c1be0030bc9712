/**
 * How a kind says "the cloud refused the credentials I was given" (an STS
 * `InvalidClientTokenId` or `ExpiredToken` for keys read back from the cache), so the core can
 * drop that cached link and authenticate again — once. Cloud-neutral: each kind decides which of
 * its cloud's answers prove its input invalid (`chain_auth.ts` does the rest).
 *
 * @module
 */
import { AtmosError, type AtmosErrorOptions } from "../errors.ts";

/** The credentials a link received as its input were refused by the cloud. */
export class RefusedInputError extends AtmosError {
  constructor(message: string, options: AtmosErrorOptions = {}) {
    super(message, options);
    this.name = "RefusedInputError";
  }
}
