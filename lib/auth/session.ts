/**
 * What an authenticated identity hands to the rest of the program: where its files are, what a
 * child's environment gets, its expiry — never the credentials themselves. Commands, workflows
 * and `terraform` see only this; no field names a cloud.
 *
 * @module
 */
import type { ChildEnv } from "./output.ts";

/** A usable identity session. */
export interface Session {
  /** Identity name as written in the config. */
  identity: string;
  kind: string;
  /** Name of the identity's credential output (`aws`, `gcp`, `passthrough`, …). */
  output: string;
  /** Root provider (or synthetic root) name: the directory of the chain's files. */
  root: string;
  /** The identity's credential files by label, the most useful first (empty when none). */
  files: Record<string, string>;
  /**
   * The child environment's changes: the identity's `env:` entries, then the output's pointers
   * and `ATMOS_IDENTITY` (pointers win); `unset` lists every variable a child must not inherit.
   */
  env: ChildEnv;
  /** True when children get these credentials only (config secrets are scrubbed too). */
  isolated: boolean;
  region?: string;
  expiration?: Date;
  /** Who the credentials belong to, when the authentication itself told us. */
  principal?: string;
  /**
   * `cache` when no network call was needed, `login` after authentication, `ambient` for
   * kinds that authenticate nothing, `planned` for pointers to files not yet written.
   */
  source: "cache" | "login" | "ambient" | "planned";
}
