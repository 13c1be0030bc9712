/**
 * In-process credential store. Used by tests and by `ATMOS_KEYRING_TYPE=memory`, where each CLI
 * process starts with its own empty store (expected, as in Atmos).
 *
 * @module
 */

import { copySecret } from "./secret.ts";
import type { CredentialStore, StoredSecret } from "./types.ts";

/** A credential store backed by a Map; values are copied in and out. */
export class MemoryStore implements CredentialStore {
  /** Always `memory`. */
  readonly kind = "memory" as const;
  #entries = new Map<string, StoredSecret>();

  /** Reads a secret; undefined when absent. */
  get(key: string): Promise<StoredSecret | undefined> {
    const value = this.#entries.get(key);
    return Promise.resolve(value === undefined ? undefined : copySecret(value));
  }

  /** Creates or replaces a secret. */
  set(key: string, value: StoredSecret): Promise<void> {
    this.#entries.set(key, copySecret(value));
    return Promise.resolve();
  }

  /** Deletes a secret; true when it existed. */
  delete(key: string): Promise<boolean> {
    return Promise.resolve(this.#entries.delete(key));
  }

  /** Lists keys, sorted. */
  list(): Promise<string[]> {
    return Promise.resolve([...this.#entries.keys()].sort());
  }
}
