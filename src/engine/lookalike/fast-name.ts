// The common case laid out without objects: an ASCII name with no xn-- label, whose plain forms
// are its letters with 0 → o and 1 → l and whose folds are the same with rn → m and vv → w
// (name.ts). The candidate index reads these arrays; a ParsedName is built only for a name with
// candidates, from the layout (parsed()). Anything else (non-ASCII, xn--): layout() returns
// false, and the caller parses the name in full.
import { collapsePairs, plainAscii, type ParsedName, type Token } from './name.js';

const MAX = 1024;

/** An ASCII code unit's fold (lower case, 0 → o, 1 → l), or 0 for a separator: one load, not five tests. */
const FOLD = new Uint8Array(128);
for (let c = 48; c <= 57; c++) FOLD[c] = c;
for (let c = 97; c <= 122; c++) FOLD[c] = FOLD[c - 32] = c;
FOLD[48] = 111;
FOLD[49] = 108;

/** Where a name's words start: after a leading `*.`, which the labels do not count. */
function afterWildcard(value: string): number {
  return value.length >= 2 && value.charCodeAt(0) === 42 && value.charCodeAt(1) === 46 ? 2 : 0;
}

/** Whether the hyphen at `i` ends `xn--`, in any case: punycode, left to the full parse. */
function endsPunycodePrefix(value: string, i: number): boolean {
  return i >= 3 && value.charCodeAt(i - 1) === 45 && (value.charCodeAt(i - 2) | 32) === 110 && (value.charCodeAt(i - 3) | 32) === 120;
}

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
  /**
   * Whether some token's fold merged rn or vv (ParsedName.plainCodes is then defined): the plain
   * forms are then laid out too, token i being plainCodes[plainStarts[i], plainEnds[i]).
   * Otherwise the plain arrays are stale and the plain forms are the folds.
   */
  merged = false;
  readonly plainCodes = new Uint16Array(MAX);
  readonly plainStarts = new Int32Array(MAX);
  readonly plainEnds = new Int32Array(MAX);
  plainLength = 0;

  /**
   * Lays `value` out; false when it needs the full parse. layoutPairs is the same loop writing
   * the plain forms too, kept apart so that this one, which nearly every name takes, writes one
   * array: one loop writing both measured 7–16% slower per name (and 3–11% on a name with no
   * candidate brand, whole matchValue), both builds alternating in one process.
   */
  layout(value: string): boolean {
    const v = value.length;
    if (v > MAX) return false;
    const { codes, starts, ends, rawStarts, labels } = this;
    // One pass over the whole value (lastIndexOf and includes cost as much again on sliced
    // strings): the tokens of the last label are dropped at the end, as name.ts drops that label,
    // by going back to what was laid out before its dot. A leading `*.` is skipped.
    let i = afterWildcard(value);
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
        } else if (raw === 45 && endsPunycodePrefix(value, i)) {
          return false; // xn--, in any case: punycode for the full parse
        }
        continue;
      }
      if (inToken) {
        const prev = codes[n - 1];
        // rn or vv: the folds and plain forms differ, laid out by the slower pass (1.6% of the
        // popular names: journal, learn, modern…, which the full parse took six times as long).
        if ((c === 110 && prev === 114) || (c === 118 && prev === 118)) return this.layoutPairs(value);
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
    this.merged = false;
    return true;
  }

  /**
   * layout() for a name with rn or vv in a word: the same pass writing the plain forms beside
   * the folds. collapsePairs replaces rn, then vv, left to right without overlaps; as the two
   * pairs share no letter and their replacements (m, w) are neither, merging each pair into the
   * fold code before it as the pair ends gives the same folds (rnn → mn, vvv → wv). A merge in
   * the last label (not laid out) does not count.
   */
  private layoutPairs(value: string): boolean {
    const v = value.length;
    const { codes, starts, ends, rawStarts, labels, plainCodes, plainStarts, plainEnds } = this;
    let i = afterWildcard(value);
    let n = 0;
    let pn = 0;
    let count = 0;
    let inToken = false;
    let merged = false;
    let nBeforeDot = -1;
    let pnBeforeDot = -1;
    let countBeforeDot = -1;
    let mergedBeforeDot = false;
    let dots = 0;
    for (; i < v; i++) {
      const raw = value.charCodeAt(i);
      if (raw > 127) return false;
      const c = FOLD[raw]!;
      if (c === 0) {
        if (inToken) {
          ends[count] = n;
          plainEnds[count++] = pn;
        }
        inToken = false;
        if (raw === 46) {
          dots++;
          nBeforeDot = n;
          pnBeforeDot = pn;
          countBeforeDot = count;
          mergedBeforeDot = merged;
        } else if (raw === 45 && endsPunycodePrefix(value, i)) {
          return false;
        }
        continue;
      }
      plainCodes[pn++] = c;
      if (inToken) {
        const prev = codes[n - 1];
        if ((c === 110 && prev === 114) || (c === 118 && prev === 118)) {
          codes[n - 1] = c === 110 ? 109 : 119;
          merged = true;
          continue;
        }
      } else {
        starts[count] = n;
        plainStarts[count] = pn - 1;
        rawStarts[count] = i;
        labels[count] = dots;
        inToken = true;
      }
      codes[n++] = c;
    }
    if (inToken) {
      ends[count] = n;
      plainEnds[count++] = pn;
    }
    if (countBeforeDot >= 0) {
      n = nBeforeDot;
      pn = pnBeforeDot;
      count = countBeforeDot;
      merged = mergedBeforeDot;
    }
    this.length = n;
    this.plainLength = pn;
    this.count = count;
    this.labelCount = dots + 1;
    this.merged = merged;
    return true;
  }

  /**
   * parseName(value) of the value just laid out, from the layout: the codes are taken as they
   * are and only each token's strings are made.
   */
  parsed(value: string): ParsedName {
    if (this.merged) return this.parsedPairs(value);
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
    return { value, tokens, codes: copy(this.codes, this.length), plainCodes: undefined, labelCount: this.labelCount };
  }

  /** parsed() when a fold merged rn or vv: a raw word is as long as its plain form. */
  private parsedPairs(value: string): ParsedName {
    const lower = value.toLowerCase();
    const tokens: Token[] = [];
    for (let t = 0; t < this.count; t++) {
      const start = this.starts[t]!;
      const end = this.ends[t]!;
      const plainStart = this.plainStarts[t]!;
      const plainEnd = this.plainEnds[t]!;
      const from = this.rawStarts[t]!;
      const raw = lower.slice(from, from + plainEnd - plainStart);
      const plain = plainAscii(raw);
      const fold = end - start === plainEnd - plainStart ? plain : collapsePairs(plain);
      tokens.push({ raw, plain, fold, label: this.labels[t]!, start, end, plainStart, plainEnd });
    }
    return { value, tokens, codes: copy(this.codes, this.length), plainCodes: copy(this.plainCodes, this.plainLength), labelCount: this.labelCount };
  }
}

/** The first `length` codes as a plain array (Array.from of a subarray measured slower). */
function copy(codes: Uint16Array, length: number): number[] {
  const out: number[] = [];
  for (let i = 0; i < length; i++) out.push(codes[i]!);
  return out;
}
