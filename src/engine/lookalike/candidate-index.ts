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

/** A code unit's bucket in the prefilters: a–z, 0–9, then everything else together. */
const SYMBOLS = 37;
const sym = (c: number): number => (c >= 97 && c <= 122 ? c - 97 : c >= 48 && c <= 57 ? c - 22 : 36);
/** Run lengths the near filter covers; longer runs are always looked up. */
const FILTERED_LENGTHS = 64;
const NEAR_KEY_BITS = 1 << 20;
// The three kinds of near key, in disjoint ranges (a trigram times FILTERED_LENGTHS is under 4M).
const KIND = 4_000_000;
const endsKey = (first: number, last: number, len: number): number => (first * SYMBOLS + last) * FILTERED_LENGTHS + len;
const headKey = (trigram: number, len: number): number => KIND + trigram * FILTERED_LENGTHS + len;
const tailKey = (trigram: number, len: number): number => 2 * KIND + trigram * FILTERED_LENGTHS + len;
const keyBit = (k: number): number => Math.imul(k, 0x9e3779b1) >>> 12;
/** Embedded brands are first looked for by their first EMBED_GRAM code units (fewer if a brand is shorter). */
const EMBED_GRAM = 4;

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

/** The first `q` code units of `text` from `at`, as a number in base SYMBOLS. */
function gramAt(text: string, at: number, q: number): number {
  let g = 0;
  for (let x = at; x < at + q; x++) g = g * SYMBOLS + sym(text.charCodeAt(x));
  return g;
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
   * A filter in front of the deletion lookups, which cost n + 1 probes for a run of length n. A run
   * within distance 1 of a brand form of 5 or more code units keeps the form's first and last
   * code units, or its first three, or its last three (one edit touches at most two adjacent
   * positions). `nearKeys` is a bit set of those keys with the run lengths they allow, hashed;
   * `open` marks run lengths that are always looked up (forms at distance 2, or at distance 1
   * under 5 code units).
   */
  private readonly nearKeys = new Uint32Array(NEAR_KEY_BITS / 32);
  private readonly open = new Uint8Array(MAX_LEN + 2);
  /** Embedded brands' first `embedGram` code units (as bucket numbers in base SYMBOLS), as a bit set. */
  private readonly embedGram: number;
  private readonly embedStarts: Uint32Array;
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
    this.embedStarts = new Uint32Array(Math.ceil(SYMBOLS ** this.embedGram / 32));
    brands.forEach((b) => {
      if (b.embed && b.brand.fold.length <= MAX_LEN) {
        const g = gramAt(b.brand.fold, 0, this.embedGram);
        this.embedStarts[g >>> 5]! |= 1 << (g & 31);
      }
    });
  }

  private markNear(form: string, distance: number): void {
    const m = form.length;
    const lo = Math.max(0, m - distance);
    const hi = Math.min(MAX_LEN + 1, m + distance);
    if (distance > 1 || (distance === 1 && m < 5) || m === 0) {
      for (let len = lo; len <= hi; len++) this.open[len] = 1;
      return;
    }
    const c = (i: number): number => sym(form.charCodeAt(i));
    for (let len = lo; len <= hi; len++) {
      if (len >= FILTERED_LENGTHS) {
        this.open[len] = 1;
        continue;
      }
      this.setKey(endsKey(c(0), c(m - 1), len));
      if (distance === 0) continue;
      this.setKey(headKey((c(0) * SYMBOLS + c(1)) * SYMBOLS + c(2), len));
      this.setKey(tailKey((c(m - 3) * SYMBOLS + c(m - 2)) * SYMBOLS + c(m - 1), len));
    }
  }

  private setKey(k: number): void {
    const bit = keyBit(k);
    this.nearKeys[bit >>> 5]! |= 1 << (bit & 31);
  }

  private hasKey(k: number): boolean {
    const bit = keyBit(k);
    return (this.nearKeys[bit >>> 5]! & (1 << (bit & 31))) !== 0;
  }

  /** Whether the run codes[a, b) may be near a brand (false: certainly not). */
  private mayBeNear(codes: ArrayLike<number>, a: number, b: number): boolean {
    const len = b - a;
    if (this.open[len] === 1 || len >= FILTERED_LENGTHS) return true;
    if (len === 0) return false;
    const f = sym(codes[a]!);
    const l = sym(codes[b - 1]!);
    if (this.hasKey(endsKey(f, l, len))) return true;
    if (len < 3) return false;
    if (this.hasKey(headKey((f * SYMBOLS + sym(codes[a + 1]!)) * SYMBOLS + sym(codes[a + 2]!), len))) return true;
    return this.hasKey(tailKey((sym(codes[b - 3]!) * SYMBOLS + sym(codes[b - 2]!)) * SYMBOLS + l, len));
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
        if (len < this.minRun || !this.mayBeNear(codes, a, b)) continue;
        if (lengths[len] === 1) this.lookup(near, this.h(a, b), len);
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
        let g = 0;
        for (let x = p; x < p + q; x++) g = g * SYMBOLS + sym(codes[x]!);
        if ((this.embedStarts[g >>> 5]! & (1 << (g & 31))) === 0) continue;
        for (const L of embedLengths) {
          if (L >= len || p + L > end) break;
          this.lookup(this.embedded, this.h(p, p + L), L);
        }
      }
    }
  }
}
