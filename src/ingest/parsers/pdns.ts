// Passive DNS: the Common Output Format (draft-dulaunoy-dnsop-passive-dns-cof) and Farsight
// DNSDB-style JSON. DNSDB's API v1 output is where COF came from, so an rrset of either is the
// same object (`rrname`, `rrtype`, `rdata`, `time_first`/`time_last` or `zone_time_*`, `count`,
// `bailiwick`); one reader serves both and the two formats differ in their default source name
// and in how `sniff` scores an input. What only DNSDB-style data has: times as ISO strings (COF
// says numbers), API v2 `{"obj": …}` / `{"cond": …}` stream lines, JSON documents (arrays,
// pretty-printed objects, `jq .` output; COF is strictly one object per line). What only COF
// has: `sensor_id`, `origin`, `time_*_ms`, and the `_source` our corpus adds. Both formats read
// all of these shapes, so a mis-detected input still parses; JsonValuesLineParser
// (../json-documents.ts) reads the shapes, and this file the rrsets in them.
import { canonicalIp } from '../../fields/ip.js';
import { normaliseDomain } from '../../fields/domain.js';
import { normaliseTimestamp, toWellFormed } from '../../fields/normalise.js';
import type {
  Format,
  IngestRecord,
  Observation,
  ParseError,
  ParseOptions,
  ParseResult,
  ResolutionRecord,
} from '../records.js';
import { lineFormat } from '../records.js';
import { JsonValuesLineParser, jsonLinesCut, tryJson } from '../json-documents.js';

// ---------------------------------------------------------------------------------------------
// Times, shared with the Warren JSON Lines reader (it imports these).

export type TimeRead = { readonly ok: true; readonly time: string } | { readonly ok: false; readonly reason: string };

/** 9999-12-31T23:59:59Z: the last second the `YYYY-…Z` form can write. */
const MAX_EPOCH_SECONDS = 253_402_300_799;
const UTC_SECOND = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}Z$/;
const EPOCH_TEXT = /^\d+(?:\.\d+)?$/;

/**
 * A time as the record contract wants it (`YYYY-MM-DDTHH:MM:SSZ`) from epoch seconds (a JSON
 * number or decimal text) or ISO 8601 text with a zone (or a plain date, read as midnight UTC).
 * A zoneless date-time is refused rather than guessed: an hour's error in a first-seen time is
 * worse than a rejected line that says why.
 */
export function readTime(value: unknown): TimeRead {
  if (typeof value === 'number') return epochTime(value, String(value));
  if (typeof value !== 'string') return { ok: false, reason: `${showValue(value)} is not a time` };
  const text = value.trim();
  if (EPOCH_TEXT.test(text)) return epochTime(Number(text), JSON.stringify(value));
  const normal = normaliseTimestamp(text);
  if (UTC_SECOND.test(normal)) return { ok: true, time: normal };
  return {
    ok: false,
    reason: `${JSON.stringify(value)} is not a time (ISO 8601 with a zone, e.g. 2024-01-31T12:00:00Z, or epoch seconds)`,
  };
}

/** Epoch milliseconds (COF `time_first_ms`). */
export function readMillisTime(value: unknown): TimeRead {
  if (typeof value !== 'number' && !(typeof value === 'string' && EPOCH_TEXT.test(value.trim()))) {
    return { ok: false, reason: `${showValue(value)} is not epoch milliseconds` };
  }
  return epochTime(Number(value) / 1000, JSON.stringify(value));
}

function epochTime(seconds: number, shown: string): TimeRead {
  if (!Number.isFinite(seconds) || seconds < 0) return { ok: false, reason: `${shown} is not a time` };
  if (seconds > MAX_EPOCH_SECONDS) {
    return { ok: false, reason: `${shown} is out of range as epoch seconds (milliseconds?)` };
  }
  return { ok: true, time: `${new Date(Math.floor(seconds) * 1000).toISOString().slice(0, 19)}Z` };
}

/** A short rendering of an unexpected JSON value for messages. */
export function showValue(value: unknown): string {
  if (value === undefined) return 'nothing';
  const text = JSON.stringify(value) ?? typeof value;
  return text.length > 60 ? `${text.slice(0, 57)}...` : text;
}

// ---------------------------------------------------------------------------------------------
// Record values.

/** Types whose rdata is (or ends with) a domain name: stored as that name, like Zeek logs them. */
const NAME_POSITION: ReadonlyMap<string, number> = new Map([
  ['CNAME', 0],
  ['DNAME', 0],
  ['NS', 0],
  ['PTR', 0],
  ['MX', 1], // "10 mail.example.com."
  ['SRV', 3], // "0 5 5060 sip.example.com."
]);

/** Mnemonics for the numbers a producer may send in place of a type name (RFC 3597 style). */
const TYPE_NAMES: ReadonlyMap<number, string> = new Map([
  [1, 'A'],
  [2, 'NS'],
  [5, 'CNAME'],
  [6, 'SOA'],
  [12, 'PTR'],
  [15, 'MX'],
  [16, 'TXT'],
  [28, 'AAAA'],
  [33, 'SRV'],
  [39, 'DNAME'],
  [64, 'SVCB'],
  [65, 'HTTPS'],
]);

export type ValueRead = { readonly ok: true; readonly value: string } | { readonly ok: false; readonly reason: string };

/** Upper-case rrtype from a type name or number; undefined when it is neither. */
export function readRrtype(value: unknown): string | undefined {
  if (typeof value === 'number') {
    if (!Number.isInteger(value) || value < 0 || value > 65535) return undefined;
    return TYPE_NAMES.get(value) ?? `TYPE${value}`;
  }
  if (typeof value !== 'string') return undefined;
  const text = value.trim().toUpperCase();
  return /^[A-Z0-9-]{1,20}$/.test(text) ? text : undefined;
}

/**
 * The stored value of one rdata. Addresses must be addresses of the type's family; names are
 * normalised (the name part of MX and SRV); anything else is kept as given, because TXT and SOA
 * texts are what signatures match and there is no one right rewrite of them. `strictNames`
 * refuses a name-valued rdata that is not a name (the Warren format); passive DNS keeps it as
 * given, since a null MX (`0 .`) or an odd CNAME is still an observation.
 */
export function readRdataValue(rrtype: string, rdata: string, strictNames: boolean): ValueRead {
  const text = toWellFormed(rdata).trim();
  if (text === '') return { ok: false, reason: `empty ${rrtype} value` };
  if (rrtype === 'A' || rrtype === 'AAAA') {
    const ip = canonicalIp(text);
    const v6 = text.includes(':');
    // An IPv4-mapped AAAA value becomes its IPv4 address, so the family is checked on the text.
    if (ip === undefined || v6 !== (rrtype === 'AAAA')) {
      return { ok: false, reason: `${JSON.stringify(rdata)} is not an ${rrtype === 'A' ? 'IPv4' : 'IPv6'} address` };
    }
    return { ok: true, value: ip };
  }
  const position = NAME_POSITION.get(rrtype);
  if (position === undefined) return { ok: true, value: toWellFormed(rdata) };
  // The name must be the last token and any before it numbers (MX preference, SRV priority,
  // weight and port); "not a name" is three tokens, not the CNAME "not".
  const tokens = text.split(/\s+/);
  const wellFormed = tokens.length === position + 1 && tokens.slice(0, position).every((t) => /^\d+$/.test(t));
  const normal = wellFormed ? normaliseDomain(tokens[position]!) : undefined;
  if (normal !== undefined) return { ok: true, value: normal };
  if (strictNames) return { ok: false, reason: `${JSON.stringify(rdata)} is not a valid ${rrtype} value (a domain name)` };
  return { ok: true, value: text };
}

// ---------------------------------------------------------------------------------------------
// One rrset → records.

type JsonObject = Record<string, unknown>;

function isObject(value: unknown): value is JsonObject {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

const EMPTY: ParseResult = { records: [], errors: [] };

interface Dialect {
  readonly name: 'cof' | 'dnsdb';
}

/** The observation window: the earliest first and latest last of sensor and zone-file times. */
function readWindow(obj: JsonObject, problems: string[]): { firstSeen?: string; lastSeen?: string } {
  const firsts: string[] = [];
  const lasts: string[] = [];
  const take = (key: string, into: string[], read: (v: unknown) => TimeRead): void => {
    const raw = obj[key];
    if (raw === undefined || raw === null) return;
    const t = read(raw);
    if (t.ok) into.push(t.time);
    else problems.push(`"${key}": ${t.reason}`);
  };
  take('time_first', firsts, readTime);
  take('zone_time_first', firsts, readTime);
  take('time_last', lasts, readTime);
  take('zone_time_last', lasts, readTime);
  // The millisecond forms restate time_first/time_last; only read them when those are missing.
  if (obj.time_first === undefined || obj.time_first === null) take('time_first_ms', firsts, readMillisTime);
  if (obj.time_last === undefined || obj.time_last === null) take('time_last_ms', lasts, readMillisTime);
  // The fixed-width form sorts as text.
  firsts.sort();
  lasts.sort();
  return { firstSeen: firsts[0], lastSeen: lasts.at(-1) };
}

function readCount(value: unknown): number | undefined | { reason: string } {
  if (value === undefined || value === null) return undefined;
  const n = typeof value === 'string' && /^\d+$/.test(value.trim()) ? Number(value) : value;
  if (typeof n === 'number' && Number.isSafeInteger(n) && n >= 0) return n;
  return { reason: `"count": ${showValue(value)} is not a non-negative integer` };
}

function sourceOf(obj: JsonObject, dialect: Dialect, options: ParseOptions): string {
  for (const key of ['_source', 'sensor_id']) {
    const v = obj[key];
    if (typeof v === 'string' && v.trim() !== '') return v.trim();
    if (typeof v === 'number' && Number.isFinite(v)) return String(v);
  }
  return options.source ?? dialect.name;
}

function rrsetRecords(obj: JsonObject, line: number, dialect: Dialect, options: ParseOptions): ParseResult {
  const problems: string[] = [];
  const rrnameRaw = obj.rrname;
  const domain = typeof rrnameRaw === 'string' ? normaliseDomain(toWellFormed(rrnameRaw)) : undefined;
  if (rrnameRaw === undefined) problems.push('missing "rrname"');
  else if (typeof rrnameRaw !== 'string') problems.push(`"rrname": ${showValue(rrnameRaw)} is not a string`);
  else if (domain === undefined) problems.push(`"rrname": ${JSON.stringify(rrnameRaw)} is not a domain name`);
  const rrtype = readRrtype(obj.rrtype);
  if (obj.rrtype === undefined) problems.push('missing "rrtype"');
  else if (rrtype === undefined) problems.push(`"rrtype": ${showValue(obj.rrtype)} is not a record type`);

  const rdataRaw = obj.rdata;
  let rdata: string[] = [];
  if (rdataRaw === undefined) problems.push('missing "rdata"');
  else if (typeof rdataRaw === 'string') rdata = [rdataRaw];
  else if (Array.isArray(rdataRaw) && rdataRaw.every((v): v is string => typeof v === 'string')) rdata = rdataRaw;
  else problems.push(`"rdata": ${showValue(rdataRaw)} is not a string or an array of strings`);
  if (Array.isArray(rdataRaw) && rdataRaw.length === 0) problems.push('"rdata" is empty');

  const window = readWindow(obj, problems);
  const count = readCount(obj.count);
  if (typeof count === 'object') problems.push(count.reason);
  if (problems.length > 0 || domain === undefined || rrtype === undefined) {
    return { records: [], errors: [{ line, message: problems.join('; ') }] };
  }

  const observation: Observation = {
    source: sourceOf(obj, dialect, options),
    ...(window.firstSeen !== undefined && { firstSeen: window.firstSeen }),
    ...(window.lastSeen !== undefined && { lastSeen: window.lastSeen }),
    ...(typeof count === 'number' && { count }),
  };
  const records: IngestRecord[] = [];
  const errors: ParseError[] = [];
  const seen = new Set<string>();
  for (const value of rdata) {
    const read = readRdataValue(rrtype, value, false);
    if (!read.ok) {
      errors.push({ line, message: `${domain} ${rrtype}: ${read.reason}` });
      continue;
    }
    if (seen.has(read.value)) continue;
    seen.add(read.value);
    const record: ResolutionRecord = { kind: 'resolution', domain, rrtype, value: read.value, observation };
    records.push(record);
  }
  return { records, errors };
}

/** One JSON value of the input: an rrset, a DNSDB API v2 stream line, or something wrong. */
function valueRecords(value: unknown, line: number, dialect: Dialect, options: ParseOptions): ParseResult {
  if (!isObject(value)) return { records: [], errors: [{ line, message: `expected a JSON object, got ${showValue(value)}` }] };
  if (value.rrname === undefined) {
    // DNSDB API v2 (SAF) wraps each rrset in "obj" and frames the stream with "cond" lines.
    if (isObject(value.obj)) return rrsetRecords(value.obj, line, dialect, options);
    if (typeof value.cond === 'string') {
      // "failed" means the export stopped early: say so, since the file looks complete otherwise.
      if (value.cond !== 'failed') return EMPTY;
      const msg = typeof value.msg === 'string' ? `: ${value.msg}` : '';
      return { records: [], errors: [{ line, message: `the DNSDB query failed${msg} (results are incomplete)` }] };
    }
  }
  return rrsetRecords(value, line, dialect, options);
}

// ---------------------------------------------------------------------------------------------
// Recognition.

interface Shape {
  /** rrsets are there (rrname and rrtype keys) or the DNSDB v2 framing is. */
  readonly passiveDns: boolean;
  readonly dnsdbSignal: boolean;
  readonly cofSignal: boolean;
  readonly lineExtension: boolean;
}

function shapeOf(head: Buffer, fileName: string | undefined): Shape {
  const text = head.toString('utf8').replace(/^\uFEFF/, '');
  const start = text.trimStart();
  const lineExtension = /\.(?:ndjson|jsonl)(?:\.gz)?$/i.test(fileName ?? '');
  const none = { passiveDns: false, dnsdbSignal: false, cofSignal: false, lineExtension };
  if (!start.startsWith('{') && !start.startsWith('[')) return none;
  const framing = /^\s*\{\s*"(?:obj|cond)"\s*:/m.test(text);
  const rrsets = /"rrname"\s*:/.test(text) && /"rrtype"\s*:/.test(text);
  if (!rrsets && !framing) return none;
  const firstLine = start.split('\n', 1)[0]!.trim();
  const document = firstLine.startsWith('[') || !tryJson(firstLine).ok;
  const stringTimes = /"(?:zone_)?time_(?:first|last)"\s*:\s*"/.test(text);
  return {
    passiveDns: true,
    dnsdbSignal: framing || stringTimes || document || /dnsdb/i.test(fileName ?? ''),
    cofSignal: /"(?:sensor_id|origin|time_first_ms|time_last_ms|_source)"\s*:/.test(text),
    lineExtension,
  };
}

function sniffCof(head: Buffer, fileName?: string): number {
  const s = shapeOf(head, fileName);
  if (!s.passiveDns) return 0;
  if (s.cofSignal) return 0.95;
  if (s.dnsdbSignal) return 0.5;
  return s.lineExtension ? 0.9 : 0.85;
}

function sniffDnsdb(head: Buffer, fileName?: string): number {
  const s = shapeOf(head, fileName);
  if (!s.passiveDns) return 0;
  if (s.cofSignal) return 0.5;
  if (s.dnsdbSignal) return 0.95;
  return s.lineExtension ? 0.85 : 0.8;
}

function makeFormat(dialect: Dialect, sniff: (head: Buffer, fileName?: string) => number): Format {
  return lineFormat(dialect.name, sniff, (options) => new JsonValuesLineParser((value, line) => valueRecords(value, line, dialect, options)), jsonLinesCut);
}

/** Passive DNS Common Output Format: NDJSON rrsets; source `_source` ?? `sensor_id` ?? `cof`. */
export const cofFormat: Format = makeFormat({ name: 'cof' }, sniffCof);

/** Farsight DNSDB-style rrsets: NDJSON (API v1 or v2 `obj`/`cond` lines), one object, or an array. */
export const dnsdbFormat: Format = makeFormat({ name: 'dnsdb' }, sniffDnsdb);
