/**
 * Dropping write permission for the rest of the process. Kept free of imports so commands that
 * never write can revoke at start without loading the writer.
 *
 * @module
 */

/** Revokes write permission in the calling thread (every later write is `NotCapable`). */
export async function revokeWrite(): Promise<void> {
  await Deno.permissions.revoke({ name: "write" });
}
