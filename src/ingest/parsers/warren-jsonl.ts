// Warren JSON Lines (docs/INGEST-JSONL.md): one record per line, one line per record kind, so
// that any source can be converted with `jq` and loaded without a parser of its own. Because it
// is the format people write by hand and by script, every line is checked strictly and every
// problem of a line is reported at once, with a suggestion where a typo is likely.
import { fieldDef, type FieldDef } from '../../fields/catalogue.js';
import { normaliseDomain } from '../../fields/domain.js';
import { canonicalIp, ipBytes, networkText, parseNetwork } from '../../fields/ip.js';
import { normaliseValue, toWellFormed } from '../../fields/normalise.js';
import { levenshtein, suggestField } from '../../fields/suggest.js';
import type {
  AsRangeRecord,
  CertificateFieldsRecord,
  Format,
  IngestRecord,
  LineParser,
  Observation,
  ParseOptions,
  ParseResult,
  WhoisRecord,
} from '../records.js';
import { lineFormat } from '../records.js';
import { jsonLinesCut } from '../json-documents.js';
import { readRdataValue, readRrtype, readTime, showValue } from './pdns.js';
import { certificateFromDer } from './x509/x509.js';

export const WARREN_KINDS = ['resolution', 'served', 'names', 'domain', 'as-range', 'whois', 'certificate'] as const;
export type WarrenKind = (typeof WARREN_KINDS)[number];

const OBSERVATION_KEYS = ['first_seen', 'last_seen', 'count', 'source'] as const;

/**
 * The keys each kind takes besides `kind`. Keys starting with `_`, `x-` or `x_` are the writer's
 * own notes (as in signature files), so provenance can ride along without being an error.
 */
const KEYS: Readonly<Record<WarrenKind, readonly string[]>> = {
  resolution: ['domain', 'rrtype', 'value', ...OBSERVATION_KEYS],
  served: ['sha256', 'ip', 'port', ...OBSERVATION_KEYS],
  names: ['sha256', 'domain', ...OBSERVATION_KEYS],
  domain: ['domain', ...OBSERVATION_KEYS],
  'as-range': ['start', 'end', 'network', 'asn', 'name', 'source'],
  whois: ['domain', 'fields', 'observed', 'raw', 'source'],
  certificate: ['der', 'pem', 'sha256', 'fields', ...OBSERVATION_KEYS],
};

type JsonObject = Record<string, unknown>;

function isObject(value: unknown): value is JsonObject {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

function isKind(value: string): value is WarrenKind {
  return (WARREN_KINDS as readonly string[]).includes(value);
}

/** The closest of `candidates` within a typo's reach, for "did you mean". */
function closest(wanted: string, candidates: readonly string[]): string | undefined {
  const limit = Math.max(1, Math.min(3, Math.floor(wanted.length / 3)));
  let best: { name: string; distance: number } | undefined;
  for (const name of candidates) {
    const distance = levenshtein(wanted.toLowerCase(), name);
    if (distance <= limit && (!best || distance < best.distance)) best = { name, distance };
  }
  return best?.name;
}

function compareBytes(a: Uint8Array, b: Uint8Array): number {
  for (let i = 0; i < Math.min(a.length, b.length); i++) if (a[i] !== b[i]) return a[i]! - b[i]!;
  return a.length - b.length;
}

/**
 * Typed access to one line's members, collecting every problem instead of stopping at the first.
 * `null` and `""` mean absent, because that is what `jq` writes for a missing value.
 */
class LineReader {
  readonly problems: string[] = [];

  constructor(private readonly obj: JsonObject) {}

  has(key: string): boolean {
    const v = this.obj[key];
    return v !== undefined && v !== null && !(typeof v === 'string' && v.trim() === '');
  }

  private absent(key: string, required: boolean): undefined {
    if (required) this.problems.push(`missing "${key}"`);
    return undefined;
  }

  text(key: string, required = false): string | undefined {
    if (!this.has(key)) return this.absent(key, required);
    const v = this.obj[key];
    if (typeof v === 'string') return toWellFormed(v).trim();
    this.problems.push(`"${key}" must be a string, got ${showValue(v)}`);
    return undefined;
  }

  domain(key: string, required = true): string | undefined {
    const v = this.text(key, required);
    if (v === undefined) return undefined;
    const d = normaliseDomain(v);
    if (d === undefined) this.problems.push(`"${key}": ${JSON.stringify(v)} is not a domain name`);
    return d;
  }

  ip(key: string, required = true): string | undefined {
    const v = this.text(key, required);
    if (v === undefined) return undefined;
    const ip = canonicalIp(v);
    if (ip === undefined) this.problems.push(`"${key}": ${JSON.stringify(v)} is not an IP address`);
    return ip;
  }

  time(key: string): string | undefined {
    if (!this.has(key)) return undefined;
    const t = readTime(this.obj[key]);
    if (t.ok) return t.time;
    this.problems.push(`"${key}": ${t.reason}`);
    return undefined;
  }

  /** An integer given as a JSON number or as decimal text (CSV converted with jq gives text). */
  integer(key: string, min: number, max: number, required: boolean, prefix?: RegExp): number | undefined {
    if (!this.has(key)) return this.absent(key, required);
    const v = this.obj[key];
    const text = typeof v === 'string' ? v.trim().replace(prefix ?? /^$/, '') : undefined;
    const n = typeof v === 'number' ? v : text !== undefined && /^\d+$/.test(text) ? Number(text) : NaN;
    if (Number.isSafeInteger(n) && n >= min && n <= max) return n;
    this.problems.push(`"${key}": ${showValue(v)} is not an integer from ${min} to ${max}`);
    return undefined;
  }

  sha256(key: string): string | undefined {
    const v = this.text(key, true);
    if (v === undefined) return undefined;
    if (/^[0-9a-fA-F]{64}$/.test(v)) return v.toLowerCase();
    this.problems.push(`"${key}": ${showValue(v)} is not a SHA-256 (64 hex digits)`);
    return undefined;
  }

  /** Observation members, shared by every kind that has them. */
  observation(options: ParseOptions): Observation {
    const firstSeen = this.time('first_seen');
    const lastSeen = this.time('last_seen');
    const count = this.integer('count', 0, Number.MAX_SAFE_INTEGER, false);
    if (firstSeen !== undefined && lastSeen !== undefined && firstSeen > lastSeen) {
      this.problems.push(`"first_seen" (${firstSeen}) is after "last_seen" (${lastSeen})`);
    }
    return {
      source: this.text('source') ?? options.source ?? 'warren',
      ...(firstSeen !== undefined && { firstSeen }),
      ...(lastSeen !== undefined && { lastSeen }),
      ...(count !== undefined && { count }),
    };
  }
}

function checkKeys(obj: JsonObject, kind: WarrenKind, problems: string[]): void {
  const allowed = KEYS[kind];
  for (const key of Object.keys(obj)) {
    if (key === 'kind' || /^(?:_|x-|x_)/i.test(key) || allowed.includes(key)) continue;
    const suggestion = closest(key, allowed);
    problems.push(
      suggestion === undefined
        ? `unknown key "${key}" (a ${kind} line takes ${allowed.map((k) => `"${k}"`).join(', ')})`
        : `unknown key "${key}", did you mean "${suggestion}"?`,
    );
  }
}

// ---------------------------------------------------------------------------------------------
// Kinds.

type Built = IngestRecord | undefined;

function resolution(r: LineReader, options: ParseOptions): Built {
  const domain = r.domain('domain');
  const rrtypeText = r.text('rrtype', true);
  const rrtype = rrtypeText === undefined ? undefined : readRrtype(rrtypeText);
  if (rrtypeText !== undefined && rrtype === undefined) r.problems.push(`"rrtype": ${JSON.stringify(rrtypeText)} is not a record type`);
  const valueText = r.text('value', true);
  let value: string | undefined;
  if (valueText !== undefined && rrtype !== undefined) {
    const read = readRdataValue(rrtype, valueText, true);
    if (read.ok) value = read.value;
    else r.problems.push(`"value": ${read.reason}`);
  }
  const observation = r.observation(options);
  if (domain === undefined || rrtype === undefined || value === undefined) return undefined;
  return { kind: 'resolution', domain, rrtype, value, observation };
}

function served(r: LineReader, options: ParseOptions): Built {
  const sha256 = r.sha256('sha256');
  const ip = r.ip('ip');
  const port = r.integer('port', 1, 65535, false);
  const observation = r.observation(options);
  if (sha256 === undefined || ip === undefined) return undefined;
  return { kind: 'served', sha256, ip, ...(port !== undefined && { port }), observation };
}

function names(r: LineReader, options: ParseOptions): Built {
  const sha256 = r.sha256('sha256');
  const domain = r.domain('domain');
  const observation = r.observation(options);
  if (sha256 === undefined || domain === undefined) return undefined;
  return { kind: 'names', sha256, domain, observation };
}

function domainKind(r: LineReader, options: ParseOptions): Built {
  const domain = r.domain('domain');
  const observation = r.observation(options);
  if (domain === undefined) return undefined;
  return { kind: 'domain', domain, observation };
}

/** First and last address of a CIDR network, or the reason it is none. */
function networkRange(text: string): { start: string; end: string } | { reason: string } {
  const parsed = parseNetwork(text);
  if (!parsed.ok) return { reason: parsed.reason };
  const { family, bytes, prefix } = parsed.network;
  const bits = family === 4 ? 32 : 128;
  const last = Uint8Array.from(bytes);
  for (let bit = prefix; bit < bits; bit++) last[bit >> 3]! |= 1 << (7 - (bit & 7));
  const address = (b: Uint8Array): string => networkText({ family, bytes: b, prefix: bits }).split('/')[0]!;
  return { start: address(bytes), end: address(last) };
}

function asRange(r: LineReader, options: ParseOptions): Built {
  let range: { start: string; end: string } | undefined;
  if (r.has('network')) {
    if (r.has('start') || r.has('end')) r.problems.push('give "network" or "start" and "end", not both');
    const text = r.text('network');
    if (text !== undefined) {
      const n = networkRange(text);
      if ('reason' in n) r.problems.push(`"network": ${n.reason}`);
      else range = n;
    }
  } else if (!r.has('start') && !r.has('end')) {
    r.problems.push('missing "start" and "end" (or "network")');
  } else {
    const start = r.ip('start');
    const end = r.ip('end');
    if (start !== undefined && end !== undefined) {
      const a = ipBytes(start)!;
      const b = ipBytes(end)!;
      if (a.family !== b.family) r.problems.push(`"start" ${start} and "end" ${end} are of different families`);
      else if (compareBytes(a.bytes, b.bytes) > 0) r.problems.push(`"start" ${start} is after "end" ${end}`);
      else range = { start, end };
    }
  }
  const asn = r.integer('asn', 0, 0xffffffff, true, /^AS/i);
  const name = r.text('name');
  const source = r.text('source') ?? options.source ?? 'warren';
  if (range === undefined || asn === undefined) return undefined;
  const record: AsRangeRecord = { kind: 'as-range', ...range, asn, ...(name !== undefined && { name }), source };
  return record;
}

function unknownFieldProblem(name: string): string {
  const def = fieldDef(name);
  if (def) return `field "${name}" is not a whois.* field`;
  const suggestion = suggestField(name);
  return suggestion?.startsWith('whois.')
    ? `unknown field "${name}", did you mean "${suggestion}"?`
    : `unknown field "${name}" (only whois.* fields of the field catalogue)`;
}

/** One whois.* value in its normal form, or the reason it has none. */
function fieldValue(def: FieldDef, value: string): { value: string } | { reason: string } | undefined {
  if (value.trim() === '') return undefined;
  if (def.value === 'timestamp') {
    const t = readTime(value);
    return t.ok ? { value: t.time } : { reason: t.reason };
  }
  if (def.value === 'email' && !value.includes('@')) return { reason: `${JSON.stringify(value)} is not an email address` };
  const normal = normaliseValue(def.name, value);
  return normal === undefined ? undefined : { value: normal };
}

/** A `fields` object of catalogue fields under `prefix` (whois. or x509.), each value normalised. */
function prefixedFields(r: LineReader, raw: unknown, prefix: string): Record<string, string[]> {
  const fields: Record<string, string[]> = {};
  if (raw === undefined || raw === null) return fields;
  if (!isObject(raw)) {
    r.problems.push(`"fields" must be an object of field name → string or array of strings, got ${showValue(raw)}`);
    return fields;
  }
  for (const [name, given] of Object.entries(raw)) {
    const def = fieldDef(name);
    if (!def || !name.startsWith(prefix)) {
      r.problems.push(unknownFieldProblem(name));
      continue;
    }
    if (given === null) continue;
    const list: unknown[] = Array.isArray(given) ? (given as unknown[]) : [given];
    if (!list.every((v): v is string => typeof v === 'string')) {
      r.problems.push(`field "${name}": value must be a string or an array of strings, got ${showValue(given)}`);
      continue;
    }
    const values: string[] = [];
    for (const v of list) {
      const read = fieldValue(def, toWellFormed(v));
      if (read === undefined) continue;
      if ('reason' in read) r.problems.push(`field "${name}": ${read.reason}`);
      else if (!values.includes(read.value)) values.push(read.value);
    }
    if (!def.many && values.length > 1) r.problems.push(`field "${name}" takes one value, got ${values.length}`);
    else if (values.length > 0) fields[name] = values;
  }
  return fields;
}

function whois(r: LineReader, obj: JsonObject, options: ParseOptions): Built {
  const domain = r.domain('domain');
  const fields = prefixedFields(r, obj.fields, 'whois.');
  // Raw text is kept exactly: it is what an analyst reads when no parser understood the reply.
  const raw = r.has('raw') ? obj.raw : undefined;
  if (raw !== undefined && typeof raw !== 'string') r.problems.push(`"raw" must be a string, got ${showValue(raw)}`);
  else if (typeof raw === 'string') {
    if (fields['whois.raw'] !== undefined) r.problems.push('give the raw text in "raw" or in fields."whois.raw", not both');
    else fields['whois.raw'] = [toWellFormed(raw)];
  }
  if (r.problems.length === 0 && Object.keys(fields).length === 0) r.problems.push('no WHOIS data: give "fields" or "raw"');
  const observed = r.time('observed');
  const source = r.text('source') ?? options.source ?? 'warren';
  if (domain === undefined) return undefined;
  const record: WhoisRecord = { kind: 'whois', domain, fields, ...(observed !== undefined && { observed }), source };
  return record;
}

const BASE64 = /^[A-Za-z0-9+/]+={0,2}$/;
const PEM_BLOCK = /-----BEGIN (X509 )?CERTIFICATE-----([\s\S]*?)-----END (X509 )?CERTIFICATE-----/g;

function base64Bytes(text: string): Uint8Array | undefined {
  const body = text.replace(/\s+/g, '');
  if (body === '' || !BASE64.test(body) || body.length % 4 !== 0) return undefined;
  return new Uint8Array(Buffer.from(body, 'base64'));
}

function certificateDer(r: LineReader): Uint8Array | undefined {
  const der = r.text('der');
  const pem = r.text('pem');
  if (der !== undefined && pem !== undefined) {
    r.problems.push('give "der" or "pem", not both');
    return undefined;
  }
  if (der !== undefined) {
    const bytes = base64Bytes(der);
    if (!bytes) r.problems.push('"der" is not valid base64');
    return bytes;
  }
  if (pem !== undefined) {
    const blocks = [...pem.matchAll(PEM_BLOCK)];
    if (blocks.length !== 1) {
      r.problems.push(
        blocks.length === 0
          ? '"pem" holds no -----BEGIN CERTIFICATE----- block'
          : `"pem" holds ${blocks.length} certificates: give one per line`,
      );
      return undefined;
    }
    const bytes = base64Bytes(blocks[0]![2] ?? '');
    if (!bytes) r.problems.push('"pem" block is not valid base64');
    return bytes;
  }
  if (r.problems.every((p) => !p.startsWith('"der"') && !p.startsWith('"pem"'))) {
    r.problems.push('missing "der" (base64 DER) or "pem"');
  }
  return undefined;
}

/**
 * A certificate known only by its fields (a CSV export, an API, a log without DER): `sha256` and
 * `fields` instead of `der`/`pem`. Stored as a certificate without DER and completed when its DER
 * arrives (records.ts CertificateFieldsRecord).
 */
function certificateFields(r: LineReader, obj: JsonObject, options: ParseOptions): Built {
  const sha256 = r.sha256('sha256');
  const fields = prefixedFields(r, obj.fields, 'x509.');
  const observation = r.observation(options);
  if (r.problems.length === 0 && Object.keys(fields).length === 0) r.problems.push('no certificate data: give "der", "pem" or "fields"');
  if (sha256 === undefined || r.problems.length > 0) return undefined;
  const given = fields['x509.sha256']?.[0];
  if (given !== undefined && given !== sha256) {
    r.problems.push(`fields."x509.sha256" (${given}) is not "sha256" (${sha256})`);
    return undefined;
  }
  const sha1 = fields['x509.sha1']?.[0];
  const record: CertificateFieldsRecord = { kind: 'certificate-fields', sha256, ...(sha1 !== undefined && { sha1 }), fields: { ...fields, 'x509.sha256': [sha256] }, observation };
  return record;
}

function certificate(r: LineReader, obj: JsonObject, options: ParseOptions): Built {
  const bytes = r.has('der') || r.has('pem');
  if (!bytes && (r.has('fields') || r.has('sha256'))) return certificateFields(r, obj, options);
  // The DER says everything: fields and fingerprints given beside it could only disagree.
  if (bytes && (r.has('fields') || r.has('sha256'))) r.problems.push('give "der" or "pem", or "sha256" and "fields" (a certificate without DER), not both');
  const der = certificateDer(r);
  const observation = r.observation(options);
  if (der === undefined || r.problems.length > 0) return undefined;
  let result: ReturnType<typeof certificateFromDer>;
  try {
    result = certificateFromDer(der, observation);
  } catch (error) {
    result = { error: `malformed certificate: ${error instanceof Error ? error.message : String(error)}` };
  }
  if ('error' in result) {
    r.problems.push(result.error);
    return undefined;
  }
  return result;
}

// ---------------------------------------------------------------------------------------------
// Lines.

function kindProblem(value: unknown): string {
  const list = WARREN_KINDS.map((k) => `"${k}"`).join(', ');
  if (value === undefined) return `missing "kind" (one of ${list})`;
  if (typeof value !== 'string') return `"kind" must be a string, one of ${list}; got ${showValue(value)}`;
  const suggestion = closest(value.trim(), WARREN_KINDS);
  return suggestion === undefined
    ? `unknown kind ${JSON.stringify(value)} (one of ${list})`
    : `unknown kind ${JSON.stringify(value)}, did you mean "${suggestion}"?`;
}

/** The record of one line, or every problem it has. */
export function warrenLine(text: string, line: number, options: ParseOptions): ParseResult {
  const trimmed = text.trim();
  if (trimmed === '') return { records: [], errors: [] };
  let value: unknown;
  try {
    value = JSON.parse(trimmed);
  } catch (error) {
    return { records: [], errors: [{ line, message: `invalid JSON: ${error instanceof Error ? error.message : String(error)}` }] };
  }
  if (!isObject(value)) return { records: [], errors: [{ line, message: `each line must be a JSON object, got ${showValue(value)}` }] };
  const kindValue = value.kind;
  if (typeof kindValue !== 'string' || !isKind(kindValue)) return { records: [], errors: [{ line, message: kindProblem(kindValue) }] };
  const kind = kindValue;
  const r = new LineReader(value);
  checkKeys(value, kind, r.problems);
  let record: Built;
  switch (kind) {
    case 'resolution':
      record = resolution(r, options);
      break;
    case 'served':
      record = served(r, options);
      break;
    case 'names':
      record = names(r, options);
      break;
    case 'domain':
      record = domainKind(r, options);
      break;
    case 'as-range':
      record = asRange(r, options);
      break;
    case 'whois':
      record = whois(r, value, options);
      break;
    case 'certificate':
      record = certificate(r, value, options);
      break;
  }
  if (r.problems.length > 0 || record === undefined) {
    const problems = r.problems.length > 0 ? r.problems : ['not a valid record'];
    return { records: [], errors: [{ line, message: `${kind}: ${problems.join('; ')}` }] };
  }
  return { records: [record], errors: [] };
}

class WarrenLineParser implements LineParser {
  constructor(private readonly options: ParseOptions) {}

  line(text: string, lineNumber: number): ParseResult {
    try {
      return warrenLine(lineNumber === 1 ? text.replace(/^\uFEFF/, '') : text, lineNumber, this.options);
    } catch (error) {
      // A last resort: one line must never stop an ingest run.
      return { records: [], errors: [{ line: lineNumber, message: `internal error: ${error instanceof Error ? error.message : String(error)}` }] };
    }
  }

  end(): ParseResult {
    return { records: [], errors: [] };
  }
}

const KIND_ANYWHERE = new RegExp(`"kind"\\s*:\\s*"(?:${WARREN_KINDS.join('|')})"`);

function sniffWarren(head: Buffer): number {
  const text = head.toString('utf8').replace(/^\uFEFF/, '');
  const first = text.split('\n').find((l) => l.trim() !== '')?.trim() ?? '';
  if (!first.startsWith('{')) return 0;
  let value: unknown;
  try {
    value = JSON.parse(first);
  } catch {
    // A first line longer than the head (a big certificate) is cut: look for the kind in it.
    return KIND_ANYWHERE.test(first) ? 0.9 : 0;
  }
  if (!isObject(value) || typeof value.kind !== 'string') return 0;
  // A line with a kind we do not know is still most likely ours, with a typo to report.
  return isKind(value.kind) ? 0.95 : 0.6;
}

/** Warren JSON Lines: one record per line, `"kind"` saying which (docs/INGEST-JSONL.md). */
export const warrenFormat: Format = lineFormat('warren', (head) => sniffWarren(head), (options) => new WarrenLineParser(options), jsonLinesCut);
