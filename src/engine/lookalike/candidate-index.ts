// Which brands a name might imitate, without a loop over the brands (SymSpell's idea): every
// string within k deletions of a brand's fold is indexed; a run of the name's tokens looks up
// its own deletion neighbourhood. Two strings within Damerau–Levenshtein distance k share a
// string reachable by at most k deletions from each (a replacement or a transposition deletes
// one character on both sides), so every brand within its distance is proposed. Keys are 32-bit
// polynomial hashes of code units computed from the name's prefix hashes, so looking up costs
// no string; a collision only proposes one more brand, which explain.ts then refutes.
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
  private readonly near = new Map<number, number[]>();
  private readonly nearLengths = new Set<number>();
  private readonly embedded = new Map<number, number[]>();
  /** Lengths of embeddable brand folds, ascending. */
  private readonly embedLengths: number[];
  private readonly maxDistance: number;
  private readonly minRun: number;
  private readonly maxRun: number;
  private pre = new Uint32Array(64);

  constructor(brands: readonly CompiledBrand[]) {
    const add = (map: Map<number, number[]>, k: number, id: number): void => {
      const list = map.get(k);
      if (!list) map.set(k, [id]);
      else if (list[list.length - 1] !== id) list.push(id);
    };
    const embedLengths = new Set<number>();
    let maxDistance = 0;
    let minRun = Infinity;
    let maxRun = 0;
    brands.forEach((b, id) => {
      const fold = b.brand.fold;
      maxDistance = Math.max(maxDistance, b.distance);
      minRun = Math.min(minRun, fold.length - b.distance);
      maxRun = Math.max(maxRun, fold.length + b.distance);
      const near = deletions(fold, b.distance);
      if (b.brand.plain !== fold) for (const s of deletions(b.brand.plain, b.distance)) near.add(s);
      for (const s of near) {
        add(this.near, key(hashOf(s), s.length), id);
        this.nearLengths.add(s.length);
      }
      maxRun = Math.max(maxRun, b.brand.plain.length + b.distance);
      if (b.embed) {
        add(this.embedded, key(hashOf(fold), fold.length), id);
        embedLengths.add(fold.length);
      }
    });
    this.embedLengths = [...embedLengths].sort((a, b) => a - b);
    this.maxDistance = maxDistance;
    this.minRun = Math.max(1, minRun);
    this.maxRun = Math.min(maxRun, MAX_LEN);
  }

  /** Calls `sink` with the id of every brand the name might imitate (some more than once). */
  collect(name: ParsedName, sink: (brand: number) => void): void {
    this.collectRuns(name.codes, name.tokens, false, sink);
    // Plain forms differ from folds only where rn or vv was merged: see name.ts.
    if (name.plainCodes) this.collectRuns(name.plainCodes, name.tokens, true, sink);
  }

  private collectRuns(codes: readonly number[], tokens: ParsedName['tokens'], plain: boolean, sink: (brand: number) => void): void {
    const n = codes.length;
    if (this.pre.length <= n) this.pre = new Uint32Array(2 * n + 1);
    const pre = this.pre;
    for (let i = 0; i < n; i++) pre[i + 1] = (Math.imul(pre[i]!, B) + codes[i]!) >>> 0;
    // Hash of codes[a, b).
    const h = (a: number, b: number): number => (pre[b]! - Math.imul(pre[a]!, POW[b - a]!)) >>> 0;
    const lookup = (map: Map<number, number[]>, hash: number, length: number): void => {
      const list = map.get(key(hash, length));
      if (list) for (const id of list) sink(id);
    };
    const k = this.maxDistance;
    for (let i = 0; i < tokens.length; i++) {
      const a = plain ? tokens[i]!.plainStart : tokens[i]!.start;
      for (let j = i; j < tokens.length; j++) {
        const b = plain ? tokens[j]!.plainEnd : tokens[j]!.end;
        const len = b - a;
        if (len > this.maxRun) break;
        if (len < this.minRun) continue;
        if (this.nearLengths.has(len)) lookup(this.near, h(a, b), len);
        if (k >= 1 && this.nearLengths.has(len - 1)) {
          for (let p = a; p < b; p++) lookup(this.near, (Math.imul(h(a, p), POW[b - p - 1]!) + h(p + 1, b)) >>> 0, len - 1);
        }
        if (k >= 2 && this.nearLengths.has(len - 2)) {
          for (let p = a; p < b; p++) {
            for (let q = p + 1; q < b; q++) {
              const left = (Math.imul(h(a, p), POW[q - p - 1]!) + h(p + 1, q)) >>> 0;
              lookup(this.near, (Math.imul(left, POW[b - q - 1]!) + h(q + 1, b)) >>> 0, len - 2);
            }
          }
        }
      }
      if (plain) continue; // embedded brands are looked for in folds only (explain.ts)
      const len = tokens[i]!.end - a;
      for (const L of this.embedLengths) {
        if (L >= len) break;
        for (let p = a; p + L <= a + len; p++) lookup(this.embedded, h(p, p + L), L);
      }
    }
  }
}
