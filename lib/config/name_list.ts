/**
 * Lists of names in hints, bounded. A module of its own so that code which only reports names
 * (identity selection) does not load the name resolver.
 *
 * @module
 */

/** How many names a hint lists before it says how many more there are. */
export const LISTED_NAMES = 20;

/**
 * Names for a hint: `a, b, c`, or the first {@linkcode LISTED_NAMES} and `and 1,990 more` — a
 * configuration of thousands of identities must not make a hint thousands of names long.
 */
export function nameList(names: readonly string[], max: number = LISTED_NAMES): string {
  if (names.length <= max) return names.join(", ");
  const more = (names.length - max).toLocaleString("en");
  return `${names.slice(0, max).join(", ")} and ${more} more`;
}
