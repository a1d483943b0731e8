// The whole-value look-ups of a field (`match: literal`, regexes anchored at both ends and their
// finite alternations): value → the (signature, pattern) pairs that match it exactly.
//
// Nearly every value misses. With a Map alone a miss still costs a folded copy of the value, its
// string hash and a probe into a table that, at 100,000 signatures, lies far out of cache: a
// profile of the classic benchmark put half of matchValue's time on that line at 100,000
// signatures, a tenth at 1,000. A bitmap over a hash of the folded characters, sized to the keys,
// answers most misses from cache without building the copy; only a set bit reaches the Map.
// Below FILTER_FROM keys the Map stays in cache and the hash would only add to each look-up
// (measured 3% slower overall with 100 keys, no gain with 900).
import { foldAscii } from './fold.js';

const FILTER_FROM = 2048;
const MIN_BITS = FILTER_FROM * 32;
const MAX_BITS = 1 << 20; // 128 KiB
const BITS_PER_KEY = 32;

/** A 32-bit hash of `s` after folding (fold.ts: ASCII letters, KELVIN SIGN, LONG S) when `fold`. */
function hashOf(s: string, fold: boolean): number {
  let h = 0x811c9dc5 ^ s.length;
  for (let i = 0; i < s.length; i++) {
    let c = s.charCodeAt(i);
    if (fold) {
      if (c >= 65 && c <= 90) c += 32;
      else if (c === 0x212a) c = 107;
      else if (c === 0x017f) c = 115;
    }
    h = Math.imul(h ^ c, 0x01000193);
  }
  h = Math.imul(h ^ (h >>> 16), 0x85ebca6b);
  return h ^ (h >>> 13);
}

export class ExactValues {
  private readonly map = new Map<string, number[]>();
  private bits = new Int32Array(0);
  private mask = -1; // bits - 1, -1 while the set is too small to filter

  /** `fold`: keys and values compare after foldAscii (case-insensitive signatures). */
  constructor(private readonly fold: boolean) {}

  get size(): number {
    return this.map.size;
  }

  /** Adds a (signature, pattern) pair for `literal` (folded here when the set folds). */
  add(literal: string, sig: number, pat: number): void {
    const key = this.fold ? foldAscii(literal) : literal;
    let list = this.map.get(key);
    if (!list) {
      this.map.set(key, (list = []));
      if (this.map.size >= FILTER_FROM && this.map.size * BITS_PER_KEY > this.mask + 1 && this.mask + 1 < MAX_BITS) this.grow();
      else if (this.mask >= 0) this.setBit(key);
    }
    list.push(sig, pat);
  }

  /** The pairs `value` matches exactly, or undefined. */
  get(value: string): number[] | undefined {
    if (this.map.size === 0) return undefined;
    if (this.mask >= 0) {
      const h = hashOf(value, this.fold) & this.mask;
      if ((this.bits[h >>> 5]! & (1 << (h & 31))) === 0) return undefined;
    }
    return this.map.get(this.fold ? foldAscii(value) : value);
  }

  private setBit(key: string): void {
    const h = hashOf(key, false) & this.mask;
    this.bits[h >>> 5]! |= 1 << (h & 31);
  }

  private grow(): void {
    const size = Math.min(MAX_BITS, Math.max(MIN_BITS, (this.mask + 1) * 4));
    this.bits = new Int32Array(size / 32);
    this.mask = size - 1;
    for (const key of this.map.keys()) this.setBit(key);
  }
}
