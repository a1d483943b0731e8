// Zeek logs: x509.log, ssl.log, dns.log and known_certs.log, as TSV (with the `#separator`,
// `#fields`… header, or zeek-cut output with a plain column line) or JSON (one object a line).
// The log type comes from `#path` (or JSON `_path`), else from the field names.
//
// What a row gives:
// - x509.log: with the DER (`cert`, policy/protocols/ssl/log-certs-base64) a CertificateRecord;
//   without it (Zeek's default) a field-only certificate (CertificateFieldsRecord) keyed by the
//   row's SHA-256 `fingerprint` (Zeek's default since 4.2), its fields read from the row's DN
//   strings, serial, validity, algorithms and SANs. The row's file id (`id`, older Zeek) becomes a
//   certificate-ref so ssl.log's `cert_chain_fuids` find it. A row whose fingerprint is a SHA-1
//   (Zeek configured so) cannot key a certificate: its names are kept as domains.
// - ssl.log: `served` relations from the responder (ip:port) to each certificate of the server
//   chain: `cert_chain_fps` (Zeek >= 5: SHA-256, or SHA-1 resolved by the store's fingerprint
//   index) or `cert_chain_fuids` (older Zeek: file ids, resolved through x509 rows of the same
//   input, else left pending in the store until the x509.log arrives — any order, any ingest).
//   The SNI names the leaf.
// - known_certs.log: a `served` relation host:port → the certificate named by its issuer and
//   serial (resolved in the store like a file id), and the names its subject gives.
import { normaliseDomain } from '../../fields/domain.js';
import { canonicalIp } from '../../fields/ip.js';
import { normaliseTimestamp, toWellFormed } from '../../fields/normalise.js';
import {
  parseByLines,
  issuerSerialRef,
  sha1Ref,
  zeekFileRef,
  type FieldMap,
  type Format,
  type IngestRecord,
  type LineParser,
  type Observation,
  type ParseError,
  type ParseOptions,
  type ParseResult,
} from '../records.js';
import { jsonLinesCut } from '../json-documents.js';
import { certificateFromDer } from './x509/x509.js';
import {
  addDnFields,
  COMMON_NAME_OID,
  epochToIso,
  FieldBuilder,
  fingerprintHex,
  parseDnText,
} from './x509/x509-names.js';
import { resolutionsFromAnswers } from './zeek-dns.js';

type LogKind = 'x509' | 'ssl' | 'dns' | 'known_certs';

/** One log row, whatever the encoding. */
export interface ZeekRow {
  /** A field's text; undefined when unset or absent, '' when empty. */
  text(name: string): string | undefined;
  /** The elements of a set or vector field (a single value is one element); [] when unset. */
  list(name: string): string[];
}

// --- TSV ----------------------------------------------------------------------------------------

/** Undoes Zeek's ASCII escaping: `\xNN` for bytes (UTF-8 sequences too) and `\\` for `\`. */
function unescapeZeek(text: string): string {
  if (!text.includes('\\')) return text;
  const bytes: number[] = [];
  let i = 0;
  while (i < text.length) {
    if (text[i] === '\\') {
      const hex = text.slice(i + 2, i + 4);
      if (text[i + 1] === 'x' && /^[0-9A-Fa-f]{2}$/.test(hex)) {
        bytes.push(parseInt(hex, 16));
        i += 4;
        continue;
      }
      if (text[i + 1] === '\\') {
        bytes.push(0x5c);
        i += 2;
        continue;
      }
    }
    const cp = text.codePointAt(i)!;
    for (const b of Buffer.from(String.fromCodePoint(cp), 'utf8')) bytes.push(b);
    i += cp > 0xffff ? 2 : 1;
  }
  return toWellFormed(Buffer.from(bytes).toString('utf8'));
}

interface TsvHeader {
  separator: string;
  setSeparator: string;
  emptyField: string;
  unsetField: string;
}

function tsvRow(header: TsvHeader, fields: readonly string[], values: readonly string[]): ZeekRow {
  const index = new Map(fields.map((f, i) => [f, i]));
  const raw = (name: string): string | undefined => {
    const i = index.get(name);
    const value = i === undefined ? undefined : values[i];
    return value === undefined || value === header.unsetField ? undefined : value;
  };
  return {
    text(name) {
      const value = raw(name);
      if (value === undefined) return undefined;
      return value === header.emptyField ? '' : unescapeZeek(value);
    },
    list(name) {
      const value = raw(name);
      if (value === undefined || value === header.emptyField || value === '') return [];
      return value.split(header.setSeparator).map(unescapeZeek);
    },
  };
}

// --- JSON ---------------------------------------------------------------------------------------

function lookup(obj: Readonly<Record<string, unknown>>, name: string): unknown {
  if (name in obj) return obj[name];
  // Some shippers nest Zeek's dotted names ({"id": {"resp_h": …}}).
  let node: unknown = obj;
  for (const part of name.split('.')) {
    if (typeof node !== 'object' || node === null || Array.isArray(node)) return undefined;
    node = (node as Record<string, unknown>)[part];
  }
  return node;
}

function scalarText(value: unknown): string | undefined {
  if (typeof value === 'string') return toWellFormed(value);
  if (typeof value === 'number' && Number.isFinite(value)) return String(value);
  if (typeof value === 'boolean') return value ? 'T' : 'F';
  return undefined;
}

function jsonRow(obj: Readonly<Record<string, unknown>>): ZeekRow {
  return {
    text(name) {
      const value = lookup(obj, name);
      if (Array.isArray(value)) return value.map(scalarText).filter((v) => v !== undefined).join(',');
      return scalarText(value);
    },
    list(name) {
      const value = lookup(obj, name);
      if (Array.isArray(value)) return value.map(scalarText).filter((v): v is string => v !== undefined);
      const text = scalarText(value);
      return text === undefined || text === '' ? [] : [text];
    },
  };
}

// --- Rows to records ----------------------------------------------------------------------------

const ISO_UTC = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}Z$/;

/** `ts` as ISO 8601: epoch seconds (TSV, JSON) or ISO text (JSON with ISO timestamps). */
function rowTime(text: string | undefined): string | undefined {
  if (text === undefined) return undefined;
  // Test baselines mask times as XXXXXXXXXX.XXXXXX: no time rather than a wrong one.
  if (/^-?\d+(\.\d+)?$/.test(text.trim())) return epochToIso(text);
  const iso = normaliseTimestamp(text);
  return ISO_UTC.test(iso) ? iso : undefined;
}

/** `x509.*` fields an x509.log row carries (its DN strings, serial, validity, algorithms, SANs). */
export function zeekCertificateFields(row: ZeekRow): FieldMap {
  const fields = new FieldBuilder();
  for (const [which, column] of [
    ['subject', 'certificate.subject'],
    ['issuer', 'certificate.issuer'],
  ] as const) {
    const text = row.text(column);
    if (text === undefined || text === '') continue;
    const dn = parseDnText(text, 'reversed');
    if (dn) addDnFields(fields, which, dn);
    else fields.add(`x509.${which}.distinguished_name`, text);
  }
  fields.add('x509.serial_number', row.text('certificate.serial'));
  fields.add('x509.not_before', epochToIso(row.text('certificate.not_valid_before')));
  fields.add('x509.not_after', epochToIso(row.text('certificate.not_valid_after')));
  fields.add('x509.signature_algorithm', row.text('certificate.sig_alg'));
  fields.add('x509.public_key_algorithm', row.text('certificate.key_alg'));
  for (const name of row.list('san.dns')) fields.add('x509.alternative_names', normaliseDomain(name) ?? name.toLowerCase());
  for (const ip of row.list('san.ip')) fields.add('x509.alternative_names', canonicalIp(ip) ?? ip);
  for (const email of row.list('san.email')) fields.add('x509.alternative_names', email);
  for (const uri of row.list('san.uri')) fields.add('x509.alternative_names', uri);
  const fingerprint = row.text('fingerprint');
  fields.add('x509.sha256', fingerprintHex(fingerprint, 32));
  fields.add('x509.sha1', fingerprintHex(fingerprint, 20));
  return fields.toFieldMap();
}

/** Domains a DN's CNs name: only CNs that are host names with a dot ("Fake CA" names nothing). */
function commonNameDomains(dnText: string | undefined): string[] {
  if (!dnText) return [];
  const dn = parseDnText(dnText, 'reversed') ?? [];
  const out: string[] = [];
  for (const rdn of dn) {
    for (const a of rdn) {
      if (a.oid !== COMMON_NAME_OID || a.text === undefined) continue;
      const domain = normaliseDomain(a.text);
      if (domain !== undefined && domain.includes('.') && canonicalIp(a.text) === undefined) out.push(domain);
    }
  }
  return out;
}

function sanDomains(row: ZeekRow): string[] {
  return row.list('san.dns').flatMap((n) => normaliseDomain(n) ?? []);
}

interface LineOut {
  readonly records: IngestRecord[];
  readonly errors: ParseError[];
}

class ZeekLineParser implements LineParser {
  private header: TsvHeader = { separator: '\t', setSeparator: ',', emptyField: '(empty)', unsetField: '-' };
  private fields: string[] | undefined;
  private path: string | undefined;
  private kind: LogKind | undefined;
  private jsonKind: LogKind | undefined;
  /** x509.log file ids → SHA-256, for ssl.log rows that list `cert_chain_fuids`. */
  private readonly fuids = new Map<string, string>();
  private readonly source: string;

  constructor(options: ParseOptions) {
    this.source = options.source ?? 'zeek';
  }

  line(text: string, lineNumber: number): ParseResult {
    const out: LineOut = { records: [], errors: [] };
    try {
      this.handle(text, lineNumber, out);
    } catch (e) {
      // Every expected problem is reported where it is found; this keeps an unexpected one to
      // its line instead of ending the input.
      out.errors.push({ line: lineNumber, message: `unreadable line: ${e instanceof Error ? e.message : String(e)}` });
    }
    return out;
  }

  end(): ParseResult {
    return { records: [], errors: [] };
  }

  private handle(text: string, n: number, out: LineOut): void {
    if (text.trim() === '') return;
    if (text.startsWith('#')) {
      this.headerLine(text, n, out);
      return;
    }
    if (/^\s*[{[]/.test(text)) {
      this.jsonLine(text, n, out);
      return;
    }
    const values = text.split(this.header.separator);
    if (!this.fields) {
      if (values.every((v) => /^[A-Za-z_][\w.]*$/.test(v)) && kindFromFields(values)) {
        // zeek-cut -c style: the column names on a plain line, default separators.
        this.startLog(values, undefined, n, out);
        return;
      }
      out.errors.push({ line: n, message: 'data line before any #fields header: the columns are unknown' });
      return;
    }
    if (!this.kind) return;
    if (values.length !== this.fields.length) {
      out.errors.push({ line: n, message: `expected ${this.fields.length} tab-separated fields, found ${values.length}` });
      return;
    }
    this.row(this.kind, tsvRow(this.header, this.fields, values), n, out);
  }

  private headerLine(text: string, n: number, out: LineOut): void {
    if (text.startsWith('#separator ')) {
      // A new log starts (logs are often concatenated): its header replaces the previous one.
      const separator = unescapeZeek(text.slice('#separator '.length));
      this.header = { separator: separator === '' ? '\t' : separator, setSeparator: ',', emptyField: '(empty)', unsetField: '-' };
      this.fields = undefined;
      this.path = undefined;
      this.kind = undefined;
      return;
    }
    const parts = text.split(this.header.separator);
    const key = parts[0] ?? '';
    const value = parts.slice(1).join(this.header.separator);
    switch (key) {
      case '#set_separator':
        this.header.setSeparator = unescapeZeek(value);
        break;
      case '#empty_field':
        this.header.emptyField = value;
        break;
      case '#unset_field':
        this.header.unsetField = value;
        break;
      case '#path':
        this.path = value;
        break;
      case '#fields':
        this.startLog(parts.slice(1), this.path, n, out);
        break;
      default:
        // #open, #close, #types and comments such as test banners carry nothing needed.
        break;
    }
  }

  private startLog(fields: string[], path: string | undefined, n: number, out: LineOut): void {
    this.fields = fields;
    this.kind = kindFromPath(path) ?? kindFromFields(fields);
    if (!this.kind) {
      const what = path ? `Zeek ${path}.log` : 'a Zeek log with these fields';
      out.errors.push({ line: n, message: `${what} is not one this parser reads (x509, ssl, dns, known_certs): its rows are skipped` });
    }
  }

  private jsonLine(text: string, n: number, out: LineOut): void {
    let value: unknown;
    try {
      value = JSON.parse(text);
    } catch (e) {
      out.errors.push({ line: n, message: `invalid JSON: ${e instanceof Error ? e.message : String(e)}` });
      return;
    }
    if (typeof value !== 'object' || value === null || Array.isArray(value)) {
      out.errors.push({ line: n, message: 'a JSON Zeek log line must be an object' });
      return;
    }
    const obj = value as Record<string, unknown>;
    const path = typeof obj._path === 'string' ? obj._path : undefined;
    // Zeek leaves unset fields out of JSON, so a sparse row may not show its kind: it is taken to
    // be of the kind of the rows before it.
    const kind = kindFromPath(path) ?? kindFromFields(Object.keys(obj)) ?? this.jsonKind ?? this.kind;
    if (!kind) {
      out.errors.push({ line: n, message: 'not a Zeek x509, ssl, dns or known_certs record' });
      return;
    }
    this.jsonKind = kind;
    this.row(kind, jsonRow(obj), n, out);
  }

  private observation(row: ZeekRow): Observation {
    const ts = rowTime(row.text('ts'));
    return ts === undefined ? { source: this.source } : { source: this.source, firstSeen: ts, lastSeen: ts };
  }

  private row(kind: LogKind, row: ZeekRow, n: number, out: LineOut): void {
    switch (kind) {
      case 'x509':
        this.x509Row(row, n, out);
        break;
      case 'ssl':
        this.sslRow(row, n, out);
        break;
      case 'dns':
        this.dnsRow(row, out);
        break;
      case 'known_certs':
        this.knownCertsRow(row, n, out);
        break;
    }
  }

  private names(sha256: string | undefined, domains: readonly string[], observation: Observation, out: LineOut): void {
    for (const domain of new Set(domains)) {
      out.records.push(
        sha256 === undefined
          ? { kind: 'domain', domain, observation }
          : { kind: 'names', sha256, domain, observation },
      );
    }
  }

  private x509Row(row: ZeekRow, n: number, out: LineOut): void {
    const observation = this.observation(row);
    const fileId = row.text('id') ?? row.text('fuid');
    const base64 = row.text('cert');
    if (base64 !== undefined && base64 !== '') {
      const body = base64.replace(/\s+/g, '');
      if (!/^[A-Za-z0-9+/]*={0,2}$/.test(body) || body.length % 4 === 1) {
        out.errors.push({ line: n, message: 'cert column is not base64' });
        return;
      }
      const cert = certificateFromDer(new Uint8Array(Buffer.from(body, 'base64')), observation);
      if ('error' in cert) {
        out.errors.push({ line: n, message: `cert column: ${cert.error}` });
        return;
      }
      this.fileId(fileId, cert.sha256, out);
      out.records.push(cert);
      return;
    }
    const fingerprint = row.text('fingerprint');
    const sha256 = fingerprintHex(fingerprint, 32);
    if (sha256 === undefined) {
      if (fingerprint !== undefined && fingerprint !== '' && fingerprintHex(fingerprint, 20) === undefined) {
        out.errors.push({ line: n, message: `fingerprint "${fingerprint}" is not a SHA-256 or SHA-1 fingerprint: the certificate's names are kept, not the certificate` });
      }
      this.names(undefined, [...sanDomains(row), ...commonNameDomains(row.text('certificate.subject'))], observation, out);
      return;
    }
    this.fileId(fileId, sha256, out);
    // The store derives the certificate's names (SAN DNS names, host-name CNs) from its fields.
    out.records.push({ kind: 'certificate-fields', sha256, fields: zeekCertificateFields(row), observation });
  }

  /** Remembers a file id's certificate for ssl rows of this input, and tells the store for later ones. */
  private fileId(fileId: string | undefined, sha256: string, out: LineOut): void {
    if (!fileId) return;
    this.fuids.set(fileId, sha256);
    out.records.push({ kind: 'certificate-ref', ref: zeekFileRef(fileId), sha256, source: this.source });
  }

  private sslRow(row: ZeekRow, n: number, out: LineOut): void {
    const observation = this.observation(row);
    /** The server chain: a SHA-256, or a key the store resolves (SHA-1, file id). */
    const chain: ({ sha256: string } | { ref: string })[] = [];
    const fps = row.list('cert_chain_fps');
    for (const fp of fps) {
      const sha256 = fingerprintHex(fp, 32);
      const sha1 = sha256 === undefined ? fingerprintHex(fp, 20) : undefined;
      if (sha256 !== undefined) chain.push({ sha256 });
      else if (sha1 !== undefined) chain.push({ ref: sha1Ref(sha1) });
      else out.errors.push({ line: n, message: `cert_chain_fps entry "${fp}" is not a SHA-256 or SHA-1 fingerprint` });
    }
    if (fps.length === 0) {
      // Older Zeek: file ids, resolved through x509 rows seen earlier in the same input, else by
      // the store (x509.log later in this input, or in another ingest).
      for (const fuid of row.list('cert_chain_fuids')) {
        const sha256 = this.fuids.get(fuid);
        chain.push(sha256 !== undefined ? { sha256 } : { ref: zeekFileRef(fuid) });
      }
    }
    const hostText = row.text('id.resp_h');
    const ip = hostText === undefined ? undefined : canonicalIp(hostText);
    if (hostText !== undefined && ip === undefined) {
      out.errors.push({ line: n, message: `id.resp_h "${hostText}" is not an IP address` });
    }
    const port = portNumber(row.text('id.resp_p'));
    if (ip !== undefined) {
      const done = new Set<string>();
      for (const c of chain) {
        const key = 'sha256' in c ? c.sha256 : c.ref;
        if (done.has(key)) continue;
        done.add(key);
        this.served(c, ip, port, observation, out);
      }
    }
    const sni = row.text('server_name');
    // An SNI that is an IP literal or not a host name (`server4:443`) names no domain.
    const domain = sni === undefined || canonicalIp(sni) !== undefined ? undefined : normaliseDomain(sni);
    if (domain === undefined) return;
    const leaf = chain[0];
    if (leaf === undefined) this.names(undefined, [domain], observation, out);
    else if ('sha256' in leaf) this.names(leaf.sha256, [domain], observation, out);
    else out.records.push({ kind: 'pending-relation', ref: leaf.ref, relation: { kind: 'names', domain }, observation });
  }

  private served(c: { sha256: string } | { ref: string }, ip: string, port: number | undefined, observation: Observation, out: LineOut): void {
    if ('sha256' in c) {
      out.records.push(port === undefined ? { kind: 'served', sha256: c.sha256, ip, observation } : { kind: 'served', sha256: c.sha256, ip, port, observation });
      return;
    }
    out.records.push({ kind: 'pending-relation', ref: c.ref, relation: port === undefined ? { kind: 'served', ip } : { kind: 'served', ip, port }, observation });
  }

  private dnsRow(row: ZeekRow, out: LineOut): void {
    const query = row.text('query');
    if (query === undefined) return;
    // Answers of failed, refused or non-query messages (NOTIFY, UPDATE) are not resolutions.
    const rcode = row.text('rcode_name');
    if (rcode !== undefined && rcode.toUpperCase() !== 'NOERROR') return;
    const opcode = row.text('opcode');
    if (opcode !== undefined && opcode !== '0') return;
    if (row.text('rejected') === 'T') return;
    const observation = this.observation(row);
    for (const r of resolutionsFromAnswers(query, row.text('qtype_name'), row.list('answers'))) {
      out.records.push({ kind: 'resolution', domain: r.domain, rrtype: r.rrtype, value: r.value, observation });
    }
  }

  private knownCertsRow(row: ZeekRow, n: number, out: LineOut): void {
    // known_certs.log names the host's certificate by subject, issuer and serial, not by a
    // fingerprint: the served relation is keyed by issuer and serial, which the store resolves to
    // the certificate an x509.log or a PEM gave (whenever it arrives).
    const observation = this.observation(row);
    this.names(undefined, commonNameDomains(row.text('subject')), observation, out);
    const fields = new FieldBuilder();
    const issuer = row.text('issuer_subject');
    const dn = issuer === undefined || issuer === '' ? undefined : parseDnText(issuer, 'reversed');
    if (dn) addDnFields(fields, 'issuer', dn);
    fields.add('x509.serial_number', row.text('serial'));
    const ref = issuerSerialRef(fields.toFieldMap());
    const hostText = row.text('host');
    const ip = hostText === undefined ? undefined : canonicalIp(hostText);
    if (hostText !== undefined && ip === undefined) {
      out.errors.push({ line: n, message: `host "${hostText}" is not an IP address` });
      return;
    }
    if (ref === undefined || ip === undefined) return;
    this.served({ ref }, ip, portNumber(row.text('port_num')), observation, out);
  }
}

function portNumber(text: string | undefined): number | undefined {
  return text !== undefined && /^\d{1,5}$/.test(text) && Number(text) <= 65535 ? Number(text) : undefined;
}

function kindFromPath(path: string | undefined): LogKind | undefined {
  return path === 'x509' || path === 'ssl' || path === 'dns' || path === 'known_certs' ? path : undefined;
}

function kindFromFields(fields: readonly string[]): LogKind | undefined {
  const has = new Set(fields);
  const any = (...names: string[]): boolean => names.some((n) => has.has(n));
  if (
    any('cert_chain_fps', 'cert_chain_fuids', 'server_name', 'ssl_history') ||
    (has.has('cipher') && has.has('version')) ||
    (has.has('established') && has.has('resumed'))
  ) {
    return 'ssl';
  }
  if (fields.some((f) => f.startsWith('certificate.') || f.startsWith('san.'))) return 'x509';
  if (any('query', 'qtype_name', 'answers')) return 'dns';
  if (has.has('port_num') && any('subject', 'issuer_subject', 'serial')) return 'known_certs';
  return undefined;
}

export function zeekLines(options: ParseOptions): LineParser {
  return new ZeekLineParser(options);
}

export function parseZeek(text: string, options: ParseOptions): ParseResult {
  return parseByLines(text, zeekLines(options));
}

const LOG_NAME = /(^|[/\\])(x509|ssl|dns|known_certs)(\.[\w-]+)*\.log$/;

export const zeekFormat: Format = {
  name: 'zeek',
  sniff(head: Buffer, fileName?: string): number {
    const text = head.toString('utf8');
    const named = fileName !== undefined && LOG_NAME.test(fileName);
    if (/^#separator /m.test(text) || /^#fields\t/m.test(text)) return 0.95;
    const firstJson = text.split('\n').find((l) => l.trim() !== '' && !l.startsWith('#'));
    const columns = firstJson?.replace(/\r$/, '').split('\t') ?? [];
    // zeek-cut -c output: the column names on a plain line.
    if (columns.length > 1 && columns.every((c) => /^[A-Za-z_][\w.]*$/.test(c)) && kindFromFields(columns)) {
      return named ? 0.8 : 0.7;
    }
    if (firstJson?.trimStart().startsWith('{')) {
      try {
        const obj = JSON.parse(firstJson) as unknown;
        if (typeof obj === 'object' && obj !== null && !Array.isArray(obj)) {
          const keys = Object.keys(obj);
          if (kindFromPath((obj as Record<string, unknown>)._path as string | undefined) || kindFromFields(keys)) {
            return keys.includes('uid') || keys.includes('ts') ? 0.8 : 0.6;
          }
        }
      } catch {
        // The first line is cut off by the head or is not JSON: decided by the name alone.
      }
    }
    return named ? 0.3 : 0;
  },
  parse(input: Buffer, options: ParseOptions): ParseResult {
    return parseZeek(input.toString('utf8'), options);
  },
  lines(options: ParseOptions): LineParser {
    return zeekLines(options);
  },
  // Every part needs the log's header: the leading `#` lines of ASCII logs, or the column names
  // of zeek-cut -c output; JSON logs are JSON Lines.
  cut(headLines: readonly string[]): { readonly preamble: number } | undefined {
    const first = headLines.findIndex((l) => l.trim() !== '');
    if (first < 0) return undefined;
    if (headLines[first]!.startsWith('#')) {
      let n = first;
      while (n < headLines.length && headLines[n]!.startsWith('#')) n++;
      return n < headLines.length ? { preamble: n } : undefined;
    }
    if (headLines[first]!.trimStart().startsWith('{')) return jsonLinesCut(headLines);
    return { preamble: first + 1 };
  },
};
