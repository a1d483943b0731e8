// Regex shapes the matcher decides without RE2, because their meaning is simple enough to state
// exactly in code:
//
//  - finite:    a small finite language, optionally anchored: `kw-?(secure|login)`,
//               `(a|b)[.-](login|verify)`, `acme (ltd|llc|inc)`. Every match is one of a few
//               strings, so the regex is "contains / starts with / ends with / equals one of them"
//               and goes into the literal automaton like any plain literal.
//  - class run: `head C{m,n} tail` with C a character class: `kw[0-9]{2,4}\.`. A value matches
//               when, after some occurrence of head, a run of k class characters (m ≤ k ≤ n)
//               is followed by tail; checked by scanning, as a candidate's confirmation.
//
// Only ASCII is accepted (literals and classes), and only the syntax read below: anything else
// (`.`, `\w`, `*` on a literal, inline flags, negated classes, anchors inside groups) returns
// undefined and stays with RE2. Under case-insensitive matching, ASCII folding is exact with
// respect to RE2's (?i) (fold.ts), so the checks compare folded text with folded literals.
// equivalence.test.ts compares these shapes with RE2 on random values.
import { foldAscii } from './fold.js';

/** The most strings a finite shape may expand to; beyond it the automaton grows for little gain. */
export const MAX_EXPANSION = 64;
/** Class runs longer than this are left to RE2 (scanning them is fine, but such patterns are rare). */
const MAX_RUN = 64;

export interface Anchors {
  readonly start: boolean;
  readonly end: boolean;
}

export type DirectShape =
  | ({ readonly kind: 'finite'; readonly strings: readonly string[] } & Anchors)
  | ({ readonly kind: 'class-run'; readonly check: DirectCheck } & Anchors);

/** Decides a value; `folded` is foldAscii(value) and is computed only when asked for. */
export type DirectCheck = (value: string, folded: () => string) => boolean;

// ---- parsing ---------------------------------------------------------------------------------

/** A set of ASCII characters as a 128-entry table. */
type CharSet = Uint8Array;

type Node =
  | { readonly t: 'lit'; readonly s: string }
  | { readonly t: 'set'; readonly chars: CharSet; readonly min: number; readonly max: number }
  | { readonly t: 'alt'; readonly alts: readonly Node[][]; readonly min: number; readonly max: number };

class Unsupported extends Error {}

const PUNCT = /^[!-/:-@[-`{-~]$/;
const META = new Set([...'\\^$.|?*+()[]{}']);

function isPlainAscii(c: string): boolean {
  const u = c.charCodeAt(0);
  return c.length === 1 && u >= 0x20 && u < 0x7f;
}

class Reader {
  i = 0;
  constructor(private readonly s: string) {}

  /** Alternatives until `)` or the end. */
  alternation(): Node[][] {
    const alts: Node[][] = [[]];
    while (this.i < this.s.length) {
      const c = this.s[this.i]!;
      if (c === ')') break;
      if (c === '|') {
        this.i++;
        alts.push([]);
        continue;
      }
      alts[alts.length - 1]!.push(this.atom());
    }
    return alts;
  }

  private atom(): Node {
    const s = this.s;
    const c = s[this.i]!;
    if (c === '(') {
      this.i++;
      if (s[this.i] === '?') {
        if (s[this.i + 1] !== ':') throw new Unsupported();
        this.i += 2;
      }
      const alts = this.alternation();
      if (s[this.i] !== ')') throw new Unsupported();
      this.i++;
      const q = this.quantifier();
      if (q.max === Infinity) throw new Unsupported();
      return { t: 'alt', alts, ...q };
    }
    if (c === '[') {
      const chars = this.charClass();
      return { t: 'set', chars, ...this.quantifier() };
    }
    if (c === '\\') {
      const next = s[this.i + 1];
      if (next === 'd') {
        this.i += 2;
        return { t: 'set', chars: digits(), ...this.quantifier() };
      }
      if (next === undefined || !PUNCT.test(next)) throw new Unsupported();
      this.i += 2;
      return this.literal(next);
    }
    if (META.has(c) || !isPlainAscii(c)) throw new Unsupported();
    this.i++;
    return this.literal(c);
  }

  private literal(c: string): Node {
    const q = this.quantifier();
    if (q.min === 1 && q.max === 1) return { t: 'lit', s: c };
    if (q.max === Infinity) throw new Unsupported();
    return { t: 'alt', alts: [[{ t: 'lit', s: c }]], ...q };
  }

  private charClass(): CharSet {
    const s = this.s;
    const set = new Uint8Array(128);
    let j = this.i + 1;
    if (s[j] === '^') throw new Unsupported();
    let first = true;
    const member = (): number => {
      const c = s[j];
      if (c === undefined) throw new Unsupported();
      if (c === '\\') {
        const next = s[j + 1];
        if (next === undefined || !PUNCT.test(next)) throw new Unsupported();
        j += 2;
        return next.charCodeAt(0);
      }
      if (c === '[' || !isPlainAscii(c)) throw new Unsupported();
      j++;
      return c.charCodeAt(0);
    };
    while (true) {
      const c = s[j];
      if (c === undefined) throw new Unsupported();
      if (c === ']' && !first) break;
      if (c === ']') throw new Unsupported(); // `[]...]`: RE2 reads a literal ']'; rare, leave it
      if (c === '\\' && s[j + 1] === 'd') {
        j += 2;
        for (let u = 48; u <= 57; u++) set[u] = 1;
        first = false;
        continue;
      }
      const lo = member();
      if (s[j] === '-' && s[j + 1] !== ']' && s[j + 1] !== undefined) {
        j++;
        const hi = member();
        if (hi < lo) throw new Unsupported();
        for (let u = lo; u <= hi; u++) set[u] = 1;
      } else {
        set[lo] = 1;
      }
      first = false;
    }
    this.i = j + 1;
    return set;
  }

  private quantifier(): { min: number; max: number } {
    const s = this.s;
    const c = s[this.i];
    let q = { min: 1, max: 1 };
    if (c === '?') q = { min: 0, max: 1 };
    else if (c === '*') q = { min: 0, max: Infinity };
    else if (c === '+') q = { min: 1, max: Infinity };
    else if (c === '{') {
      const m = /^\{(\d{1,4})(,(\d{0,4}))?\}/.exec(s.slice(this.i));
      if (!m) throw new Unsupported();
      const min = Number(m[1]);
      const max = m[2] === undefined ? min : m[3] === '' ? Infinity : Number(m[3]);
      if (max < min) throw new Unsupported();
      this.i += m[0].length - 1;
      q = { min, max };
    } else return q;
    this.i++;
    if (s[this.i] === '?') this.i++; // lazy: the same language, and test() only asks whether
    if (s[this.i] === '*' || s[this.i] === '+' || s[this.i] === '?' || s[this.i] === '{') throw new Unsupported();
    return q;
  }
}

function digits(): CharSet {
  const set = new Uint8Array(128);
  for (let u = 48; u <= 57; u++) set[u] = 1;
  return set;
}

/** `^`, `$` at the very ends (not escaped); the body in between. */
function splitAnchors(pattern: string): { body: string; start: boolean; end: boolean } {
  let body = pattern;
  const start = body.startsWith('^');
  if (start) body = body.slice(1);
  let end = false;
  if (body.endsWith('$')) {
    // An odd number of backslashes before it escapes it.
    let k = body.length - 2;
    while (k >= 0 && body[k] === '\\') k--;
    if ((body.length - 2 - k) % 2 === 0) {
      end = true;
      body = body.slice(0, -1);
    }
  }
  return { body, start, end };
}

// ---- finite expansion ------------------------------------------------------------------------

/** Every string of the nodes' language, or undefined beyond MAX_EXPANSION. */
function expand(nodes: readonly Node[]): string[] | undefined {
  let acc = [''];
  for (const n of nodes) {
    const parts = expandNode(n);
    if (!parts) return undefined;
    if (acc.length * parts.length > MAX_EXPANSION) return undefined;
    const next: string[] = [];
    for (const a of acc) for (const p of parts) next.push(a + p);
    acc = next;
  }
  return acc;
}

function expandNode(n: Node): string[] | undefined {
  switch (n.t) {
    case 'lit':
      return [n.s];
    case 'set': {
      const one: string[] = [];
      for (let u = 0; u < 128; u++) if (n.chars[u]) one.push(String.fromCharCode(u));
      return repeat(one, n.min, n.max);
    }
    case 'alt': {
      const one: string[] = [];
      for (const alt of n.alts) {
        const e = expand(alt);
        if (!e) return undefined;
        one.push(...e);
        if (one.length > MAX_EXPANSION) return undefined;
      }
      return repeat(one, n.min, n.max);
    }
  }
}

function repeat(one: readonly string[], min: number, max: number): string[] | undefined {
  if (max === Infinity || max > MAX_EXPANSION) return undefined;
  const out: string[] = [];
  let layer = [''];
  for (let k = 0; k <= max; k++) {
    if (k >= min) {
      out.push(...layer);
      if (out.length > MAX_EXPANSION) return undefined;
    }
    if (k === max) break;
    if (layer.length * one.length > MAX_EXPANSION) return undefined;
    const next: string[] = [];
    for (const a of layer) for (const p of one) next.push(a + p);
    layer = next;
  }
  return out;
}

// ---- class run -------------------------------------------------------------------------------

/** `head C{m,n} tail`: literals around exactly one class node, or undefined. */
function classRun(nodes: readonly Node[]): { head: string; chars: CharSet; min: number; max: number; tail: string } | undefined {
  let head = '';
  let tail = '';
  let run: Extract<Node, { t: 'set' }> | undefined;
  for (const n of nodes) {
    if (n.t === 'lit') {
      if (run) tail += n.s;
      else head += n.s;
    } else if (n.t === 'set' && !run) {
      run = n;
    } else return undefined;
  }
  if (!run || (run.max !== Infinity && run.max > MAX_RUN)) return undefined;
  return { head, chars: run.chars, min: run.min, max: run.max, tail };
}

function classRunCheck(
  shape: { head: string; chars: CharSet; min: number; max: number; tail: string },
  anchors: Anchors,
  caseInsensitive: boolean,
): DirectCheck {
  const head = caseInsensitive ? foldAscii(shape.head) : shape.head;
  const tail = caseInsensitive ? foldAscii(shape.tail) : shape.tail;
  const inClass = new Uint8Array(128);
  for (let u = 0; u < 128; u++) {
    if (!shape.chars[u]) continue;
    // Under (?i) a character is in the class when its fold is the fold of a member.
    inClass[caseInsensitive ? foldAscii(String.fromCharCode(u)).charCodeAt(0) : u] = 1;
  }
  const { min, max } = shape;
  return (value, folded) => {
    const t = caseInsensitive ? folded() : value;
    const len = t.length;
    // indexOf('', n) answers len for any n > len, hence the explicit stop.
    for (let p = anchors.start ? 0 : t.indexOf(head); p >= 0; p = anchors.start || p >= len ? -1 : t.indexOf(head, p + 1)) {
      if (anchors.start && !t.startsWith(head)) return false;
      const q = p + head.length;
      let r = 0;
      while (r < max && q + r < len) {
        const u = t.charCodeAt(q + r);
        if (u >= 128 || !inClass[u]) break;
        r++;
      }
      for (let k = min; k <= r; k++) {
        const at = q + k;
        if (t.startsWith(tail, at) && (!anchors.end || at + tail.length === len)) return true;
      }
    }
    return false;
  };
}

// ---- entry point -----------------------------------------------------------------------------

/** The direct form of a regex, or undefined when RE2 has to decide it. */
export function directShape(pattern: string, caseInsensitive: boolean): DirectShape | undefined {
  const { body, start, end } = splitAnchors(pattern);
  const reader = new Reader(body);
  let alts: Node[][];
  try {
    alts = reader.alternation();
  } catch (e) {
    if (e instanceof Unsupported) return undefined;
    throw e;
  }
  if (reader.i !== body.length) return undefined;
  // `^a|b$` anchors one branch each: not a shape read here.
  if (alts.length > 1 && (start || end)) return undefined;
  const nodes: Node[] = alts.length > 1 ? [{ t: 'alt', alts, min: 1, max: 1 }] : alts[0]!;
  const strings = expand(nodes);
  if (strings) {
    // An empty string in the language matches every value (or, anchored, only the empty one):
    // nothing to gain, leave it to RE2.
    if (strings.some((x) => x === '')) return undefined;
    const unique = [...new Set(caseInsensitive ? strings.map(foldAscii) : strings)];
    return { kind: 'finite', strings: unique, start, end };
  }
  const run = classRun(nodes);
  if (run) return { kind: 'class-run', check: classRunCheck(run, { start, end }, caseInsensitive), start, end };
  return undefined;
}
