// The common case laid out without objects: an ASCII name with no xn-- label and no rn or vv,
// whose folds are its letters with 0 → o and 1 → l (name.ts). The candidate index reads these
// arrays; a ParsedName is built only for a name with candidates. Anything else: undefined, and
// the caller parses the name in full.
const MAX = 1024;

export class FastName {
  readonly codes = new Uint16Array(MAX);
  readonly starts = new Int32Array(MAX);
  readonly ends = new Int32Array(MAX);
  length = 0;
  count = 0;

  /** Lays `value` out; false when it needs the full parse. */
  layout(value: string): boolean {
    const v = value.length;
    if (v > MAX) return false;
    // The last label gives no tokens (name.ts); a leading `*.` is dropped.
    let end = value.lastIndexOf('.');
    if (end < 0) end = v;
    let i = value.startsWith('*.') ? 2 : 0;
    if (end <= i) end = v; // "*.com" and the like: let the full parse decide
    let n = 0;
    let count = 0;
    let inToken = false;
    for (; i < end; i++) {
      let c = value.charCodeAt(i);
      if (c >= 65 && c <= 90) c += 32;
      if (c > 127) return false;
      const word = (c >= 97 && c <= 122) || (c >= 48 && c <= 57);
      if (!word) {
        if (inToken) this.ends[count++] = n;
        inToken = false;
        continue;
      }
      if (c === 48) c = 111; // 0 → o
      else if (c === 49) c = 108; // 1 → l
      if (inToken) {
        const prev = this.codes[n - 1];
        // rn, vv, or an xn-- label: the full parse.
        if ((c === 110 && prev === 114) || (c === 118 && prev === 118) || (c === 45 && prev === 110 && n - this.starts[count]! === 2)) return false;
      } else {
        this.starts[count] = n;
        inToken = true;
      }
      this.codes[n++] = c;
    }
    if (inToken) this.ends[count++] = n;
    // An xn-- label splits into "xn" and the rest at its hyphens: look for it directly.
    if (value.includes('xn--')) return false;
    this.length = n;
    this.count = count;
    return true;
  }
}
