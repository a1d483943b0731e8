// The common case laid out without objects: an ASCII name with no xn-- label and no rn or vv,
// whose folds are its letters with 0 → o and 1 → l (name.ts). The candidate index reads these
// arrays; a ParsedName is built only for a name with candidates, from the layout (parsed()).
// Anything else: layout() returns false, and the caller parses the name in full.
import { plainAscii, type ParsedName, type Token } from './name.js';

const MAX = 1024;

/** An ASCII code unit's fold (lower case, 0 → o, 1 → l), or 0 for a separator: one load, not five tests. */
const FOLD = new Uint8Array(128);
for (let c = 48; c <= 57; c++) FOLD[c] = c;
for (let c = 97; c <= 122; c++) FOLD[c] = FOLD[c - 32] = c;
FOLD[48] = 111;
FOLD[49] = 108;

export class FastName {
  readonly codes = new Uint16Array(MAX);
  readonly starts = new Int32Array(MAX);
  readonly ends = new Int32Array(MAX);
  /** Token i starts at value[rawStarts[i]] and is in label labels[i] (0 = leftmost, after a `*.`). */
  readonly rawStarts = new Int32Array(MAX);
  readonly labels = new Int32Array(MAX);
  length = 0;
  count = 0;
  /** Labels in the value, a leading `*.` not counted (as ParsedName.labelCount). */
  labelCount = 0;

  /** Lays `value` out; false when it needs the full parse. */
  layout(value: string): boolean {
    const v = value.length;
    if (v > MAX) return false;
    const { codes, starts, ends, rawStarts, labels } = this;
    // One pass over the whole value (lastIndexOf and includes cost as much again on sliced
    // strings): the tokens of the last label are dropped at the end, as name.ts drops that label,
    // by going back to what was laid out before its dot. A leading `*.` is skipped.
    let i = v >= 2 && value.charCodeAt(0) === 42 && value.charCodeAt(1) === 46 ? 2 : 0;
    let n = 0;
    let count = 0;
    let inToken = false;
    let nBeforeDot = -1;
    let countBeforeDot = -1;
    let dots = 0;
    for (; i < v; i++) {
      const raw = value.charCodeAt(i);
      if (raw > 127) return false;
      const c = FOLD[raw]!;
      if (c === 0) {
        if (inToken) ends[count++] = n;
        inToken = false;
        if (raw === 46) {
          dots++;
          nBeforeDot = n;
          countBeforeDot = count;
        } else if (raw === 45 && i >= 3 && value.charCodeAt(i - 1) === 45 && (value.charCodeAt(i - 2) | 32) === 110 && (value.charCodeAt(i - 3) | 32) === 120) {
          return false; // xn--, in any case: punycode for the full parse
        }
        continue;
      }
      if (inToken) {
        const prev = codes[n - 1];
        // rn or vv: the full parse.
        if ((c === 110 && prev === 114) || (c === 118 && prev === 118)) return false;
      } else {
        starts[count] = n;
        rawStarts[count] = i;
        labels[count] = dots;
        inToken = true;
      }
      codes[n++] = c;
    }
    if (inToken) ends[count++] = n;
    if (countBeforeDot >= 0) {
      n = nBeforeDot;
      count = countBeforeDot;
    }
    this.length = n;
    this.count = count;
    this.labelCount = dots + 1;
    return true;
  }

  /**
   * parseName(value) of the value just laid out, from the layout: its folds are its plain forms
   * (no rn or vv), so the codes are taken as they are and only each token's strings are made.
   */
  parsed(value: string): ParsedName {
    const lower = value.toLowerCase();
    const tokens: Token[] = [];
    for (let t = 0; t < this.count; t++) {
      const start = this.starts[t]!;
      const end = this.ends[t]!;
      const from = this.rawStarts[t]!;
      const raw = lower.slice(from, from + end - start);
      const plain = plainAscii(raw);
      tokens.push({ raw, plain, fold: plain, label: this.labels[t]!, start, end, plainStart: start, plainEnd: end });
    }
    const codes: number[] = [];
    for (let i = 0; i < this.length; i++) codes.push(this.codes[i]!);
    return { value, tokens, codes, plainCodes: undefined, labelCount: this.labelCount };
  }
}
