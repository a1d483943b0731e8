// The conformance problems of a decoded certificate: what makes it something no conforming issuer
// produced, each a short stable text with the rule it breaks. They are recorded on the
// certificate as `x509.problems`, never a reason to refuse it: threat infrastructure uses broken
// certificates on purpose, and OpenSSL, Zeek and Censys keep them too. Only a block that is not
// a certificate at all (x509.ts) is refused.
//
// Deliberately NOT problems, because real issuers produced them routinely: negative serial
// numbers (RFC 5280 §4.1.2.2 asks users to "gracefully handle" them) and RSA moduli that lost
// their sign byte, BER indefinite lengths, MD2/MD5 signatures, short RSA keys, odd string
// contents (NULs, bad UTF-8), several CNs, the CT poison extension of precertificates.
//
// x509-fast.ts never records a problem: it hands every certificate that could have one to the
// full decoder, so it must give up on anything a check here could object to.
import { AsnConvert } from '@peculiar/asn1-schema';
import { ECParameters } from '@peculiar/asn1-ecc';
import { RSAPublicKey } from '@peculiar/asn1-rsa';
import * as asn1js from 'asn1js';
import {
  AuthorityInfoAccessSyntax,
  AuthorityKeyIdentifier,
  BasicConstraints,
  ExtendedKeyUsage,
  KeyUsage,
  SubjectInfoAccessSyntax,
  SubjectKeyIdentifier,
  type Certificate,
  type Extension,
  type Name,
} from '@peculiar/asn1-x509';
import { isPlainDerValue } from './plain-der.js';
import { attributeName } from './x509-names.js';

export const RSA_ENCRYPTION = '1.2.840.113549.1.1.1';
export const EC_PUBLIC_KEY = '1.2.840.10045.2.1';

// Named curves shorter than 224 bits: NIST SP 800-131A and the CA/Browser Forum retired them, and
// nothing decodes a key on them to something worth matching (Go and WebCrypto refuse them too).
export const WEAK_CURVES: ReadonlyMap<string, string> = new Map([
  ['1.2.840.10045.3.1.1', 'secp192r1'],
  ['1.2.840.10045.3.1.2', 'prime192v2'],
  ['1.2.840.10045.3.1.3', 'prime192v3'],
  ['1.3.132.0.31', 'secp192k1'],
  ['1.3.132.0.8', 'secp160r1'],
  ['1.3.132.0.9', 'secp160k1'],
  ['1.3.132.0.30', 'secp160r2'],
  ['1.3.132.0.28', 'secp128r1'],
  ['1.3.132.0.29', 'secp128r2'],
  ['1.3.132.0.6', 'secp112r1'],
  ['1.3.132.0.7', 'secp112r2'],
]);

// X.680 §41.4 Table 10. Go's parser also lets '*' and '&' through because real CAs put them in
// PrintableStrings (wildcard CNs above all); '@' (an email address) is not among them.
export const PRINTABLE = /^[A-Za-z0-9 '()+,\-./:=?*&]*$/;

/** A library's error as one short line: problem texts stay short and stable. */
export function errorText(e: unknown): string {
  const text = e instanceof Error ? e.message : String(e);
  return text.split('\n')[0]!.slice(0, 160);
}

/**
 * X.690 §8.3.2 for a positive INTEGER: no zero byte in front of a byte that does not need it.
 * (Negative values are judged by their callers: the sign is the problem there, not padding.)
 */
function integerProblem(bytes: Uint8Array): string | undefined {
  if (bytes.length === 0) return 'has no contents';
  if (bytes.length > 1 && bytes[0] === 0 && bytes[1]! < 0x80) return 'is not minimally encoded (leading zero byte)';
  return undefined;
}

function serialProblem(cert: Certificate): string | undefined {
  const serial = new Uint8Array(cert.tbsCertificate.serialNumber);
  // A negative serial with a redundant 0xFF comes from a CA that forgot the sign byte of a random
  // serial (google-ct's negative_serial.pem): RFC 5280 says to tolerate negative serials, so only
  // zero padding, which no such accident produces, is refused.
  if (serial.length === 0) return 'serial number has no contents';
  if (serial.length > 1 && serial[0] === 0 && serial[1]! < 0x80) {
    return 'serial number is not minimally encoded: leading zero byte (X.690 §8.3.2, DER)';
  }
  return undefined;
}

function publicKeyProblem(cert: Certificate): string | undefined {
  const spki = cert.tbsCertificate.subjectPublicKeyInfo;
  if (spki.algorithm.algorithm === RSA_ENCRYPTION) {
    const params = spki.algorithm.parameters;
    // RFC 3279 §2.3.1: "the parameters field MUST have ASN.1 type NULL". Absent parameters are
    // tolerated: old issuers omitted them and the key itself is unaffected.
    if (params !== null && params !== undefined) {
      const bytes = new Uint8Array(params);
      if (!(bytes.length === 2 && bytes[0] === 0x05 && bytes[1] === 0x00)) {
        return 'RSA public key algorithm parameters must be NULL (RFC 3279 §2.3.1)';
      }
    }
    let key: RSAPublicKey;
    try {
      key = AsnConvert.parse(spki.subjectPublicKey, RSAPublicKey);
    } catch (e) {
      return `RSA public key is malformed: ${errorText(e)}`;
    }
    const modulus = new Uint8Array(key.modulus);
    const exponent = new Uint8Array(key.publicExponent);
    // A modulus without its sign byte reads as negative. When its magnitude is a key size
    // (a multiple of 256 bits) the issuer forgot the byte, as MatrixSSL's sample certificate
    // did, and the key is what it meant; any other negative modulus is not a key.
    if (modulus.length > 0 && modulus[0]! >= 0x80 && (modulus.length * 8) % 256 !== 0) {
      return 'RSA modulus is negative (RFC 3279 §2.3.1)';
    }
    const modulusProblem = integerProblem(modulus);
    if (modulusProblem) return `RSA modulus ${modulusProblem} (X.690 §8.3.2, DER)`;
    if (exponent.length > 0 && exponent[0]! >= 0x80) return 'RSA public exponent is negative (RFC 3279 §2.3.1)';
    const exponentProblem = integerProblem(exponent);
    if (exponentProblem) return `RSA public exponent ${exponentProblem} (X.690 §8.3.2, DER)`;
  }
  if (spki.algorithm.algorithm === EC_PUBLIC_KEY && spki.algorithm.parameters) {
    let curve: string | undefined;
    try {
      curve = AsnConvert.parse(spki.algorithm.parameters, ECParameters).namedCurve;
    } catch (e) {
      return `EC public key parameters are malformed: ${errorText(e)}`;
    }
    const weak = curve === undefined ? undefined : WEAK_CURVES.get(curve);
    if (weak) return `EC public key on ${weak}, a curve shorter than 224 bits (NIST SP 800-131A)`;
  }
  return undefined;
}

function printableProblem(name: Name, which: string): string | undefined {
  for (const rdn of name) {
    for (const atv of rdn) {
      const value = atv.value.printableString;
      if (value !== undefined && !PRINTABLE.test(value)) {
        return `${which} ${attributeName(atv.type)} is a PrintableString with characters PrintableString cannot hold (X.680 §41.4)`;
      }
    }
  }
  return undefined;
}

export const EXTENDED_KEY_USAGE = '2.5.29.37';
export const SUBJECT_ALT_NAME = '2.5.29.17';
export const BASIC_CONSTRAINTS = '2.5.29.19';
export const KEY_USAGE = '2.5.29.15';
export const SUBJECT_KEY_IDENTIFIER = '2.5.29.14';
export const AUTHORITY_KEY_IDENTIFIER = '2.5.29.35';
export const AUTHORITY_INFO_ACCESS = '1.3.6.1.5.5.7.1.1';
export const SUBJECT_INFO_ACCESS = '1.3.6.1.5.5.7.1.11';
/** RFC 6962 §3.1: the critical extension that makes a precertificate; not a problem. */
export const CT_POISON = '1.3.6.1.4.1.11129.2.4.3';

// Extensions by OpenSSL's short name. Every one here is recognised: critical is no problem.
const EXTENSION_NAMES: ReadonlyMap<string, string> = new Map([
  ['2.5.29.9', 'subjectDirectoryAttributes'],
  [SUBJECT_KEY_IDENTIFIER, 'subjectKeyIdentifier'],
  [KEY_USAGE, 'keyUsage'],
  ['2.5.29.16', 'privateKeyUsagePeriod'],
  [SUBJECT_ALT_NAME, 'subjectAltName'],
  ['2.5.29.18', 'issuerAltName'],
  [BASIC_CONSTRAINTS, 'basicConstraints'],
  ['2.5.29.30', 'nameConstraints'],
  ['2.5.29.31', 'crlDistributionPoints'],
  ['2.5.29.32', 'certificatePolicies'],
  ['2.5.29.33', 'policyMappings'],
  [AUTHORITY_KEY_IDENTIFIER, 'authorityKeyIdentifier'],
  ['2.5.29.36', 'policyConstraints'],
  [EXTENDED_KEY_USAGE, 'extendedKeyUsage'],
  ['2.5.29.46', 'freshestCRL'],
  ['2.5.29.54', 'inhibitAnyPolicy'],
  [AUTHORITY_INFO_ACCESS, 'authorityInfoAccess'],
  [SUBJECT_INFO_ACCESS, 'subjectInfoAccess'],
  ['1.3.6.1.5.5.7.1.24', 'tlsFeature'],
  ['1.3.6.1.5.5.7.48.1.5', 'noCheck'],
  ['1.3.6.1.4.1.11129.2.4.2', 'ct_precert_scts'],
  [CT_POISON, 'ct_precert_poison'],
]);

/** Whether a critical extension is one relying parties know (RFC 5280 §4.2); x509-fast.ts asks. */
export function isRecognisedExtension(oid: string): boolean {
  return EXTENSION_NAMES.has(oid);
}

/** `extension OID (name)`, the start of every extension problem. */
export function extensionLabel(oid: string): string {
  const name = EXTENSION_NAMES.get(oid);
  return name === undefined ? `extension ${oid}` : `extension ${oid} (${name})`;
}

// Extensions whose syntax is `SEQUENCE SIZE (1..MAX) OF …`: an empty one is malformed.
const NON_EMPTY_LISTS: ReadonlyMap<string, new () => { length: number }> = new Map<string, new () => { length: number }>([
  [EXTENDED_KEY_USAGE, ExtendedKeyUsage],
  [AUTHORITY_INFO_ACCESS, AuthorityInfoAccessSyntax],
  [SUBJECT_INFO_ACCESS, SubjectInfoAccessSyntax],
]);

export const NON_EMPTY_LIST_EXTENSIONS: ReadonlySet<string> = new Set(NON_EMPTY_LISTS.keys());

// Extensions whose value is read against its RFC 5280 syntax. x509-fast.ts checks each of these
// (or gives up); the others are only required to be one well-formed ASN.1 value.
const SCHEMAS: ReadonlyMap<string, new () => object> = new Map<string, new () => object>([
  [BASIC_CONSTRAINTS, BasicConstraints],
  [KEY_USAGE, KeyUsage],
  [SUBJECT_KEY_IDENTIFIER, SubjectKeyIdentifier],
  [AUTHORITY_KEY_IDENTIFIER, AuthorityKeyIdentifier],
]);

export const SCHEMA_CHECKED_EXTENSIONS: ReadonlySet<string> = new Set(SCHEMAS.keys());

export const OID_TEXT = /^[0-2](\.\d+)+$/;

/** Whether bytes are exactly one BER value (what every extnValue must hold, RFC 5280 §4.1). */
export function oneAsn1Value(bytes: ArrayBuffer): string | undefined {
  if (bytes.byteLength === 0) return 'empty value';
  if (isPlainDerValue(new Uint8Array(bytes))) return undefined;
  const asn = asn1js.fromBER(bytes);
  if (asn.offset === -1) return `malformed: ${asn.result.error || 'undecodable ASN.1'}`;
  if (asn.offset !== bytes.byteLength) return `malformed: ${bytes.byteLength - asn.offset} bytes after the value`;
  return undefined;
}

/** The problem of one extension other than the subject alternative name (x509.ts reads that). */
function extensionProblem(ext: Extension): string | undefined {
  const label = extensionLabel(ext.extnID);
  const structural = oneAsn1Value(ext.extnValue.buffer);
  if (structural) return `${label}: ${structural}`;
  const list = NON_EMPTY_LISTS.get(ext.extnID);
  if (list) {
    let value: { length: number };
    try {
      value = AsnConvert.parse(ext.extnValue, list);
    } catch (e) {
      return `${label}: malformed: ${errorText(e)}`;
    }
    if (value.length === 0) return `${label}: empty (RFC 5280: SEQUENCE SIZE (1..MAX))`;
    if (value instanceof ExtendedKeyUsage && !value.every((oid) => OID_TEXT.test(oid))) {
      return `${label}: holds an empty or invalid OID (RFC 5280 §4.2.1.12)`;
    }
    return undefined;
  }
  const schema = SCHEMAS.get(ext.extnID);
  if (schema) {
    let value: object;
    try {
      value = AsnConvert.parse(ext.extnValue, schema);
    } catch (e) {
      return `${label}: malformed: ${errorText(e)}`;
    }
    if (value instanceof BasicConstraints && value.pathLenConstraint !== undefined && value.pathLenConstraint < 0) {
      return `${label}: negative pathLenConstraint (RFC 5280 §4.2.1.9)`;
    }
  }
  return undefined;
}

/** Duplicates, unknown critical extensions and malformed values, in the certificate's order. */
function extensionProblems(cert: Certificate): string[] {
  const problems: string[] = [];
  const seen = new Set<string>();
  for (const ext of cert.tbsCertificate.extensions ?? []) {
    const label = extensionLabel(ext.extnID);
    if (seen.has(ext.extnID)) problems.push(`${label}: appears more than once (RFC 5280 §4.2)`);
    seen.add(ext.extnID);
    if (ext.critical && !EXTENSION_NAMES.has(ext.extnID)) problems.push(`${label}: critical but not recognised (RFC 5280 §4.2)`);
    if (ext.extnID === SUBJECT_ALT_NAME) continue;
    const problem = extensionProblem(ext);
    if (problem) problems.push(problem);
  }
  return problems;
}

/** Every conformance problem of a decoded certificate (the SAN's are x509.ts's); none is a refusal. */
export function conformanceProblems(cert: Certificate): string[] {
  const problems: string[] = [];
  const add = (problem: string | undefined): void => {
    if (problem !== undefined) problems.push(problem);
  };
  // RFC 5280 §4.1.1.2: the outer signatureAlgorithm "MUST contain the same algorithm identifier
  // as the signature field in the sequence tbsCertificate".
  if (!cert.signatureAlgorithm.isEqual(cert.tbsCertificate.signature)) {
    add('signature algorithm differs from the one in the signed part (RFC 5280 §4.1.1.2)');
  }
  add(serialProblem(cert));
  add(publicKeyProblem(cert));
  add(printableProblem(cert.tbsCertificate.subject, 'subject'));
  add(printableProblem(cert.tbsCertificate.issuer, 'issuer'));
  problems.push(...extensionProblems(cert));
  return problems;
}
