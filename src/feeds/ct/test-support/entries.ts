// CT log entries built from certificates, byte for byte as a log lays them out (leaf.ts quotes
// the structures): an RFC 6962 MerkleTreeLeaf and extra_data, and a static-ct-api TileLeaf.
//
// A precert entry's TBSCertificate is the pre-certificate's with the poison extension removed
// (RFC 6962 §3.2), and, for a pre-certificate from a Precertificate Signing Certificate, its
// issuer replaced by the final CA's (`tbsIssuer`). issuer_key_hash is SHA-256 of the first chain
// certificate's key (the issuer), or 32 zero bytes when no chain is given (nothing reads it).
import { createHash } from 'node:crypto';
import { CT_POISON_OID, derChildren, derElement, readTlv, sameBytes, tbsParts, certificateTbs } from '../der.js';

export type CtEntrySpec =
  | {
      readonly type: 'x509';
      readonly certificate: Uint8Array;
      readonly chain?: readonly Uint8Array[];
      /** ms since the epoch. */
      readonly timestamp: number;
    }
  | {
      readonly type: 'precert';
      readonly preCertificate: Uint8Array;
      readonly chain?: readonly Uint8Array[];
      readonly timestamp: number;
      /** The final CA's Name (DER) to put in the TBSCertificate in place of the pre-certificate's issuer. */
      readonly tbsIssuer?: Uint8Array;
    };

function uint(value: number, size: number): Buffer {
  const b = Buffer.alloc(size);
  let v = value;
  for (let i = size - 1; i >= 0; i--) {
    b[i] = v % 256;
    v = Math.floor(v / 256);
  }
  return b;
}

function vector(bytes: Uint8Array, lengthBytes: number): Buffer {
  return Buffer.concat([uint(bytes.length, lengthBytes), bytes]);
}

/** The TBSCertificate a log signs for a pre-certificate: poison removed, issuer optionally replaced. */
export function precertTbs(preCertificate: Uint8Array, tbsIssuer?: Uint8Array): Buffer {
  const tbs = readTlv(certificateTbs(preCertificate));
  const kids = derChildren(tbs.content);
  const issuerAt = (kids[0]?.tag === 0xa0 ? 1 : 0) + 2;
  const out = kids.map((k, i) => {
    if (i === issuerAt && tbsIssuer !== undefined) return tbsIssuer;
    if (k.tag !== 0xa3) return k.bytes;
    const exts = derChildren(readTlv(k.content).content).filter((e) => !sameBytes(derChildren(e.content)[0]?.content, CT_POISON_OID));
    return derElement(0xa3, derElement(0x30, ...exts.map((e) => e.bytes)));
  });
  return Buffer.from(derElement(0x30, ...out));
}

function issuerKeyHash(chain: readonly Uint8Array[] | undefined): Buffer {
  const issuer = chain?.[0];
  if (issuer === undefined) return Buffer.alloc(32);
  return createHash('sha256').update(tbsParts(certificateTbs(issuer)).spki.bytes).digest();
}

/** The TimestampedEntry of an entry, with the given CT extensions (RFC 6962 logs: none). */
export function timestampedEntry(spec: CtEntrySpec, extensions: Uint8Array = new Uint8Array(0)): Buffer {
  const head = Buffer.concat([uint(spec.timestamp, 8), uint(spec.type === 'x509' ? 0 : 1, 2)]);
  const signed =
    spec.type === 'x509'
      ? vector(spec.certificate, 3)
      : Buffer.concat([issuerKeyHash(spec.chain), vector(precertTbs(spec.preCertificate, spec.tbsIssuer), 3)]);
  return Buffer.concat([head, signed, vector(extensions, 2)]);
}

/** get-entries `leaf_input`: MerkleTreeLeaf v1, timestamped_entry. */
export function merkleTreeLeaf(spec: CtEntrySpec): Buffer {
  return Buffer.concat([Uint8Array.of(0, 0), timestampedEntry(spec)]);
}

/** get-entries `extra_data`. */
export function extraData(spec: CtEntrySpec): Buffer {
  const chain = vector(Buffer.concat((spec.chain ?? []).map((c) => vector(c, 3))), 3);
  return spec.type === 'x509' ? chain : Buffer.concat([vector(spec.preCertificate, 3), chain]);
}

/** The static-ct-api leaf_index extension. */
export function leafIndexExtensions(index: number): Buffer {
  return Buffer.concat([Uint8Array.of(0), vector(uint(index, 5), 2)]);
}

/** A static-ct-api TileLeaf for entry `index`. */
export function tileLeaf(spec: CtEntrySpec, index: number): Buffer {
  const fingerprints = Buffer.concat((spec.chain ?? []).map((c) => createHash('sha256').update(c).digest()));
  return Buffer.concat([
    timestampedEntry(spec, leafIndexExtensions(index)),
    spec.type === 'precert' ? vector(spec.preCertificate, 3) : Buffer.alloc(0),
    vector(fingerprints, 2),
  ]);
}
