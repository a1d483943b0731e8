// "Did you mean" for the small closed vocabularies of the signature format: keys, action names
// and enum values. Field names have their own, smarter helper (../fields/suggest.ts).
import { levenshtein } from '../fields/suggest.js';

/**
 * The candidate closest to `name`, or undefined when none is close enough to be a likely typo.
 * Case is ignored (`Patterns` → `patterns`). Allowed edits grow with the length, max(2, len/3),
 * so `pattern` → `patterns` and `clasify` → `classify`, but `ip` does not suggest `tag`.
 */
export function closest(name: string, candidates: readonly string[]): string | undefined {
  const wanted = name.trim().toLowerCase();
  if (wanted === '') return undefined;
  const limit = Math.max(2, Math.floor(wanted.length / 3));
  let best: { name: string; distance: number } | undefined;
  for (const candidate of candidates) {
    const distance = levenshtein(wanted, candidate.toLowerCase());
    // A very short name is mostly edits away from anything: demand fewer edits than its length.
    if (distance > limit || distance >= Math.max(wanted.length, 2)) continue;
    if (!best || distance < best.distance) best = { name: candidate, distance };
  }
  return best?.name;
}

/** ", did you mean X" or "" — the tail of an "unknown ..." message. */
export function didYouMean(suggestion: string | undefined): string {
  return suggestion === undefined ? '' : `, did you mean ${suggestion}`;
}
