// Which brands a name might imitate, without a loop over the brands (SymSpell's idea): every
// string within k deletions of a brand's fold is indexed; a run of the name's tokens looks up
// its own deletion neighbourhood. Two strings within Damerau–Levenshtein distance k share a
// string reachable by at most k deletions from each (a replacement or a transposition deletes
// one character on both sides), so every brand within its distance is proposed. Keys are 32-bit
// polynomial hashes of code units computed from the name's prefix hashes, so looking up costs
// no string; a collision only proposes one more brand, which explain.ts then refutes. Most runs
// and most positions in a word are turned away before any lookup, by the filters below.
import { IdTable } from '../id-table.js';
import type { CompiledBrand } from './explain.js';
import type { ParsedName } from './name.js';

const B = 65_599;
const MAX_LEN = 256;
const POW = new Uint32Array(MAX_LEN + 1);
POW[0] = 1;
for (let i = 1; i <= MAX_LEN; i++) POW[i] = Math.imul(POW[i - 1]!, B) >>> 0;

const key = (hash: number, length: number): number => (hash + Math.imul(length, 0x9e3779b1)) >>> 0;

function hashOf(text: string): number {
  let h = 0;
  for (let i = 0; i < text.length; i++) h = (Math.imul(h, B) + text.charCodeAt(i)) >>> 0;
  return h;
}

const NEAR_KEY_SHIFT = 12;
const NEAR_KEY_BITS = 2 ** (32 - NEAR_KEY_SHIFT);
// The near filter's keys: hashes of a run's (or a brand form's) head, tail, both ends, or whole,
// with its length and kind, mixed into one bit of a bit set.
const HEAD = 0x1b873593;
const TAIL = 0x5bd1e995;
const MID = 0x27d4eb2d;
const WHOLE = 0x165667b1;
function nearBit(kind: number, h1: number, h2: number, len: number): number {
  let k = (Math.imul(h1 ^ kind, 0xcc9e2d51) + Math.imul(h2, 0x85ebca6b) + Math.imul(len, 0x9e3779b1)) | 0;
  k ^= k >>> 16;
  k = Math.imul(k, 0x7feb352d);
  k ^= k >>> 15;
  return k >>> NEAR_KEY_SHIFT;
}
/**
 * For a run of length `len` near a brand form at distance 1: how many code units the head and
 * tail keys take (HEAD_LEN) and the mid key takes at each end (MID_LEN). A run within distance 1
 * of a form keeps the form's first p and last s code units, with p + s = len − 1 after an
 * insertion or a replacement, len after a deletion, len − 2 after a transposition. With
 * MID_LEN + HEAD_LEN ≤ p + s + 1 it keeps the first HEAD_LEN, or the last HEAD_LEN, or the first
 * and last MID_LEN: if p < MID_LEN then s ≥ p + s − MID_LEN + 1 ≥ HEAD_LEN (the same the other
 * way). So the split is taken from len − 1, with the shorter key as long as it can be: the longer
 * the keys, the fewer runs of ordinary words pass. candidate-index.test.ts checks it.
 */
const HEAD_LEN = new Uint8Array(MAX_LEN + 2);
const MID_LEN = new Uint8Array(MAX_LEN + 2);
for (let len = 0; len <= MAX_LEN + 1; len++) {
  const c = Math.max(0, len - 1);
  MID_LEN[len] = Math.round(c / 3);
  HEAD_LEN[len] = c - MID_LEN[len]!;
}
/** Embedded brands are first looked for by their first EMBED_GRAM code units (fewer if a brand is shorter), hashed into a bit set of 2^(32 − EMBED_SHIFT) bits (32 KB). */
const EMBED_GRAM = 5;
const EMBED_SHIFT = 14;
const embedBit = (hash: number): number => Math.imul(hash ^ (hash >>> 15), 0x2c1b3c6d) >>> EMBED_SHIFT;

/** Every string obtained from `text` by deleting at most `k` characters (with repeats removed). */
function deletions(text: string, k: number): Set<string> {
  let layer = new Set([text]);
  const all = new Set(layer);
  for (let d = 0; d < k; d++) {
    const next = new Set<string>();
    for (const s of layer) for (let i = 0; i < s.length; i++) next.add(s.slice(0, i) + s.slice(i + 1));
    for (const s of next) all.add(s);
    layer = next;
  }
  return all;
}

export class CandidateIndex {
  private readonly near: IdTable;
  private readonly nearLengths: Uint8Array;
  private readonly embedded: IdTable;
  /** Lengths of embeddable brand folds, ascending. */
  private readonly embedLengths: number[];
  private readonly maxDistance: number;
  private readonly minRun: number;
  private readonly maxRun: number;
  /**
   * A filter in front of the deletion lookups, which cost n + 1 probes for a run of length n.
   * `nearKeys` is a bit set of the keys a run near a brand form must share with it (HEAD_LEN
   * above) at the run lengths the form allows, and of the whole forms that allow no edit;
   * `near1` and `whole` mark the run lengths that have such keys; `open` marks run lengths that
   * are always looked up (forms at distance 2, or at distance 1 under 5 code units).
   */
  private readonly nearKeys = new Uint32Array(NEAR_KEY_BITS / 32);
  private readonly open = new Uint8Array(MAX_LEN + 2);
  private readonly near1 = new Uint8Array(MAX_LEN + 2);
  private readonly whole = new Uint8Array(MAX_LEN + 2);
  /** Embedded brands' first `embedGram` code units, hashed: a bit set (embedBit). */
  private readonly embedGram: number;
  private readonly embedStarts = new Uint32Array(2 ** (32 - EMBED_SHIFT) / 32);
  private pre = new Uint32Array(64);
  private sink: (brand: number) => void = () => undefined;

  constructor(brands: readonly CompiledBrand[]) {
    const near = new Map<number, number[]>();
    const embedded = new Map<number, number[]>();
    const add = (map: Map<number, number[]>, k: number, id: number): void => {
      const list = map.get(k);
      if (!list) map.set(k, [id]);
      else if (list[list.length - 1] !== id) list.push(id);
    };
    const embedLengths = new Set<number>();
    this.nearLengths = new Uint8Array(MAX_LEN + 1);
    let maxDistance = 0;
    let minRun = Infinity;
    let maxRun = 0;
    brands.forEach((b, id) => {
      const fold = b.brand.fold;
      maxDistance = Math.max(maxDistance, b.distance);
      minRun = Math.min(minRun, fold.length - b.distance);
      maxRun = Math.max(maxRun, fold.length + b.distance, b.brand.plain.length + b.distance);
      const variants = deletions(fold, b.distance);
      if (b.brand.plain !== fold) for (const s of deletions(b.brand.plain, b.distance)) variants.add(s);
      for (const form of b.brand.plain === fold ? [fold] : [fold, b.brand.plain]) this.markNear(form, b.distance);
      for (const s of variants) {
        if (s.length > MAX_LEN) continue;
        add(near, key(hashOf(s), s.length), id);
        this.nearLengths[s.length] = 1;
      }
      if (b.embed && fold.length <= MAX_LEN) {
        add(embedded, key(hashOf(fold), fold.length), id);
        embedLengths.add(fold.length);
      }
    });
    this.near = new IdTable(near);
    this.embedded = new IdTable(embedded);
    this.embedLengths = [...embedLengths].sort((a, b) => a - b);
    this.maxDistance = maxDistance;
    this.minRun = Math.max(1, minRun);
    this.maxRun = Math.min(maxRun, MAX_LEN);
    this.embedGram = Math.min(EMBED_GRAM, this.embedLengths[0] ?? EMBED_GRAM);
    brands.forEach((b) => {
      if (b.embed && b.brand.fold.length <= MAX_LEN) {
        const g = embedBit(hashOf(b.brand.fold.slice(0, this.embedGram)));
        this.embedStarts[g >>> 5]! |= 1 << (g & 31);
      }
    });
  }

  private markNear(form: string, distance: number): void {
    const m = form.length;
    if (distance > 1 || (distance === 1 && m < 5) || m === 0) {
      for (let len = Math.max(0, m - distance); len <= Math.min(MAX_LEN + 1, m + distance); len++) this.open[len] = 1;
      return;
    }
    if (m > MAX_LEN) return;
    const h = (a: number, b: number): number => hashOf(form.slice(a, b));
    if (distance === 0) {
      this.setBit(nearBit(WHOLE, h(0, m), 0, m));
      this.whole[m] = 1;
      return;
    }
    for (let len = m - 1; len <= Math.min(MAX_LEN, m + 1); len++) {
      const head = HEAD_LEN[len]!;
      const mid = MID_LEN[len]!;
      this.setBit(nearBit(HEAD, h(0, head), 0, len));
      this.setBit(nearBit(TAIL, h(m - head, m), 0, len));
      this.setBit(nearBit(MID, h(0, mid), h(m - mid, m), len));
      this.near1[len] = 1;
    }
  }

  private setBit(bit: number): void {
    this.nearKeys[bit >>> 5]! |= 1 << (bit & 31);
  }

  private hasBit(bit: number): boolean {
    return (this.nearKeys[bit >>> 5]! & (1 << (bit & 31))) !== 0;
  }

  /**
   * What the run codes[a, b) may be, from the prefix hashes: 2 near a brand (look up its
   * deletions too), 1 a whole form that allows no edit (look up the run itself), 0 neither.
   */
  private mayBeNear(a: number, b: number): number {
    const len = b - a;
    if (this.open[len] === 1) return 2;
    if (this.near1[len] === 1) {
      const head = HEAD_LEN[len]!;
      const mid = MID_LEN[len]!;
      if (this.hasBit(nearBit(HEAD, this.h(a, a + head), 0, len))) return 2;
      if (this.hasBit(nearBit(TAIL, this.h(b - head, b), 0, len))) return 2;
      if (this.hasBit(nearBit(MID, this.h(a, a + mid), this.h(b - mid, b), len))) return 2;
    }
    return this.whole[len] === 1 && this.hasBit(nearBit(WHOLE, this.h(a, b), 0, len)) ? 1 : 0;
  }

  /** Calls `sink` with the id of every brand the name might imitate (some more than once). */
  collect(name: ParsedName, sink: (brand: number) => void): void {
    const t = name.tokens;
    const starts = t.map((x) => x.start);
    const ends = t.map((x) => x.end);
    this.collectRuns(name.codes, name.codes.length, starts, ends, t.length, sink);
    // Plain forms differ from folds only where rn or vv was merged: see name.ts.
    if (name.plainCodes) {
      this.collectRuns(name.plainCodes, name.plainCodes.length, t.map((x) => x.plainStart), t.map((x) => x.plainEnd), t.length, sink, false);
    }
  }

  /** Hash of codes[a, b), from the prefix hashes. */
  private h(a: number, b: number): number {
    return (this.pre[b]! - Math.imul(this.pre[a]!, POW[b - a]!)) >>> 0;
  }

  private lookup(table: IdTable, hash: number, length: number): void {
    const e = table.find(key(hash, length));
    if (e < 0) return;
    for (let k = table.starts[e]!, end = table.starts[e + 1]!; k < end; k++) this.sink(table.ids[k]!);
  }

  /**
   * The same over a name already laid out as arrays (see fast-name.ts): `count` tokens, token i
   * being codes[starts[i], ends[i]). Embedded brands are looked for unless `embedded` is false.
   */
  collectRuns(
    codes: ArrayLike<number>,
    n: number,
    starts: ArrayLike<number>,
    ends: ArrayLike<number>,
    count: number,
    sink: (brand: number) => void,
    embedded = true,
  ): void {
    this.sink = sink;
    if (this.pre.length <= n) this.pre = new Uint32Array(2 * n + 1);
    const pre = this.pre;
    for (let i = 0; i < n; i++) pre[i + 1] = (Math.imul(pre[i]!, B) + codes[i]!) >>> 0;
    const k = this.maxDistance;
    const near = this.near;
    const lengths = this.nearLengths;
    for (let i = 0; i < count; i++) {
      const a = starts[i]!;
      for (let j = i; j < count; j++) {
        const b = ends[j]!;
        const len = b - a;
        if (len > this.maxRun) break;
        if (len < this.minRun) continue;
        const may = this.mayBeNear(a, b);
        if (may === 0) continue;
        if (lengths[len] === 1) this.lookup(near, this.h(a, b), len);
        if (may === 1) continue;
        if (k >= 1 && lengths[len - 1] === 1) {
          for (let p = a; p < b; p++) this.lookup(near, (Math.imul(this.h(a, p), POW[b - p - 1]!) + this.h(p + 1, b)) >>> 0, len - 1);
        }
        if (k >= 2 && len >= 2 && lengths[len - 2] === 1) {
          for (let p = a; p < b; p++) {
            for (let q = p + 1; q < b; q++) {
              const left = (Math.imul(this.h(a, p), POW[q - p - 1]!) + this.h(p + 1, q)) >>> 0;
              this.lookup(near, (Math.imul(left, POW[b - q - 1]!) + this.h(q + 1, b)) >>> 0, len - 2);
            }
          }
        }
      }
      if (!embedded) continue; // embedded brands are looked for in folds only (explain.ts)
      const len = ends[i]! - a;
      const embedLengths = this.embedLengths;
      const first = embedLengths[0];
      if (first === undefined || first >= len) continue;
      const q = this.embedGram;
      const end = a + len;
      for (let p = a; p + first <= end; p++) {
        const g = embedBit(this.h(p, p + q));
        if ((this.embedStarts[g >>> 5]! & (1 << (g & 31))) === 0) continue;
        for (const L of embedLengths) {
          if (L >= len || p + L > end) break;
          this.lookup(this.embedded, this.h(p, p + L), L);
        }
      }
    }
  }
}
