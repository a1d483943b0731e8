// Seedable randomness and made-up words for synthetic data: the demo data set (warren demo) and
// the benchmarks' workloads draw from the same generator, so both are repeatable from a seed.

/** mulberry32: small, fast, seedable; the demo and the benchmarks must be repeatable. */
export function rng(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

const SYLLABLES = [
  'al', 'an', 'ar', 'ba', 'be', 'bo', 'ca', 'co', 'da', 'de', 'di', 'do', 'el', 'en', 'er', 'fa', 'fi', 'ga', 'go',
  'ha', 'he', 'in', 'ja', 'ka', 'ki', 'la', 'le', 'li', 'lo', 'ma', 'me', 'mi', 'mo', 'na', 'ne', 'no', 'or', 'pa',
  'pe', 'po', 'qu', 'ra', 're', 'ri', 'ro', 'sa', 'se', 'si', 'so', 'ta', 'te', 'ti', 'to', 'tr', 'un', 'va', 've',
  'vi', 'wa', 'xe', 'ya', 'yo', 'za', 'zo',
];

// English letter frequencies (per mille), so generated keywords share bigrams and trigrams with
// text the way real words do, without being drawn from the same syllables as the domains.
const LETTER_FREQ: [string, number][] = [
  ['e', 127], ['t', 91], ['a', 82], ['o', 75], ['i', 70], ['n', 67], ['s', 63], ['h', 61], ['r', 60], ['d', 43],
  ['l', 40], ['c', 28], ['u', 28], ['m', 24], ['w', 24], ['f', 22], ['g', 20], ['y', 20], ['p', 19], ['b', 15],
  ['v', 10], ['k', 8], ['j', 2], ['x', 2], ['q', 1], ['z', 1],
];
const LETTER_TOTAL = LETTER_FREQ.reduce((a, [, f]) => a + f, 0);

export class Words {
  constructor(readonly r: () => number) {}
  pick<T>(list: readonly T[]): T {
    return list[Math.floor(this.r() * list.length)]!;
  }
  int(lo: number, hi: number): number {
    return lo + Math.floor(this.r() * (hi - lo + 1));
  }
  chance(p: number): boolean {
    return this.r() < p;
  }
  /** A keyword-like string of letters drawn by English frequency. */
  letters(min: number, max: number): string {
    let w = '';
    const n = this.int(min, max);
    for (let i = 0; i < n; i++) {
      let x = this.r() * LETTER_TOTAL;
      for (const [c, f] of LETTER_FREQ) {
        x -= f;
        if (x < 0) {
          w += c;
          break;
        }
      }
    }
    return w;
  }
  /** Random letters and digits, like algorithmically generated domains. */
  dga(min: number, max: number): string {
    const chars = 'abcdefghijklmnopqrstuvwxyz0123456789';
    let w = '';
    const n = this.int(min, max);
    for (let i = 0; i < n; i++) w += chars[this.int(0, chars.length - 1)]!;
    return w;
  }
  word(min = 2, max = 4): string {
    let w = '';
    const n = this.int(min, max);
    for (let i = 0; i < n; i++) w += this.pick(SYLLABLES);
    return w;
  }
}
