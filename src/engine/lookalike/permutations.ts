// dnstwist-style permutations of a brand (the rules of elceef/dnstwist's fuzzer, written anew):
// what the property tests feed the matcher and what the labelled evaluation (bench:lookalike)
// uses as look-alike positives. Each permutation carries the family that made it and the
// distance it is from the brand by construction (0 for confusables, hyphens, dots, keywords and
// TLDs), so a test can say "within the signature's distance, it must match".
import { foldWord } from './name.js';

export interface Permutation {
  readonly family: string;
  /** The registrable label (without the TLD). */
  readonly label: string;
  readonly tld: string;
  /** Edits from the brand by construction. */
  readonly distance: number;
}

const QWERTY: Record<string, string> = {
  '1': '2q', '2': '3wq1', '3': '4ew2', '4': '5re3', '5': '6tr4', '6': '7yt5', '7': '8uy6', '8': '9iu7', '9': '0oi8', '0': 'po9',
  q: '12wa', w: '3esaq2', e: '4rdsw3', r: '5tfde4', t: '6ygfr5', y: '7uhgt6', u: '8ijhy7', i: '9okju8', o: '0plki9', p: 'lo0',
  a: 'qwsz', s: 'edxzaw', d: 'rfcxse', f: 'tgvcdr', g: 'yhbvft', h: 'ujnbgy', j: 'ikmnhu', k: 'olmji', l: 'kop',
  z: 'asx', x: 'zsdc', c: 'xdfv', v: 'cfgb', b: 'vghn', n: 'bhjm', m: 'njk',
};

/** Look-alike glyphs per letter, as dnstwist's homoglyph table has them (accented, Cyrillic, digit and letter-pair forms). */
const GLYPHS: Record<string, readonly string[]> = {
  a: ['à', 'á', 'â', 'ã', 'ä', 'å', 'ɑ', 'ạ', 'ǎ', 'ă', 'ȧ', 'ą', 'а'],
  b: ['d', 'lb', 'ʙ', 'ɓ', 'ḃ', 'ḅ', 'ḇ', 'ƅ'],
  c: ['e', 'ƈ', 'ċ', 'ć', 'ç', 'č', 'ĉ', 'с'],
  d: ['b', 'cl', 'dl', 'ɗ', 'đ', 'ď', 'ɖ', 'ḑ', 'ḋ', 'ḍ', 'ḏ', 'ḓ'],
  e: ['c', 'é', 'è', 'ê', 'ë', 'ē', 'ĕ', 'ě', 'ė', 'ẹ', 'ę', 'ȩ', 'ɇ', 'ḛ', 'е'],
  g: ['q', 'ɢ', 'ɡ', 'ġ', 'ğ', 'ǵ', 'ģ', 'ĝ', 'ǧ', 'ǥ'],
  h: ['lh', 'ĥ', 'ȟ', 'ħ', 'ɦ', 'ḧ', 'ḩ', 'ⱨ', 'ḣ', 'ḥ', 'ḫ', 'ẖ'],
  i: ['1', 'l', 'í', 'ì', 'ï', 'ı', 'ɩ', 'ǐ', 'ĭ', 'ỉ', 'ị', 'ɨ', 'ȋ', 'ī', 'і'],
  k: ['lk', 'ik', 'lc', 'ḳ', 'ḵ', 'ⱪ', 'ķ', 'ᴋ'],
  l: ['1', 'i', 'ɫ', 'ł'],
  m: ['n', 'nn', 'rn', 'rr', 'ṁ', 'ṃ', 'ᴍ', 'ɱ', 'ḿ'],
  n: ['m', 'r', 'ń', 'ṅ', 'ṇ', 'ṉ', 'ñ', 'ņ', 'ǹ', 'ň', 'ꞑ'],
  o: ['0', 'ȯ', 'ọ', 'ỏ', 'ơ', 'ó', 'ö', 'о'],
  p: ['ƿ', 'ƥ', 'ṕ', 'ṗ', 'р'],
  q: ['g', 'ʠ'],
  r: ['ʀ', 'ɼ', 'ɽ', 'ŕ', 'ŗ', 'ř', 'ɍ', 'ɾ', 'ȓ', 'ȑ', 'ṙ', 'ṛ', 'ṟ'],
  s: ['ʂ', 'ś', 'ṣ', 'ṡ', 'ș', 'ŝ', 'š', 'ѕ'],
  t: ['ţ', 'ŧ', 'ṫ', 'ṭ', 'ț', 'ƫ'],
  u: ['ᴜ', 'ǔ', 'ŭ', 'ü', 'ʉ', 'ù', 'ú', 'û', 'ũ', 'ū', 'ų', 'ư', 'ů', 'ű', 'ȕ', 'ȗ', 'ụ'],
  v: ['ṿ', 'ⱱ', 'ᶌ', 'ṽ', 'ⱴ'],
  w: ['vv', 'ŵ', 'ẁ', 'ẃ', 'ẅ', 'ⱳ', 'ẇ', 'ẉ', 'ẘ'],
  y: ['ʏ', 'ý', 'ÿ', 'ŷ', 'ƴ', 'ȳ', 'ɏ', 'ỿ', 'ẏ', 'ỵ', 'у'],
  z: ['ʐ', 'ż', 'ź', 'ᴢ', 'ƶ', 'ẓ', 'ẕ', 'ⱬ'],
};

const VOWELS = 'aeiou';
const ALNUM = 'abcdefghijklmnopqrstuvwxyz0123456789';
const LABEL_CHAR = /^[a-z0-9-]$/;

/** Edits between a letter and its glyph: 0 when the glyph folds to the letter. */
function glyphDistance(letter: string, glyph: string): number {
  if (foldWord(glyph) === foldWord(letter)) return 0;
  return glyph.length === 1 ? 1 : glyph.length; // one replacement and the rest inserted
}

/**
 * Every permutation of `brand` (a lower-case ASCII label) under `tld`, deduplicated, the brand
 * itself left out. `words` feed the keyword family, `tlds` the TLD swap.
 */
export function permutations(brand: string, tld: string, words: readonly string[] = [], tlds: readonly string[] = []): Permutation[] {
  const out = new Map<string, Permutation>();
  const add = (family: string, label: string, distance: number, t = tld): void => {
    if (label === brand && t === tld) return;
    if (label === '' || label.startsWith('-') || label.endsWith('-') || label.startsWith('.') || label.endsWith('.') || label.includes('..')) return;
    const key = `${label}.${t}`;
    if (!out.has(key)) out.set(key, { family, label, tld: t, distance });
  };
  const n = brand.length;
  for (const c of ALNUM) add('addition', brand + c, 1);
  for (let i = 0; i < n; i++) {
    const head = brand.slice(0, i);
    const ch = brand[i]!;
    const tail = brand.slice(i + 1);
    for (let b = 0; b < 8; b++) {
      const flipped = String.fromCharCode(ch.charCodeAt(0) ^ (1 << b));
      if (LABEL_CHAR.test(flipped)) add('bitsquatting', head + flipped + tail, 1);
    }
    for (const g of GLYPHS[ch] ?? []) add('homoglyph', head + g + tail, glyphDistance(ch, g));
    if (i > 0) {
      add('hyphenation', `${head}-${ch}${tail}`, 0);
      add('subdomain', `${head}.${ch}${tail}`, 0);
    }
    for (const k of QWERTY[ch] ?? '') {
      add('insertion', head + k + ch + tail, 1);
      add('insertion', head + ch + k + tail, 1);
      add('replacement', head + k + tail, 1);
    }
    add('omission', head + tail, 1);
    add('repetition', head + ch + ch + tail, 1);
    if (i < n - 1 && brand[i + 1] !== ch) add('transposition', head + brand[i + 1]! + ch + brand.slice(i + 2), 1);
    if (VOWELS.includes(ch)) for (const v of VOWELS) if (v !== ch) add('vowel-swap', head + v + tail, 1);
  }
  for (const w of words) {
    add('dictionary', `${brand}-${w}`, 0);
    add('dictionary', `${w}-${brand}`, 0);
    add('dictionary', `${brand}${w}`, 0);
    add('dictionary', `${w}${brand}`, 0);
  }
  for (const t of tlds) add('tld-swap', brand, 0, t);
  return [...out.values()];
}
