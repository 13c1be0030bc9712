/**
 * "Did you mean" suggestions for unknown commands and flags: the edit distance of the
 * configuration suggestions, plus prefix matches (`atmos auth lo` → `login`).
 *
 * @module
 */
import { editDistance } from "../config/suggest.ts";

/**
 * The closest candidate to `word`: edit distance at most 2 (case-insensitive), or a candidate
 * that starts with `word`. Ties go to the alphabetically first. `undefined` when nothing is close.
 */
export function suggest(word: string, candidates: Iterable<string>): string | undefined {
  const lower = word.toLowerCase();
  let best: string | undefined;
  let bestScore = Infinity;
  for (const candidate of candidates) {
    const distance = editDistance(lower, candidate.toLowerCase());
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
