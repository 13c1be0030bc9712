/**
 * What an authenticated identity hands to the rest of the program: where its files are, its
 * region and expiry, and its configured environment — never the keys themselves.
 *
 * @module
 */
import type { AwsFilePaths } from "../aws/files.ts";
import type { IdentityOutput } from "./kind.ts";

/** A usable identity session. */
export interface Session {
  /** Identity name as written in the config (also the AWS profile name). */
  identity: string;
  kind: string;
  output: IdentityOutput;
  /** Root provider (or synthetic root) name: the directory of the chain's files. */
  root: string;
  /** Credential and config files, for file-based AWS sessions. */
  files?: AwsFilePaths;
  region?: string;
  expiration?: Date;
  /** Principal ARN when known from the authentication itself. */
  arn?: string;
  /** The identity's `env:` entries. */
  identityEnv: Record<string, string>;
  /**
   * `cache` when no network call was needed, `login` after authentication, `ambient` for
   * kinds that authenticate nothing, `planned` for pointers to files not yet written.
   */
  source: "cache" | "login" | "ambient" | "planned";
}
