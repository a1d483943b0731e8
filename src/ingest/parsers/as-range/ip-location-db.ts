// The ip-location-db ASN tables (npm @ip-location-db/asn: asn-ipv4.csv, asn-ipv6.csv, and the
// integer-address asn-ipv4-num.csv / asn-ipv6-num.csv): `range_start,range_end,asn,organization`.
// Organisations contain commas; the files quote such fields (RFC 4180), but copies edited by
// hand or other tools often leave them bare, so both are read.
import type { Format, IngestRecord, LineParser, ParseError, ParseOptions, ParseResult } from '../../records.js';
import { lineFormat } from '../../records.js';
import {
  asRangeRecord,
  baseName,
  clip,
  integerFamilyOf,
  isSkippable,
  looksLikeHeader,
  parseAsn,
  parseRange,
  sniffLines,
  stripBom,
  tableConfidence,
} from './as-range.js';

const NAME = 'ip-location-db';

/** A quoted field may span lines (RFC 4180); past these limits the quote is taken to be stray. */
const MAX_RECORD_LINES = 16;
const MAX_RECORD_CHARS = 64 * 1024;

export interface CsvField {
  readonly value: string;
  readonly quoted: boolean;
}

export type CsvSplit =
  | { readonly ok: true; readonly fields: CsvField[] }
  | { readonly ok: false; readonly unterminated: boolean; readonly reason: string };

/** Split one CSV record per RFC 4180: `"` quotes a field, `""` inside it is one quote. */
export function splitCsv(text: string): CsvSplit {
  const fields: CsvField[] = [];
  let i = 0;
  for (;;) {
    if (text.charCodeAt(i) === 0x22) {
      let value = '';
      i++;
      for (;;) {
        const q = text.indexOf('"', i);
        if (q < 0) return { ok: false, unterminated: true, reason: 'a quoted field is not closed' };
        value += text.slice(i, q);
        if (text.charCodeAt(q + 1) === 0x22) {
          value += '"';
          i = q + 2;
        } else {
          i = q + 1;
          break;
        }
      }
      fields.push({ value, quoted: true });
      if (i >= text.length) return { ok: true, fields };
      if (text.charCodeAt(i) !== 0x2c) return { ok: false, unterminated: false, reason: 'text follows a closing quote' };
      i++;
    } else {
      // A quote inside an unquoted field is not RFC 4180, but it is unambiguous: kept as text.
      const comma = text.indexOf(',', i);
      if (comma < 0) {
        fields.push({ value: text.slice(i), quoted: false });
        return { ok: true, fields };
      }
      fields.push({ value: text.slice(i, comma), quoted: false });
      i = comma + 1;
    }
  }
}

/** A line that on its own reads as the start of a data record (two addresses and an AS). */
function startsRecord(text: string): boolean {
  return /^\s*"?[0-9A-Fa-f:.]+"?\s*,\s*"?[0-9A-Fa-f:.]+"?\s*,\s*"?\d+"?\s*(?:,|$)/.test(text);
}

type Outcome = IngestRecord | ParseError | undefined;

export function ipLocationDbLines(options: ParseOptions): LineParser {
  const source = options.source ?? NAME;
  const integerFamily = integerFamilyOf(options.fileName);
  let seenData = false;
  let pending: { text: string; line: number; lines: number } | undefined;

  const record = (fields: CsvField[], line: number): Outcome => {
    const first = !seenData;
    seenData = true;
    if (first && looksLikeHeader(fields.map((f) => f.value.trim()))) return undefined;
    if (fields.length < 3) {
      return { line, message: `expected range_start,range_end,asn,organization, found ${fields.length} column(s)` };
    }
    const [start, end, asnField] = fields.map((f) => f.value.trim());
    let organization: string | undefined;
    if (fields.length === 4) organization = fields[3]?.value;
    else if (fields.length > 4) {
      // An unquoted organisation with commas splits into several fields: rejoin them. A quoted
      // field among them means the extra columns are real, which this format does not have.
      const rest = fields.slice(3);
      if (rest.some((f) => f.quoted)) return { line, message: `expected 4 columns (range_start,range_end,asn,organization), found ${fields.length}` };
      organization = rest.map((f) => f.value).join(',');
    }
    const asn = parseAsn(asnField ?? '');
    if (asn === undefined) return { line, message: `"${clip(asnField ?? '')}" is not an AS number (0 to 4294967295)` };
    const range = parseRange(start ?? '', end ?? '', integerFamily);
    if (!range.ok) return { line, message: range.reason };
    // AS 0 marks unannounced space in these tables too: no origin, so no record.
    if (asn === 0) return undefined;
    return asRangeRecord(range.start, range.end, asn, organization, source);
  };

  const result = (...outcomes: Outcome[]): ParseResult => {
    const records: IngestRecord[] = [];
    const errors: ParseError[] = [];
    for (const o of outcomes) {
      if (o === undefined) continue;
      if ('kind' in o) records.push(o);
      else errors.push(o);
    }
    return { records, errors };
  };

  const unterminated = (line: number): ParseError => ({ line, message: 'a quoted field is not closed' });

  const handle = (text: string, lineNumber: number): ParseResult => {
    let stray: ParseError | undefined;
    let combined = text;
    let startLine = lineNumber;
    let lines = 1;
    if (pending) {
      // A line that is itself a whole record means the pending quote was stray, not a field
      // running on: report it and read this line afresh, so one bad quote costs one line.
      if (startsRecord(text) && splitCsv(text).ok) {
        stray = unterminated(pending.line);
        pending = undefined;
      } else {
        combined = `${pending.text}\n${text}`;
        startLine = pending.line;
        lines = pending.lines + 1;
        pending = undefined;
      }
    }
    if (startLine === lineNumber && isSkippable(combined)) return result(stray);
    const split = splitCsv(combined);
    if (!split.ok) {
      if (split.unterminated && lines < MAX_RECORD_LINES && combined.length < MAX_RECORD_CHARS) {
        pending = { text: combined, line: startLine, lines };
        return result(stray);
      }
      return result(stray, { line: startLine, message: split.reason });
    }
    return result(stray, record(split.fields, startLine));
  };

  return {
    line(text: string, lineNumber: number): ParseResult {
      try {
        return handle(lineNumber === 1 ? stripBom(text) : text, lineNumber);
      } catch (e) {
        // A safety net: a bug met on one odd line must cost that line, not the whole ingest.
        pending = undefined;
        return result({ line: lineNumber, message: `internal error: ${e instanceof Error ? e.message : String(e)}` });
      }
    },
    end(): ParseResult {
      const p = pending;
      pending = undefined;
      return result(p ? unterminated(p.line) : undefined);
    },
  };
}

/** 0: not a data line; 1: with text addresses; 2: with integer addresses only. */
function ipLocationDbLineKind(line: string): 0 | 1 | 2 {
  const split = splitCsv(line);
  if (!split.ok || split.fields.length < 4) return 0;
  const [start = '', end = '', asn = ''] = split.fields.map((f) => f.value.trim());
  if (parseAsn(asn) === undefined) return 0;
  if (!parseRange(start, end, 4).ok && !parseRange(start, end, 6).ok) return 0;
  return /^\d+$/.test(start) ? 2 : 1;
}

function sniffIpLocationDb(head: Buffer, fileName?: string): number {
    const lower = (fileName ?? '').toLowerCase();
    const nameHint = lower.includes('ip-location-db') || /^asn-ipv[46](?:-num)?\.csv$/.test(baseName(fileName));
    const lines = sniffLines(head);
    const score = tableConfidence(lines, (l) => ipLocationDbLineKind(l) !== 0, nameHint);
    // Four integer columns are common in unrelated CSV; only text addresses are a strong sign.
    const integersOnly = lines !== undefined && lines.length > 0 && lines.every((l) => ipLocationDbLineKind(l) === 2);
    return integersOnly && !nameHint ? Math.min(score, 0.6) : score;
}

export const ipLocationDbFormat: Format = lineFormat(NAME, sniffIpLocationDb, ipLocationDbLines);
