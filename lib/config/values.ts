/**
 * Reading settings out of provider and identity maps, which hold user input of any shape:
 * a string setting is a non-empty string (a number is taken as its decimal text), anything
 * else is absent. Kinds walk a chain's links nearest first, so an identity's own setting wins
 * over its upstream links'.
 *
 * @module
 */

/** A link's configuration as the lookups see it (any provider or identity). */
export interface LinkSettings {
  readonly config: { readonly spec?: unknown };
  /** Every link before this one, nearest first. */
  readonly upstream: readonly { readonly config: { readonly spec?: unknown } }[];
}

/** Reads a non-empty string field from an optional map. */
export function stringAt(map: unknown, key: string): string | undefined {
  if (!map || typeof map !== "object") return undefined;
  const value = (map as Record<string, unknown>)[key];
  if (typeof value === "number") return String(value);
  return typeof value === "string" && value !== "" ? value : undefined;
}

/** A `spec.<key>` string of the link, else of the nearest upstream link that sets it. */
export function chainSpec(link: LinkSettings, key: string): string | undefined {
  const own = stringAt(link.config.spec, key);
  if (own) return own;
  for (const up of link.upstream) {
    const value = stringAt(up.config.spec, key);
    if (value) return value;
  }
  return undefined;
}
