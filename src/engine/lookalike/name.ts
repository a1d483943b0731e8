// A value as a look-alike sees it: its words ("tokens": the parts of each label between hyphens,
// underscores or spaces), each in three forms —
//   raw:   lower case, xn-- labels decoded (what the reader sees),
//   plain: diacritics dropped, UTS #39 confusables to their ASCII prototype (as domain.skeleton),
//          and the ASCII confusables 0 → o, 1 → l,
//   fold:  plain with the letter pairs rn → m and vv → w (UTS #39 maps m → rn and w → vv;
//          folding the other way keeps ordinary spelling).
// Distances are taken on fold and on plain, the smaller counting: a pair merged by the fold
// would otherwise turn one edit next to it into two (`micrnsoft` is one bit flip of microsoft).
// The last label (the TLD) gives no tokens: brands are imitated left of it. The folds of all
// tokens are laid end to end in `codes`, so a run of tokens is a slice of it.
import punycode from 'punycode/punycode.js';
import { domainSkeleton } from '../../fields/domain.js';

export interface Token {
  readonly raw: string;
  readonly plain: string;
  readonly fold: string;
  /** Index of the label (0 = leftmost) the token is in. */
  readonly label: number;
  /** The token's fold is codes[start, end). */
  readonly start: number;
  readonly end: number;
  /** The token's plain form is plainCodes[plainStart, plainEnd). */
  readonly plainStart: number;
  readonly plainEnd: number;
}

export interface ParsedName {
  readonly value: string;
  readonly tokens: readonly Token[];
  /** UTF-16 code units of every token's fold, end to end. */
  readonly codes: readonly number[];
  /** The same for the plain forms; undefined when every plain form equals its fold. */
  readonly plainCodes: readonly number[] | undefined;
  /** Labels in the value (after a leading `*.` is dropped). */
  readonly labelCount: number;
}

const NON_ASCII_OR_PUNY = /[^\p{ASCII}]|xn--/u;
const ASCII_SPLIT = /[^a-z0-9]+/;
const UNICODE_SPLIT = /[^\p{L}\p{N}\p{M}]+/u;
const MARKS = /\p{M}/gu;

/** The look-alike skeleton of one word. */
export function foldWord(word: string): string {
  return collapsePairs(plainWord(word));
}

export function collapsePairs(plain: string): string {
  let out = plain;
  if (out.includes('rn')) out = out.replaceAll('rn', 'm');
  if (out.includes('vv')) out = out.replaceAll('vv', 'w');
  return out;
}

export function plainWord(word: string): string {
  let out = word;
  if (NON_ASCII_OR_PUNY.test(out)) {
    let folded = '';
    for (const ch of out.normalize('NFKD').replace(MARKS, '')) folded += ch.charCodeAt(0) < 0x80 ? ch : domainSkeleton(ch).toLowerCase();
    out = folded;
  }
  if (out.includes('0')) out = out.replaceAll('0', 'o');
  if (out.includes('1')) out = out.replaceAll('1', 'l');
  return out;
}

/** plainWord of a word already known to be ASCII without xn--. */
export function plainAscii(word: string): string {
  let out = word;
  if (out.includes('0')) out = out.replaceAll('0', 'o');
  if (out.includes('1')) out = out.replaceAll('1', 'l');
  return out;
}

function decodeLabel(label: string): string {
  if (!label.startsWith('xn--')) return label;
  try {
    return punycode.decode(label.slice(4)).toLowerCase();
  } catch {
    return label;
  }
}

export function parseName(value: string): ParsedName {
  const lower = value.toLowerCase();
  return NON_ASCII_OR_PUNY.test(lower) ? parseAnyName(value, lower) : parseAsciiName(value, lower);
}

/** parseName for any value (exported for the test that holds the ASCII path to it). */
export function parseAnyName(value: string, lower = value.toLowerCase()): ParsedName {
  let labels = lower.split('.');
  if (labels.length > 1 && labels[0] === '*') labels = labels.slice(1);
  const labelCount = labels.length;
  const tokenLabels = labelCount > 1 ? labelCount - 1 : labelCount;
  const name = new NameBuilder();
  for (let l = 0; l < tokenLabels; l++) {
    const label = labels[l]!;
    const ascii = !NON_ASCII_OR_PUNY.test(label);
    const words = ascii ? label.split(ASCII_SPLIT) : decodeLabel(label).split(UNICODE_SPLIT);
    for (const raw of words) {
      if (raw === '') continue;
      const plain = ascii ? plainAscii(raw) : plainWord(raw);
      if (plain !== '') name.add(raw, plain, l);
    }
  }
  return name.build(value, labelCount);
}

/** A ParsedName's tokens and code arrays, one word at a time. */
class NameBuilder {
  private readonly tokens: Token[] = [];
  private readonly codes: number[] = [];
  private readonly plainCodes: number[] = [];
  private differ = false;

  add(raw: string, plain: string, label: number): void {
    const fold = collapsePairs(plain);
    if (fold !== plain) this.differ = true;
    const start = this.codes.length;
    for (let i = 0; i < fold.length; i++) this.codes.push(fold.charCodeAt(i));
    const plainStart = this.plainCodes.length;
    for (let i = 0; i < plain.length; i++) this.plainCodes.push(plain.charCodeAt(i));
    this.tokens.push({ raw, plain, fold, label, start, end: this.codes.length, plainStart, plainEnd: this.plainCodes.length });
  }

  build(value: string, labelCount: number): ParsedName {
    return { value, tokens: this.tokens, codes: this.codes, plainCodes: this.differ ? this.plainCodes : undefined, labelCount };
  }
}

/**
 * parseName for an ASCII value without xn-- labels (most names): the same tokens, read in one
 * pass instead of through split() and a regex per label.
 */
function parseAsciiName(value: string, lower: string): ParsedName {
  let dots = 0;
  for (let i = lower.indexOf('.'); i >= 0; i = lower.indexOf('.', i + 1)) dots++;
  let i = 0;
  let labelCount = dots + 1;
  if (dots > 0 && lower.startsWith('*.')) {
    i = 2;
    labelCount--;
  }
  const tokenLabels = labelCount > 1 ? labelCount - 1 : labelCount;
  const name = new NameBuilder();
  let label = 0;
  const n = lower.length;
  while (i < n && label < tokenLabels) {
    const c = lower.charCodeAt(i);
    if (c === 46) {
      label++;
      i++;
      continue;
    }
    if (!((c >= 97 && c <= 122) || (c >= 48 && c <= 57))) {
      i++;
      continue;
    }
    let e = i + 1;
    for (; e < n; e++) {
      const d = lower.charCodeAt(e);
      if (!((d >= 97 && d <= 122) || (d >= 48 && d <= 57))) break;
    }
    const raw = lower.slice(i, e);
    name.add(raw, plainAscii(raw), label);
    i = e;
  }
  return name.build(value, labelCount);
}

/** A brand pattern's forms (as a token's): its letters without hyphens. */
export interface Brand {
  readonly pattern: string;
  readonly raw: string;
  readonly plain: string;
  readonly fold: string;
}

export function parseBrand(pattern: string): Brand {
  const raw = pattern.toLowerCase().split(UNICODE_SPLIT).join('');
  const plain = plainWord(raw);
  return { pattern, raw, plain, fold: collapsePairs(plain) };
}
