// What parsers produce and the store consumes: one stream of typed records through one
// pipeline (parse → normalise into fields → match → act → store). Every parser, whatever its
// format, speaks this vocabulary, so ingest, retro-hunt and the future live sources share it.
//
// Conventions for every record:
// - Names are normalised domains (fields/domain.ts normaliseDomain); IPs are canonical text
//   (fields/ip.ts canonicalIp); times are ISO 8601 UTC `YYYY-MM-DDTHH:MM:SSZ` taken from the
//   data (never from the clock) and absent when the data has none.
// - `source` names where the observation came from: the format name by default (`zeek`, `cof`,
//   `certstream`, …), or what the data itself says (a COF record's `_source`, a sensor name).

/** Field name (fields.md) → values. Only non-empty, normalised values. */
export type FieldMap = Record<string, string[]>;

export interface Observation {
  readonly source: string;
  readonly firstSeen?: string;
  readonly lastSeen?: string;
  /** How many times it was seen, when the data says so (passive DNS counts). */
  readonly count?: number;
}

/** An X.509 certificate. Keyed by SHA-256 of the DER. */
export interface CertificateRecord {
  readonly kind: 'certificate';
  /** DER encoding. */
  readonly der: Uint8Array;
  readonly sha256: string; // lower-case hex
  readonly sha1: string; // lower-case hex
  /** Every `x509.*` field of fields.md the certificate has. */
  readonly fields: FieldMap;
  /** The version field as encoded (2 for v3) and the serial in signed decimal, read from the DER. */
  readonly version?: number;
  readonly serial?: string;
  readonly observation: Observation;
}

/** A parsed WHOIS reply (port 43 text or RDAP), versioned by its observation time. */
export interface WhoisRecord {
  readonly kind: 'whois';
  readonly domain: string;
  /** Every `whois.*` field of fields.md found, `whois.raw` included for text replies. */
  readonly fields: FieldMap;
  /** When the record was observed (from the data: RDAP events or a capture time); may be absent. */
  readonly observed?: string;
  readonly source: string;
}

/** Passive DNS and similar: `domain` resolved to `value` (an IP for A/AAAA, a name for CNAME/NS/MX…). */
export interface ResolutionRecord {
  readonly kind: 'resolution';
  readonly domain: string;
  readonly rrtype: string; // upper case: A, AAAA, CNAME, NS, MX, PTR, TXT, …
  readonly value: string;
  readonly observation: Observation;
}

/** A certificate seen served on an IP (and port), e.g. by Zeek or a scan. */
export interface ServedRecord {
  readonly kind: 'served';
  readonly sha256: string;
  readonly ip: string;
  readonly port?: number;
  readonly observation: Observation;
}

/**
 * A certificate names a domain. Certificates' SAN DNS names and CN are derived by the store from
 * the certificate itself; this record is for names seen with a certificate elsewhere (Zeek SNI,
 * certstream `all_domains`).
 */
export interface NamesRecord {
  readonly kind: 'names';
  readonly sha256: string;
  readonly domain: string;
  readonly observation: Observation;
}

/** A domain seen on its own (a name with no other data yet, e.g. an SNI without certificate). */
export interface DomainRecord {
  readonly kind: 'domain';
  readonly domain: string;
  readonly observation: Observation;
}

/**
 * A certificate known by its fields but not its bytes: Zeek's x509.log (which logs no DER by
 * default), certstream messages without `as_der`, JSON Lines certificate records without DER.
 * Keyed by the SHA-256 fingerprint the source gives; its fields are what the source said. The
 * store keeps it as a certificate without DER and completes it when a CertificateRecord of the
 * same SHA-256 arrives (the DER and the fields parsed from it win); a field-only record never
 * overwrites a DER or the fields parsed from it.
 */
export interface CertificateFieldsRecord {
  readonly kind: 'certificate-fields';
  readonly sha256: string; // lower-case hex
  /** When the source gave it (lower-case hex); recorded so SHA-1-only sources find the certificate. */
  readonly sha1?: string;
  /** The `x509.*` fields the source gave (x509.sha256 and x509.sha1 included when known). */
  readonly fields: FieldMap;
  readonly observation: Observation;
}

/**
 * Another key of a certificate whose SHA-256 is known: a Zeek file id (`zeek-fuid:F…`) or a SHA-1
 * (`sha1:…`). Relations that name the certificate by that key (PendingRelationRecord) are tied to
 * it by the store, whichever arrives first, in one ingest or across several.
 */
export interface CertificateRefRecord {
  readonly kind: 'certificate-ref';
  readonly ref: string;
  readonly sha256: string;
  readonly source: string;
}

/**
 * A `served` or `names` relation of a certificate known only by another key (see
 * CertificateRefRecord): Zeek ssl.log's `cert_chain_fuids`, SHA-1 `cert_chain_fps`. The store
 * writes the relation when the key's SHA-256 is known, and keeps it pending until then.
 */
export interface PendingRelationRecord {
  readonly kind: 'pending-relation';
  readonly ref: string;
  readonly relation: { readonly kind: 'served'; readonly ip: string; readonly port?: number } | { readonly kind: 'names'; readonly domain: string };
  readonly observation: Observation;
}

/** The `certificate-ref` key of a Zeek file id (x509.log `id`, ssl.log `cert_chain_fuids`). */
export function zeekFileRef(fileId: string): string {
  return `zeek-fuid:${fileId}`;
}

/** The `certificate-ref` key of a SHA-1 fingerprint (lower-case hex). */
export function sha1Ref(sha1: string): string {
  return `sha1:${sha1.toLowerCase()}`;
}

/**
 * The `certificate-ref` key of an issuer and serial number (what Zeek's known_certs.log names a
 * certificate by), from the `x509.issuer.distinguished_name` and `x509.serial_number` fields;
 * undefined when either is missing. Leading zeros of the serial are dropped (DER may keep one).
 */
export function issuerSerialRef(fields: FieldMap): string | undefined {
  const issuer = fields['x509.issuer.distinguished_name']?.[0];
  const serial = fields['x509.serial_number']?.[0]?.toUpperCase().replace(/^0+(?=.)/, '');
  return issuer === undefined || serial === undefined || serial === '' ? undefined : `issuer-serial:${serial}|${issuer}`;
}

/** Routing data: an IP range originated by an AS. */
export interface AsRangeRecord {
  readonly kind: 'as-range';
  /** First and last address of the range, canonical text, same family. */
  readonly start: string;
  readonly end: string;
  readonly asn: number;
  readonly name?: string;
  readonly source: string;
}

/**
 * The registration of an IP block (an RDAP `ip network`): who holds it and how the registry names
 * it. Keyed by its range and source; the `network.*` fields of every IP inside come from the most
 * specific stored registration holding it.
 */
export interface NetworkRecord {
  readonly kind: 'network';
  /** First and last address of the block, canonical text, same family. */
  readonly start: string;
  readonly end: string;
  /** The `network.*` fields of the registration. */
  readonly fields: FieldMap;
  /** When the registration was observed (from the data: RDAP events or a capture time); may be absent. */
  readonly observed?: string;
  readonly source: string;
}

export type IngestRecord =
  | CertificateRecord
  | CertificateFieldsRecord
  | WhoisRecord
  | ResolutionRecord
  | ServedRecord
  | NamesRecord
  | DomainRecord
  | AsRangeRecord
  | NetworkRecord
  | CertificateRefRecord
  | PendingRelationRecord;

export type RecordKind = IngestRecord['kind'];

/** One rejected input item: where, and why. Lines are 1-based; 0 when a whole input is bad. */
export interface ParseError {
  readonly line: number;
  readonly message: string;
}

export interface ParseResult {
  readonly records: IngestRecord[];
  readonly errors: ParseError[];
}

/**
 * Options every parser takes. `source` overrides the default source name; `domain` names the
 * domain of a WHOIS reply that does not say it (`--domain`, or the file name).
 */
export interface ParseOptions {
  readonly source?: string;
  readonly domain?: string;
  /** The input's name, for messages and as a fallback domain hint. */
  readonly fileName?: string;
}

/** Incremental parsing of a line-oriented format, so ingest streams files of any size. */
export interface LineParser {
  /** One line without its terminator, numbered from 1. */
  line(text: string, lineNumber: number): ParseResult;
  /** The input ended (flush anything pending). */
  end(): ParseResult;
}

/** One input format: how to recognise it and how to parse it. */
export interface Format {
  /** The name `--format` takes (cli.md). */
  readonly name: string;
  /**
   * How sure (0 to 1) the format is that an input starting with `head` (up to 64 KiB, already
   * gunzipped) is its own; `fileName` helps (extensions, `x509.log`).
   */
  sniff(head: Buffer, fileName?: string): number;
  /** Parse a whole input. Line-oriented formats implement it with `lines`. */
  parse(input: Buffer, options: ParseOptions): ParseResult;
  /** Present for line-oriented formats. */
  lines?(options: ParseOptions): LineParser;
  /**
   * Present when an input of this format may be cut at line boundaries into parts that parse
   * alone (scale-out ingest: services/jobs/split.ts): given the complete lines of the input's
   * head, how many leading lines every part needs before its own (a header), or undefined when
   * this input cannot be cut (a value that spans lines).
   */
  cut?(headLines: readonly string[]): { readonly preamble: number } | undefined;
}

/**
 * A line-oriented format: its whole-input `parse` is its line parser run over the text. (A
 * throwing `sniff` counts as "not mine": detection catches it.)
 */
export function lineFormat(name: string, sniff: Format['sniff'], lines: (options: ParseOptions) => LineParser, cut?: Format['cut']): Format {
  return {
    name,
    sniff,
    parse: (input, options) => parseByLines(input.toString('utf8'), lines(options)),
    lines,
    ...(cut ? { cut } : {}),
  };
}

/** Runs a line parser over a whole text: the pure `parse` of line-oriented formats. */
export function parseByLines(text: string, parser: LineParser): ParseResult {
  const records: IngestRecord[] = [];
  const errors: ParseError[] = [];
  const add = (r: ParseResult): void => {
    for (const x of r.records) records.push(x);
    for (const e of r.errors) errors.push(e);
  };
  const lines = text.split('\n');
  if (lines.length > 0 && lines[lines.length - 1] === '') lines.pop();
  lines.forEach((l, i) => add(parser.line(l.endsWith('\r') ? l.slice(0, -1) : l, i + 1)));
  add(parser.end());
  return { records, errors };
}
