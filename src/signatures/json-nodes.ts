// A JSON signature file as the YAML nodes the checkers read (maps, sequences, scalars with their
// offsets), built directly instead of by the YAML parser: with 10,000 signatures in JSON the
// YAML lexer, parser and composer took most of `warren scan`'s start-up. The text must already
// have passed jsonSyntaxError (json-syntax.ts), so this reader trusts the syntax and only walks it.
//
// read-text.ts uses these nodes for a file's first reading and, when that reading finds any
// error, reads the file again through the YAML parser, whose reports stay the reference; so only
// files without errors depend on this module, and load.test.ts compares both readings on them.
import { Document, LineCounter, Pair, Scalar, YAMLMap, YAMLSeq } from 'yaml';
import type { ParsedNode } from 'yaml';

class Walker {
  i = 0;
  constructor(private readonly s: string) {}

  private space(): void {
    const s = this.s;
    while (this.i < s.length) {
      const c = s.charCodeAt(this.i);
      if (c === 0x20 || c === 0x0a || c === 0x0d || c === 0x09) this.i++;
      else break;
    }
  }

  value(): ParsedNode {
    this.space();
    const s = this.s;
    const start = this.i;
    const c = s[start];
    if (c === '{') {
      const map = new YAMLMap<ParsedNode, ParsedNode>();
      this.i++;
      this.space();
      if (s[this.i] === '}') this.i++;
      else {
        for (;;) {
          this.space();
          const key = this.string();
          this.space();
          this.i++; // ':'
          map.items.push(new Pair(key, this.value()));
          this.space();
          if (s[this.i++] === '}') break; // else ','
        }
      }
      map.range = [start, this.i, this.i];
      return map as ParsedNode;
    }
    if (c === '[') {
      const seq = new YAMLSeq<ParsedNode>();
      this.i++;
      this.space();
      if (s[this.i] === ']') this.i++;
      else {
        for (;;) {
          seq.items.push(this.value());
          this.space();
          if (s[this.i++] === ']') break; // else ','
        }
      }
      seq.range = [start, this.i, this.i];
      return seq as ParsedNode;
    }
    if (c === '"') return this.string();
    // A number, true, false or null: up to the next delimiter.
    let end = start;
    while (end < s.length && !/[\s,\]}]/.test(s[end]!)) end++;
    const raw = s.slice(start, end);
    this.i = end;
    const scalar = new Scalar(raw === 'true' ? true : raw === 'false' ? false : raw === 'null' ? null : Number(raw));
    scalar.source = raw;
    scalar.type = 'PLAIN';
    scalar.range = [start, end, end];
    return scalar as ParsedNode;
  }

  private string(): ParsedNode {
    const s = this.s;
    const start = this.i;
    let j = start + 1;
    let escaped = false;
    for (;;) {
      const c = s.charCodeAt(j);
      if (c === 0x22) break;
      if (c === 0x5c) {
        escaped = true;
        j += 2;
      } else j++;
    }
    this.i = j + 1;
    const text = escaped ? (JSON.parse(s.slice(start, this.i)) as string) : s.slice(start + 1, j);
    const scalar = new Scalar(text);
    scalar.source = text;
    scalar.type = 'QUOTE_DOUBLE';
    scalar.range = [start, this.i, this.i];
    return scalar as ParsedNode;
  }
}

/** The document of a syntactically valid JSON text, with `lines` filled as the YAML parser would. */
export function jsonDocument(text: string, lines: LineCounter): Document.Parsed {
  lines.addNewLine(0);
  for (let nl = text.indexOf('\n'); nl >= 0; nl = text.indexOf('\n', nl + 1)) lines.addNewLine(nl + 1);
  const doc = new Document();
  doc.contents = new Walker(text).value();
  return doc as Document.Parsed;
}
