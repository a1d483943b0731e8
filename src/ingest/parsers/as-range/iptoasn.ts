// iptoasn.com tables: `range_start<TAB>range_end<TAB>AS_number<TAB>country_code<TAB>AS_description`,
// with text addresses (ip2asn-v4.tsv, ip2asn-v6.tsv, ip2asn-combined.tsv) or IPv4 as decimal
// integers (ip2asn-v4-u32.tsv).
import type { Format, LineParser, ParseOptions } from '../../records.js';
import { lineFormat } from '../../records.js';
import {
  asRangeRecord,
  baseName,
  clip,
  integerFamilyOf,
  parseAsn,
  parseRange,
  sniffLines,
  tableConfidence,
  tsvTableParser,
} from './as-range.js';

const NAME = 'iptoasn';

export function iptoasnLines(options: ParseOptions): LineParser {
  const source = options.source ?? NAME;
  const integerFamily = integerFamilyOf(options.fileName);
  return tsvTableParser((fields, line) => {
    const [start = '', end = '', asnText = ''] = fields;
    if (fields.length < 3) {
      return { line, message: `expected range_start<TAB>range_end<TAB>AS number<TAB>country<TAB>description, found ${fields.length} column(s)` };
    }
    const asn = parseAsn(asnText);
    if (asn === undefined) return { line, message: `"${clip(asnText)}" is not an AS number (0 to 4294967295)` };
    const range = parseRange(start, end, integerFamily);
    if (!range.ok) return { line, message: range.reason };
    // iptoasn marks unannounced space as AS 0 "Not routed": a fact about the table, not an
    // origin, so it yields no record. The AS number decides, not the description.
    if (asn === 0) return undefined;
    // Descriptions never hold tabs in iptoasn's own files; joining keeps a stray one readable.
    return asRangeRecord(range.start, range.end, asn, fields.slice(4).join('\t'), source);
  });
}

function looksLikeIptoasn(line: string): boolean {
  const f = line.split('\t');
  if (f.length !== 5) return false;
  const [start = '', end = '', asn = '', cc = ''] = f;
  // iptoasn writes "None" (and sometimes "Unknown") where no country applies.
  if (parseAsn(asn) === undefined || !/^(?:[A-Za-z]{2}|None|Unknown)$/.test(cc.trim())) return false;
  return parseRange(start, end, 4).ok || parseRange(start, end, 6).ok;
}

export const iptoasnFormat: Format = lineFormat(
  NAME,
  (head, fileName) => tableConfidence(sniffLines(head), looksLikeIptoasn, /ip2asn|iptoasn/.test(baseName(fileName))),
  iptoasnLines,
);
