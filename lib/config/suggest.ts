/**
 * "Did you mean" suggestions for misspelt names (identities, providers, kinds, keys).
 *
 * Hand-written: an edit distance is a few lines and no allowed dependency provides one.
 *
 * @module
 */

/**
 * Returns the candidate closest to `name`, or `undefined` when none is close enough.
 * A case-insensitive exact match wins; otherwise the smallest Damerau–Levenshtein distance
 * (case-insensitive) not above `max(2, floor(name.length / 3))`, first candidate on ties.
 */
export function suggest(name: string, candidates: Iterable<string>): string | undefined {
  const wanted = name.toLowerCase();
  const list = [...candidates];
  const exact = list.find((candidate) => candidate.toLowerCase() === wanted);
  if (exact !== undefined) return exact;
  const limit = Math.max(2, Math.floor(name.length / 3));
  let best: string | undefined;
  let bestDistance = limit + 1;
  for (const candidate of list) {
    // The length difference is a lower bound of the distance: a name far longer or shorter
    // than every candidate (a 20 MB value) costs nothing instead of a length × length table.
    const lower = candidate.toLowerCase();
    if (Math.abs(wanted.length - lower.length) >= bestDistance) continue;
    const distance = editDistance(wanted, lower);
    if (distance < bestDistance) {
      best = candidate;
      bestDistance = distance;
    }
  }
  return best;
}

/** Returns `; did you mean "x"?` for the closest candidate, or `""` when there is none. */
export function didYouMean(name: string, candidates: Iterable<string>): string {
  const found = suggest(name, candidates);
  return found === undefined ? "" : `; did you mean "${found}"?`;
}

/** Optimal-string-alignment distance: insertions, deletions, substitutions, adjacent swaps. */
export function editDistance(a: string, b: string): number {
  const rows = a.length + 1;
  const cols = b.length + 1;
  const d: number[][] = [];
  for (let i = 0; i < rows; i++) {
    d.push(new Array<number>(cols).fill(0));
    d[i][0] = i;
  }
  for (let j = 0; j < cols; j++) d[0][j] = j;
  for (let i = 1; i < rows; i++) {
    for (let j = 1; j < cols; j++) {
      const cost = a[i - 1] === b[j - 1] ? 0 : 1;
      d[i][j] = Math.min(d[i - 1][j] + 1, d[i][j - 1] + 1, d[i - 1][j - 1] + cost);
      if (i > 1 && j > 1 && a[i - 1] === b[j - 2] && a[i - 2] === b[j - 1]) {
        d[i][j] = Math.min(d[i][j], d[i - 2][j - 2] + 1);
      }
    }
  }
  return d[a.length][b.length];
}
