/**
 * Credential store for long-lived secrets (IAM user keys of `aws/user` identities, SSO tokens):
 * encrypted files, the OS keychain, memory, or nothing. Session credentials are never stored
 * here; they live in the 0600 INI files.
 *
 * @example
 * ```ts
 * import { openStore, storeKey } from "./mod.ts";
 * const store = await openStore({ type: "memory", env: Deno.env, fileDir: "/tmp/keyring" });
 * await store.set(storeKey("dev-user", "test-realm"), { type: "aws", data: { access_key_id: "AKIA…" } });
 * ```
 *
 * @module
 */

export type {
  CommandResult,
  CommandRunner,
  CredentialStore,
  StoredSecret,
  StoreKind,
  StoreWriter,
} from "./types.ts";
export { storeKey } from "./key.ts";
export { openStore, type OpenStoreOptions } from "./open.ts";
export { DEFAULT_PASSWORD_ENV, MIN_PASSWORD_LENGTH } from "./password.ts";
export { MemoryStore } from "./memory.ts";
export { NoopStore } from "./noop.ts";
export { FileStore, type FileStoreOptions } from "./file.ts";
export { SystemStore } from "./system.ts";
export { type CommandRunnerOptions, createCommandRunner } from "./command.ts";
