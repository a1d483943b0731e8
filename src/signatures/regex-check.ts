// Is a signature's regex something RE2 runs? RE2 refuses backreferences and lookaround with
// terse messages ("invalid escape sequence: \1", "invalid perl operator: (?="); analysts coming
// from PCRE deserve to hear what the construct is and why it is missing, so those are detected
// first by a scan that understands escapes, \Q...\E and character classes.
import RE2 from 're2';

const LINEAR = '(RE2 is linear-time)';
const BACKREFERENCE = `backreferences are not supported ${LINEAR}`;
const LOOKAROUND = `lookahead and lookbehind are not supported ${LINEAR}`;
const ATOMIC = `atomic groups and possessive quantifiers are not supported ${LINEAR}`;
const RECURSION = `recursion and subroutine calls are not supported ${LINEAR}`;
const CONDITIONAL = `conditionals are not supported ${LINEAR}`;

/** A reason the pattern cannot be used, or undefined when RE2 accepts it. */
export function checkRegex(pattern: string): string | undefined {
  const surrogate = loneSurrogateIndex(pattern);
  if (surrogate !== undefined) {
    return `not well-formed Unicode: lone surrogate at character ${surrogate + 1}`;
  }
  return unsupportedConstruct(pattern) ?? compileError(pattern);
}

/** Index of the first UTF-16 surrogate without its partner, or undefined. */
export function loneSurrogateIndex(text: string): number | undefined {
  for (let i = 0; i < text.length; i++) {
    const unit = text.charCodeAt(i);
    if (unit >= 0xd800 && unit <= 0xdbff) {
      const next = text.charCodeAt(i + 1);
      if (next >= 0xdc00 && next <= 0xdfff) i++;
      else return i;
    } else if (unit >= 0xdc00 && unit <= 0xdfff) {
      return i;
    }
  }
  return undefined;
}

function compileError(pattern: string): string | undefined {
  try {
    new RE2(pattern, 'u');
    return undefined;
  } catch (e) {
    const message = e instanceof Error ? e.message : String(e);
    // node-re2 passes RE2's own message through; strip a JS-style prefix should one appear.
    return `RE2: ${message.replace(/^Invalid regular expression:\s*(\/.*\/[a-z]*:\s*)?/i, '')}`;
  }
}

/** Scanner state: where we are and whether the previous token was a quantifier. */
interface Scan {
  readonly p: string;
  i: number;
  /** Where the quantifier just read starts, or -1 when the last token was something else. */
  quantifierStart: number;
}

/** The first construct RE2 lacks, as a reason naming it, or undefined. */
function unsupportedConstruct(pattern: string): string | undefined {
  const s: Scan = { p: pattern, i: 0, quantifierStart: -1 };
  while (s.i < s.p.length) {
    const reason = step(s);
    if (reason !== undefined) return reason;
  }
  return undefined;
}

/** Consume one token at `s.i`; return a reason when it is unsupported. */
function step(s: Scan): string | undefined {
  const c = s.p[s.i]!;
  if (c === '\\') return escape(s);
  if (c === '[') return skipClass(s);
  if (c === '(') return group(s);
  if (c === '*' || c === '+' || c === '?') return quantifier(s, c);
  if (c === '{') return braces(s);
  s.i++;
  s.quantifierStart = -1;
  return undefined;
}

function escape(s: Scan): string | undefined {
  const next = s.p[s.i + 1];
  s.quantifierStart = -1;
  if (next !== undefined && next >= '1' && next <= '9') return `${BACKREFERENCE}: \\${next}`;
  if (next === 'k' && s.p[s.i + 2] === '<') return `${BACKREFERENCE}: \\k<...>`;
  if (next === 'Q') {
    // \Q...\E quotes everything up to \E (or the end) literally.
    const end = s.p.indexOf('\\E', s.i + 2);
    s.i = end < 0 ? s.p.length : end + 2;
    return undefined;
  }
  s.i += 2;
  return undefined;
}

/** Skip `[...]`: inside a class `(?=` and `\1`-like text are not groups or backreferences. */
function skipClass(s: Scan): undefined {
  let j = s.i + 1;
  if (s.p[j] === '^') j++;
  if (s.p[j] === ']') j++; // a leading ] is a literal member
  while (j < s.p.length && s.p[j] !== ']') {
    if (s.p[j] === '\\') j += 2;
    else if (s.p.startsWith('[:', j)) {
      const close = s.p.indexOf(':]', j + 2);
      j = close < 0 ? j + 1 : close + 2;
    } else j++;
  }
  // An unterminated class runs to the end; RE2 then reports "missing ]".
  s.i = j + 1;
  s.quantifierStart = -1;
  return undefined;
}

const GROUP_CHECKS: ReadonlyArray<readonly [RegExp, string]> = [
  [/^\(\?<?[=!]/, LOOKAROUND],
  [/^\(\?>/, ATOMIC],
  [/^\(\?P=/, BACKREFERENCE],
  [/^\(\?(?:R|[+-]?\d|&|P>)/, RECURSION],
  [/^\(\?\(/, CONDITIONAL],
];

function group(s: Scan): string | undefined {
  const head = s.p.slice(s.i, s.i + 4);
  for (const [re, reason] of GROUP_CHECKS) {
    const m = re.exec(head);
    if (m) return `${reason}: ${m[0]}`;
  }
  // Skip "(?" as one token so its "?" is not taken for a quantifier.
  s.i += s.p[s.i + 1] === '?' ? 2 : 1;
  s.quantifierStart = -1;
  return undefined;
}

function quantifier(s: Scan, c: string): string | undefined {
  if (s.quantifierStart >= 0) {
    // A "+" straight after a quantifier makes it possessive (PCRE/Java); "?" makes it lazy,
    // which RE2 supports. Either way the pair is one quantifier.
    if (c === '+') return `${ATOMIC}: ${s.p.slice(s.quantifierStart, s.i)}+`;
    s.quantifierStart = -1;
  } else {
    s.quantifierStart = s.i;
  }
  s.i++;
  return undefined;
}

/** `{n}`, `{n,}` and `{n,m}` are quantifiers; any other `{` is a literal. */
function braces(s: Scan): undefined {
  const m = /^\{\d+(?:,\d*)?\}/.exec(s.p.slice(s.i, s.i + 24));
  if (m) {
    s.quantifierStart = s.i;
    s.i += m[0].length;
  } else {
    s.i++;
    s.quantifierStart = -1;
  }
  return undefined;
}
