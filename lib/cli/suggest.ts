/**
 * "Did you mean" suggestions for unknown commands and flags.
 * Hand-written: a 20-line Levenshtein is cheaper than a dependency.
 *
 * @module
 */

/** Edit distance (insert, delete, substitute) between two strings. */
export function levenshtein(a: string, b: string): number {
  let previous = Array.from({ length: b.length + 1 }, (_, j) => j);
  for (let i = 1; i <= a.length; i++) {
    const current = [i];
    for (let j = 1; j <= b.length; j++) {
      const cost = a[i - 1] === b[j - 1] ? 0 : 1;
      current[j] = Math.min(previous[j] + 1, current[j - 1] + 1, previous[j - 1] + cost);
    }
    previous = current;
  }
  return previous[b.length];
}

/**
 * The closest candidate to `word`: edit distance at most 2 (case-insensitive), or a candidate
 * that starts with `word`. Ties go to the alphabetically first. `undefined` when nothing is close.
 */
export function suggest(word: string, candidates: Iterable<string>): string | undefined {
  const lower = word.toLowerCase();
  let best: string | undefined;
  let bestScore = Infinity;
  for (const candidate of candidates) {
    const distance = levenshtein(lower, candidate.toLowerCase());
    const score = distance <= 2
      ? distance
      : lower.length > 0 && candidate.toLowerCase().startsWith(lower)
      ? 3
      : Infinity;
    if (score < bestScore || (score === bestScore && best !== undefined && candidate < best)) {
      best = candidate;
      bestScore = score;
    }
  }
  return bestScore === Infinity ? undefined : best;
}
