/**
 * The store used when no backend is available: writes are dropped and nothing is ever found, so
 * authentication keeps working from credential files alone (Atmos: store failures never abort).
 *
 * @module
 */

import type { CredentialStore, StoredSecret } from "./types.ts";

/** A credential store that stores nothing. */
export class NoopStore implements CredentialStore {
  /** Always `noop`. */
  readonly kind = "noop" as const;
  /** Why a real backend was not used. */
  readonly fallbackReason?: string;

  constructor(fallbackReason?: string) {
    this.fallbackReason = fallbackReason;
  }

  /** Finds nothing. */
  get(_key: string): Promise<StoredSecret | undefined> {
    return Promise.resolve(undefined);
  }

  /** Drops the value. */
  set(_key: string, _value: StoredSecret): Promise<void> {
    return Promise.resolve();
  }

  /** Deletes nothing; always false. */
  delete(_key: string): Promise<boolean> {
    return Promise.resolve(false);
  }

  /** Always empty. */
  list(): Promise<string[]> {
    return Promise.resolve([]);
  }
}
