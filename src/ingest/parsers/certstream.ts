// certstream `certificate_update` messages (calidog certstream-server and certstream-server-go):
// one JSON object, a JSON array of them, or one per line (NDJSON), pretty-printed or not.
//
// With the leaf's DER (`as_der`) a message gives the CertificateRecord and a NamesRecord for each
// of `all_domains`. certstream often redacts or omits the DER: a message that gives the
// certificate's SHA-256 (certstream-server-go does) then gives a field-only certificate
// (CertificateFieldsRecord) with the JSON's own certificate fields (certstreamCertificateFields)
// and its names; a message with only the SHA-1 `fingerprint` (calidog's server) gives its names as
// relations pending on that SHA-1, which the store ties to the certificate when its SHA-1 is
// known (a PEM, a DER-bearing message), and the names themselves as DomainRecords.
import { normaliseDomain } from '../../fields/domain.js';
import { canonicalIp } from '../../fields/ip.js';
import {
  parseByLines,
  sha1Ref,
  type FieldMap,
  type Format,
  type IngestRecord,
  type LineParser,
  type Observation,
  type ParseError,
  type ParseOptions,
  type ParseResult,
} from '../records.js';
import { certificateFromDer } from './x509/x509.js';
import { jsonLinesCut } from '../json-documents.js';
import { epochToIso, FieldBuilder, fingerprintHex } from './x509/x509-names.js';

type Json = Readonly<Record<string, unknown>>;

function isObject(value: unknown): value is Json {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

function str(value: unknown): string | undefined {
  return typeof value === 'string' ? value : undefined;
}

// certstream's subject/issuer keys → the fields.md attribute they hold.
const DN_KEYS: readonly (readonly [string, string])[] = [
  ['CN', 'common_name'],
  ['O', 'organization'],
  ['OU', 'organizational_unit'],
  ['C', 'country'],
  ['ST', 'state_or_province'],
  ['L', 'locality'],
  ['emailAddress', 'email_address'],
];

/** OpenSSL's `DNS:a, IP Address:1.2.3.4, email:x@y, URI:…` (certstream's `subjectAltName`). */
function subjectAltNames(text: string): string[] {
  const out: string[] = [];
  for (const part of text.split(/,\s*/)) {
    const m = /^(DNS|IP Address|email|URI):(.*)$/.exec(part.trim());
    if (!m) continue;
    const value = m[2]!.trim();
    if (m[1] === 'DNS') out.push(normaliseDomain(value) ?? value.toLowerCase());
    else if (m[1] === 'IP Address') out.push(canonicalIp(value) ?? value);
    else out.push(value);
  }
  return out;
}

/**
 * `x509.*` fields a certstream leaf certificate's JSON gives. The DN text is left out: certstream's
 * `aggregated` lists attributes alphabetically, not in the certificate's order, so it is not the
 * certificate's DN. The signature algorithm is left out too: certstream-server-go writes it as
 * `sha256, rsa`, not as a name fields.md knows.
 */
export function certstreamCertificateFields(leaf: Json): FieldMap {
  const fields = new FieldBuilder();
  for (const which of ['subject', 'issuer'] as const) {
    const dn = leaf[which];
    if (!isObject(dn)) continue;
    for (const [key, attribute] of DN_KEYS) {
      const value = dn[key];
      for (const v of Array.isArray(value) ? value : [value]) fields.add(`x509.${which}.${attribute}`, str(v));
    }
  }
  // certstream prints the serial as an integer in hex: no leading zero, sometimes an odd length.
  const serial = str(leaf.serial_number)?.replace(/:/g, '');
  if (serial !== undefined && /^[0-9A-Fa-f]+$/.test(serial)) {
    fields.add('x509.serial_number', serial.length % 2 === 1 ? `0${serial}` : serial);
  }
  fields.add('x509.not_before', epochToIso(numberOrText(leaf.not_before)));
  fields.add('x509.not_after', epochToIso(numberOrText(leaf.not_after)));
  const extensions = leaf.extensions;
  const san = isObject(extensions) ? str(extensions.subjectAltName) : undefined;
  if (san !== undefined) for (const name of subjectAltNames(san)) fields.add('x509.alternative_names', name);
  fields.add('x509.sha1', fingerprintHex(str(leaf.sha1) ?? str(leaf.fingerprint), 20));
  fields.add('x509.sha256', fingerprintHex(str(leaf.sha256), 32));
  return fields.toFieldMap();
}

function numberOrText(value: unknown): number | string | undefined {
  return typeof value === 'number' || typeof value === 'string' ? value : undefined;
}

interface Out {
  readonly records: IngestRecord[];
  readonly errors: ParseError[];
}

function domainList(value: unknown): string[] {
  if (!Array.isArray(value)) return [];
  // Wildcards keep their `*`: normaliseDomain accepts it as the first label.
  return [...new Set(value.flatMap((d) => (typeof d === 'string' ? (normaliseDomain(d) ?? []) : [])))];
}

const BASE64 = /^[A-Za-z0-9+/]*={0,2}$/;

function message(value: unknown, line: number, source: string, out: Out): void {
  if (!isObject(value)) {
    out.errors.push({ line, message: 'a certstream message must be a JSON object' });
    return;
  }
  const type = str(value.message_type);
  if (type === 'heartbeat') return;
  const data = value.data;
  if (type === 'dns_entries') {
    // certstream's domains-only stream: names without certificates.
    const observation: Observation = { source };
    for (const domain of domainList(data)) out.records.push({ kind: 'domain', domain, observation });
    return;
  }
  if (type !== undefined && type !== 'certificate_update') {
    out.errors.push({ line, message: `unsupported certstream message_type "${type}"` });
    return;
  }
  if (!isObject(data) || !isObject(data.leaf_cert)) {
    out.errors.push({ line, message: 'certstream message has no data.leaf_cert' });
    return;
  }
  const leaf = data.leaf_cert;
  const seen = epochToIso(typeof data.seen === 'number' ? data.seen : undefined);
  const observation: Observation = seen === undefined ? { source } : { source, firstSeen: seen, lastSeen: seen };
  const domains = domainList(leaf.all_domains);

  let sha256 = fingerprintHex(str(leaf.sha256), 32);
  const der = str(leaf.as_der)?.replace(/\s+/g, '');
  // Redacted copies say REDACT (or anything that is not base64): no DER then, without complaint.
  if (der !== undefined && der.length > 16 && BASE64.test(der) && der.length % 4 !== 1) {
    const cert = certificateFromDer(new Uint8Array(Buffer.from(der, 'base64')), observation);
    if ('error' in cert) {
      out.errors.push({ line, message: `leaf_cert.as_der: ${cert.error}` });
    } else {
      out.records.push(cert);
      sha256 = cert.sha256;
    }
  }
  const sha1 = fingerprintHex(str(leaf.sha1) ?? str(leaf.fingerprint), 20);
  if (!out.records.some((r) => r.kind === 'certificate') && sha256 !== undefined) {
    out.records.push(sha1 === undefined
      ? { kind: 'certificate-fields', sha256, fields: certstreamCertificateFields(leaf), observation }
      : { kind: 'certificate-fields', sha256, sha1, fields: certstreamCertificateFields(leaf), observation });
  }
  for (const domain of domains) {
    if (sha256 !== undefined) {
      out.records.push({ kind: 'names', sha256, domain, observation });
      continue;
    }
    out.records.push({ kind: 'domain', domain, observation });
    if (sha1 !== undefined) out.records.push({ kind: 'pending-relation', ref: sha1Ref(sha1), relation: { kind: 'names', domain }, observation });
  }
}

// Largest JSON value kept while waiting for its end: certstream messages are tens of KiB; a
// runaway value (an unclosed brace) must not hold the whole input in memory.
const MAX_VALUE = 16 * 1024 * 1024;

/**
 * Splits a stream of lines into top-level JSON values: objects one per line (NDJSON), objects
 * spread over lines (pretty-printed), and the elements of a top-level array, each reported at
 * the line where it starts.
 */
class CertstreamLineParser implements LineParser {
  private buffer: string[] = [];
  private size = 0;
  private startLine = 0;
  private depth = 0;
  private inString = false;
  private escaped = false;
  private inArray = false;
  private readonly source: string;

  constructor(options: ParseOptions) {
    this.source = options.source ?? 'certstream';
  }

  line(text: string, lineNumber: number): ParseResult {
    const out: Out = { records: [], errors: [] };
    let valueStart = this.depth > 0 ? 0 : -1;
    for (let i = 0; i < text.length; i++) {
      const ch = text[i]!;
      if (this.depth > 0) {
        if (this.inString) {
          if (this.escaped) this.escaped = false;
          else if (ch === '\\') this.escaped = true;
          else if (ch === '"') this.inString = false;
          continue;
        }
        if (ch === '"') this.inString = true;
        else if (ch === '{' || ch === '[') this.depth++;
        else if (ch === '}' || ch === ']') {
          this.depth--;
          if (this.depth === 0) {
            this.buffer.push(text.slice(valueStart, i + 1));
            this.complete(out);
            valueStart = -1;
          }
        }
        continue;
      }
      if (ch === ' ' || ch === '\t' || ch === '\r') continue;
      if (ch === '{') {
        this.depth = 1;
        this.startLine = lineNumber;
        valueStart = i;
        continue;
      }
      if (ch === '[' && !this.inArray) {
        this.inArray = true;
        continue;
      }
      if (this.inArray && (ch === ',' || ch === ']')) {
        if (ch === ']') this.inArray = false;
        continue;
      }
      out.errors.push({ line: lineNumber, message: `unexpected "${ch}": expected a JSON object` });
      return out;
    }
    if (this.depth > 0) {
      if (this.inString) {
        // JSON strings cannot hold a line break: this value is broken, not unfinished.
        out.errors.push({ line: this.startLine, message: 'invalid JSON: unterminated string' });
        this.reset();
        return out;
      }
      const piece = text.slice(Math.max(valueStart, 0));
      this.buffer.push(piece, '\n');
      this.size += piece.length + 1;
      if (this.size > MAX_VALUE) {
        out.errors.push({ line: this.startLine, message: `JSON value longer than ${MAX_VALUE} characters` });
        this.reset();
      }
    }
    return out;
  }

  end(): ParseResult {
    const out: Out = { records: [], errors: [] };
    if (this.depth > 0) out.errors.push({ line: this.startLine, message: 'invalid JSON: the input ends inside an object' });
    this.reset();
    this.inArray = false;
    return out;
  }

  private reset(): void {
    this.buffer = [];
    this.size = 0;
    this.depth = 0;
    this.inString = false;
    this.escaped = false;
  }

  private complete(out: Out): void {
    const text = this.buffer.join('');
    const line = this.startLine;
    this.reset();
    let value: unknown;
    try {
      value = JSON.parse(text);
    } catch (e) {
      out.errors.push({ line, message: `invalid JSON: ${e instanceof Error ? e.message : String(e)}` });
      return;
    }
    try {
      message(value, line, this.source, out);
    } catch (e) {
      out.errors.push({ line, message: `unreadable certstream message: ${e instanceof Error ? e.message : String(e)}` });
    }
  }
}

export function certstreamLines(options: ParseOptions): LineParser {
  return new CertstreamLineParser(options);
}

export function parseCertstream(text: string, options: ParseOptions): ParseResult {
  return parseByLines(text, certstreamLines(options));
}

export const certstreamFormat: Format = {
  name: 'certstream',
  sniff(head: Buffer): number {
    const text = head.toString('utf8', 0, Math.min(head.length, 65536));
    if (!/^\s*[[{]/.test(text)) return 0;
    if (/"message_type"\s*:\s*"certificate_update"/.test(text)) return 0.95;
    if (/"leaf_cert"\s*:/.test(text) && /"all_domains"\s*:/.test(text)) return 0.9;
    return 0;
  },
  parse(input: Buffer, options: ParseOptions): ParseResult {
    return parseCertstream(input.toString('utf8'), options);
  },
  cut: jsonLinesCut,
  lines(options: ParseOptions): LineParser {
    return certstreamLines(options);
  },
};
