// Case folding for the literal fast paths, exact with respect to RE2's case-insensitive matching
// for ASCII needles.
//
// RE2 (?i) treats characters as equal when they share a simple case-folding orbit. The orbits of
// ASCII letters hold only the ASCII pair plus two non-ASCII characters: KELVIN SIGN (U+212A, in
// k's orbit) and LATIN SMALL LETTER LONG S (U+017F, in s's orbit). Mapping those two and lower-casing
// ASCII is therefore exact for any ASCII needle, and it keeps every UTF-16 position in place, so an
// automaton can run on the folded text and report offsets valid in the original. Needles with
// non-ASCII characters under (?i) never use this fold: they go through RE2.

// eslint-disable-next-line no-control-regex -- the ASCII range starts at NUL by definition
const NON_ASCII = /[^\x00-\x7f]/;

export function isAscii(s: string): boolean {
  return !NON_ASCII.test(s);
}

export function foldAscii(s: string): string {
  if (!NON_ASCII.test(s)) return s.toLowerCase();
  let out = '';
  for (let i = 0; i < s.length; i++) {
    const c = s.charCodeAt(i);
    if (c >= 65 && c <= 90) out += String.fromCharCode(c + 32);
    else if (c === 0x212a) out += 'k';
    else if (c === 0x017f) out += 's';
    else out += s[i];
  }
  return out;
}

export interface Alphabet {
  /** Code unit → symbol (1…size-1); 0 for every unit no needle uses. */
  readonly symbolOf: Uint16Array;
  readonly size: number;
}

/**
 * The compressed alphabet of a set of needles, for the automata: one symbol per code unit some
 * needle uses. With `foldCase` (needles folded, text not) each character gets the symbol of its
 * fold, so scanning raw text equals scanning folded text.
 */
export function needleAlphabet(needles: readonly string[], foldCase = true): Alphabet {
  const symbolOf = new Uint16Array(65536);
  let size = 1;
  for (const n of needles) {
    for (let i = 0; i < n.length; i++) {
      const u = n.charCodeAt(i);
      if (symbolOf[u] === 0) symbolOf[u] = size++;
    }
  }
  if (foldCase) {
    for (let u = 65; u <= 90; u++) symbolOf[u] = symbolOf[u + 32]!;
    symbolOf[0x212a] = symbolOf[107]!; // KELVIN SIGN folds to k
    symbolOf[0x017f] = symbolOf[115]!; // LATIN SMALL LETTER LONG S folds to s
  }
  return { symbolOf, size };
}
