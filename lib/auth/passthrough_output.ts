/**
 * The output of identities that authenticate nothing (`ambient`): children get the parent
 * environment unchanged, plus the identity's own `env:` entries and `ATMOS_IDENTITY`.
 *
 * @module
 */
import type { CredentialOutput } from "./output.ts";

/** The pass-through output. */
export const passthroughOutput: CredentialOutput = {
  name: "passthrough",
  persistent: false,
  isolates: false,
  files: () => ({}),
  write: () => Promise.resolve(),
  readCached: () => undefined,
  remove: () => Promise.resolve([]),
  env: () => ({ set: {}, unset: [] }),
};
