// A trie of literals anchored at one end of the text: prefixes (`^login\.`) walked forward from
// the first character, suffixes (`\.evil\.com$`, `(^|\.)evil\.com$`) walked backward from the
// last. A walk stops at the first character no literal continues with, so it reads a handful of
// nodes, and the shared top of the trie (`moc.`, `ten.` …) stays in cache. Keeping these
// literals out of the Aho–Corasick automaton keeps that automaton small.

import { needleAlphabet } from './fold.js';

export type AnchoredSink = (needle: number, length: number) => void;

export class AnchoredTrie {
  private readonly symbolOf: Uint16Array;
  private readonly alphabet: number;
  /**
   * children[row + symbol] = child node × 2, plus 1 when needles end at the child; 0 = none (the
   * root is node 0, row 0; a node's row is node × alphabet). The bit spares a walk the read of
   * `outStart` at nodes where nothing ends, nearly all of them: with 100,000 signatures that read
   * missed the cache at every step past the trie's shared top.
   */
  private readonly children: Int32Array;
  /** Per node: needles ending there, outNeedles[outStart[node] … outStart[node + 1]). */
  private readonly outStart: Int32Array;
  private readonly outNeedles: Int32Array;
  readonly stateCount: number;

  /**
   * `needles` are folded (fold.ts); `reverse` makes them suffixes. The alphabet maps each
   * character to the symbol of its fold, so raw text can be walked.
   */
  constructor(
    needles: readonly string[],
    private readonly reverse: boolean,
  ) {
    const { symbolOf, size: alphabet } = needleAlphabet(needles);
    this.symbolOf = symbolOf;
    this.alphabet = alphabet;

    let capacity = 256;
    let children = new Int32Array(capacity * alphabet);
    let states = 1;
    const ends: number[][] = [[]];
    needles.forEach((n, idx) => {
      let row = 0;
      for (let k = 0; k < n.length; k++) {
        const i = reverse ? n.length - 1 - k : k;
        const sym = symbolOf[n.charCodeAt(i)]!;
        let next = children[row + sym]!;
        if (next === 0) {
          if (states === capacity) {
            capacity *= 2;
            const grown = new Int32Array(capacity * alphabet);
            grown.set(children);
            children = grown;
          }
          next = states++ * alphabet;
          children[row + sym] = next;
          ends.push([]);
        }
        row = next;
      }
      ends[row / alphabet]!.push(idx);
    });
    this.stateCount = states;
    this.children = children.slice(0, states * alphabet);
    for (let i = 0; i < this.children.length; i++) {
      const row = this.children[i]!;
      if (row === 0) continue;
      const node = row / alphabet;
      this.children[i] = node * 2 + (ends[node]!.length > 0 ? 1 : 0);
    }

    let total = 0;
    for (const e of ends) total += e.length;
    this.outNeedles = new Int32Array(total);
    this.outStart = new Int32Array(states + 1);
    let k = 0;
    ends.forEach((list, s) => {
      this.outStart[s] = k;
      for (const n of list) this.outNeedles[k++] = n;
    });
    this.outStart[states] = k;
  }

  /** Reports every needle that is a prefix (or, reversed, a suffix) of `text`, with its length. */
  walk(text: string, sink: AnchoredSink): void {
    const { symbolOf, children, alphabet, outStart, outNeedles } = this;
    const n = text.length;
    let row = 0;
    for (let k = 0; k < n; k++) {
      const sym = symbolOf[text.charCodeAt(this.reverse ? n - 1 - k : k)]!;
      if (sym === 0) return;
      const child = children[row + sym]!;
      if (child === 0) return;
      const node = child >>> 1;
      row = node * alphabet;
      if ((child & 1) === 0) continue;
      for (let j = outStart[node]!, e = outStart[node + 1]!; j < e; j++) sink(outNeedles[j]!, k + 1);
    }
  }
}
