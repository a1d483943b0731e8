// X.509 certificates from DER and PEM: one CertificateRecord per certificate with every `x509.*`
// field of fields.md. Ordinary certificates take the fast path of x509-fast.ts (node-forge's
// ASN.1 decoder); every other one is read here by @peculiar/x509's ASN.1 schema packages;
// nothing decodes ASN.1 by hand. Node's OpenSSL is asked only where the
// library is known to give up: times in legal but unusual forms, and string types it leaves
// undecoded.
import { signedInteger, versionAndSerial } from './version-serial.js';
import { AsnConvert, AsnParser } from '@peculiar/asn1-schema';
import * as asn1js from 'asn1js';
import {
  DirectoryString,
  GeneralName as GeneralNameSchema,
  SubjectAlternativeName,
  Certificate,
  type GeneralName,
  type Name,
  type Time,
} from '@peculiar/asn1-x509';
import { createHash, X509Certificate as OpenSslCertificate } from 'node:crypto';
import { normaliseDomain } from '../../../fields/domain.js';
import { canonicalIp } from '../../../fields/ip.js';
import { toWellFormed } from '../../../fields/normalise.js';
import type {
  CertificateRecord,
  Format,
  IngestRecord,
  Observation,
  ParseError,
  ParseOptions,
  ParseResult,
} from '../../records.js';
import { conformanceProblems, errorText, extensionLabel, SUBJECT_ALT_NAME } from './x509-conformance.js';
import { fastCertificateParts, type CertificateParts } from './x509-fast.js';
import {
  addDnFields,
  FieldBuilder,
  hasUndecodedFieldValue,
  parseDnText,
  publicKeyAlgorithmName,
  renderDn,
  signatureAlgorithmName,
  type Dn,
  type DnAttribute,
} from './x509-names.js';

/**
 * The certificate's ASN.1 structure and how many input bytes it spans. Decoding with asn1js and
 * the X.509 schema directly (not through @peculiar/x509's X509Certificate, which also builds
 * objects for every name, extension and key) is about twice as fast, and asn1js reports where
 * the certificate ends, BER included, so nothing has to be re-encoded to find it.
 */
function decodeStructure(input: Uint8Array): { cert: Certificate; length: number } | { error: string } {
  const asn = asn1js.fromBER(input);
  if (asn.offset === -1) return { error: asn.result.error || 'undecodable ASN.1' };
  return { cert: AsnParser.fromASN<Certificate>(asn.result, Certificate), length: asn.offset };
}

interface Decoded {
  readonly record: CertificateRecord;
  /** Bytes the certificate occupies in the input; undefined when its end cannot be told (BER). */
  readonly length: number | undefined;
}

type DecodeResult = Decoded | { readonly error: string };

function lazy<T>(make: () => T): () => T {
  let made = false;
  let value: T;
  return () => {
    if (!made) {
      value = make();
      made = true;
    }
    return value;
  };
}

function dnFromAsn(name: Name): Dn {
  return name.map((rdn) =>
    rdn.map((atv): DnAttribute => {
      const v = atv.value;
      const text = v.utf8String ?? v.printableString ?? v.teletexString ?? v.bmpString ?? v.universalString ?? v.ia5String;
      if (text !== undefined) return { oid: atv.type, text: toWellFormed(text) };
      return { oid: atv.type, ber: new Uint8Array(v.anyValue ?? new ArrayBuffer(0)) };
    }),
  );
}

/** Node prints names one RDN a line, escaped as RFC 2253 escapes, in encoding order. */
function dnFromOpenSsl(text: string): Dn | undefined {
  return parseDnText(text.split('\n').join(','), 'forward');
}

const MONTHS = ['Jan', 'Feb', 'Mar', 'Apr', 'May', 'Jun', 'Jul', 'Aug', 'Sep', 'Oct', 'Nov', 'Dec'];

/** OpenSSL's `Jan  1 00:00:00 2000 GMT` as ISO 8601. */
function openSslTimeIso(text: string): string | undefined {
  const m = /^([A-Z][a-z]{2}) +(\d{1,2}) (\d{2}):(\d{2}):(\d{2}) (\d{4}) GMT$/.exec(text);
  if (!m) return undefined;
  const month = MONTHS.indexOf(m[1]!) + 1;
  if (month === 0) return undefined;
  const pad = (s: string): string => s.padStart(2, '0');
  return `${m[6]}-${pad(String(month))}-${pad(m[2]!)}T${m[3]}:${m[4]}:${m[5]}Z`;
}

function timeIso(time: Time, fallback: () => string | undefined): string | undefined {
  const date = time.utcTime ?? time.generalTime;
  if (date && !Number.isNaN(date.getTime())) {
    const year = date.getUTCFullYear();
    // The library reads UTCTime without seconds or with an offset (legal in BER) as 1899; a
    // UTCTime outside its 1950-2049 window is such a misreading, not a date.
    const plausible = time.utcTime ? year >= 1950 && year <= 2049 : year >= 0 && year <= 9999;
    if (plausible) return `${date.toISOString().slice(0, 19)}Z`;
  }
  return fallback();
}

/** Hex of the serial's magnitude: the DER sign byte goes, as OpenSSL and Zeek print serials. */
function serialHex(serial: Uint8Array): string {
  let bytes = serial;
  if (bytes.length > 1 && bytes[0] === 0 && bytes[1]! >= 0x80) bytes = bytes.subarray(1);
  return Buffer.from(bytes).toString('hex').toUpperCase();
}

const UPN = '1.3.6.1.4.1.311.20.2.3';

function generalNameText(name: GeneralName): string | undefined {
  if (name.dNSName !== undefined) {
    // A name that is not a valid host name (a NUL inside, spaces) is kept as written: it is the
    // oddity an analyst wants to match.
    return normaliseDomain(name.dNSName) ?? name.dNSName.trim().toLowerCase();
  }
  if (name.iPAddress !== undefined) return canonicalIp(name.iPAddress) ?? name.iPAddress;
  if (name.rfc822Name !== undefined) return name.rfc822Name.trim();
  if (name.uniformResourceIdentifier !== undefined) return name.uniformResourceIdentifier.trim();
  if (name.directoryName !== undefined) return renderDn(dnFromAsn(name.directoryName));
  if (name.registeredID !== undefined) return name.registeredID;
  if (name.otherName?.typeId === UPN) {
    try {
      return AsnConvert.parse(name.otherName.value, DirectoryString).toString();
    } catch {
      return undefined;
    }
  }
  // Other otherNames, X.400 and EDI party names have no useful text form.
  return undefined;
}

interface AlternativeNames {
  readonly names: string[];
  readonly problems: string[];
}

function addName(out: string[], name: GeneralName): void {
  const text = generalNameText(name);
  if (text !== undefined && text !== '') out.push(text);
}

// GeneralName tags whose forms have no text (x400Address, ediPartyName). The library's
// EDIPartyName schema tags the DirectoryString implicitly where RFC 5280 (a CHOICE) makes it
// explicit, so a well-formed one does not decode: it is passed over, not a problem.
const NAMES_WITHOUT_TEXT = new Set([3, 5]);

/**
 * What can still be read from a SAN the schema refuses: each GeneralName on its own, a bad one
 * a problem and the others kept.
 */
function salvageNames(value: ArrayBuffer, label: string, out: AlternativeNames): void {
  const asn = asn1js.fromBER(value);
  const seq = asn.result;
  if (asn.offset === -1 || !(seq instanceof asn1js.Sequence)) {
    out.problems.push(`${label}: malformed: not a SEQUENCE of GeneralName`);
    return;
  }
  if (asn.offset !== value.byteLength) out.problems.push(`${label}: malformed: ${value.byteLength - asn.offset} bytes after the value`);
  seq.valueBlock.value.forEach((item, i) => {
    const tag = item.idBlock;
    try {
      addName(out.names, AsnParser.fromASN<GeneralName>(item, GeneralNameSchema));
    } catch (e) {
      if (tag.tagClass === 3 && NAMES_WITHOUT_TEXT.has(tag.tagNumber)) return;
      const what = tag.tagClass === 3 ? `entry ${i + 1} [${tag.tagNumber}]` : `entry ${i + 1}`;
      out.problems.push(`${label}: malformed: ${what}: ${errorText(e)}`);
    }
  });
}

function alternativeNames(cert: Certificate): AlternativeNames {
  const out: AlternativeNames = { names: [], problems: [] };
  const label = extensionLabel(SUBJECT_ALT_NAME);
  for (const ext of cert.tbsCertificate.extensions ?? []) {
    if (ext.extnID !== SUBJECT_ALT_NAME) continue;
    if (ext.extnValue.byteLength === 0) {
      out.problems.push(`${label}: empty value`);
      continue;
    }
    let names: SubjectAlternativeName;
    try {
      names = AsnConvert.parse(ext.extnValue, SubjectAlternativeName);
    } catch {
      salvageNames(ext.extnValue.buffer, label, out);
      continue;
    }
    if (names.length === 0) out.problems.push(`${label}: empty (RFC 5280: SEQUENCE SIZE (1..MAX))`);
    names.forEach((name, i) => {
      try {
        addName(out.names, name);
      } catch (e) {
        // A value read lazily (a directoryName's attributes) that the library cannot read.
        out.problems.push(`${label}: malformed: entry ${i + 1}: ${errorText(e)}`);
      }
    });
  }
  return out;
}

type PartsResult = { readonly parts: CertificateParts; readonly length: number | undefined } | { readonly error: string };

/**
 * The full decoder: asn1js with the @peculiar X.509 schema, the conformance checks, and OpenSSL
 * where the library gives up. Every certificate the fast path passes over comes here.
 */
export function fullCertificateParts(input: Uint8Array): PartsResult {
  if (input.length === 0) return { error: 'empty input: no certificate' };
  // The library reads any other bytes as PEM, hex or base64 text; DER is what is asked for here.
  if (input[0] !== 0x30) return { error: 'not a DER certificate: it does not start with an ASN.1 SEQUENCE' };
  let decoded: { cert: Certificate; length: number } | { error: string };
  try {
    decoded = decodeStructure(input);
  } catch (e) {
    return { error: `not a valid certificate: ${errorText(e)}` };
  }
  if ('error' in decoded) return { error: `not a valid certificate: ${decoded.error}` };
  const cert = decoded.cert;
  try {
    // Conformance problems are recorded, never a refusal: only what is not a certificate is.
    const problems = conformanceProblems(cert);
    const length: number | undefined = decoded.length;
    const openssl = lazy(() => {
      try {
        return new OpenSslCertificate(length === undefined ? input : input.subarray(0, length));
      } catch {
        return undefined;
      }
    });
    const san = alternativeNames(cert);
    problems.push(...san.problems);

    const tbs = cert.tbsCertificate;
    const dn = (which: 'subject' | 'issuer', name: Name): Dn => {
      const fromAsn = dnFromAsn(name);
      if (!hasUndecodedFieldValue(fromAsn)) return fromAsn;
      // String types outside DirectoryString (NumericString…) stay BER in the library; OpenSSL
      // decodes those it accepts in names (not VisibleString: then the DN shows the BER).
      const text = openssl()?.[which];
      return (text === undefined ? undefined : dnFromOpenSsl(text)) ?? fromAsn;
    };
    const parts: CertificateParts = {
      subject: dn('subject', tbs.subject),
      issuer: dn('issuer', tbs.issuer),
      serial: new Uint8Array(tbs.serialNumber),
      alternativeNames: san.names,
      problems,
      notBefore: timeIso(tbs.validity.notBefore, () => openSslTimeIso(openssl()?.validFrom ?? '')),
      notAfter: timeIso(tbs.validity.notAfter, () => openSslTimeIso(openssl()?.validTo ?? '')),
      signatureAlgorithm: cert.signatureAlgorithm.algorithm,
      publicKeyAlgorithm: tbs.subjectPublicKeyInfo.algorithm.algorithm,
    };
    return { parts, length };
  } catch (e) {
    // The decoded structure is read lazily; a part of the TBSCertificate the library cannot
    // read surfaces here, and without it there is no certificate to store.
    return { error: `not a valid certificate: TBSCertificate cannot be read: ${errorText(e)}` };
  }
}

function recordFromParts(der: Uint8Array, parts: CertificateParts, observation: Observation): CertificateRecord {
  const fields = new FieldBuilder();
  addDnFields(fields, 'subject', parts.subject);
  addDnFields(fields, 'issuer', parts.issuer);
  fields.add('x509.serial_number', serialHex(parts.serial));
  for (const name of parts.alternativeNames) fields.add('x509.alternative_names', name);
  fields.add('x509.not_before', parts.notBefore);
  fields.add('x509.not_after', parts.notAfter);
  const sha1 = createHash('sha1').update(der).digest('hex');
  const sha256 = createHash('sha256').update(der).digest('hex');
  fields.add('x509.sha1', sha1);
  fields.add('x509.sha256', sha256);
  fields.add('x509.signature_algorithm', signatureAlgorithmName(parts.signatureAlgorithm));
  fields.add('x509.public_key_algorithm', publicKeyAlgorithmName(parts.publicKeyAlgorithm));
  for (const problem of parts.problems) fields.add('x509.problems', problem);
  // The fast parser read both already; the full decoder's parts leave them to version-serial.ts.
  const vs = parts.version !== undefined ? { version: parts.version, serial: signedInteger(parts.serial).toString(10) } : versionAndSerial(der);
  return { kind: 'certificate', der, sha256, sha1, fields: fields.toFieldMap(), ...(vs && { version: vs.version, serial: vs.serial }), observation };
}

function decode(input: Uint8Array, observation: Observation): DecodeResult {
  const result = fastCertificateParts(input) ?? fullCertificateParts(input);
  if ('error' in result) return result;
  const der = Uint8Array.from(result.length === undefined ? input : input.subarray(0, result.length));
  return { record: recordFromParts(der, result.parts, observation), length: result.length };
}

/**
 * One certificate from its DER encoding, with every `x509.*` field it has; or why not. Data
 * after the certificate is an error, as the fingerprints would otherwise not be the
 * certificate's.
 */
export function certificateFromDer(der: Uint8Array, observation: Observation): CertificateRecord | { error: string } {
  const result = decode(der, observation);
  if ('error' in result) return result;
  if (result.length !== undefined && result.length < der.length) {
    return { error: `${der.length - result.length} bytes of data after the certificate` };
  }
  return result.record;
}

// --- PEM ----------------------------------------------------------------------------------------

const PEM_MARKER = /-----(BEGIN|END) ([A-Z0-9 ]+)-----/g;
const CERT_LABELS = new Set(['CERTIFICATE', 'TRUSTED CERTIFICATE', 'X509 CERTIFICATE']);
const BASE64 = /^[A-Za-z0-9+/]*={0,2}$/;

interface PemBlock {
  readonly label: string;
  readonly line: number;
  readonly base64: string[];
}

/**
 * Every certificate in PEM text: several per file, any text around them (`openssl x509 -text`
 * dumps, bundles with comments). A bad block is reported at its BEGIN line.
 */
export function parsePem(text: string, options: ParseOptions): ParseResult {
  const observation: Observation = { source: options.source ?? 'pem' };
  const records: IngestRecord[] = [];
  const errors: ParseError[] = [];
  let block: PemBlock | undefined;
  let blocks = 0;

  const finish = (b: PemBlock): void => {
    blocks++;
    const body = b.base64.join('');
    if (body === '' || !BASE64.test(body) || body.length % 4 === 1) {
      errors.push({ line: b.line, message: `PEM ${b.label} block is not valid base64` });
      return;
    }
    const bytes = new Uint8Array(Buffer.from(body, 'base64'));
    const result = decode(bytes, observation);
    if ('error' in result) {
      errors.push({ line: b.line, message: result.error });
      return;
    }
    // OpenSSL's TRUSTED CERTIFICATE appends trust settings after the certificate.
    if (b.label !== 'TRUSTED CERTIFICATE' && result.length !== undefined && result.length < bytes.length) {
      errors.push({ line: b.line, message: `${bytes.length - result.length} bytes of data after the certificate` });
      return;
    }
    records.push(result.record);
  };

  const body = (segment: string): void => {
    const part = segment.trim();
    // RFC 1421 headers (Proc-Type: …) are not base64.
    if (block && part !== '' && !part.includes(':')) block.base64.push(part.replace(/\s+/g, ''));
  };
  const marker = (kind: string, label: string, line: number): void => {
    if (kind === 'BEGIN') {
      if (block) errors.push({ line: block.line, message: `PEM ${block.label} block has no END line` });
      // Other blocks (keys, requests) are passed over like any other text.
      block = CERT_LABELS.has(label) ? { label, line, base64: [] } : undefined;
      return;
    }
    if (!block) return;
    if (label === block.label) finish(block);
    else errors.push({ line: block.line, message: `PEM ${block.label} block ends with END ${label}` });
    block = undefined;
  };

  text.split('\n').forEach((raw, i) => {
    // Markers are found anywhere in a line: some tools write a whole PEM block on one line.
    let rest = 0;
    for (const m of raw.matchAll(PEM_MARKER)) {
      body(raw.slice(rest, m.index));
      rest = m.index + m[0].length;
      marker(m[1]!, m[2]!, i + 1);
    }
    body(raw.slice(rest));
  });
  if (block) errors.push({ line: block.line, message: `PEM ${block.label} block has no END line` });
  if (blocks === 0 && errors.length === 0) {
    errors.push({ line: 0, message: 'no PEM certificate (-----BEGIN CERTIFICATE-----) in the input' });
  }
  return { records, errors };
}

/**
 * Certificates in DER: one, or several one after another. Errors have line 0 (DER has no lines)
 * and say at which byte the bad certificate starts.
 */
export function parseDer(buf: Uint8Array, options: ParseOptions): ParseResult {
  const observation: Observation = { source: options.source ?? 'der' };
  const records: IngestRecord[] = [];
  const errors: ParseError[] = [];
  let offset = 0;
  do {
    const result = decode(buf.subarray(offset), observation);
    if ('error' in result) {
      errors.push({ line: 0, message: offset === 0 ? result.error : `at byte ${offset}: ${result.error}` });
      break;
    }
    records.push(result.record);
    if (result.length === undefined) break;
    offset += result.length;
  } while (offset < buf.length);
  return { records, errors };
}

const CERT_EXTENSION = /\.(der|cer|crt|cert)$/i;

export const pemFormat: Format = {
  name: 'pem',
  sniff(head: Buffer): number {
    return /-----BEGIN (TRUSTED |X509 )?CERTIFICATE-----/.test(head.toString('latin1')) ? 0.95 : 0;
  },
  parse(input: Buffer, options: ParseOptions): ParseResult {
    return parsePem(input.toString('utf8'), options);
  },
};

export const derFormat: Format = {
  name: 'der',
  sniff(head: Buffer, fileName?: string): number {
    // A certificate is a SEQUENCE with a two-byte length (256 bytes to 64 KiB) in practice.
    if (head.length < 4 || head[0] !== 0x30 || head[1] !== 0x82) return 0;
    const named = fileName !== undefined && CERT_EXTENSION.test(fileName);
    const parsed = !('error' in decode(head, { source: 'der' }));
    if (parsed) return named ? 0.7 : 0.6;
    return named ? 0.2 : 0.05;
  },
  parse(input: Buffer, options: ParseOptions): ParseResult {
    return parseDer(input, options);
  },
};
