/**
 * Shared types of the credential store: the stored envelope, the store interface, and the
 * small capabilities a store needs from its caller (a file writer, a command runner).
 *
 * @module
 */

/**
 * A stored secret: the Atmos-compatible JSON envelope, e.g.
 * `{"type":"aws","data":{"access_key_id":"…","secret_access_key":"…"}}`.
 */
export interface StoredSecret {
  /** Envelope type: `aws`, `oidc`, `sso`, or another Atmos type. */
  type: "aws" | "oidc" | "sso" | string;
  /** The secret's fields, all strings. */
  data: Record<string, string>;
}

/** Which backend a store uses. */
export type StoreKind = "file" | "system" | "memory" | "noop";

/** A key-value store for long-lived secrets. Session credentials are never stored here. */
export interface CredentialStore {
  /** The backend actually in use (after any fallback). */
  readonly kind: StoreKind;
  /** Why the requested backend was not used, for a debug log; undefined when no fallback happened. */
  readonly fallbackReason?: string;
  /** Reads a secret; undefined when the key has no entry. */
  get(key: string): Promise<StoredSecret | undefined>;
  /** Creates or replaces a secret. */
  set(key: string, value: StoredSecret): Promise<void>;
  /** Deletes a secret; true when an entry existed. */
  delete(key: string): Promise<boolean>;
  /** Lists keys (the system keychain returns [] because it cannot list). */
  list(): Promise<string[]>;
}

/**
 * The part of `lib/fs/writer.ts`'s FileWriter the file store uses. Declared here structurally so
 * this folder does not depend on the writer's module while it is being written.
 */
export interface StoreWriter {
  /** Creates a directory (and parents) with the given mode. */
  mkdir(path: string, mode?: number): Promise<void>;
  /** Writes a file atomically (temporary file + rename) with the given mode. */
  writeAtomic(path: string, data: string | Uint8Array, mode?: number): Promise<void>;
  /** Removes a file or directory. */
  remove(path: string, options?: { recursive?: boolean }): Promise<void>;
}

/** What a finished command reported. */
export interface CommandResult {
  /** Exit code (128+n when a signal ended it). */
  code: number;
  /** Captured standard output, UTF-8. */
  stdout: string;
  /** Captured standard error, UTF-8. */
  stderr: string;
}

/**
 * Runs a command with arguments, feeding `stdin` when given. Rejects with
 * `Deno.errors.NotFound` when the program does not exist.
 */
export type CommandRunner = (
  cmd: string,
  args: string[],
  stdin?: string,
) => Promise<CommandResult>;
