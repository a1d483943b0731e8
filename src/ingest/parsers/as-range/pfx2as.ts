// CAIDA RouteViews prefix-to-AS tables (routeviews-rv2-*.pfx2as, routeviews-rv6-*.pfx2as):
// `prefix<TAB>length<TAB>asn`. The AS field may name several origins: `X_Y` when routers saw
// the prefix originated by several ASes (multi-origin, MOAS), `X,Y` when the origin is an AS
// set; the two can combine (`X_Y,Z`).
import type { Format, LineParser, ParseOptions } from '../../records.js';
import { lineFormat } from '../../records.js';
import {
  asRangeRecord,
  baseName,
  clip,
  parseAsn,
  parsePrefixRange,
  sniffLines,
  tableConfidence,
  tsvTableParser,
} from './as-range.js';

const NAME = 'pfx2as';

/**
 * The origin AS of a pfx2as AS field: the first one written. `as.number` holds one origin, and
 * CAIDA lists MOAS origins and AS-set members without ranking them, so any pick is arbitrary; the
 * first is at least stable from run to run. Emitting one record per origin instead would give one
 * range several conflicting origins. Every member must still be a valid AS number, so a damaged
 * field is reported rather than half-read.
 */
export function pfx2asOrigin(field: string): number | undefined {
  const parts = field.split(/[_,]/);
  let first: number | undefined;
  for (const p of parts) {
    const asn = parseAsn(p);
    if (asn === undefined) return undefined;
    first ??= asn;
  }
  return first;
}

export function pfx2asLines(options: ParseOptions): LineParser {
  const source = options.source ?? NAME;
  return tsvTableParser((fields, line) => {
    if (fields.length !== 3) {
      return { line, message: `expected prefix<TAB>length<TAB>AS number, found ${fields.length} column(s)` };
    }
    const [prefix = '', length = '', asnField = ''] = fields;
    const asn = pfx2asOrigin(asnField);
    if (asn === undefined) return { line, message: `"${clip(asnField)}" is not an AS number, MOAS list (X_Y) or AS set (X,Y)` };
    const range = parsePrefixRange(prefix, length);
    if (!range.ok) return { line, message: range.reason };
    // AS 0 is never a real origin (RFC 7607); like iptoasn's "Not routed", it gives no record.
    if (asn === 0) return undefined;
    return asRangeRecord(range.start, range.end, asn, undefined, source);
  });
}

function looksLikePfx2as(line: string): boolean {
  const f = line.split('\t');
  if (f.length !== 3) return false;
  const [prefix = '', length = '', asn = ''] = f;
  return pfx2asOrigin(asn) !== undefined && !/^\d+$/.test(prefix) && parsePrefixRange(prefix, length).ok;
}

export const pfx2asFormat: Format = lineFormat(
  NAME,
  (head, fileName) => tableConfidence(sniffLines(head), looksLikePfx2as, /pfx2as|prefix2as/.test(baseName(fileName))),
  pfx2asLines,
);
