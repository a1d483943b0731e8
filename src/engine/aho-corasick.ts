// A multi-literal automaton (Aho–Corasick) compiled to a dense DFA over typed arrays.
//
// The alphabet is compressed to the UTF-16 code units that occur in some needle (symbol 0 stands
// for every other unit, which can only lead back to the root), so the transition table is
// states × (used units + 1) Int32 entries. Scanning is one table read per code unit.
import { needleAlphabet } from './fold.js';

export interface AcMatchSink {
  /** Called for each needle ending at `end` (exclusive end offset in the text). */
  (needle: number, end: number): void;
}

export class AhoCorasick {
  private readonly symbolOf: Uint16Array;
  private readonly alphabet: number;
  private readonly delta: Int32Array;
  /** For each state: first index into `outNeedles`, or -1 when the state ends no needle itself. */
  private readonly outStart: Int32Array;
  private readonly outEnd: Int32Array;
  /** For each state: nearest state on its failure chain that ends a needle, or -1. */
  private readonly dictLink: Int32Array;
  /** Whether the state or anything on its failure chain ends a needle. */
  private readonly reports: Uint8Array;
  private readonly outNeedles: Int32Array;
  readonly needleLengths: Int32Array;
  readonly stateCount: number;

  /**
   * `foldCase`: the needles are folded (fold.ts) and the text is not; the alphabet maps each
   * character to the symbol of its fold, so scanning raw text equals scanning folded text.
   */
  constructor(needles: readonly string[], foldCase = false) {
    this.needleLengths = Int32Array.from(needles, (n) => n.length);

    const { symbolOf, size: alphabet } = needleAlphabet(needles, foldCase);
    this.symbolOf = symbolOf;
    this.alphabet = alphabet;

    // Trie, in a growable flat table: child = goto[state * alphabet + symbol], 0 = none (the root
    // is never a child).
    let capacity = 1024;
    let gotoTable = new Int32Array(capacity * alphabet);
    let states = 1;
    let ends: number[][] = [[]];
    needles.forEach((n, idx) => {
      let s = 0;
      for (let i = 0; i < n.length; i++) {
        const sym = symbolOf[n.charCodeAt(i)]!;
        let next = gotoTable[s * alphabet + sym]!;
        if (next === 0) {
          if (states === capacity) {
            capacity *= 2;
            const grown = new Int32Array(capacity * alphabet);
            grown.set(gotoTable);
            gotoTable = grown;
          }
          next = states++;
          gotoTable[s * alphabet + sym] = next;
          ends.push([]);
        }
        s = next;
      }
      ends[s]!.push(idx);
    });
    this.stateCount = states;

    const { table: delta, ends: bfsEnds } = renumberBreadthFirst(gotoTable, ends, states, alphabet);
    ends = bfsEnds;

    // Breadth-first: failure links, then resolve missing transitions through them (a DFA).
    const fail = new Int32Array(states);
    const dictLink = new Int32Array(states).fill(-1);
    const reports = new Uint8Array(states);
    const queue = new Int32Array(states);
    let head = 0;
    let tail = 0;
    for (let sym = 0; sym < alphabet; sym++) {
      const child = delta[sym]!;
      if (child !== 0) {
        fail[child] = 0;
        queue[tail++] = child;
      }
    }
    while (head < tail) {
      const s = queue[head++]!;
      const f = fail[s]!;
      dictLink[s] = ends[f]!.length > 0 ? f : dictLink[f]!;
      reports[s] = ends[s]!.length > 0 || dictLink[s] >= 0 ? 1 : 0;
      const base = s * alphabet;
      const fbase = f * alphabet;
      for (let sym = 0; sym < alphabet; sym++) {
        const child = delta[base + sym]!;
        if (child !== 0) {
          fail[child] = delta[fbase + sym]!;
          queue[tail++] = child;
        } else {
          delta[base + sym] = delta[fbase + sym]!;
        }
      }
    }
    // Final encoding for the scan loop: each entry holds the target's row offset, negated (minus
    // one) when the target reports something, so a step is one read and no multiply.
    for (let k = 0; k < delta.length; k++) {
      const t = delta[k]!;
      delta[k] = reports[t] ? -(t * alphabet) - 1 : t * alphabet;
    }
    this.delta = delta;
    this.dictLink = dictLink;
    this.reports = reports;

    let total = 0;
    for (const e of ends) total += e.length;
    const outNeedles = new Int32Array(total);
    const outStart = new Int32Array(states).fill(-1);
    const outEnd = new Int32Array(states).fill(-1);
    let k = 0;
    for (let s = 0; s < states; s++) {
      const e = ends[s]!;
      if (e.length === 0) continue;
      outStart[s] = k;
      for (const n of e) outNeedles[k++] = n;
      outEnd[s] = k;
    }
    this.outNeedles = outNeedles;
    this.outStart = outStart;
    this.outEnd = outEnd;
  }

  /** Reports every occurrence of every needle in `text` (overlapping ones included). */
  scan(text: string, sink: AcMatchSink): void {
    const { symbolOf, delta, alphabet, outStart, outEnd, outNeedles, dictLink } = this;
    let row = 0;
    for (let i = 0; i < text.length; i++) {
      const v = delta[row + symbolOf[text.charCodeAt(i)]!]!;
      if (v >= 0) {
        row = v;
        continue;
      }
      row = -v - 1;
      const s = row / alphabet;
      let t = outStart[s]! >= 0 ? s : dictLink[s]!;
      while (t >= 0) {
        for (let k = outStart[t]!, e = outEnd[t]!; k < e; k++) sink(outNeedles[k]!, i + 1);
        t = dictLink[t]!;
      }
    }
  }

  /** Bytes held by the tables, for the benchmark's memory figures. */
  get byteSize(): number {
    return (
      this.symbolOf.byteLength +
      this.delta.byteLength +
      this.outStart.byteLength * 4 +
      this.reports.byteLength +
      this.outNeedles.byteLength
    );
  }
}

/**
 * Renumbers trie states in breadth-first order. Scanning spends nearly all its time in shallow
 * states; numbering them first keeps their rows of the table together and in cache, which matters
 * once the table outgrows the caches (100,000 signatures: tens of MiB).
 */
function renumberBreadthFirst(
  trie: Int32Array,
  ends: number[][],
  states: number,
  alphabet: number,
): { table: Int32Array; ends: number[][] } {
  const newId = new Int32Array(states);
  const order = new Int32Array(states);
  let tail = 1; // order[0] = root = 0
  for (let head = 0; head < tail; head++) {
    const s = order[head]!;
    newId[s] = head;
    const base = s * alphabet;
    for (let sym = 0; sym < alphabet; sym++) {
      const child = trie[base + sym]!;
      if (child !== 0) order[tail++] = child;
    }
  }
  const table = new Int32Array(states * alphabet);
  const newEnds: number[][] = new Array<number[]>(states);
  for (let s = 0; s < states; s++) {
    const base = s * alphabet;
    const nbase = newId[s]! * alphabet;
    for (let sym = 0; sym < alphabet; sym++) {
      const child = trie[base + sym]!;
      if (child !== 0) table[nbase + sym] = newId[child]!;
    }
    newEnds[newId[s]!] = ends[s]!;
  }
  return { table, ends: newEnds };
}
