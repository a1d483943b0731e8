// The fast path for the certificates that make up nearly all real traffic: plain DER, names in
// UTF8String/PrintableString/IA5String, dNSName/iPAddress/email/URI alternative names, RSA or EC
// keys. node-forge's ASN.1 decoder reads the TLV tree (a hundred times faster than asn1js with
// the @peculiar schema mapping, which builds an object for every node); this module only walks
// the X.509 structure of RFC 5280 over that tree.
//
// It never decides that a certificate is bad: anything it does not recognise exactly, and every
// condition the full decoder (x509.ts) would refuse, makes it answer `undefined`, and the full
// decoder reads the certificate instead. So errors, odd encodings and rare name types keep the
// full decoder's behaviour, and x509-fast.test.ts checks on real and mutated certificates that
// whatever this path accepts, the full decoder reads to the same parts.
import forge from 'node-forge';
import { byteBuffer, fromDer, getBerValueLength, type Asn1 } from './forge-asn1.js';
import { normaliseDomain } from '../../../fields/domain.js';
import { canonicalIp } from '../../../fields/ip.js';
import type { Dn, DnAttribute } from './x509-names.js';
import {
  AUTHORITY_KEY_IDENTIFIER,
  BASIC_CONSTRAINTS,
  EC_PUBLIC_KEY,
  EXTENDED_KEY_USAGE,
  isRecognisedExtension,
  KEY_USAGE,
  NON_EMPTY_LIST_EXTENSIONS,
  OID_TEXT,
  oneAsn1Value,
  PRINTABLE,
  RSA_ENCRYPTION,
  SCHEMA_CHECKED_EXTENSIONS,
  SUBJECT_ALT_NAME,
  SUBJECT_KEY_IDENTIFIER,
  WEAK_CURVES,
} from './x509-conformance.js';
import { isPlainDerValue } from './plain-der.js';

/** What a certificate contributes to its record; both decoders produce it. */
export interface CertificateParts {
  readonly subject: Dn;
  readonly issuer: Dn;
  /** The serial INTEGER's content bytes as encoded. */
  readonly serial: Uint8Array;
  readonly alternativeNames: readonly string[];
  /** Conformance problems (`x509.problems`); the fast path only takes certificates without. */
  readonly problems: readonly string[];
  readonly notBefore: string | undefined;
  readonly notAfter: string | undefined;
  readonly signatureAlgorithm: string;
  readonly publicKeyAlgorithm: string;
  /**
   * The version field's value (2 for v3), when the parser that read the parts had it at hand:
   * otherwise x509.ts reads it again from the DER.
   */
  readonly version?: number;
}

const UNIVERSAL = 0x00;
const CONTEXT = 0x80;
const T = { BOOLEAN: 1, INTEGER: 2, BIT_STRING: 3, OCTET_STRING: 4, NULL: 5, OID: 6, UTF8: 12, SEQUENCE: 16, SET: 17, PRINTABLE: 19, IA5: 22, UTC_TIME: 23, GENERALIZED_TIME: 24 } as const;
// forge reads a tag number from the low five bits only; 31 means a multi-byte tag it misreads.
const HIGH_TAG_FORM = 31;

/** Thrown inside the walk to give up; never escapes this module. */
class NotFast extends Error {}

function giveUp(): never {
  throw new NotFast();
}

function constructed(n: Asn1 | undefined, type: number, tagClass = UNIVERSAL): Asn1[] {
  if (!n || n.tagClass !== tagClass || n.type !== type || !n.constructed || !Array.isArray(n.value)) giveUp();
  return n.value;
}

function primitive(n: Asn1 | undefined, type: number, tagClass = UNIVERSAL): string {
  if (!n || n.tagClass !== tagClass || n.type !== type || n.constructed || typeof n.value !== 'string') giveUp();
  return n.value;
}

/** A BIT STRING of whole bytes (the unused-bits byte 0), without that byte. */
function octetBits(n: Asn1 | undefined): string {
  const v = primitive(n, T.BIT_STRING);
  if (v.length === 0 || v.charCodeAt(0) !== 0) giveUp();
  return v.slice(1);
}

function bytesOf(binary: string): Uint8Array {
  return new Uint8Array(Buffer.from(binary, 'latin1'));
}

function isAscii(text: string): boolean {
  for (let i = 0; i < text.length; i++) if (text.charCodeAt(i) >= 0x80) return false;
  return true;
}

/** An OID in minimal encoding, every arc below 2^53; anything else is left to the full decoder. */
function oid(n: Asn1 | undefined): string {
  const v = primitive(n, T.OID);
  if (v.length === 0 || v.charCodeAt(v.length - 1) & 0x80) giveUp();
  for (let i = 0; i < v.length; i++) {
    if (v.charCodeAt(i) === 0x80 && (i === 0 || !(v.charCodeAt(i - 1) & 0x80))) giveUp();
  }
  try {
    return forge.asn1.derToOid(v);
  } catch {
    return giveUp();
  }
}

/** A non-negative INTEGER in minimal encoding. */
function positiveInteger(n: Asn1 | undefined): string {
  const v = primitive(n, T.INTEGER);
  if (v.length === 0 || v.charCodeAt(0) >= 0x80) giveUp();
  if (v.length > 1 && v.charCodeAt(0) === 0 && v.charCodeAt(1) < 0x80) giveUp();
  return v;
}

function algorithm(n: Asn1 | undefined): { oid: string; params: Asn1 | undefined } {
  const parts = constructed(n, T.SEQUENCE);
  if (parts.length < 1 || parts.length > 2) giveUp();
  const params = parts[1];
  // The parameters are ANY. This walk reads them only for RSA and EC keys, but the full decoder
  // decodes whatever they hold and refuses the certificate when that is malformed (an unknown
  // key algorithm whose parameters end in an unfinished OID arc, say), so they are judged as
  // extension values are.
  if (params !== undefined && !isPlainParameter(params)) {
    const bytes = Buffer.from(der(params), 'binary');
    if (!isPlainDerValue(bytes)) {
      checkWellFormed(bytes);
      if (breaksDer(params)) giveUp();
    }
  }
  return { oid: oid(parts[0]), params };
}

/**
 * RSA's NULL and a named curve's OID, the parameters nearly every certificate has, judged as
 * plain-der.ts would without encoding them again (5% of the fast path's time on CA certificates).
 */
function isPlainParameter(n: Asn1): boolean {
  if (n.tagClass !== UNIVERSAL || n.constructed || typeof n.value !== 'string') return false;
  if (n.type === T.NULL) return n.value === '';
  return n.type === T.OID && n.value.length > 0 && (n.value.charCodeAt(n.value.length - 1) & 0x80) === 0;
}

function der(n: Asn1): string {
  return forge.asn1.toDer(n as forge.asn1.Asn1).getBytes();
}

function attributeText(n: Asn1 | undefined): string {
  if (!n || n.tagClass !== UNIVERSAL || n.constructed || typeof n.value !== 'string') giveUp();
  const v = n.value;
  switch (n.type) {
    case T.UTF8: {
      if (isAscii(v)) return v;
      const text = Buffer.from(v, 'latin1').toString('utf8');
      // Bad UTF-8 (replacement characters) is the full decoder's to judge.
      if (text.includes('\uFFFD')) giveUp();
      return text;
    }
    case T.PRINTABLE:
      if (!PRINTABLE.test(v)) giveUp();
      return v;
    case T.IA5:
      if (!isAscii(v)) giveUp();
      return v;
    default:
      return giveUp();
  }
}

function name(n: Asn1 | undefined): Dn {
  return constructed(n, T.SEQUENCE).map((rdn) => {
    const set = constructed(rdn, T.SET);
    if (set.length === 0) giveUp();
    return set.map((atv): DnAttribute => {
      const pair = constructed(atv, T.SEQUENCE);
      if (pair.length !== 2) giveUp();
      return { oid: oid(pair[0]), text: attributeText(pair[1]) };
    });
  });
}

const TIME = /^\d{12}$/;

/** UTCTime `YYMMDDHHMMSSZ` or GeneralizedTime `YYYYMMDDHHMMSSZ` (the DER forms) as ISO 8601. */
function time(n: Asn1 | undefined): string {
  if (!n || n.tagClass !== UNIVERSAL || n.constructed || typeof n.value !== 'string') giveUp();
  const v = n.value;
  let digits: string;
  if (n.type === T.UTC_TIME && v.length === 13 && v.endsWith('Z')) {
    const yy = Number(v.slice(0, 2));
    digits = `${yy >= 50 ? '19' : '20'}${v.slice(0, 12)}`;
  } else if (n.type === T.GENERALIZED_TIME && v.length === 15 && v.endsWith('Z')) {
    digits = v.slice(0, 14);
  } else return giveUp();
  if (!TIME.test(digits.slice(2))) giveUp();
  const [year, month, day, hour, minute, second] = [0, 4, 6, 8, 10, 12].map((at, i) => Number(digits.slice(at, at + (i === 0 ? 4 : 2))));
  if (year! < 1950) giveUp();
  const date = new Date(Date.UTC(year!, month! - 1, day, hour, minute, second));
  // Out-of-range parts (month 13, second 60) would roll over; the full decoder judges those.
  if (date.getUTCMonth() !== month! - 1 || date.getUTCDate() !== day || date.getUTCHours() !== hour || date.getUTCMinutes() !== minute || date.getUTCSeconds() !== second) {
    giveUp();
  }
  return `${date.toISOString().slice(0, 19)}Z`;
}

function ipText(bytes: string): string | undefined {
  if (bytes.length === 4) return canonicalIp(Array.from(bytes, (c) => c.charCodeAt(0)).join('.'));
  if (bytes.length === 16) {
    const groups: string[] = [];
    for (let i = 0; i < 16; i += 2) groups.push(((bytes.charCodeAt(i) << 8) | bytes.charCodeAt(i + 1)).toString(16));
    return canonicalIp(groups.join(':'));
  }
  return giveUp();
}

function extensionValue(octets: string): Asn1 {
  let value: Asn1;
  try {
    value = fromDer(forge.util.createBuffer(octets), { strict: true, decodeBitStrings: false, parseAllBytes: true });
  } catch {
    return giveUp();
  }
  // forge is lenient where DER is not: it reads a universal tag 0 as an ordinary value (DER has
  // none: X.690 §8.1.5 uses it only to end indefinite lengths) and takes a constructed encoding
  // of a primitive type (DER encodes only SEQUENCE and SET constructed, X.690 §10.2). The full
  // decoder records such a value as a problem, so it is the full decoder's to judge.
  if (breaksDer(value)) giveUp();
  return value;
}

function breaksDer(n: Asn1): boolean {
  if (n.tagClass === UNIVERSAL) {
    if (n.type === 0) return true;
    if (n.constructed !== (n.type === T.SEQUENCE || n.type === T.SET)) return true;
  }
  return Array.isArray(n.value) && n.value.some(breaksDer);
}

function alternativeNames(octets: string, out: string[]): void {
  const names = constructed(extensionValue(octets), T.SEQUENCE);
  if (names.length === 0) giveUp();
  for (const n of names) {
    if (n.tagClass !== CONTEXT || n.constructed || typeof n.value !== 'string') giveUp();
    const v = n.value;
    // Text names with bytes beyond ASCII are the full decoder's to judge; addresses are bytes.
    if (n.type !== 7 && !isAscii(v)) giveUp();
    let text: string | undefined;
    switch (n.type) {
      case 2: // dNSName
        text = normaliseDomain(v) ?? v.trim().toLowerCase();
        break;
      case 7: // iPAddress
        text = ipText(v);
        break;
      case 1: // rfc822Name
      case 6: // uniformResourceIdentifier
        text = v.trim();
        break;
      default:
        giveUp();
    }
    if (text !== undefined && text !== '') out.push(text);
  }
}

/** The checks of x509-conformance.ts on the SEQUENCE SIZE (1..MAX) extensions. */
function checkListExtension(extnId: string, octets: string): void {
  const items = constructed(extensionValue(octets), T.SEQUENCE);
  if (items.length === 0) giveUp();
  for (const item of items) {
    if (extnId === EXTENDED_KEY_USAGE) {
      if (!OID_TEXT.test(oid(item))) giveUp();
      continue;
    }
    // AccessDescription: an access method and a URI, DNS name or email location.
    const pair = constructed(item, T.SEQUENCE);
    if (pair.length !== 2) giveUp();
    oid(pair[0]);
    const location = pair[1]!;
    if (location.tagClass !== CONTEXT || location.constructed || ![1, 2, 6].includes(location.type) || typeof location.value !== 'string' || !isAscii(location.value)) giveUp();
  }
}

/**
 * The syntax checks of x509-conformance.ts on the extensions it reads against a schema, only as
 * far as plainly conforming values go: anything else is the full decoder's to judge.
 */
function checkSchemaExtension(extnId: string, octets: string): void {
  const value = extensionValue(octets);
  switch (extnId) {
    case BASIC_CONSTRAINTS: {
      // SEQUENCE { cA BOOLEAN DEFAULT FALSE, pathLenConstraint INTEGER (0..MAX) OPTIONAL }
      const parts = constructed(value, T.SEQUENCE);
      let i = 0;
      if (parts[i]?.type === T.BOOLEAN) {
        if (primitive(parts[i], T.BOOLEAN).length !== 1) giveUp();
        i++;
      }
      if (i < parts.length) positiveInteger(parts[i++]);
      if (i !== parts.length) giveUp();
      return;
    }
    case KEY_USAGE: {
      const bits = primitive(value, T.BIT_STRING);
      if (bits.length < 2 || bits.charCodeAt(0) > 7) giveUp();
      return;
    }
    case SUBJECT_KEY_IDENTIFIER:
      primitive(value, T.OCTET_STRING);
      return;
    case AUTHORITY_KEY_IDENTIFIER: {
      // keyIdentifier [0] and authorityCertSerialNumber [2]; authorityCertIssuer [1] is rare.
      let last = -1;
      for (const part of constructed(value, T.SEQUENCE)) {
        if (part.tagClass !== CONTEXT || part.constructed || (part.type !== 0 && part.type !== 2) || part.type <= last) giveUp();
        last = part.type;
      }
      return;
    }
    default:
      giveUp();
  }
}

/**
 * One well-formed value, what every extension value must hold: judged by the full decoder's own
 * reading (x509-conformance.ts oneAsn1Value), since these values are not walked here and forge
 * accepts encodings asn1js refuses (an OID's unfinished last arc, say).
 */
function checkExtensionValue(octets: string): void {
  const bytes = Buffer.from(octets, 'binary');
  // A plain value is one both libraries read (plain-der.ts): nothing to ask them.
  if (isPlainDerValue(bytes)) return;
  checkWellFormed(bytes);
  extensionValue(octets);
}

/** Gives up unless `bytes`, a value outside the plain subset, is one value the full decoder reads. */
function checkWellFormed(bytes: Buffer<ArrayBuffer>): void {
  if (oneAsn1Value(bytes.buffer.slice(bytes.byteOffset, bytes.byteOffset + bytes.byteLength)) !== undefined) giveUp();
}

function extensions(n: Asn1 | undefined, san: string[]): void {
  const wrapper = constructed(n, 3, CONTEXT);
  if (wrapper.length !== 1) giveUp();
  const list = constructed(wrapper[0], T.SEQUENCE);
  const seen = new Set<string>();
  for (const ext of list) {
    const parts = constructed(ext, T.SEQUENCE);
    if (parts.length < 2 || parts.length > 3) giveUp();
    const extnId = oid(parts[0]);
    // A repeated extension is a conformance problem, the full decoder's to record.
    if (seen.has(extnId)) giveUp();
    seen.add(extnId);
    if (parts.length === 3) {
      const critical = primitive(parts[1], T.BOOLEAN);
      if (critical.length !== 1) giveUp();
      // So is a critical extension nobody recognises.
      if (critical !== '\x00' && !isRecognisedExtension(extnId)) giveUp();
    }
    const octets = primitive(parts[parts.length - 1], T.OCTET_STRING);
    if (extnId === SUBJECT_ALT_NAME) alternativeNames(octets, san);
    else if (NON_EMPTY_LIST_EXTENSIONS.has(extnId)) checkListExtension(extnId, octets);
    else if (SCHEMA_CHECKED_EXTENSIONS.has(extnId)) checkSchemaExtension(extnId, octets);
    else checkExtensionValue(octets);
  }
}

function checkPublicKey(spki: Asn1 | undefined): string {
  const [alg, key] = constructed(spki, T.SEQUENCE);
  if (!key || constructed(spki, T.SEQUENCE).length !== 2) giveUp();
  const { oid: keyAlg, params } = algorithm(alg);
  const bits = octetBits(key);
  if (keyAlg === RSA_ENCRYPTION) {
    if (params !== undefined && !(params.tagClass === UNIVERSAL && params.type === T.NULL && params.value === '')) giveUp();
    const rsa = constructed(extensionValue(bits), T.SEQUENCE);
    if (rsa.length !== 2) giveUp();
    // The full decoder accepts a modulus that lost its sign byte; that rarity is left to it.
    positiveInteger(rsa[0]);
    positiveInteger(rsa[1]);
  } else if (keyAlg === EC_PUBLIC_KEY && params !== undefined) {
    if (WEAK_CURVES.has(oid(params))) giveUp();
  }
  return keyAlg;
}

/** The outer TLV's total length, when its length is definite and fits four bytes. */
function outerLength(input: Uint8Array): number | undefined {
  if (input.length < 2 || input[0] !== 0x30 || input[1] === 0x80 || input[1]! > 0x84) return undefined;
  const head = byteBuffer(input.subarray(0, Math.min(input.length, 6)));
  head.getByte();
  const before = head.length();
  const length = getBerValueLength(head);
  return length === undefined ? undefined : 1 + (before - head.length()) + length;
}

/**
 * The parts of the certificate at the start of `input` and its length in bytes, or undefined
 * when the full decoder has to read it.
 */
export function fastCertificateParts(input: Uint8Array): { parts: CertificateParts; length: number } | undefined {
  const length = outerLength(input);
  if (length === undefined || length > input.length) return undefined;
  try {
    const bytes = byteBuffer(input.subarray(0, length));
    const root = fromDer(bytes, { strict: true, decodeBitStrings: false, parseAllBytes: true });
    checkTags(root);
    const [tbsNode, outerAlg, signature] = constructed(root, T.SEQUENCE);
    if (constructed(root, T.SEQUENCE).length !== 3) giveUp();
    octetBits(signature);
    const tbs = constructed(tbsNode, T.SEQUENCE);
    if (tbs.length < 7 || tbs.length > 8) giveUp();
    const version = constructed(tbs[0], 0, CONTEXT);
    const versionValue = version.length === 1 ? primitive(version[0], T.INTEGER) : '';
    if (versionValue !== '\x01' && versionValue !== '\x02') giveUp();
    // Negative serials are read (RFC 5280 asks for that); zero padding is the full decoder's.
    const serial = primitive(tbs[1], T.INTEGER);
    if (serial.length === 0 || (serial.length > 1 && serial.charCodeAt(0) === 0 && serial.charCodeAt(1) < 0x80)) giveUp();
    const signatureAlgorithm = algorithm(outerAlg).oid;
    algorithm(tbs[2]);
    // RFC 5280 §4.1.1.2: both algorithm identifiers the same (the full decoder explains why not).
    if (der(outerAlg!) !== der(tbs[2]!)) giveUp();
    const issuer = name(tbs[3]);
    const validity = constructed(tbs[4], T.SEQUENCE);
    if (validity.length !== 2) giveUp();
    const subject = name(tbs[5]);
    const publicKeyAlgorithm = checkPublicKey(tbs[6]);
    const san: string[] = [];
    if (tbs.length === 8) extensions(tbs[7], san);
    return {
      parts: {
        subject,
        issuer,
        serial: bytesOf(serial),
        alternativeNames: san,
        problems: [],
        notBefore: time(validity[0]),
        notAfter: time(validity[1]),
        signatureAlgorithm,
        publicKeyAlgorithm,
        version: versionValue.charCodeAt(0),
      },
      length,
    };
  } catch {
    // NotFast, or forge refusing the encoding: either way the full decoder reads it.
    return undefined;
  }
}

function checkTags(n: Asn1): void {
  if (n.type === HIGH_TAG_FORM) giveUp();
  if (Array.isArray(n.value)) for (const child of n.value) checkTags(child);
}
