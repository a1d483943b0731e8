// What the four routing-data parsers (mmdb, iptoasn, ip-location-db, pfx2as) share: turning
// endpoints and prefixes into one valid `AsRangeRecord`, reading AS numbers, and sniffing the
// head of a text table. Kept apart from fields/ip.ts, which serves signatures, not ingest.
import { canonicalIp, ipBytes, parseNetwork } from '../../../fields/ip.js';
import type { AsRangeRecord, LineParser, ParseError, ParseResult } from '../../records.js';

/** AS numbers are 32-bit (RFC 6793). */
export const MAX_ASN = 4_294_967_295;

const MAX_IPV4_INT = 4_294_967_295n;
const MAX_IPV6_INT = (1n << 128n) - 1n;

/** An AS number written in decimal, 0 to 2^32-1; undefined for anything else. */
export function parseAsn(text: string): number | undefined {
  // Ten digits at most so that absurd lengths never reach Number(); leading zeros are tolerated
  // because some exports pad columns.
  if (!/^\d{1,10}$/.test(text)) return undefined;
  const n = Number(text);
  return n <= MAX_ASN ? n : undefined;
}

/** A range endpoint: canonical text plus the bytes used to order and check it. */
export interface Endpoint {
  readonly text: string;
  readonly family: 4 | 6;
  readonly bytes: Uint8Array;
}

/**
 * Canonical text of address bytes, the same text canonicalIp gives (dotted quad; RFC 5952 for
 * IPv6; IPv4-mapped IPv6 as IPv4), written directly: enumerating a MaxMind database formats two
 * endpoints per network, and going through ipaddr.js objects there was most of the run time.
 */
export function bytesText(bytes: Uint8Array): string | undefined {
  if (bytes.length === 4) return `${bytes[0]}.${bytes[1]}.${bytes[2]}.${bytes[3]}`;
  if (bytes.length !== 16) return undefined;
  if (isMappedBytes(bytes)) return `${bytes[12]}.${bytes[13]}.${bytes[14]}.${bytes[15]}`;
  const groups: number[] = [];
  for (let i = 0; i < 16; i += 2) groups.push((bytes[i]! << 8) | bytes[i + 1]!);
  // RFC 5952: "::" stands for the longest run of two or more zero groups, the first on a tie.
  let bestStart = -1;
  let bestLength = 1;
  for (let i = 0; i < 8; ) {
    if (groups[i] !== 0) {
      i++;
      continue;
    }
    let j = i;
    while (j < 8 && groups[j] === 0) j++;
    if (j - i > bestLength) {
      bestStart = i;
      bestLength = j - i;
    }
    i = j;
  }
  const hex = (from: number, to: number): string => groups.slice(from, to).map((g) => g.toString(16)).join(':');
  if (bestStart < 0) return hex(0, 8);
  return `${hex(0, bestStart)}::${hex(bestStart + bestLength, 8)}`;
}

function isMappedBytes(bytes: Uint8Array): boolean {
  if (bytes.length !== 16 || bytes[10] !== 0xff || bytes[11] !== 0xff) return false;
  for (let i = 0; i < 10; i++) if (bytes[i] !== 0) return false;
  return true;
}

function endpointOfBytes(bytes: Uint8Array): Endpoint | undefined {
  const text = bytesText(bytes);
  if (text === undefined) return undefined;
  // bytesText writes a mapped address as IPv4, so its endpoint is the IPv4 one.
  if (isMappedBytes(bytes)) return { text, family: 4, bytes: bytes.slice(12) };
  return { text, family: bytes.length === 4 ? 4 : 6, bytes };
}

function integerBytes(value: bigint, length: 4 | 16): Uint8Array {
  const out = new Uint8Array(length);
  let v = value;
  for (let i = length - 1; i >= 0; i--) {
    out[i] = Number(v & 0xffn);
    v >>= 8n;
  }
  return out;
}

/**
 * Which family a file's integer addresses belong to. Integer exports (iptoasn's `-u32`,
 * ip-location-db's `-num`) are IPv4 unless the file name says IPv6: a small integer is a valid
 * address in both families, so the data alone cannot tell.
 */
export function integerFamilyOf(fileName: string | undefined): 4 | 6 {
  return /(?:^|[^a-z0-9])(?:ip)?v6(?:[^a-z0-9]|$)/.test(baseName(fileName)) ? 6 : 4;
}

const OCTET = '(?:25[0-5]|2[0-4]\\d|1\\d\\d|[1-9]?\\d)';
const DOTTED_QUAD = new RegExp(`^${OCTET}\\.${OCTET}\\.${OCTET}\\.${OCTET}$`);

export type EndpointParse = { readonly ok: true; readonly endpoint: Endpoint } | { readonly ok: false; readonly reason: string };

/** An IP written as text (dotted quad, IPv6) or as a decimal integer of the given family. */
export function parseEndpoint(text: string, integerFamily: 4 | 6): EndpointParse {
  if (/^\d+$/.test(text)) {
    const max = integerFamily === 4 ? MAX_IPV4_INT : MAX_IPV6_INT;
    // 40 digits exceed any 128-bit value; checking the length first keeps BigInt() cheap.
    const value = text.length <= 40 ? BigInt(text) : max + 1n;
    if (value > max) {
      const hint = integerFamily === 4 ? ' (a file of IPv6 integers needs "v6" in its name)' : '';
      return { ok: false, reason: `"${clip(text)}" is too large for an IPv${integerFamily} address written as an integer${hint}` };
    }
    const endpoint = endpointOfBytes(integerBytes(value, integerFamily === 4 ? 4 : 16));
    return endpoint ? { ok: true, endpoint } : { ok: false, reason: `"${clip(text)}" is not an IP address` };
  }
  // The strict dotted quad (no leading zeros) is already canonical. Tables of a million rows are
  // mostly these, and the general parser (two passes through ipaddr.js) dominated their parse.
  if (DOTTED_QUAD.test(text)) {
    const parts = text.split('.');
    return { ok: true, endpoint: { text, family: 4, bytes: Uint8Array.of(Number(parts[0]), Number(parts[1]), Number(parts[2]), Number(parts[3])) } };
  }
  const canonical = canonicalIp(text);
  const b = canonical === undefined ? undefined : ipBytes(canonical);
  if (canonical === undefined || !b) return { ok: false, reason: `"${clip(text)}" is not an IP address` };
  return { ok: true, endpoint: { text: canonical, family: b.family, bytes: b.bytes } };
}

export function compareBytes(a: Uint8Array, b: Uint8Array): number {
  const n = Math.min(a.length, b.length);
  for (let i = 0; i < n; i++) {
    const d = a[i]! - b[i]!;
    if (d !== 0) return d;
  }
  return a.length - b.length;
}

export type RangeParse =
  | { readonly ok: true; readonly start: string; readonly end: string }
  | { readonly ok: false; readonly reason: string };

/** Both endpoints valid, of one family, in order. */
export function checkRange(start: Endpoint, end: Endpoint): RangeParse {
  if (start.family !== end.family) {
    return { ok: false, reason: `range mixes IPv${start.family} (${start.text}) and IPv${end.family} (${end.text})` };
  }
  if (compareBytes(start.bytes, end.bytes) > 0) {
    return { ok: false, reason: `range start ${start.text} is after its end ${end.text}` };
  }
  return { ok: true, start: start.text, end: end.text };
}

export function parseRange(startText: string, endText: string, integerFamily: 4 | 6): RangeParse {
  const s = parseEndpoint(startText, integerFamily);
  if (!s.ok) return { ok: false, reason: `range start: ${s.reason}` };
  const e = parseEndpoint(endText, integerFamily);
  if (!e.ok) return { ok: false, reason: `range end: ${e.reason}` };
  return checkRange(s.endpoint, e.endpoint);
}

/** First and last address of a prefix given as address bytes and length. */
export function prefixBounds(bytes: Uint8Array, prefix: number): { first: Uint8Array; last: Uint8Array } {
  const first = Uint8Array.from(bytes);
  const last = Uint8Array.from(bytes);
  const p = Math.max(0, prefix);
  const whole = p >> 3;
  if (whole < bytes.length) {
    const keep = (0xff00 >> (p & 7)) & 0xff;
    first[whole] = bytes[whole]! & keep;
    last[whole] = (bytes[whole]! & keep) | (~keep & 0xff);
    first.fill(0, whole + 1);
    last.fill(0xff, whole + 1);
  }
  return { first, last };
}

/** `prefix/length` → the range it covers; host bits must be clear (fields/ip.ts parseNetwork). */
export function parsePrefixRange(prefix: string, length: string): RangeParse {
  if (!/^\d{1,3}$/.test(length)) return { ok: false, reason: `"${clip(length)}" is not a prefix length` };
  const len = Number(length);
  if (len <= 32 && DOTTED_QUAD.test(prefix)) {
    // The common IPv4 case without the general parser; anything unusual (host bits set) takes
    // the general path below for its message.
    const parts = prefix.split('.');
    const bytes = Uint8Array.of(Number(parts[0]), Number(parts[1]), Number(parts[2]), Number(parts[3]));
    const { first, last } = prefixBounds(bytes, len);
    if (compareBytes(first, bytes) === 0) return { ok: true, start: prefix, end: `${last[0]}.${last[1]}.${last[2]}.${last[3]}` };
  }
  const p = parseNetwork(`${prefix}/${length}`);
  if (!p.ok) return { ok: false, reason: p.reason };
  const { first, last } = prefixBounds(p.network.bytes, p.network.prefix);
  const s = endpointOfBytes(first);
  const e = endpointOfBytes(last);
  if (!s || !e) return { ok: false, reason: `"${clip(prefix)}/${length}" is not a network` };
  return checkRange(s, e);
}

export function asRangeRecord(start: string, end: string, asn: number, name: string | undefined, source: string): AsRangeRecord {
  const n = name?.trim();
  return n ? { kind: 'as-range', start, end, asn, name: n, source } : { kind: 'as-range', start, end, asn, source };
}

/** Quote a piece of input in a message without letting a huge field flood the report. */
export function clip(text: string, max = 80): string {
  return text.length > max ? `${text.slice(0, max)}…` : text;
}

/** What one line of a table gives: a record, a rejection, or nothing (blank, comment, AS 0). */
export type LineOutcome = AsRangeRecord | ParseError | undefined;

const NOTHING: ParseResult = { records: [], errors: [] };

function outcomeResult(outcome: LineOutcome): ParseResult {
  if (outcome === undefined) return NOTHING;
  if ('kind' in outcome) return { records: [outcome], errors: [] };
  return { records: [], errors: [outcome] };
}

/**
 * Wraps a per-line function as a LineParser. The catch is a safety net: a bug met on one odd
 * line must cost that line, not abort an ingest of millions.
 */
/**
 * A tab-separated table (iptoasn, pfx2as): blank and comment lines skipped, a header on the
 * first data line skipped, each row given as its trimmed cells.
 */
export function tsvTableParser(parseRow: (fields: string[], lineNumber: number) => LineOutcome): LineParser {
  let seenData = false;
  return tableLineParser((text, line) => {
    if (isSkippable(text)) return undefined;
    const fields = text.split('\t').map((f) => f.trim());
    const first = !seenData;
    seenData = true;
    if (first && looksLikeHeader(fields)) return undefined;
    return parseRow(fields, line);
  });
}

export function tableLineParser(parseLine: (text: string, lineNumber: number) => LineOutcome): LineParser {
  return {
    line(text: string, lineNumber: number): ParseResult {
      try {
        return outcomeResult(parseLine(lineNumber === 1 ? stripBom(text) : text, lineNumber));
      } catch (e) {
        return { records: [], errors: [{ line: lineNumber, message: `internal error: ${e instanceof Error ? e.message : String(e)}` }] };
      }
    },
    end: () => NOTHING,
  };
}

export function stripBom(text: string): string {
  return text.charCodeAt(0) === 0xfeff ? text.slice(1) : text;
}

/** Blank lines and `#` comments carry nothing in any of these tables. */
export function isSkippable(text: string): boolean {
  const t = text.trim();
  return t === '' || t.startsWith('#');
}

/**
 * A first line that names columns instead of holding data (no IP in the first two fields, no
 * digit in the third): hand-made exports often add one.
 */
export function looksLikeHeader(fields: readonly string[]): boolean {
  const [a = '', b = '', c = ''] = fields;
  const endpointish = (t: string): boolean => /^\d+$/.test(t) || canonicalIp(t) !== undefined;
  return !endpointish(a) && !endpointish(b) && !/\d/.test(c);
}

/** The lower-case base name without directories or a `.gz` suffix (the head is already gunzipped). */
export function baseName(fileName: string | undefined): string {
  if (!fileName) return '';
  const base = fileName.replace(/^.*[\\/]/, '').toLowerCase();
  return base.endsWith('.gz') ? base.slice(0, -3) : base;
}

/**
 * Up to `max` lines from the head of an input for sniffing: the last line is dropped when the
 * head cut it short, blank lines are skipped, `#` lines are kept (none of these tables has them,
 * so they count against a match, which is what sets Zeek's `#separator` logs apart).
 * Undefined when the head is not text.
 */
export function sniffLines(head: Buffer, max = 20): string[] | undefined {
  const slice = head.subarray(0, 64 * 1024);
  if (slice.includes(0)) return undefined;
  const text = stripBom(slice.toString('utf8'));
  const lines = text.split('\n');
  if (lines.length > 1 && !text.endsWith('\n')) lines.pop();
  const out: string[] = [];
  for (const l of lines) {
    const t = l.endsWith('\r') ? l.slice(0, -1) : l;
    if (t.trim() === '') continue;
    out.push(t);
    if (out.length >= max) break;
  }
  return out;
}

/**
 * Confidence from the share of sampled lines a format's line test accepts, plus what the file
 * name says. Every line must match for a high score: these tables have no headers or comments,
 * so one stray line is a strong sign of some other tab- or comma-separated format.
 */
export function tableConfidence(lines: readonly string[] | undefined, matches: (line: string) => boolean, nameHint: boolean): number {
  if (lines === undefined) return 0;
  if (lines.length === 0) return nameHint ? 0.5 : 0;
  let good = 0;
  for (const l of lines) if (matches(l)) good++;
  const share = good / lines.length;
  if (share === 1) return nameHint ? 0.95 : 0.85;
  if (share >= 0.8) return nameHint ? 0.7 : 0.5;
  return nameHint ? 0.3 : 0;
}
