// Which decodable certificates are still refused. The ASN.1 library decodes far more than a
// conforming certificate: certificate-transparency-go's `x509/testdata/invalid/` corpus decodes
// almost entirely. Each check below refuses one kind of malformation that makes the certificate
// something no conforming issuer produced, with the rule it breaks in the message.
//
// Deliberately NOT refused, because real issuers produced them and analysts want to see them:
// negative serial numbers (RFC 5280 §4.1.2.2 asks users to "gracefully handle" them) and RSA
// moduli that lost their sign byte, BER
// indefinite lengths, MD2/MD5 signatures, short RSA keys, odd string contents (NULs, bad UTF-8),
// several CNs.
import { AsnConvert } from '@peculiar/asn1-schema';
import { ECParameters } from '@peculiar/asn1-ecc';
import { RSAPublicKey } from '@peculiar/asn1-rsa';
import {
  AuthorityInfoAccessSyntax,
  ExtendedKeyUsage,
  SubjectInfoAccessSyntax,
  type Certificate,
  type Name,
} from '@peculiar/asn1-x509';
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

function errorText(e: unknown): string {
  return e instanceof Error ? e.message : String(e);
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

// Extensions whose syntax is `SEQUENCE SIZE (1..MAX) OF …`: an empty one is malformed.
const NON_EMPTY_LISTS: readonly (readonly [string, string, new () => { length: number }])[] = [
  [EXTENDED_KEY_USAGE, 'extended key usage', ExtendedKeyUsage],
  ['1.3.6.1.5.5.7.1.1', 'authority information access', AuthorityInfoAccessSyntax],
  ['1.3.6.1.5.5.7.1.11', 'subject information access', SubjectInfoAccessSyntax],
];

export const NON_EMPTY_LIST_EXTENSIONS: ReadonlySet<string> = new Set(NON_EMPTY_LISTS.map(([oid]) => oid));

export const OID_TEXT = /^[0-2](\.\d+)+$/;

function extensionProblem(cert: Certificate): string | undefined {
  for (const ext of cert.tbsCertificate.extensions ?? []) {
    const list = NON_EMPTY_LISTS.find(([oid]) => oid === ext.extnID);
    if (!list) continue;
    const [, label, type] = list;
    if (ext.extnValue.byteLength === 0) return `${label} extension has an empty value`;
    let value: { length: number };
    try {
      value = AsnConvert.parse(ext.extnValue, type);
    } catch (e) {
      return `${label} extension is malformed: ${errorText(e)}`;
    }
    if (value.length === 0) return `${label} extension is empty (RFC 5280: SEQUENCE SIZE (1..MAX))`;
    if (value instanceof ExtendedKeyUsage && !value.every((oid) => OID_TEXT.test(oid))) {
      return `${label} extension holds an empty or invalid OID (RFC 5280 §4.2.1.12)`;
    }
  }
  return undefined;
}

/** Why a decoded certificate is not acceptable, or undefined when it is. */
export function conformanceProblem(cert: Certificate): string | undefined {
  // RFC 5280 §4.1.1.2: the outer signatureAlgorithm "MUST contain the same algorithm identifier
  // as the signature field in the sequence tbsCertificate".
  if (!cert.signatureAlgorithm.isEqual(cert.tbsCertificate.signature)) {
    return 'signature algorithm differs from the one in the signed part (RFC 5280 §4.1.1.2)';
  }
  return (
    serialProblem(cert) ??
    publicKeyProblem(cert) ??
    printableProblem(cert.tbsCertificate.subject, 'subject') ??
    printableProblem(cert.tbsCertificate.issuer, 'issuer') ??
    extensionProblem(cert)
  );
}
