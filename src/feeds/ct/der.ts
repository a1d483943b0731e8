// Just enough DER to compare a precert entry's TBSCertificate with the pre-certificate logged
// beside it (RFC 6962 §3.1): the certificate parsers decode whole certificates into fields, and
// what is needed here is the exact bytes of a few TBSCertificate parts (serial, issuer, subject,
// key, subjectAltName), cheaply, for every precert entry of a log.

export class DerError extends Error {}

export interface Tlv {
  readonly tag: number;
  /** The whole element, header included. */
  readonly bytes: Uint8Array;
  /** Its contents. */
  readonly content: Uint8Array;
}

/** The element starting at `offset` of `buf` (single-byte tags, definite lengths up to 2^32). */
export function readTlv(buf: Uint8Array, offset = 0): Tlv {
  if (offset + 2 > buf.length) throw new DerError('DER element cut short');
  const tag = buf[offset]!;
  if ((tag & 0x1f) === 0x1f) throw new DerError('DER tag in high-tag-number form');
  let length = buf[offset + 1]!;
  let header = 2;
  if (length & 0x80) {
    const n = length & 0x7f;
    if (n === 0 || n > 4) throw new DerError(n === 0 ? 'DER indefinite length' : 'DER length too long');
    if (offset + 2 + n > buf.length) throw new DerError('DER length cut short');
    length = 0;
    for (let i = 0; i < n; i++) length = length * 256 + buf[offset + 2 + i]!;
    header += n;
  }
  const end = offset + header + length;
  if (end > buf.length) throw new DerError('DER element longer than its container');
  return { tag, bytes: buf.subarray(offset, end), content: buf.subarray(offset + header, end) };
}

/** The elements inside a constructed element's contents. */
export function derChildren(content: Uint8Array): Tlv[] {
  const out: Tlv[] = [];
  for (let at = 0; at < content.length; ) {
    const t = readTlv(content, at);
    out.push(t);
    at += t.bytes.length;
  }
  return out;
}

const SEQUENCE = 0x30;
const EXPLICIT_0 = 0xa0;
const EXPLICIT_3 = 0xa3;
const OID = 0x06;
const BOOLEAN = 0x01;

/** OID contents (DER) of the extensions compared. */
const SUBJECT_ALT_NAME_OID = Uint8Array.of(0x55, 0x1d, 0x11); // 2.5.29.17
export const CT_POISON_OID = Uint8Array.of(0x2b, 0x06, 0x01, 0x04, 0x01, 0xd6, 0x79, 0x02, 0x04, 0x03); // 1.3.6.1.4.1.11129.2.4.3

export function sameBytes(a: Uint8Array | undefined, b: Uint8Array | undefined): boolean {
  if (a === undefined || b === undefined) return a === b;
  return a.length === b.length && Buffer.compare(a, b) === 0;
}

export interface TbsParts {
  readonly tbs: Tlv;
  /** The TBSCertificate's own signature AlgorithmIdentifier. */
  readonly signature: Tlv;
  readonly serial: Tlv;
  readonly issuer: Tlv;
  readonly subject: Tlv;
  readonly spki: Tlv;
  /** Each extension: its OID contents and the whole Extension element. */
  readonly extensions: readonly { readonly oid: Uint8Array; readonly element: Tlv; readonly value: Uint8Array }[];
}

/** The parts of a TBSCertificate (RFC 5280 §4.1) given as a whole DER element. */
export function tbsParts(tbsDer: Uint8Array): TbsParts {
  const tbs = readTlv(tbsDer);
  if (tbs.tag !== SEQUENCE || tbs.bytes.length !== tbsDer.length) throw new DerError('TBSCertificate is not one DER SEQUENCE');
  const kids = derChildren(tbs.content);
  let i = kids[0]?.tag === EXPLICIT_0 ? 1 : 0;
  const take = (what: string): Tlv => {
    const k = kids[i++];
    if (k === undefined) throw new DerError(`TBSCertificate has no ${what}`);
    return k;
  };
  const serial = take('serial number');
  const signature = take('signature algorithm');
  const issuer = take('issuer');
  take('validity');
  const subject = take('subject');
  const spki = take('subject public key info');
  const extensions: { oid: Uint8Array; element: Tlv; value: Uint8Array }[] = [];
  for (const k of kids.slice(i)) {
    if (k.tag !== EXPLICIT_3) continue; // issuerUniqueID / subjectUniqueID
    const list = readTlv(k.content);
    for (const ext of derChildren(list.content)) {
      const parts = derChildren(ext.content);
      const oid = parts[0];
      const value = parts[parts[1]?.tag === BOOLEAN ? 2 : 1];
      if (oid?.tag !== OID || value === undefined) throw new DerError('malformed extension');
      extensions.push({ oid: oid.content, element: ext, value: value.content });
    }
  }
  return { tbs, signature, serial, issuer, subject, spki, extensions };
}

/** The TBSCertificate element of a DER certificate. */
export function certificateTbs(certDer: Uint8Array): Uint8Array {
  const cert = readTlv(certDer);
  if (cert.tag !== SEQUENCE) throw new DerError('certificate is not a DER SEQUENCE');
  return readTlv(cert.content).bytes;
}

export function extensionValue(parts: TbsParts, oid: Uint8Array): Uint8Array | undefined {
  return parts.extensions.find((e) => sameBytes(e.oid, oid))?.value;
}

export function subjectAltName(parts: TbsParts): Uint8Array | undefined {
  return extensionValue(parts, SUBJECT_ALT_NAME_OID);
}

function lengthBytes(n: number): number[] {
  if (n < 0x80) return [n];
  const out: number[] = [];
  for (let v = n; v > 0; v = Math.floor(v / 256)) out.unshift(v % 256);
  return [0x80 | out.length, ...out];
}

/** One DER element from its tag and contents. */
export function derElement(tag: number, ...contents: readonly Uint8Array[]): Uint8Array {
  const body = Buffer.concat(contents);
  return Buffer.concat([Uint8Array.of(tag, ...lengthBytes(body.length)), body]);
}

/**
 * A TBSCertificate wrapped as a Certificate with an empty signature, so the certificate parsers
 * can read its fields (issuer and serial in their usual text). Its fingerprints are not any real
 * certificate's: it is never stored.
 */
export function wrapTbs(parts: TbsParts): Uint8Array {
  return derElement(SEQUENCE, parts.tbs.bytes, parts.signature.bytes, Uint8Array.of(0x03, 0x01, 0x00));
}
