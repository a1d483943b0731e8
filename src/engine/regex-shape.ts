// Reads a regex (RE2 syntax) to decide how the matcher can handle it without running it:
// a plain literal shape (exact / substring / prefix / suffix / label-suffix) is decided by hash
// lookup or by the literal automaton alone; anything else yields the literals every match must
// contain, so the automaton can pick candidates for RE2 to confirm.
//
// Everything here errs on the side of "complex" and "no literal": a wrong literal would lose
// matches, a missing one only costs speed.
import { isAscii } from './fold.js';

export type LiteralShapeKind = 'exact' | 'substring' | 'prefix' | 'suffix' | 'label-suffix';

export type PatternShape =
  | { readonly kind: LiteralShapeKind; readonly literal: string }
  | ({ readonly kind: 'complex' } & RegexAnalysis);

const META = new Set([...'\\^$.|?*+()[]{}']);

/** Characters that stand for themselves after a backslash in RE2: ASCII punctuation. */
function isEscapablePunct(c: string): boolean {
  return /^[!-/:-@[-`{-~]$/.test(c);
}

/** Parses `^? (^|\.)? literal $?`; undefined when the pattern is anything richer. */
function literalShape(pattern: string): { kind: LiteralShapeKind; literal: string } | undefined {
  let i = 0;
  let start: 'none' | 'caret' | 'label' = 'none';
  for (const head of ['(^|\\.)', '(?:^|\\.)']) {
    if (pattern.startsWith(head)) {
      start = 'label';
      i = head.length;
      break;
    }
  }
  if (start === 'none' && pattern.startsWith('^')) {
    start = 'caret';
    i = 1;
  }
  let literal = '';
  let end = false;
  while (i < pattern.length) {
    const c = pattern[i]!;
    if (c === '$' && i === pattern.length - 1) {
      end = true;
      break;
    }
    if (c === '\\') {
      const next = pattern[i + 1];
      if (next === undefined || !isEscapablePunct(next)) return undefined;
      literal += next;
      i += 2;
      continue;
    }
    if (META.has(c)) return undefined;
    // A surrogate pair is one literal character; copy both halves.
    literal += c;
    i++;
  }
  if (start === 'label') return end ? { kind: 'label-suffix', literal } : undefined;
  if (start === 'caret') return { kind: end ? 'exact' : 'prefix', literal };
  return { kind: end ? 'suffix' : 'substring', literal };
}

// ---- required literals of a general pattern -------------------------------------------------

interface Quant {
  min: number;
  max: number; // Infinity for unbounded
}

type Item =
  | { t: 'char'; c: string; q: Quant }
  | { t: 'other'; q: Quant; width?: number }
  | { t: 'group'; alts: Item[][]; q: Quant };

class ParseFailure extends Error {}

class Parser {
  i = 0;
  sawFlags = false;
  constructor(private readonly s: string) {}

  parseAlts(): Item[][] {
    const alts: Item[][] = [[]];
    while (this.i < this.s.length) {
      const c = this.s[this.i]!;
      if (c === ')') break;
      if (c === '|') {
        this.i++;
        alts.push([]);
        continue;
      }
      const atom = this.parseAtom();
      if (atom) alts[alts.length - 1]!.push(atom);
    }
    return alts;
  }

  private one(): Quant {
    return { min: 1, max: 1 };
  }

  private parseAtom(): Item | undefined {
    const s = this.s;
    const c = s[this.i]!;
    let item: Item;
    if (c === '(') {
      this.i++;
      if (s[this.i] === '?') {
        const m = /^\?(?:P?<[A-Za-z_][A-Za-z0-9_]*>|:|[imsU-]*:|([imsU-]+)\))/.exec(s.slice(this.i));
        if (!m) throw new ParseFailure();
        this.i += m[0].length;
        if (m[0] !== '?:' && !m[0].includes('<')) this.sawFlags = true;
        if (m[1] !== undefined) return undefined; // `(?i)`: a flag switch, no atom
      }
      const alts = this.parseAlts();
      if (s[this.i] !== ')') throw new ParseFailure();
      this.i++;
      item = { t: 'group', alts, q: this.one() };
    } else if (c === '[') {
      this.skipClass();
      item = { t: 'other', q: this.one(), width: 1 };
    } else if (c === '\\') {
      item = this.parseEscape();
    } else if (c === '.' || c === '^' || c === '$') {
      this.i++;
      item = { t: 'other', q: this.one(), width: c === '.' ? 1 : 0 };
    } else if (c === '*' || c === '+' || c === '?' || c === '{') {
      // A repetition with nothing to repeat, or a literal brace: RE2 decides; we learn nothing.
      throw new ParseFailure();
    } else {
      const cp = s.codePointAt(this.i)!;
      const ch = String.fromCodePoint(cp);
      this.i += ch.length;
      item = { t: 'char', c: ch, q: this.one() };
    }
    item.q = this.parseQuant();
    return item;
  }

  private parseEscape(): Item {
    const s = this.s;
    const next = s[this.i + 1];
    if (next === undefined) throw new ParseFailure();
    if (isEscapablePunct(next)) {
      this.i += 2;
      return { t: 'char', c: next, q: this.one() };
    }
    if (next === 'Q') {
      // \Q...\E quotes literally; keep it simple and learn nothing from it.
      const end = s.indexOf('\\E', this.i + 2);
      this.i = end < 0 ? s.length : end + 2;
      return { t: 'other', q: this.one() };
    }
    if (next === 'p' || next === 'P') {
      if (s[this.i + 2] === '{') {
        const end = s.indexOf('}', this.i + 3);
        if (end < 0) throw new ParseFailure();
        this.i = end + 1;
      } else this.i += 3;
      return { t: 'other', q: this.one(), width: 1 };
    }
    if (next === 'x') {
      if (s[this.i + 2] === '{') {
        const end = s.indexOf('}', this.i + 3);
        if (end < 0) throw new ParseFailure();
        this.i = end + 1;
      } else this.i += 4;
      return { t: 'other', q: this.one(), width: 1 };
    }
    if (/[0-7]/.test(next)) {
      let j = this.i + 1;
      while (j < s.length && j < this.i + 4 && /[0-7]/.test(s[j]!)) j++;
      this.i = j;
      return { t: 'other', q: this.one(), width: 1 };
    }
    // \d \w \s \t \n ... match one character; \b \B \A \z (and anything unexpected) count as
    // zero-width, which only weakens the length bound.
    this.i += 2;
    return { t: 'other', q: this.one(), width: /[dDwWsStnrfva]/.test(next) ? 1 : 0 };
  }

  private skipClass(): void {
    const s = this.s;
    let j = this.i + 1;
    if (s[j] === '^') j++;
    if (s[j] === ']') j++;
    while (j < s.length && s[j] !== ']') {
      if (s[j] === '\\') {
        if (s[j + 1] === 'p' || s[j + 1] === 'P' || s[j + 1] === 'x') {
          if (s[j + 2] === '{') {
            const end = s.indexOf('}', j + 3);
            j = end < 0 ? s.length : end + 1;
            continue;
          }
        }
        j += 2;
      } else if (s[j] === '[' && s[j + 1] === ':') {
        const end = s.indexOf(':]', j + 2);
        j = end < 0 ? j + 1 : end + 2;
      } else j++;
    }
    if (j >= s.length) throw new ParseFailure();
    this.i = j + 1;
  }

  private parseQuant(): Quant {
    const s = this.s;
    let q = this.one();
    const c = s[this.i];
    if (c === '*') q = { min: 0, max: Infinity };
    else if (c === '+') q = { min: 1, max: Infinity };
    else if (c === '?') q = { min: 0, max: 1 };
    else if (c === '{') {
      const m = /^\{(\d+)(,(\d*))?\}/.exec(s.slice(this.i));
      if (!m) throw new ParseFailure();
      const min = Number(m[1]);
      const max = m[2] === undefined ? min : m[3] === '' ? Infinity : Number(m[3]);
      this.i += m[0].length - 1;
      q = { min, max };
    } else return q;
    this.i++;
    if (s[this.i] === '?') this.i++; // lazy: same language
    if (s[this.i] === '*' || s[this.i] === '+' || s[this.i] === '?' || s[this.i] === '{') throw new ParseFailure();
    return q;
  }
}

/**
 * A factor is a set of alternative literals of which every match contains at least one: a plain
 * required run is a one-element factor; `(paypal|paypa1)` gives a two-element one.
 */
export type Factor = readonly string[];

/** Collects maximal runs of characters that every match must contain, adjacent as written. */
class RunCollector {
  private cur = '';
  readonly factors: Factor[] = [];
  constructor(private readonly asciiOnly: boolean) {}

  private flush(): void {
    if (this.cur.length > 0) this.factors.push([this.cur]);
    this.cur = '';
  }

  seq(items: readonly Item[]): void {
    for (const it of items) this.item(it);
  }

  private item(it: Item): void {
    if (it.q.min === 0) return this.flush();
    switch (it.t) {
      case 'other':
        return this.flush();
      case 'char': {
        if (this.asciiOnly && !isAscii(it.c)) return this.flush();
        if (it.q.min === it.q.max) {
          this.cur += it.c.repeat(Math.min(it.q.min, 64));
          if (it.q.min > 64) this.flush();
          return;
        }
        // x{2,} : the first copies are fixed, and the last copy is adjacent to what follows.
        this.cur += it.c.repeat(Math.min(it.q.min, 64));
        this.flush();
        this.cur = it.c;
        return;
      }
      case 'group': {
        if (it.alts.length !== 1) {
          const before = it.q.min === 1 && it.q.max === 1 ? this.cur : '';
          this.flush();
          const any = anyOf(it.alts, this.asciiOnly);
          if (any) this.factors.push(any);
          // `\.(top|xyz)`: the run just before joins each branch's leading literal, which is far
          // more selective than `.` alone or `top` alone.
          if (before !== '') this.factors.push(it.alts.map((alt) => before + leadingLiteral(alt, this.asciiOnly)));
          return;
        }
        if (it.q.min === 1 && it.q.max === 1) return this.seq(it.alts[0]!);
        this.flush();
        this.seq(it.alts[0]!);
        this.flush();
        return;
      }
    }
  }

  done(): Factor[] {
    this.flush();
    return this.factors;
  }
}

/**
 * For an alternation: one literal per branch (each branch's longest single-literal factor), or
 * undefined when some branch requires no literal at all.
 */
/** The characters an alternative starts with, up to its first non-literal item. */
function leadingLiteral(alt: readonly Item[], asciiOnly: boolean): string {
  let out = '';
  for (const it of alt) {
    if (it.t !== 'char' || it.q.min !== 1 || it.q.max !== 1 || (asciiOnly && !isAscii(it.c))) break;
    out += it.c;
  }
  return out;
}

function anyOf(alts: readonly Item[][], asciiOnly: boolean): Factor | undefined {
  const out: string[] = [];
  for (const alt of alts) {
    const rc = new RunCollector(asciiOnly);
    rc.seq(alt);
    let best = '';
    for (const f of rc.done()) if (f.length === 1 && f[0]!.length > best.length) best = f[0]!;
    if (best === '') return undefined;
    out.push(best);
  }
  return out;
}

function minLengthOf(items: readonly Item[]): number {
  let n = 0;
  for (const it of items) {
    switch (it.t) {
      case 'char':
        n += it.q.min;
        break;
      case 'other':
        n += it.q.min * (it.width ?? 0);
        break;
      case 'group':
        n += it.q.min * Math.min(...it.alts.map(minLengthOf));
        break;
    }
  }
  return n;
}

export interface RegexAnalysis {
  /** Literal factors every match contains (folded-compatible; see requiredFactors). */
  readonly factors: readonly Factor[];
  /** A lower bound on the number of code points of any match. */
  readonly minLength: number;
}

/**
 * Literal factors every match of `pattern` contains, and its minimum match length. With
 * `caseInsensitive` (or inline flags) only ASCII characters count as literal, since only those
 * fold exactly (see fold.ts).
 */
export function analyseRegex(pattern: string, caseInsensitive: boolean): RegexAnalysis {
  const p = new Parser(pattern);
  let alts: Item[][];
  try {
    alts = p.parseAlts();
    if (p.i !== pattern.length) return { factors: [], minLength: 0 };
  } catch (e) {
    if (e instanceof ParseFailure) return { factors: [], minLength: 0 };
    throw e;
  }
  const asciiOnly = caseInsensitive || p.sawFlags;
  const minLength = Math.min(...alts.map(minLengthOf));
  if (alts.length !== 1) {
    const any = anyOf(alts, asciiOnly);
    return { factors: any ? [any] : [], minLength };
  }
  const rc = new RunCollector(asciiOnly);
  rc.seq(alts[0]!);
  return { factors: rc.done(), minLength };
}

export function patternShape(pattern: string, caseInsensitive: boolean): PatternShape {
  const simple = literalShape(pattern);
  if (simple && simple.literal.length > 0 && (!caseInsensitive || isAscii(simple.literal))) return simple;
  if (simple && simple.kind === 'exact' && simple.literal.length === 0) return simple;
  return { kind: 'complex', ...analyseRegex(pattern, caseInsensitive) };
}
