// A linear pre-scan of signature text, before the YAML/JSON parser sees it. The parser is
// correct but not cheap on hostile shapes: 4 MB of `[` took it 25 s, a million `---` lines 16 s,
// `- - - …` on one line 13 s — and the exact depth check (yaml-source.ts) can only run after the
// parser has built the syntax tree. This scan reads each character once and refuses, with the
// line and the reason, text with too many documents or nested deeper than any signature needs.
//
// It estimates nesting from what the text shows (flow brackets, indentation, `- `/`? `/`: `
// indicators at the start of a line) and skips quoted scalars, comments and block scalars, so a
// regex such as `pay[a-z]+al` in a plain scalar or `[` inside quotes is not counted. The
// estimate can only be high for text nested by indentation far beyond a signature's few levels;
// the exact check after parsing still applies to what passes.
import { MAX_DEPTH } from './yaml-source.js';

/** YAML documents accepted in one text: far more than any rule set, far fewer than 10⁶. */
export const MAX_DOCUMENTS = 20_000;

export interface PrescanProblem {
  readonly line: number;
  readonly message: string;
}

const SPACE = 0x20;
const TAB = 0x09;
const LF = 0x0a;
const CR = 0x0d;

function isBlank(c: number): boolean {
  return c === SPACE || c === TAB || c === LF || c === CR || Number.isNaN(c);
}

/** A quote in a flow collection opens a quoted scalar only where a scalar can start. */
function startsFlowScalar(text: string, at: number): boolean {
  let j = at - 1;
  while (j >= 0 && (text.charCodeAt(j) === SPACE || text.charCodeAt(j) === TAB)) j--;
  if (j < 0) return true;
  const p = text.charCodeAt(j);
  return p === LF || p === CR || p === 0x5b || p === 0x7b || p === 0x2c /* , */ || p === 0x3a /* : */ || p === 0x3f /* ? */;
}

/** The first problem that makes the text not worth parsing, or undefined. */
export function prescanSignatureText(text: string): PrescanProblem | undefined {
  const n = text.length;
  let line = 1;
  let documents = 1;
  let flow = 0; // depth of flow collections ([ ], { })
  let quote: 0 | 0x22 | 0x27 = 0; // inside a "…" or '…' scalar (may span lines)
  let blockScalarIndent = -1; // inside a | or > scalar whose header line had this indent
  const indents: number[] = []; // indentation of the enclosing block lines
  const deep = (): PrescanProblem => ({ line, message: `nested more than ${MAX_DEPTH} levels deep; a signature needs far fewer` });

  let i = 0;
  while (i < n) {
    // Start of a line.
    let indent = 0;
    while (i + indent < n && text.charCodeAt(i + indent) === SPACE) indent++;
    const first = text.charCodeAt(i + indent);
    const blankLine = first === LF || first === CR || i + indent >= n;
    if (blockScalarIndent >= 0 && (blankLine || indent > blockScalarIndent)) {
      // Content of a block scalar: text, whatever it looks like.
      const end = text.indexOf('\n', i);
      if (end < 0) break;
      i = end + 1;
      line++;
      continue;
    }
    blockScalarIndent = -1;
    if (quote === 0 && flow === 0 && indent === 0 && text.startsWith('---', i) && isBlank(text.charCodeAt(i + 3))) {
      if (++documents > MAX_DOCUMENTS) return { line, message: `more than ${MAX_DOCUMENTS.toLocaleString('en-US')} YAML documents (--- lines) in one text` };
      indents.length = 0;
      i += 3;
    } else {
      i += indent;
    }
    let atValueStart = quote === 0 && flow === 0;
    if (atValueStart && !blankLine && first !== 0x23 /* # */) {
      while (indents.length > 0 && indents[indents.length - 1]! >= indent) indents.pop();
      indents.push(indent);
      if (indents.length > MAX_DEPTH) return deep();
    }
    let depth = indents.length;
    // The rest of the line.
    for (; i < n; i++) {
      const c = text.charCodeAt(i);
      if (c === LF) break;
      if (quote !== 0) {
        if (quote === 0x22 && c === 0x5c /* \ */) i++;
        else if (c === quote) {
          if (quote === 0x27 && text.charCodeAt(i + 1) === 0x27) i++;
          else quote = 0;
        }
        continue;
      }
      if (c === SPACE || c === TAB || c === CR) continue;
      const prevBlank = i === 0 || isBlank(text.charCodeAt(i - 1));
      if (c === 0x23 /* # */ && prevBlank) {
        const end = text.indexOf('\n', i);
        i = end < 0 ? n : end;
        break;
      }
      if (flow > 0) {
        if (c === 0x5b || c === 0x7b) {
          if (++flow + depth > MAX_DEPTH) return deep();
        } else if (c === 0x5d || c === 0x7d) flow--;
        else if ((c === 0x22 || c === 0x27) && startsFlowScalar(text, i)) quote = c;
        continue;
      }
      if (!atValueStart) {
        // Inside a plain scalar or after a key: only `: ` starts a value again.
        if (c === 0x3a /* : */ && isBlank(text.charCodeAt(i + 1))) {
          atValueStart = true;
          if (++depth > MAX_DEPTH) return deep();
        }
        continue;
      }
      if ((c === 0x2d /* - */ || c === 0x3f /* ? */ || c === 0x3a /* : */) && isBlank(text.charCodeAt(i + 1))) {
        // A compact block indicator: one more level on this line.
        if (++depth > MAX_DEPTH) return deep();
        continue;
      }
      if (c === 0x5b || c === 0x7b) {
        flow = 1;
        if (flow + depth > MAX_DEPTH) return deep();
      } else if (c === 0x22 || c === 0x27) {
        quote = c;
      } else if (c === 0x7c /* | */ || c === 0x3e /* > */) {
        // A block scalar header: the lines indented more than this one are its text.
        blockScalarIndent = indent;
        const end = text.indexOf('\n', i);
        i = end < 0 ? n : end;
        break;
      }
      atValueStart = false;
    }
    if (i < n) {
      i++; // the newline
      line++;
    }
  }
  return undefined;
}
