/**
 * Store key naming, compatible with Atmos (`pkg/auth/credentials`).
 *
 * @module
 */

/**
 * Returns the store key for an alias (identity or provider name): `atmos_<realm>_<alias>`, or
 * `atmos_<alias>` when the realm is empty. The underscore separator matches Atmos (it is safe on
 * Windows).
 *
 * @example
 * ```ts
 * storeKey("dev-user", "test-realm"); // "atmos_test-realm_dev-user"
 * storeKey("dev-user"); // "atmos_dev-user"
 * ```
 */
export function storeKey(alias: string, realm?: string): string {
  return realm ? `atmos_${realm}_${alias}` : `atmos_${alias}`;
}
