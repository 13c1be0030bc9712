/**
 * The output of `aws/ambient` as a target: the machine's own AWS credentials are used as they
 * are (environment keys, a web-identity token file, the container endpoint), so children keep
 * their environment; only the configured region is set. Nothing is written or cached.
 *
 * @module
 */
import type { CredentialOutput } from "../auth/output.ts";

/** The ambient-AWS output. */
export const awsAmbientOutput: CredentialOutput = {
  name: "aws-ambient",
  persistent: false,
  isolates: false,
  files: () => ({}),
  write: () => Promise.resolve(),
  readCached: () => undefined,
  remove: () => Promise.resolve([]),
  env(link) {
    const set: Record<string, string> = {};
    if (link.region) {
      set.AWS_REGION = link.region;
      set.AWS_DEFAULT_REGION = link.region;
    }
    return { set, unset: [] };
  },
};
