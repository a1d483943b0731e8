// Whether one brand is imitated in one name, and why: the exact rule that both matchers apply
// (the fast one only to the brands its candidate index proposes). docs/LOOKALIKE.md says it in words.
//
// A candidate is a run of consecutive tokens (their folds joined) within the brand's distance of
// the brand's fold, or — for brands of at least min_length — one token whose fold contains the
// brand's. Of the candidates, runs come before embedded words (`paypall` is a repetition, not
// paypal with a keyword "l"), then the closest, the leftmost, the shortest; the first whose
// families are all enabled is the hit.
import { getPublicSuffix } from 'tldts';
import { LOOKALIKE_FAMILIES } from '../../signatures/types.js';
import type { LookalikeFamily, LookalikeOptions } from '../../signatures/types.js';
import { oneEdit, osaDistance, osaDistanceCodes, osaEdits, osaUpToOne } from './distance.js';
import { foldWord, parseBrand, type Brand, type ParsedName, type Token } from './name.js';
import type { LookalikeWhy } from './why.js';

// A plain object, not a Map: `bit('omission')` is then a constant-key property load.
const BIT = Object.fromEntries(LOOKALIKE_FAMILIES.map((f, i) => [f, 1 << i])) as Record<LookalikeFamily, number>;
const bit = (f: LookalikeFamily): number => BIT[f];
const VOWELS = 'aeiou';

export interface CompiledBrand {
  readonly brand: Brand;
  /** The distance allowed for this brand: the signature's, or 0 below min_length. */
  readonly distance: number;
  /** Whether the brand is also looked for inside longer words (keyword added without a hyphen). */
  readonly embed: boolean;
  readonly enabled: number;
  /** The folds of the words keyword-added may add; undefined: any word. */
  readonly keywords: Keywords | undefined;
}

/** Keyword folds, and the longest, for splitting a word into keywords. */
interface Keywords {
  readonly folds: ReadonlySet<string>;
  readonly longest: number;
}

export function compileBrand(pattern: string, options: LookalikeOptions): CompiledBrand {
  const brand = parseBrand(pattern);
  const long = brand.fold.length >= options.minLength;
  return {
    brand,
    distance: long ? options.distance : 0,
    embed: long,
    enabled: options.families.reduce((m, f) => m | bit(f), 0),
    keywords: compileKeywords(options.keywords),
  };
}

// Compiled once per list: every brand of a signature shares its options' array.
const compiledKeywords = new WeakMap<readonly string[], Keywords>();

function compileKeywords(words: readonly string[] | undefined): Keywords | undefined {
  if (words === undefined) return undefined;
  let k = compiledKeywords.get(words);
  if (!k) {
    const folds = new Set(words.map((w) => foldWord(w.toLowerCase())));
    k = { folds, longest: Math.max(0, ...[...folds].map((f) => f.length)) };
    compiledKeywords.set(words, k);
  }
  return k;
}

interface Candidate {
  readonly first: number;
  readonly last: number;
  readonly distance: number;
  readonly embedded: boolean;
  /** The distance was taken on plain forms (see name.ts). */
  readonly plain: boolean;
}

/** Index of the label holding the registered name (left of the public suffix). */
export function registeredLabel(name: ParsedName): number {
  // With two labels or fewer it is the first whatever the suffix (the suffix has at least one
  // label): most look-alikes are `brand-word.tld`, and the suffix list is most of a hit's cost.
  if (name.labelCount <= 2) return 0;
  const lower = name.value.toLowerCase();
  const host = lower.startsWith('*.') ? lower.slice(2) : lower;
  // getPublicSuffix, not parse: only the suffix is needed (half the time); null for an IP, as parse's.
  const suffix = getPublicSuffix(host, { allowPrivateDomains: true, extractHostname: false, detectIp: true });
  let suffixLabels = 1;
  if (suffix) for (let i = suffix.indexOf('.'); i >= 0; i = suffix.indexOf('.', i + 1)) suffixLabels++;
  return Math.max(0, name.labelCount - suffixLabels - 1);
}

export function matchBrand(b: CompiledBrand, name: ParsedName, registered: () => number): LookalikeWhy | undefined {
  const candidates = findCandidates(b, name);
  if (candidates.length === 0) return undefined;
  if (candidates.length > 1) candidates.sort(
    (x, y) =>
      Number(x.embedded) - Number(y.embedded) ||
      x.distance - y.distance ||
      x.first - y.first ||
      x.last - y.last,
  );
  for (const c of candidates) {
    const why = explain(b, name, c, registered);
    if (why) return why;
  }
  return undefined;
}

/**
 * The distance of a run from the brand: on folds, or on plain forms when that is smaller. Past
 * `limit` the exact value does not matter (only that it is too far).
 */
function runDistance(brand: Brand, name: ParsedName, first: number, last: number, limit: number): { distance: number; plain: boolean } {
  const start = name.tokens[first]!.start;
  const end = name.tokens[last]!.end;
  const fold = limit <= 1 ? osaUpToOne(brand.fold, name.codes, start, end) : osaDistanceCodes(brand.fold, name.codes, start, end, limit);
  if (fold === 0 || (brand.plain === brand.fold && name.plainCodes === undefined)) return { distance: fold, plain: false };
  // Past the limit only "too far" matters, so a capped plain distance decides as the exact one would.
  const plainStart = name.tokens[first]!.plainStart;
  const plainEnd = name.tokens[last]!.plainEnd;
  const plainCodes = name.plainCodes ?? name.codes;
  const plain = limit <= 1 ? osaUpToOne(brand.plain, plainCodes, plainStart, plainEnd) : osaDistanceCodes(brand.plain, plainCodes, plainStart, plainEnd, limit);
  return plain < fold ? { distance: plain, plain: true } : { distance: fold, plain: false };
}

function findCandidates(b: CompiledBrand, name: ParsedName): Candidate[] {
  const { tokens } = name;
  const target = b.brand.fold;
  const L = target.length;
  const Lp = b.brand.plain.length;
  const k = b.distance;
  const out: Candidate[] = [];
  for (let i = 0; i < tokens.length; i++) {
    const start = tokens[i]!.start;
    const plainStart = tokens[i]!.plainStart;
    for (let j = i; j < tokens.length; j++) {
      const len = tokens[j]!.end - start;
      const plainLen = tokens[j]!.plainEnd - plainStart;
      if (len > L + k && plainLen > Lp + k) break;
      if (Math.abs(len - L) > k && Math.abs(plainLen - Lp) > k) continue;
      const { distance, plain } = runDistance(b.brand, name, i, j, k);
      if (distance <= k) out.push({ first: i, last: j, distance, embedded: false, plain });
    }
    if (b.embed && tokens[i]!.fold.length > L && tokens[i]!.fold.includes(target)) out.push({ first: i, last: i, distance: 0, embedded: true, plain: false });
  }
  return out;
}

/** The families of one candidate as bit masks (each element must have an enabled family). */
function explain(b: CompiledBrand, name: ParsedName, c: Candidate, registered: () => number): LookalikeWhy | undefined {
  const { tokens } = name;
  const rawRun = joinForms(tokens, c, 'raw');
  const elements: number[] = [];
  if (c.embedded) {
    const word = tokens[c.first]!;
    if (b.keywords && word.label === registered() && !(embeddedAmongKeywords(word.fold, b.brand.fold, b.keywords) && othersAreKeywords(name.tokens, c, registered(), b.keywords))) return undefined;
    if (!rawRun.includes(b.brand.raw)) elements.push(bit('homoglyph'));
    elements.push(bit('keyword-added'));
  } else {
    // An edit that turns the brand into words the list calls generic (`mail.com` for gmail,
    // `mail.example.com`) imitates nothing of it: the name is those words.
    const foldRun = joinForms(tokens, c, 'fold');
    if (b.keywords && c.distance > 0 && splitsIntoKeywords(foldRun, b.keywords)) return undefined;
    const form = c.plain ? joinForms(tokens, c, 'plain') : foldRun;
    const brandForm = c.plain ? b.brand.plain : b.brand.fold;
    // Where neither side was folded, the raw distance is the candidate's: no need to take it again.
    if (!(rawRun === form && b.brand.raw === brandForm) && osaDistance(b.brand.raw, rawRun) > c.distance) elements.push(bit('homoglyph'));
    if (c.distance === 1) elements.push(editMask(oneEdit(brandForm, form), form));
    else if (form !== brandForm) for (const e of osaEdits(brandForm, form).edits) elements.push(editMask(e, form));
    if (c.last > c.first) elements.push(bit('hyphenation'));
    if (!coversRegistered(name.tokens, c, registered())) {
      if (b.keywords && !othersAreKeywords(name.tokens, c, registered(), b.keywords)) return undefined;
      elements.push(bit('keyword-added'));
    }
    if (elements.length === 0) elements.push(bit('tld-swap'));
  }
  let named = 0;
  for (const mask of elements) {
    const on = mask & b.enabled;
    if (on === 0) return undefined;
    named |= on & -on; // the lowest bit: the most specific enabled family
  }
  return {
    brand: b.brand.pattern,
    families: familiesOf(named),
    distance: c.distance,
    matched: joinTokens(tokens, c),
  };
}

// A hit's families, one frozen list per mask shared by every hit that has it (a few dozen masks
// occur): building the list was a tenth of a hit's explanation.
const familiesByMask = new Map<number, readonly LookalikeFamily[]>();

/** The families whose bits are set, in catalogue order (bit i is LOOKALIKE_FAMILIES[i]). */
function familiesOf(mask: number): readonly LookalikeFamily[] {
  let families = familiesByMask.get(mask);
  if (!families) {
    families = Object.freeze(LOOKALIKE_FAMILIES.filter((_, i) => (mask & (1 << i)) !== 0));
    familiesByMask.set(mask, families);
  }
  return families;
}

function editMask(e: ReturnType<typeof osaEdits>['edits'][number], candidate: string): number {
  switch (e.op) {
    case 'omit':
      return bit('omission');
    case 'insert':
      return bit('insertion') | (candidate[e.at - 1] === e.ch || candidate[e.at + 1] === e.ch ? bit('repetition') : 0);
    case 'replace': {
      let m = bit('replacement');
      if (VOWELS.includes(e.from) && VOWELS.includes(e.to)) m |= bit('vowel-swap');
      const x = e.from.charCodeAt(0) ^ e.to.charCodeAt(0);
      if (x !== 0 && (x & (x - 1)) === 0) m |= bit('bitsquatting');
      return m;
    }
    case 'transpose':
      return bit('transposition');
  }
}

/**
 * Nothing was added around the brand: the run reaches into the registered label and leaves none
 * of its words out (`pay.pal.com` adds nothing; `paypal-login.com` and `paypal.evil.com` do).
 */
function coversRegistered(tokens: readonly Token[], c: Candidate, registered: number): boolean {
  let touches = false;
  for (let i = 0; i < tokens.length; i++) {
    if (tokens[i]!.label !== registered) continue;
    if (i < c.first || i > c.last) return false;
    touches = true;
  }
  return touches;
}

/**
 * With a keyword list, the words a registrant added beside the brand in the registered label
 * must each be keywords, or keywords run together (`securelogin`). Only there: a brand in a
 * subdomain of someone else's registered name (`paypal.evil.example`) is added whatever the words.
 */
function othersAreKeywords(tokens: readonly Token[], c: Candidate, registered: number, keywords: Keywords): boolean {
  let touches = false;
  for (let i = c.first; i <= c.last; i++) if (tokens[i]!.label === registered) touches = true;
  if (!touches) return true;
  for (let i = 0; i < tokens.length; i++) {
    if (i >= c.first && i <= c.last) continue;
    if (tokens[i]!.label === registered && !splitsIntoKeywords(tokens[i]!.fold, keywords)) return false;
  }
  return true;
}

/** Whether some occurrence of the brand in the word leaves keywords (or nothing) either side. */
function embeddedAmongKeywords(word: string, brand: string, keywords: Keywords): boolean {
  for (let at = word.indexOf(brand); at >= 0; at = word.indexOf(brand, at + 1)) {
    if (splitsIntoKeywords(word.slice(0, at), keywords) && splitsIntoKeywords(word.slice(at + brand.length), keywords)) return true;
  }
  return false;
}

/** Word break: whether `text` is a sequence of keyword folds (the empty text is). */
function splitsIntoKeywords(text: string, keywords: Keywords): boolean {
  const n = text.length;
  if (n === 0) return true;
  const ends = new Uint8Array(n + 1);
  ends[0] = 1;
  for (let i = 0; i < n; i++) {
    if (ends[i] === 0) continue;
    for (let j = i + 1; j <= Math.min(n, i + keywords.longest); j++) if (keywords.folds.has(text.slice(i, j))) ends[j] = 1;
  }
  return ends[n] === 1;
}

/** One form of a candidate's tokens, end to end. */
function joinForms(tokens: readonly Token[], c: Candidate, form: 'raw' | 'plain' | 'fold'): string {
  if (c.first === c.last) return tokens[c.first]![form];
  let out = '';
  for (let i = c.first; i <= c.last; i++) out += tokens[i]![form];
  return out;
}

function joinTokens(tokens: readonly Token[], c: Candidate): string {
  let out = tokens[c.first]!.raw;
  for (let i = c.first + 1; i <= c.last; i++) out += `${tokens[i]!.label === tokens[i - 1]!.label ? '-' : '.'}${tokens[i]!.raw}`;
  return out;
}
