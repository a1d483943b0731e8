// A look-alike hit's explanation: which brand, how it was imitated, how far from it.
import type { LookalikeFamily } from '../../signatures/types.js';

export interface LookalikeWhy {
  /** The brand pattern as written. */
  readonly brand: string;
  /** The families of the differences, in LOOKALIKE_FAMILIES order (most specific first). */
  readonly families: readonly LookalikeFamily[];
  /** Damerau–Levenshtein distance between the skeletons of the brand and the matched text. */
  readonly distance: number;
  /** The words of the value that imitate the brand. */
  readonly matched: string;
}

/** "transposition of paypal (distance 1)"; with the value: "… in pyapal-login.com (distance 1)". */
export function describeWhy(why: LookalikeWhy, value?: string): string {
  return `${why.families.join(' + ')} of ${why.brand}${value === undefined ? '' : ` in ${value}`} (distance ${why.distance})`;
}
