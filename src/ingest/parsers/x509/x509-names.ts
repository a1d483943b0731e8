// Names for X.509 things: distinguished names as RFC 4514 text (and back), attribute and
// algorithm OIDs as OpenSSL names, and the `x509.*` field map builder the certificate parsers
// share. Zeek logs DNs and algorithms as OpenSSL prints them, so certificates parsed from DER,
// from Zeek and from certstream all speak OpenSSL's vocabulary and one signature matches all.
import { DN_ATTRIBUTES, type DnAttribute as DnField } from '../../../fields/catalogue.js';
import { normaliseValue } from '../../../fields/normalise.js';
import type { FieldMap } from '../../records.js';

/** One attribute of a name: its type and either decoded text or the BER of a value not decoded. */
export interface DnAttribute {
  readonly oid: string;
  readonly text?: string;
  readonly ber?: Uint8Array;
}

/** A relative distinguished name: usually one attribute, several in a multi-valued RDN. */
export type Rdn = readonly DnAttribute[];

/** A distinguished name in encoding order (country first, usually). */
export type Dn = readonly Rdn[];

// [OID, OpenSSL short name (what RFC 4514 text shows), other names accepted when reading text].
const ATTRIBUTE_TYPES: readonly (readonly [string, string, ...string[]])[] = [
  ['2.5.4.3', 'CN', 'commonName'],
  ['2.5.4.4', 'SN', 'surname'],
  ['2.5.4.5', 'serialNumber'],
  ['2.5.4.6', 'C', 'countryName'],
  ['2.5.4.7', 'L', 'localityName'],
  ['2.5.4.8', 'ST', 'stateOrProvinceName', 'S'],
  ['2.5.4.9', 'street', 'streetAddress'],
  ['2.5.4.10', 'O', 'organizationName'],
  ['2.5.4.11', 'OU', 'organizationalUnitName'],
  ['2.5.4.12', 'title', 'T'],
  ['2.5.4.13', 'description'],
  ['2.5.4.15', 'businessCategory'],
  ['2.5.4.16', 'postalAddress'],
  ['2.5.4.17', 'postalCode'],
  ['2.5.4.18', 'postOfficeBox'],
  ['2.5.4.20', 'telephoneNumber'],
  ['2.5.4.41', 'name'],
  ['2.5.4.42', 'GN', 'givenName', 'G'],
  ['2.5.4.43', 'initials', 'I'],
  ['2.5.4.44', 'generationQualifier'],
  ['2.5.4.45', 'x500UniqueIdentifier'],
  ['2.5.4.46', 'dnQualifier'],
  ['2.5.4.65', 'pseudonym'],
  ['2.5.4.97', 'organizationIdentifier'],
  ['1.2.840.113549.1.9.1', 'emailAddress', 'E', 'email'],
  ['1.2.840.113549.1.9.2', 'unstructuredName'],
  ['1.2.840.113549.1.9.8', 'unstructuredAddress'],
  ['0.9.2342.19200300.100.1.1', 'UID', 'userId'],
  ['0.9.2342.19200300.100.1.25', 'DC', 'domainComponent'],
  ['1.3.6.1.4.1.311.60.2.1.1', 'jurisdictionL', 'jurisdictionLocalityName'],
  ['1.3.6.1.4.1.311.60.2.1.2', 'jurisdictionST', 'jurisdictionStateOrProvinceName'],
  ['1.3.6.1.4.1.311.60.2.1.3', 'jurisdictionC', 'jurisdictionCountryName'],
];

const SHORT_NAME = new Map<string, string>(ATTRIBUTE_TYPES.map(([oid, short]) => [oid, short]));
const OID_BY_NAME = new Map<string, string>(
  ATTRIBUTE_TYPES.flatMap(([oid, ...names]) => names.map((n): [string, string] => [n.toLowerCase(), oid])),
);

const FIELD_OIDS: Readonly<Record<DnField, string>> = {
  common_name: '2.5.4.3',
  organization: '2.5.4.10',
  organizational_unit: '2.5.4.11',
  country: '2.5.4.6',
  state_or_province: '2.5.4.8',
  locality: '2.5.4.7',
  email_address: '1.2.840.113549.1.9.1',
};

export const COMMON_NAME_OID = FIELD_OIDS.common_name;

/** The name RFC 4514 text gives an attribute type: OpenSSL's short name, or the OID. */
export function attributeName(oid: string): string {
  return SHORT_NAME.get(oid) ?? oid;
}

/** The OID an attribute type name (`CN`, `emailAddress`, `2.5.4.3`) stands for, if known. */
export function attributeOid(name: string): string | undefined {
  if (/^\d+(\.\d+)+$/.test(name)) return name;
  return OID_BY_NAME.get(name.toLowerCase());
}

// --- Algorithms -------------------------------------------------------------------------------

// OpenSSL's long names (what `openssl x509 -text` and Zeek print). Unknown OIDs stay dotted.
const SIGNATURE_ALGORITHMS: ReadonlyMap<string, string> = new Map([
  ['1.2.840.113549.1.1.1', 'rsaEncryption'],
  ['1.2.840.113549.1.1.2', 'md2WithRSAEncryption'],
  ['1.2.840.113549.1.1.3', 'md4WithRSAEncryption'],
  ['1.2.840.113549.1.1.4', 'md5WithRSAEncryption'],
  ['1.2.840.113549.1.1.5', 'sha1WithRSAEncryption'],
  ['1.2.840.113549.1.1.10', 'rsassaPss'],
  ['1.2.840.113549.1.1.11', 'sha256WithRSAEncryption'],
  ['1.2.840.113549.1.1.12', 'sha384WithRSAEncryption'],
  ['1.2.840.113549.1.1.13', 'sha512WithRSAEncryption'],
  ['1.2.840.113549.1.1.14', 'sha224WithRSAEncryption'],
  ['1.2.840.113549.1.1.15', 'sha512-224WithRSAEncryption'],
  ['1.2.840.113549.1.1.16', 'sha512-256WithRSAEncryption'],
  ['1.3.14.3.2.3', 'md5WithRSA'],
  ['1.3.14.3.2.13', 'dsaWithSHA'],
  ['1.3.14.3.2.27', 'dsaWithSHA1-old'],
  ['1.3.14.3.2.29', 'sha1WithRSA'],
  ['1.2.840.10040.4.3', 'dsaWithSHA1'],
  ['2.16.840.1.101.3.4.3.1', 'dsa_with_SHA224'],
  ['2.16.840.1.101.3.4.3.2', 'dsa_with_SHA256'],
  ['2.16.840.1.101.3.4.3.3', 'dsa_with_SHA384'],
  ['2.16.840.1.101.3.4.3.4', 'dsa_with_SHA512'],
  ['2.16.840.1.101.3.4.3.9', 'ecdsa_with_SHA3-224'],
  ['2.16.840.1.101.3.4.3.10', 'ecdsa_with_SHA3-256'],
  ['2.16.840.1.101.3.4.3.11', 'ecdsa_with_SHA3-384'],
  ['2.16.840.1.101.3.4.3.12', 'ecdsa_with_SHA3-512'],
  ['2.16.840.1.101.3.4.3.13', 'RSA-SHA3-224'],
  ['2.16.840.1.101.3.4.3.14', 'RSA-SHA3-256'],
  ['2.16.840.1.101.3.4.3.15', 'RSA-SHA3-384'],
  ['2.16.840.1.101.3.4.3.16', 'RSA-SHA3-512'],
  ['2.16.840.1.101.3.4.3.17', 'ML-DSA-44'],
  ['2.16.840.1.101.3.4.3.18', 'ML-DSA-65'],
  ['2.16.840.1.101.3.4.3.19', 'ML-DSA-87'],
  ['1.2.840.10045.4.1', 'ecdsa-with-SHA1'],
  ['1.2.840.10045.4.3.1', 'ecdsa-with-SHA224'],
  ['1.2.840.10045.4.3.2', 'ecdsa-with-SHA256'],
  ['1.2.840.10045.4.3.3', 'ecdsa-with-SHA384'],
  ['1.2.840.10045.4.3.4', 'ecdsa-with-SHA512'],
  ['1.3.101.112', 'ED25519'],
  ['1.3.101.113', 'ED448'],
  ['1.2.156.10197.1.501', 'SM2-with-SM3'],
  ['1.2.643.2.2.3', 'GOST R 34.11-94 with GOST R 34.10-2001'],
  ['1.2.643.7.1.1.3.2', 'GOST R 34.10-2012 with GOST R 34.11-2012 (256 bit)'],
  ['1.2.643.7.1.1.3.3', 'GOST R 34.10-2012 with GOST R 34.11-2012 (512 bit)'],
]);

const PUBLIC_KEY_ALGORITHMS: ReadonlyMap<string, string> = new Map([
  ['1.2.840.113549.1.1.1', 'rsaEncryption'],
  ['1.2.840.113549.1.1.10', 'rsassaPss'],
  ['2.5.8.1.1', 'rsa'],
  ['1.2.840.10045.2.1', 'id-ecPublicKey'],
  ['1.2.840.10040.4.1', 'dsaEncryption'],
  ['1.3.14.3.2.12', 'dsaEncryption-old'],
  ['1.2.840.113549.1.3.1', 'dhKeyAgreement'],
  ['1.2.840.10046.2.1', 'X9.42 DH'],
  ['1.3.101.110', 'X25519'],
  ['1.3.101.111', 'X448'],
  ['1.3.101.112', 'ED25519'],
  ['1.3.101.113', 'ED448'],
  ['1.3.132.1.12', 'id-ecDH'],
  ['1.2.156.10197.1.301', 'sm2'],
  ['1.2.643.2.2.19', 'GOST R 34.10-2001'],
  ['1.2.643.7.1.1.1.1', 'GOST R 34.10-2012 with 256 bit modulus'],
  ['1.2.643.7.1.1.1.2', 'GOST R 34.10-2012 with 512 bit modulus'],
  ['2.16.840.1.101.3.4.3.17', 'ML-DSA-44'],
  ['2.16.840.1.101.3.4.3.18', 'ML-DSA-65'],
  ['2.16.840.1.101.3.4.3.19', 'ML-DSA-87'],
]);

/** `x509.signature_algorithm` for an OID: OpenSSL's name, or the OID when OpenSSL has none. */
export function signatureAlgorithmName(oid: string): string {
  return SIGNATURE_ALGORITHMS.get(oid) ?? oid;
}

/** `x509.public_key_algorithm` for an OID: OpenSSL's name, or the OID. */
export function publicKeyAlgorithmName(oid: string): string {
  return PUBLIC_KEY_ALGORITHMS.get(oid) ?? oid;
}

// --- RFC 4514 text ----------------------------------------------------------------------------

function hexUpper(bytes: Uint8Array): string {
  return Buffer.from(bytes).toString('hex').toUpperCase();
}

function escapeValue(text: string): string {
  let out = '';
  const chars = [...text];
  chars.forEach((ch, i) => {
    const code = ch.codePointAt(0)!;
    if (',+"\\<>;'.includes(ch)) out += `\\${ch}`;
    else if ((ch === '#' || ch === ' ') && i === 0) out += `\\${ch}`;
    else if (ch === ' ' && i === chars.length - 1) out += '\\ ';
    // Control characters (a NUL in a CN is an attack, not a typo) are shown, not swallowed.
    else if (code < 0x20 || code === 0x7f) out += `\\${code.toString(16).toUpperCase().padStart(2, '0')}`;
    else out += ch;
  });
  return out;
}

/**
 * RFC 4514 text of a DN, as OpenSSL's RFC 2253 mode prints it (and so as Zeek logs it): last RDN
 * first, `,` between RDNs, `+` inside one, OpenSSL's short names, `#hex` for values that are not
 * decoded strings. Non-ASCII characters stay as they are (RFC 4514 allows UTF-8) so that
 * patterns on names in any script work.
 */
export function renderDn(dn: Dn): string {
  return [...dn]
    .reverse()
    .map((rdn) =>
      rdn
        .map((a) => {
          const type = attributeName(a.oid);
          const value = a.text !== undefined ? escapeValue(a.text) : `#${hexUpper(a.ber ?? new Uint8Array(0))}`;
          return `${type}=${value}`;
        })
        .join('+'),
    )
    .join(',');
}

const HEX_PAIR = /^[0-9A-Fa-f]{2}$/;

/**
 * Reads DN text: RFC 4514 / OpenSSL RFC 2253 (`reversed`, as Zeek logs it) or a forward list
 * (Node's multi-line subject, joined). Escapes `\,` and `\C3\A9` (UTF-8 bytes) are undone,
 * `#hex` values are kept as BER. Returns the DN in encoding order, or undefined when the text is
 * not a DN.
 */
export function parseDnText(text: string, order: 'reversed' | 'forward'): Dn | undefined {
  const separators = ',;';
  const rdns: DnAttribute[][] = [];
  let current: DnAttribute[] = [];
  let i = 0;
  const n = text.length;
  if (text.trim() === '') return [];
  while (i < n) {
    while (i < n && text[i] === ' ') i++;
    const eq = text.indexOf('=', i);
    if (eq < 0) return undefined;
    const typeName = text.slice(i, eq).trim();
    const oid = attributeOid(typeName);
    if (oid === undefined) return undefined;
    i = eq + 1;
    const bytes: number[] = [];
    let lastSignificant = 0;
    let ended: string | undefined;
    const pushText = (s: string): void => {
      for (const b of Buffer.from(s, 'utf8')) bytes.push(b);
    };
    if (text[i] === '#') {
      let j = i + 1;
      while (j < n && /[0-9A-Fa-f]/.test(text[j]!)) j++;
      const hex = text.slice(i + 1, j);
      if (hex.length % 2 !== 0) return undefined;
      current.push({ oid, ber: Uint8Array.from(Buffer.from(hex, 'hex')) });
      i = j;
      while (i < n && text[i] === ' ') i++;
      if (i < n) {
        ended = text[i];
        if (ended !== '+' && !separators.includes(ended!)) return undefined;
        i++;
      }
    } else {
      while (i < n) {
        const ch = text[i]!;
        if (ch === '\\' && i + 1 < n) {
          const pair = text.slice(i + 1, i + 3);
          if (HEX_PAIR.test(pair)) {
            bytes.push(parseInt(pair, 16));
            i += 3;
          } else {
            const cp = text.codePointAt(i + 1)!;
            pushText(String.fromCodePoint(cp));
            i += cp > 0xffff ? 3 : 2;
          }
          lastSignificant = bytes.length;
          continue;
        }
        if (ch === '+' || separators.includes(ch)) {
          ended = ch;
          i++;
          break;
        }
        const cp = text.codePointAt(i)!;
        pushText(String.fromCodePoint(cp));
        if (ch !== ' ') lastSignificant = bytes.length;
        i += cp > 0xffff ? 2 : 1;
      }
      // Unescaped trailing spaces separate, they do not belong to the value.
      const value = Buffer.from(bytes.slice(0, lastSignificant)).toString('utf8');
      current.push({ oid, text: value });
    }
    if (ended !== '+') {
      rdns.push(current);
      current = [];
    }
  }
  if (current.length > 0) rdns.push(current);
  return order === 'reversed' ? rdns.reverse() : rdns;
}

// --- Fields -----------------------------------------------------------------------------------

/** Builds a FieldMap: values normalised as fields.md says, empty ones dropped, duplicates once. */
export class FieldBuilder {
  private readonly fields = new Map<string, Set<string>>();

  add(field: string, value: string | undefined): void {
    if (value === undefined) return;
    const normal = normaliseValue(field, value);
    if (normal === undefined) return;
    let set = this.fields.get(field);
    if (!set) {
      set = new Set();
      this.fields.set(field, set);
    }
    set.add(normal);
  }

  /** The values so far of one field. */
  get(field: string): readonly string[] {
    return [...(this.fields.get(field) ?? [])];
  }

  toFieldMap(): FieldMap {
    const out: FieldMap = {};
    for (const [name, values] of this.fields) if (values.size > 0) out[name] = [...values];
    return out;
  }
}

/** Adds `x509.<which>.*` (the attribute fields and the DN text) for a DN. */
export function addDnFields(builder: FieldBuilder, which: 'subject' | 'issuer', dn: Dn): void {
  for (const attribute of DN_ATTRIBUTES) {
    const oid = FIELD_OIDS[attribute];
    for (const rdn of dn) for (const a of rdn) if (a.oid === oid) builder.add(`x509.${which}.${attribute}`, a.text);
  }
  builder.add(`x509.${which}.distinguished_name`, renderDn(dn));
}

/** Whether a DN has an attribute of a wanted field type whose value was not decoded to text. */
export function hasUndecodedFieldValue(dn: Dn): boolean {
  const wanted = new Set(Object.values(FIELD_OIDS));
  return dn.some((rdn) => rdn.some((a) => a.text === undefined && wanted.has(a.oid)));
}

/** Epoch seconds (number or decimal text) as ISO 8601 UTC, or undefined when not a time. */
export function epochToIso(epoch: number | string | undefined): string | undefined {
  if (epoch === undefined) return undefined;
  const seconds = typeof epoch === 'number' ? epoch : /^-?\d+(\.\d+)?$/.test(epoch.trim()) ? Number(epoch) : NaN;
  if (!Number.isFinite(seconds)) return undefined;
  const ms = Math.floor(seconds) * 1000;
  // Years 0-9999 only: the ISO form has four year digits.
  if (ms < -62167219200000 || ms > 253402300799000) return undefined;
  return `${new Date(ms).toISOString().slice(0, 19)}Z`;
}

/** The lower-case hex of a fingerprint written with or without colons, if it has `bytes` bytes. */
export function fingerprintHex(text: string | undefined, bytes: 20 | 32): string | undefined {
  if (text === undefined) return undefined;
  const bare = text.trim().replace(/:/g, '').toLowerCase();
  return bare.length === bytes * 2 && /^[0-9a-f]+$/.test(bare) ? bare : undefined;
}
