// Finds every occurrence of long literals (at least Q characters) by their first Q characters.
//
// With tens of thousands of keywords the Aho–Corasick table grows to tens of MiB, and a scan of
// keyword-like text wanders through its deep states, one cache miss per character. Here a scan
// rolls a hash of the last Q characters and tests a bit in a 128 KiB bitmap (cache resident);
// only on a set bit does it look the hash up and compare the few literals that start that way.
// Each prefix sets two bits (a Bloom filter), tested in turn: with one, at the classic
// benchmark's 100,000 signatures 4.5% of `domain` positions reached the table and only 1.5% found
// an entry there (3.4% of the bits were set); with two bits 2.0% reach it.
import { needleAlphabet } from './fold.js';
import { IdTable } from './id-table.js';

export type QGramSink = (needle: number, end: number) => void;

export const Q = 5;
const BASE = 0x01000193; // FNV prime: a good spread for the rolling hash
const BITMAP_BITS = 1 << 20;

function power(base: number, exp: number): number {
  let r = 1;
  for (let i = 0; i < exp; i++) r = Math.imul(r, base);
  return r;
}
const BASE_Q = power(BASE, Q);

function slot(hash: number): number {
  return Math.imul(hash, 0x9e3779b1) >>> 12; // 20 bits
}

/** A second bit per prefix (a Bloom filter with two hashes): see the class's comment. */
function slot2(hash: number): number {
  return Math.imul(hash, 0x85ebca6b) >>> 12;
}

/** Two code units after the prefix, packed as `scan` reads them (0 past the end), as an int32. */
function nextUnits(s: string, at: number): number {
  return (s.charCodeAt(at) << 16) | s.charCodeAt(at + 1);
}

/** Int32 words per needle of the table in `slots`: next two units, their mask, offset in `codes`, length. */
const SLOT_WORDS = 4;

/** The hash as the table's key: the same product, rotated so that its well-mixed high bits come low (one to one). */
function tableKey(hash: number): number {
  const m = Math.imul(hash, 0x9e3779b1);
  return (m >>> 16) | (m << 16);
}

export class QGramIndex {
  private readonly symbolOf: Uint16Array;
  private readonly bitmap = new Uint32Array(BITMAP_BITS / 32);
  /**
   * Rolling hash of a Q-prefix → the needles starting with it (and any colliding ones). Over
   * typed arrays: a Map boxed the hashes past 2^30, one heap number per look-up.
   */
  private readonly byHash: IdTable;
  /**
   * Per needle of `byHash.ids`, side by side: its two code units after the prefix and which of
   * them it has, then where its code units are in `codes` and how many. Keyword-like needles
   * crowd a few prefixes (up to 25 needles on one at 100,000 hit-heavy signatures): the two
   * units settle most of them, and the rest are compared unit by unit, without a call to
   * `startsWith` and a load of the needle string each (a fifth of the scan there).
   */
  private readonly slots: Int32Array;
  private readonly codes: Uint16Array;

  /** `needles` are folded (fold.ts) and at least Q characters long. */
  constructor(needles: readonly string[]) {
    // The text is not folded: each character gets the symbol of its fold.
    const { symbolOf } = needleAlphabet(needles);
    this.symbolOf = symbolOf;

    const byHash = new Map<number, number[]>();
    needles.forEach((n, id) => {
      if (n.length < Q) throw new Error(`q-gram needle shorter than ${Q}: ${n}`);
      let h = 0;
      for (let i = 0; i < Q; i++) h = (Math.imul(h, BASE) + symbolOf[n.charCodeAt(i)]!) | 0;
      for (const s of [slot(h), slot2(h)]) this.bitmap[s >>> 5]! |= 1 << (s & 31);
      const k = tableKey(h);
      let list = byHash.get(k);
      if (!list) byHash.set(k, (list = []));
      list.push(id);
    });
    this.byHash = new IdTable(byHash);
    const { ids } = this.byHash;
    this.slots = new Int32Array(ids.length * SLOT_WORDS);
    let total = 0;
    for (let k = 0; k < ids.length; k++) total += needles[ids[k]!]!.length;
    this.codes = new Uint16Array(total);
    let at = 0;
    for (let k = 0; k < ids.length; k++) {
      const needle = needles[ids[k]!]!;
      const w = k * SLOT_WORDS;
      this.slots[w] = nextUnits(needle, Q);
      this.slots[w + 1] = needle.length >= Q + 2 ? -1 : needle.length === Q + 1 ? 0xffff0000 | 0 : 0;
      this.slots[w + 2] = at;
      this.slots[w + 3] = needle.length;
      for (let i = 0; i < needle.length; i++) this.codes[at++] = needle.charCodeAt(i);
    }
  }

  /**
   * Reports each occurrence of each needle in `text`, by its end offset. `folded` gives the folded text
   * (computed only when a comparison is needed).
   */
  scan(text: string, folded: () => string, sink: QGramSink): void {
    const { symbolOf, bitmap } = this;
    const n = text.length;
    if (n < Q) return;
    let h = 0;
    for (let i = 0; i < n; i++) {
      h = (Math.imul(h, BASE) + symbolOf[text.charCodeAt(i)]!) | 0;
      if (i >= Q) h = (h - Math.imul(symbolOf[text.charCodeAt(i - Q)]!, BASE_Q)) | 0;
      if (i < Q - 1) continue;
      const s = slot(h);
      if ((bitmap[s >>> 5]! & (1 << (s & 31))) === 0) continue;
      const s2 = slot2(h);
      if ((bitmap[s2 >>> 5]! & (1 << (s2 & 31))) === 0) continue;
      const table = this.byHash;
      const e = table.find(tableKey(h));
      if (e < 0) continue;
      const start = i - Q + 1;
      const f = folded();
      const after = nextUnits(f, start + Q);
      const { slots, codes } = this;
      for (let k = table.starts[e]!, end = table.starts[e + 1]!; k < end; k++) {
        const w = k * SLOT_WORDS;
        if ((after & slots[w + 1]!) !== slots[w]) continue;
        // The whole needle: its prefix was only compared by hash.
        const from = slots[w + 2]!;
        const length = slots[w + 3]!;
        if (start + length > f.length) continue;
        let j = 0;
        while (j < length && f.charCodeAt(start + j) === codes[from + j]) j++;
        if (j === length) sink(table.ids[k]!, start + length);
      }
    }
  }
}
