// JSON syntax errors with line and column. JSON.parse decides whether the text is valid and
// words the reason; Node 20 gives an offset for most reasons but not all ("Unexpected token
// ']', "[1,]" is not valid JSON"), so a small scanner finds the offset where V8 does not say.

export interface JsonSyntaxError {
  readonly line: number;
  readonly column: number;
  readonly message: string;
}

/** The syntax error of `text`, or undefined when it is valid JSON. */
export function jsonSyntaxError(text: string): JsonSyntaxError | undefined {
  try {
    JSON.parse(text);
    return undefined;
  } catch (e) {
    const raw = e instanceof Error ? e.message : String(e);
    const lineCol = /\(line (\d+) column (\d+)\)/.exec(raw); // newer V8 words it so
    const position = /at position (\d+)/.exec(raw);
    const where = lineCol
      ? { line: Number(lineCol[1]), column: Number(lineCol[2]) }
      : lineAndColumn(text, position ? Number(position[1]) : (jsonErrorOffset(text) ?? text.length));
    return { ...where, message: cleanMessage(raw) };
  }
}

/** V8's reason without the position and the echo of the input. */
function cleanMessage(raw: string): string {
  return raw
    .replace(/ in JSON at position \d+.*$/s, '')
    .replace(/ \(line \d+ column \d+\)/, '')
    .replace(/, (?:\.\.\.)?".*"(?:\.\.\.)? is not valid JSON$/s, '');
}

export function lineAndColumn(text: string, offset: number): { line: number; column: number } {
  let line = 1;
  let start = 0;
  for (let i = text.indexOf('\n'); i >= 0 && i < offset; i = text.indexOf('\n', i + 1)) {
    line++;
    start = i + 1;
  }
  return { line, column: offset - start + 1 };
}

/** Thrown to unwind the scanner at the first error. */
class Stop extends Error {
  constructor(readonly offset: number) {
    super(`JSON syntax error at offset ${offset}`);
  }
}

interface Cursor {
  readonly s: string;
  i: number;
}

/** Offset of the first JSON syntax error, or undefined if none is found. */
export function jsonErrorOffset(text: string): number | undefined {
  const p: Cursor = { s: text, i: 0 };
  try {
    value(p);
    space(p);
    return p.i < text.length ? p.i : undefined;
  } catch (e) {
    if (e instanceof Stop) return e.offset;
    return undefined; // e.g. RangeError on absurd nesting: no position rather than a crash
  }
}

function space(p: Cursor): void {
  while (p.i < p.s.length && ' \t\n\r'.includes(p.s[p.i]!)) p.i++;
}

function expect(p: Cursor, c: string): void {
  if (p.s[p.i] !== c) throw new Stop(p.i);
  p.i++;
}

function value(p: Cursor): void {
  space(p);
  const c = p.s[p.i];
  if (c === '{') return container(p, '}', member);
  if (c === '[') return container(p, ']', value);
  if (c === '"') return string(p);
  if (c === '-' || (c !== undefined && c >= '0' && c <= '9')) return number(p);
  for (const word of ['true', 'false', 'null']) if (c === word[0]) return literal(p, word);
  throw new Stop(p.i);
}

/** Stops at the first character that breaks the word, as V8 does. */
function literal(p: Cursor, word: string): void {
  for (const c of word) expect(p, c);
}

function digits(p: Cursor): void {
  const start = p.i;
  while (p.i < p.s.length && p.s[p.i]! >= '0' && p.s[p.i]! <= '9') p.i++;
  if (p.i === start) throw new Stop(p.i);
}

function number(p: Cursor): void {
  if (p.s[p.i] === '-') p.i++;
  if (p.s[p.i] === '0') {
    p.i++;
    if (/[0-9]/.test(p.s[p.i] ?? '')) throw new Stop(p.i); // no leading zeros
  } else digits(p);
  if (p.s[p.i] === '.') {
    p.i++;
    digits(p);
  }
  if (p.s[p.i] === 'e' || p.s[p.i] === 'E') {
    p.i++;
    if (p.s[p.i] === '+' || p.s[p.i] === '-') p.i++;
    digits(p);
  }
}

function member(p: Cursor): void {
  space(p);
  if (p.s[p.i] !== '"') throw new Stop(p.i);
  string(p);
  space(p);
  expect(p, ':');
  value(p);
}

/** `{...}` or `[...]`: items separated by commas, no trailing comma. */
function container(p: Cursor, close: string, item: (p: Cursor) => void): void {
  p.i++;
  space(p);
  if (p.s[p.i] === close) {
    p.i++;
    return;
  }
  for (;;) {
    item(p);
    space(p);
    if (p.s[p.i] === close) {
      p.i++;
      return;
    }
    expect(p, ',');
  }
}

function string(p: Cursor): void {
  p.i++;
  while (p.i < p.s.length) {
    const c = p.s.charCodeAt(p.i);
    if (c === 0x22) {
      p.i++;
      return;
    }
    if (c < 0x20) throw new Stop(p.i);
    if (c === 0x5c) escapeSequence(p);
    else p.i++;
  }
  throw new Stop(p.i);
}

function escapeSequence(p: Cursor): void {
  const e = p.s[p.i + 1];
  p.i++;
  if (e === 'u') {
    p.i++;
    for (let k = 0; k < 4; k++, p.i++) if (!/[0-9a-fA-F]/.test(p.s[p.i] ?? '')) throw new Stop(p.i);
  } else if (e !== undefined && '"\\/bfnrt'.includes(e)) p.i++;
  else throw new Stop(p.i);
}
