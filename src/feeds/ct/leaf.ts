// The CT log entry structures, decoded exactly as specified:
//
// RFC 6962 §3.4 (leaf_input of get-entries):
//   struct { Version version (=v1, 0); MerkleLeafType leaf_type (=timestamped_entry, 0);
//            TimestampedEntry timestamped_entry; } MerkleTreeLeaf;
//   struct { uint64 timestamp; LogEntryType entry_type (uint16);
//            select (entry_type) { case x509_entry (0): ASN.1Cert;            // <1..2^24-1>
//                                  case precert_entry (1): PreCert; } signed_entry;
//            CtExtensions extensions; } TimestampedEntry;                     // <0..2^16-1>
//   struct { opaque issuer_key_hash[32]; TBSCertificate tbs_certificate; } PreCert; // tbs <1..2^24-1>
//
// RFC 6962 §4.6 (extra_data of get-entries):
//   x509_entry:    ASN.1Cert certificate_chain<0..2^24-1>;
//   precert_entry: struct { ASN.1Cert pre_certificate; ASN.1Cert precertificate_chain<0..2^24-1>; }
//
// static-ct-api (c2sp.org/static-ct-api, "Log entries"), one per entry of a data tile:
//   struct { TimestampedEntry timestamped_entry;
//            select (entry_type) { case x509_entry: Empty; case precert_entry: ASN.1Cert pre_certificate; };
//            Fingerprint certificate_chain<0..2^16-1>; } TileLeaf;   opaque Fingerprint[32];
// and its CtExtensions: Extension list of { uint8 extension_type; opaque extension_data<0..2^16-1> },
// leaf_index (0) holding a uint40.
import { TlsDecodeError, TlsReader } from './tls-reader.js';

export { TlsDecodeError };

export type TimestampedEntry =
  | {
      readonly type: 'x509';
      /** Milliseconds since the epoch: when the log saw the entry (the SCT's timestamp). */
      readonly timestamp: number;
      /** The logged certificate (DER). */
      readonly certificate: Uint8Array;
      readonly extensions: Uint8Array;
    }
  | {
      readonly type: 'precert';
      readonly timestamp: number;
      /** SHA-256 of the final issuer's SubjectPublicKeyInfo. */
      readonly issuerKeyHash: Uint8Array;
      /** The TBSCertificate the final certificate will be signed over (poison removed; DER). */
      readonly tbsCertificate: Uint8Array;
      readonly extensions: Uint8Array;
    };

export type ExtraData =
  | { readonly type: 'x509'; readonly chain: readonly Uint8Array[] }
  | { readonly type: 'precert'; readonly preCertificate: Uint8Array; readonly chain: readonly Uint8Array[] };

export interface TileLeaf {
  readonly entry: TimestampedEntry;
  /** The pre-certificate (DER) of a precert entry. */
  readonly preCertificate?: Uint8Array;
  /** SHA-256 fingerprints of the submitted chain's issuers (served at `issuer/<hex>`). */
  readonly chainFingerprints: readonly Uint8Array[];
}

/** Reads a TimestampedEntry at the reader's position. */
export function readTimestampedEntry(r: TlsReader): TimestampedEntry {
  const timestamp = r.uint64('timestamp');
  const entryType = r.uint(2, 'entry_type');
  if (entryType === 0) {
    const certificate = r.vector(3, 'x509_entry certificate');
    if (certificate.length === 0) throw new TlsDecodeError('x509_entry certificate is empty');
    return { type: 'x509', timestamp, certificate, extensions: r.vector(2, 'extensions') };
  }
  if (entryType === 1) {
    const issuerKeyHash = r.fixed(32, 'issuer_key_hash');
    const tbsCertificate = r.vector(3, 'precert_entry tbs_certificate');
    if (tbsCertificate.length === 0) throw new TlsDecodeError('precert_entry tbs_certificate is empty');
    return { type: 'precert', timestamp, issuerKeyHash, tbsCertificate, extensions: r.vector(2, 'extensions') };
  }
  throw new TlsDecodeError(`unknown entry_type ${entryType}`);
}

/** A get-entries `leaf_input`: a MerkleTreeLeaf of version v1 holding a timestamped entry. */
export function decodeMerkleTreeLeaf(bytes: Uint8Array): TimestampedEntry {
  const r = new TlsReader(bytes);
  const version = r.uint(1, 'version');
  if (version !== 0) throw new TlsDecodeError(`MerkleTreeLeaf version ${version} (only v1, 0, is defined)`);
  const leafType = r.uint(1, 'leaf_type');
  if (leafType !== 0) throw new TlsDecodeError(`MerkleTreeLeaf leaf_type ${leafType} (only timestamped_entry, 0, is defined)`);
  const entry = readTimestampedEntry(r);
  r.end('MerkleTreeLeaf');
  return entry;
}

function readCertificateList(r: TlsReader, what: string): Uint8Array[] {
  const list = new TlsReader(r.vector(3, what));
  const out: Uint8Array[] = [];
  while (list.remaining > 0) out.push(list.vector(3, `${what} certificate ${out.length}`));
  return out;
}

/** A get-entries `extra_data` for an entry of the given type. */
export function decodeExtraData(type: TimestampedEntry['type'], bytes: Uint8Array): ExtraData {
  const r = new TlsReader(bytes);
  if (type === 'x509') {
    const chain = readCertificateList(r, 'certificate_chain');
    r.end('extra_data');
    return { type, chain };
  }
  const preCertificate = r.vector(3, 'pre_certificate');
  if (preCertificate.length === 0) throw new TlsDecodeError('pre_certificate is empty');
  const chain = readCertificateList(r, 'precertificate_chain');
  r.end('extra_data');
  return { type, preCertificate, chain };
}

/** Reads one static-ct-api TileLeaf at the reader's position (a data tile is a run of them). */
export function readTileLeaf(r: TlsReader): TileLeaf {
  const entry = readTimestampedEntry(r);
  let preCertificate: Uint8Array | undefined;
  if (entry.type === 'precert') {
    preCertificate = r.vector(3, 'pre_certificate');
    if (preCertificate.length === 0) throw new TlsDecodeError('pre_certificate is empty');
  }
  const fingerprints = r.vector(2, 'certificate_chain');
  if (fingerprints.length % 32 !== 0) throw new TlsDecodeError(`certificate_chain of ${fingerprints.length} bytes is not a list of 32-byte fingerprints`);
  const chainFingerprints: Uint8Array[] = [];
  for (let at = 0; at < fingerprints.length; at += 32) chainFingerprints.push(fingerprints.subarray(at, at + 32));
  return preCertificate === undefined ? { entry, chainFingerprints } : { entry, preCertificate, chainFingerprints };
}

/**
 * The static-ct-api `leaf_index` CT extension of an entry, when it has one (every entry of a
 * static-ct-api log does; RFC 6962 logs leave the extensions empty). Undefined also when the
 * extensions are not a well-formed list: RFC 6962 leaves them opaque.
 */
export function leafIndexExtension(extensions: Uint8Array): number | undefined {
  const r = new TlsReader(extensions);
  try {
    while (r.remaining > 0) {
      const type = r.uint(1, 'extension_type');
      const data = r.vector(2, 'extension_data');
      if (type === 0 && data.length === 5) return new TlsReader(data).uint(5, 'leaf_index');
    }
  } catch (e) {
    if (e instanceof TlsDecodeError) return undefined;
    throw e;
  }
  return undefined;
}
