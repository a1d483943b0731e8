// Picking the literal that stands for a regex in the automaton: the one least likely to occur in
// ordinary values, so that as few values as possible need RE2 to confirm.

// Rough frequency classes of characters in domain names and contact data.
const COMMON = new Set([...'etaoinsrlcdu.-']);
const MEDIUM = new Set([...'mhgpbfywk0123456789']);

/** Tokens that occur in a large share of values: useless as a prefilter on their own. */
const STOP = new Set([
  'com', '.com', 'com.', 'www', 'www.', 'net', '.net', 'org', '.org', 'http', 'https', 'http:', 'https:',
  '://', 'mail', '.co', 'co.', '.uk', '.de', '.ru', '.cn', '.io', 'inc', 'llc', 'ltd', 'gmail', '@gmail',
]);

function charWeight(c: string): number {
  if (COMMON.has(c)) return 1;
  if (MEDIUM.has(c)) return 1.5;
  if (c >= 'a' && c <= 'z') return 2.2;
  return 2;
}

export function literalScore(literal: string): number {
  if (STOP.has(literal)) return 0;
  let score = 0;
  for (const c of literal) score += charWeight(c);
  return score;
}

/** A literal scoring below this would send too many values to RE2. */
export const USABLE_SCORE = 3;

/** A factor (alternatives, one of which every match holds) is as selective as its weakest one. */
export function factorScore(factor: readonly string[]): number {
  let min = Infinity;
  for (const lit of factor) min = Math.min(min, literalScore(lit));
  // Each alternative is another way to become a candidate.
  return min - 0.5 * Math.log2(factor.length);
}

/** The best of the (already folded) factors, or undefined when none is usable. */
export function chooseFactor(factors: readonly (readonly string[])[]): readonly string[] | undefined {
  let best: readonly string[] | undefined;
  let bestScore = USABLE_SCORE - 1e-9;
  for (const f of factors) {
    const s = factorScore(f);
    if (s > bestScore) {
      best = f;
      bestScore = s;
    }
  }
  return best;
}
