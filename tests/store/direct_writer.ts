/**
 * A tiny in-test implementation of the store's writer interface on plain Deno calls, so the store
 * tests do not depend on lib/fs. Records every call for assertions.
 *
 * @module
 */

import type { StoreWriter } from "../../lib/store/mod.ts";

/** One recorded writer call. */
export interface WriterCall {
  op: "mkdir" | "writeAtomic" | "remove";
  path: string;
  mode?: number;
}

/** A writer that writes directly with Deno APIs and records its calls. */
export class DirectWriter implements StoreWriter {
  /** Calls in order. */
  readonly calls: WriterCall[] = [];

  /** Creates a directory tree and sets its mode. */
  async mkdir(path: string, mode?: number): Promise<void> {
    this.calls.push({ op: "mkdir", path, mode });
    await Deno.mkdir(path, { recursive: true, mode });
    if (mode !== undefined) await Deno.chmod(path, mode);
  }

  /** Writes a temporary file then renames it over the target. */
  async writeAtomic(path: string, data: string | Uint8Array, mode?: number): Promise<void> {
    this.calls.push({ op: "writeAtomic", path, mode });
    const tmp = `${path}.tmp-${crypto.randomUUID()}`;
    const bytes = typeof data === "string" ? new TextEncoder().encode(data) : data;
    await Deno.writeFile(tmp, bytes, { mode });
    if (mode !== undefined) await Deno.chmod(tmp, mode);
    await Deno.rename(tmp, path);
  }

  /** Removes a path. */
  async remove(path: string, options?: { recursive?: boolean }): Promise<void> {
    this.calls.push({ op: "remove", path });
    await Deno.remove(path, options);
  }
}

/** An env reader over a plain object. */
export function fakeEnv(values: Record<string, string>): { get(name: string): string | undefined } {
  return {
    get(name: string) {
      return values[name];
    },
  };
}
