/**
 * Encoding and validation of the stored JSON envelope, shared by the file and system backends.
 *
 * @module
 */

import { AtmosError } from "../errors.ts";
import type { StoredSecret } from "./types.ts";

/** Serialises a secret as the Atmos JSON envelope `{"type":…,"data":{…}}`. */
export function encodeSecret(secret: StoredSecret): string {
  return JSON.stringify({ type: secret.type, data: secret.data });
}

/**
 * Parses a JSON envelope read from the store for `key`. Non-string data values (numbers,
 * booleans) are kept as their string form; nested values are rejected. Messages never include
 * the content.
 */
export function decodeSecret(key: string, text: string): StoredSecret {
  let parsed: unknown;
  try {
    parsed = JSON.parse(text);
  } catch {
    throw invalidEnvelope(key);
  }
  if (!isRecord(parsed) || typeof parsed.type !== "string" || !isRecord(parsed.data)) {
    throw invalidEnvelope(key);
  }
  const data: Record<string, string> = {};
  for (const [name, value] of Object.entries(parsed.data)) {
    if (value === null || value === undefined) continue;
    if (typeof value === "object") throw invalidEnvelope(key);
    data[name] = String(value);
  }
  return { type: parsed.type, data };
}

/** Returns a deep copy so callers cannot mutate what a store holds. */
export function copySecret(secret: StoredSecret): StoredSecret {
  return { type: secret.type, data: { ...secret.data } };
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === "object" && value !== null && !Array.isArray(value);
}

function invalidEnvelope(key: string): AtmosError {
  return new AtmosError(
    `Cannot read credential "${key}": the stored value is not a valid credential envelope`,
    { hint: "delete the entry and store the credentials again" },
  );
}
