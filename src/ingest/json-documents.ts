// Reading JSON input whatever its shape: JSON Lines, one value or array per line, or JSON
// documents (pretty-printed objects, arrays, or several of them one after another as `jq .`
// writes them), value by value in bounded memory, every value with the line where it starts.
// The passive DNS parsers read their input with JsonValuesLineParser; RDAP reads a response body
// with jsonDocumentItems. Any parser of JSON records can do the same.
import type { IngestRecord, LineParser, ParseError, ParseResult } from './records.js';

const EMPTY: ParseResult = { records: [], errors: [] };

export type JsonItem = { readonly line: number; readonly value: unknown } | { readonly line: number; readonly error: string };

export function jsonMessage(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}

export function tryJson(text: string): { ok: true; value: unknown } | { ok: false; error: unknown } {
  try {
    return { ok: true, value: JSON.parse(text) as unknown };
  } catch (error) {
    return { ok: false, error };
  }
}

/**
 * Format.cut for JSON formats: an input may be cut at any line boundary when it is JSON Lines,
 * which its head tells: every complete line is a JSON value of its own (a pretty-printed
 * document is not, and stays one part).
 */
export function jsonLinesCut(headLines: readonly string[]): { readonly preamble: number } | undefined {
  let values = 0;
  for (const line of headLines) {
    if (line.trim() === '') continue;
    if (!tryJson(line).ok) return undefined;
    values++;
  }
  return values > 0 ? { preamble: 0 } : undefined;
}

/** A value that has not ended by this size is broken, and memory must stay bounded. */
const MAX_VALUE_CHARS = 64 * 1024 * 1024;

function isBlank(c: string): boolean {
  return c === ' ' || c === '\t' || c === '\r' || c === '\n';
}

/**
 * Splits JSON text fed line by line into its values: each top-level value, except that a
 * top-level array gives its elements one by one. Only brackets and strings are scanned; each
 * value is parsed when it ends, so memory holds one value (not a whole export), one broken value
 * costs that value alone, and every item carries the line where it starts (V8's JSON.parse
 * messages on Node 20 give no position to point at).
 */
export class JsonValueScanner {
  private depth = 0;
  private inArray = false;
  private inString = false;
  private escaped = false;
  /** Parts of the value being read; undefined between values. */
  private parts: string[] | undefined;
  private kind: 'nested' | 'string' | 'bare' = 'nested';
  private base = 0;
  private valueLine = 0;
  private size = 0;
  /** In an array: a value since the opening bracket or the last comma; and whether a comma came. */
  private elementSeen = false;
  private commaSeen = false;
  private lastLine = 0;

  feed(text: string, line: number): JsonItem[] {
    const out: JsonItem[] = [];
    this.lastLine = line;
    let segment = this.parts ? 0 : -1;
    const finish = (end: number): void => {
      this.parts!.push(text.slice(segment, end));
      const body = this.parts!.join('');
      const parsed = tryJson(body);
      out.push(parsed.ok ? { line: this.valueLine, value: parsed.value } : { line: this.valueLine, error: `invalid JSON: ${jsonMessage(parsed.error)}` });
      this.parts = undefined;
      this.inString = false;
      this.escaped = false;
      this.depth = this.base;
      segment = -1;
      if (this.inArray) this.elementSeen = true;
    };
    for (let i = 0; i < text.length; i++) {
      const c = text[i]!;
      if (this.parts) {
        if (this.inString) {
          if (this.escaped) this.escaped = false;
          else if (c === '\\') this.escaped = true;
          else if (c === '"') {
            this.inString = false;
            if (this.kind === 'string') finish(i + 1);
          }
        } else if (this.kind === 'bare') {
          if (isBlank(c) || c === ',' || c === ']' || c === '}' || c === '{' || c === '[' || c === '"') {
            finish(i);
            i--; // this character belongs to what follows the value
          }
        } else if (c === '"') this.inString = true;
        else if (c === '{' || c === '[') this.depth++;
        else if ((c === '}' || c === ']') && --this.depth === this.base) finish(i + 1);
        continue;
      }
      if (isBlank(c)) continue;
      if (this.inArray && c === ',') {
        if (!this.elementSeen) out.push({ line, error: 'invalid JSON: empty array element' });
        this.elementSeen = false;
        this.commaSeen = true;
        continue;
      }
      if (this.inArray && c === ']') {
        if (!this.elementSeen && this.commaSeen) out.push({ line, error: 'invalid JSON: "," before "]"' });
        this.inArray = false;
        this.depth = 0;
        continue;
      }
      if (this.inArray && this.elementSeen) out.push({ line, error: 'invalid JSON: missing "," between array elements' });
      if (!this.inArray && c === '[') {
        this.inArray = true;
        this.depth = 1;
        this.elementSeen = false;
        this.commaSeen = false;
        continue;
      }
      this.parts = [];
      this.size = 0;
      this.valueLine = line;
      this.base = this.depth;
      segment = i;
      if (c === '{' || c === '[') {
        this.kind = 'nested';
        this.depth++;
      } else if (c === '"') {
        this.kind = 'string';
        this.inString = true;
      } else {
        this.kind = 'bare';
      }
    }
    if (this.parts) {
      const rest = text.slice(segment);
      // A bare value (number, literal, junk) ends at the end of its line.
      if (this.kind === 'bare') finish(text.length);
      else {
        this.parts.push(rest, '\n');
        this.size += rest.length + 1;
        if (this.size > MAX_VALUE_CHARS) {
          out.push({ line: this.valueLine, error: 'invalid JSON: a value over 64 MiB, or one that never ends' });
          this.reset();
        }
      }
    }
    return out;
  }

  end(): JsonItem[] {
    const out: JsonItem[] = [];
    if (this.parts) out.push({ line: this.valueLine, error: 'invalid JSON: the value is not closed' });
    else if (this.inArray) out.push({ line: this.lastLine, error: 'invalid JSON: the array is not closed' });
    this.reset();
    return out;
  }

  private reset(): void {
    this.parts = undefined;
    this.depth = 0;
    this.inArray = false;
    this.inString = false;
    this.escaped = false;
  }
}

/** Every value of a whole JSON text, as JsonValueScanner reads it; `firstLine` numbers its first line. */
export function jsonDocumentItems(text: string, firstLine: number): JsonItem[] {
  const scanner = new JsonValueScanner();
  const items: JsonItem[] = [];
  text.split('\n').forEach((line, i) => items.push(...scanner.feed(line, firstLine + i)));
  items.push(...scanner.end());
  return items;
}

/**
 * A LineParser for JSON input of either shape, decided by its first lines: JSON Lines (one value
 * a line; a line holding an array gives each element), or JSON documents (pretty-printed
 * objects, arrays, or several of them one after another as `jq .` writes them) read value by
 * value as the lines arrive. Each value goes to `onValue` with the line where it starts; JSON
 * that does not parse is reported at its line, and the rest is still read.
 */
export class JsonValuesLineParser implements LineParser {
  private mode: 'undecided' | 'lines' | 'document' = 'undecided';
  /** A first line that opens an object but does not close it, until the next line tells why. */
  private pending: { text: string; line: number } | undefined;
  private scanner = new JsonValueScanner();

  constructor(private readonly onValue: (value: unknown, line: number) => ParseResult) {}

  line(text: string, lineNumber: number): ParseResult {
    try {
      return this.take(lineNumber === 1 ? text.replace(/^\uFEFF/, '') : text, lineNumber);
    } catch (error) {
      return { records: [], errors: [{ line: lineNumber, message: `internal error: ${jsonMessage(error)}` }] };
    }
  }

  end(): ParseResult {
    try {
      if (this.pending) this.startDocument();
      return this.mode === 'document' ? this.items(this.scanner.end()) : EMPTY;
    } catch (error) {
      return { records: [], errors: [{ line: 0, message: `internal error: ${jsonMessage(error)}` }] };
    } finally {
      this.mode = 'undecided';
      this.pending = undefined;
      this.scanner = new JsonValueScanner();
    }
  }

  private take(text: string, line: number): ParseResult {
    if (this.mode === 'document') return this.items(this.scanner.feed(text, line));
    const trimmed = text.trim();
    if (trimmed === '') return EMPTY;
    if (this.mode === 'lines') return this.ndjsonLine(trimmed, line);
    if (this.pending) {
      // The line after an unclosed first line: a whole object means NDJSON with a broken first
      // line; anything else means the first line opened a pretty-printed document.
      if (/^\{.*\}$/.test(trimmed) && tryJson(trimmed).ok) {
        const first = this.pending;
        this.pending = undefined;
        this.mode = 'lines';
        const a = this.ndjsonLine(first.text.trim(), first.line);
        const b = this.ndjsonLine(trimmed, line);
        return { records: [...a.records, ...b.records], errors: [...a.errors, ...b.errors] };
      }
      const opened = this.startDocument();
      const more = this.items(this.scanner.feed(text, line));
      return { records: [...opened.records, ...more.records], errors: [...opened.errors, ...more.errors] };
    }
    if (trimmed.startsWith('[')) {
      this.mode = 'document';
      return this.items(this.scanner.feed(text, line));
    }
    if (trimmed.startsWith('{') && !tryJson(trimmed).ok) {
      this.pending = { text, line };
      return EMPTY;
    }
    this.mode = 'lines';
    return this.ndjsonLine(trimmed, line);
  }

  private startDocument(): ParseResult {
    this.mode = 'document';
    const first = this.pending!;
    this.pending = undefined;
    return this.items(this.scanner.feed(first.text, first.line));
  }

  private items(items: readonly JsonItem[]): ParseResult {
    if (items.length === 0) return EMPTY;
    const records: IngestRecord[] = [];
    const errors: ParseError[] = [];
    for (const item of items) {
      const r =
        'error' in item
          ? { records: [], errors: [{ line: item.line, message: item.error }] }
          : this.onValue(item.value, item.line);
      records.push(...r.records);
      errors.push(...r.errors);
    }
    return { records, errors };
  }

  private ndjsonLine(trimmed: string, line: number): ParseResult {
    const parsed = tryJson(trimmed);
    if (!parsed.ok) return { records: [], errors: [{ line, message: `invalid JSON: ${jsonMessage(parsed.error)}` }] };
    // A line holding an array of rrsets (a compact export) gives each of them.
    if (Array.isArray(parsed.value)) return this.items((parsed.value as unknown[]).map((value) => ({ line, value })));
    return this.onValue(parsed.value, line);
  }
}
