// Decoding CT entries (RFC 6962 MerkleTreeLeaf + extra_data, static-ct-api TileLeaf) built from
// the real certificates of ../shared/data/certs, and the records each entry gives.
import { createHash } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { certificateFromDer } from '../../ingest/parsers/x509/x509.js';
import type { CertificateRecord, IngestRecord } from '../../ingest/records.js';
import { issuerSerialRef } from '../../ingest/records.js';
import { certificateTbs, CT_POISON_OID, tbsParts, wrapTbs } from './der.js';
import { ctEntryRecords, ctObservationSource, ctTime } from './entry-records.js';
import { decodeExtraData, decodeMerkleTreeLeaf, leafIndexExtension, readTileLeaf } from './leaf.js';
import { extraData, merkleTreeLeaf, precertTbs, tileLeaf, type CtEntrySpec } from './test-support/entries.js';
import { CT_EPOCH, haveCtCertificates, realLeaves, realPrecerts } from './test-support/real-certs.js';
import { TlsReader } from './tls-reader.js';

const sha256 = (b: Uint8Array): string => createHash('sha256').update(b).digest('hex');
const SOURCE = 'ct:log.example/2024';

function certificate(records: readonly IngestRecord[]): CertificateRecord {
  const certs = records.filter((r): r is CertificateRecord => r.kind === 'certificate');
  expect(certs).toHaveLength(1);
  return certs[0]!;
}

function outcome(spec: CtEntrySpec): ReturnType<typeof ctEntryRecords> {
  const entry = decodeMerkleTreeLeaf(merkleTreeLeaf(spec));
  const extra = decodeExtraData(entry.type, extraData(spec));
  return ctEntryRecords(entry, extra.type === 'precert' ? extra.preCertificate : undefined, SOURCE);
}

function records(spec: CtEntrySpec): IngestRecord[] {
  const o = outcome(spec);
  if ('error' in o) throw new Error(o.error);
  return o.records;
}

describe('entry times and sources', () => {
  it('a CT timestamp (ms) is an ISO second; a log URL is its host and path', () => {
    expect(ctTime(CT_EPOCH + 1999)).toBe('2024-01-01T00:00:01Z');
    expect(ctTime(9e15)).toBeUndefined();
    expect(ctObservationSource('https://ct.googleapis.com/logs/us1/argon2025h1/')).toBe('ct:ct.googleapis.com/logs/us1/argon2025h1');
    expect(ctObservationSource('http://127.0.0.1:8080/')).toBe('ct:127.0.0.1:8080');
  });
});

describe.skipIf(!haveCtCertificates())('x509_entry leaves of real certificates', () => {
  it('decodes the MerkleTreeLeaf, its chain, and gives the certificate with its names and SHA-256', () => {
    for (const [i, leaf] of realLeaves().entries()) {
      const spec: CtEntrySpec = { type: 'x509', certificate: leaf.der, chain: leaf.chain, timestamp: CT_EPOCH + i * 1000 };
      const entry = decodeMerkleTreeLeaf(merkleTreeLeaf(spec));
      expect(entry.type).toBe('x509');
      expect(entry.timestamp).toBe(CT_EPOCH + i * 1000);
      expect(Buffer.from(entry.type === 'x509' ? entry.certificate : []).equals(leaf.der)).toBe(true);
      const extra = decodeExtraData('x509', extraData(spec));
      expect(extra.chain.map((c) => sha256(c))).toEqual(leaf.chain.map((c) => sha256(c)));

      const cert = certificate(records(spec));
      expect(cert.sha256).toBe(sha256(leaf.der));
      expect(cert.observation).toEqual({ source: SOURCE, firstSeen: ctTime(CT_EPOCH + i * 1000), lastSeen: ctTime(CT_EPOCH + i * 1000) });
    }
  });

  it('names are the certificate’s (SAN and CN)', () => {
    const byFile = new Map(realLeaves().map((l) => [l.file.split('/').at(-1)!, l]));
    const names = (file: string): string[] => {
      const cert = certificate(records({ type: 'x509', certificate: byFile.get(file)!.der, timestamp: CT_EPOCH }));
      return [...(cert.fields['x509.subject.common_name'] ?? []), ...(cert.fields['x509.alternative_names'] ?? [])];
    };
    expect(names('google_chain.pem')).toEqual(['www.google.com', 'www.google.com']);
    expect(names('domain_in_o_component.pem')).toEqual(['go-greenevents.com', 'go-greenevents.com', 'www.go-greenevents.com']);
    expect(names('domain_in_issuer.pem')).toEqual(['*.abc.net.au', '*.abc.net.au', 'abc.net.au']);
  });
});

describe.skipIf(!haveCtCertificates())('precert_entry leaves of real pre-certificates', () => {
  it('decodes the PreCert (issuer key hash, TBSCertificate without poison) and the PrecertChainEntry', () => {
    const [hammer] = realPrecerts();
    const spec: CtEntrySpec = { type: 'precert', preCertificate: hammer!.der, chain: hammer!.chain, timestamp: CT_EPOCH };
    const entry = decodeMerkleTreeLeaf(merkleTreeLeaf(spec));
    if (entry.type !== 'precert') throw new Error('not a precert entry');
    const issuerSpki = tbsParts(certificateTbs(hammer!.chain[0]!)).spki.bytes;
    expect(Buffer.from(entry.issuerKeyHash).toString('hex')).toBe(sha256(issuerSpki));
    expect(Buffer.from(entry.tbsCertificate).includes(Buffer.from(CT_POISON_OID))).toBe(false);
    expect(Buffer.from(certificateTbs(hammer!.der)).includes(Buffer.from(CT_POISON_OID))).toBe(true);
    const extra = decodeExtraData('precert', extraData(spec));
    if (extra.type !== 'precert') throw new Error('not a PrecertChainEntry');
    expect(Buffer.from(extra.preCertificate).equals(hammer!.der)).toBe(true);
    expect(extra.chain.map(sha256)).toEqual(hammer!.chain.map(sha256));
  });

  it('gives the pre-certificate (its SHA-256) with the names of the entry’s TBSCertificate', () => {
    for (const pre of realPrecerts()) {
      const spec: CtEntrySpec = { type: 'precert', preCertificate: pre.der, chain: pre.chain, timestamp: CT_EPOCH };
      const got = records(spec);
      expect(got).toHaveLength(1); // no Precertificate Signing Certificate here: no extra key
      const cert = certificate(got);
      expect(cert.sha256).toBe(sha256(pre.der));
      // The names the TBSCertificate itself carries, read on their own.
      const fromTbs = certificateFromDer(wrapTbs(tbsParts(precertTbs(pre.der))), { source: 'tbs' });
      if ('error' in fromTbs) throw new Error(fromTbs.error);
      for (const f of ['x509.subject.common_name', 'x509.alternative_names', 'x509.serial_number', 'x509.issuer.distinguished_name']) {
        expect(cert.fields[f], `${pre.file} ${f}`).toEqual(fromTbs.fields[f]);
      }
    }
    const hammer = certificate(records({ type: 'precert', preCertificate: realPrecerts()[0]!.der, timestamp: CT_EPOCH }));
    expect(hammer.fields['x509.alternative_names']).toEqual(['flowers-to-the-world.com']);
  });

  it('a pre-certificate from a Precertificate Signing Certificate is keyed by the final CA’s issuer and serial too', () => {
    const [hammer] = realPrecerts();
    // The final CA: the intermediate's issuer (Merge Delay Monitor Root), as the TBSCertificate's issuer.
    const finalCa = tbsParts(certificateTbs(hammer!.chain[0]!)).issuer.bytes;
    const got = records({ type: 'precert', preCertificate: hammer!.der, chain: hammer!.chain, timestamp: CT_EPOCH, tbsIssuer: finalCa });
    const cert = certificate(got);
    const intermediate = certificateFromDer(hammer!.chain[0]!, { source: 'x' });
    if ('error' in intermediate) throw new Error(intermediate.error);
    const finalFields = { 'x509.issuer.distinguished_name': intermediate.fields['x509.issuer.distinguished_name']!, 'x509.serial_number': cert.fields['x509.serial_number']! };
    expect(got[1]).toEqual({ kind: 'certificate-ref', ref: issuerSerialRef(finalFields), sha256: cert.sha256, source: SOURCE });
    expect(issuerSerialRef(finalFields)).toBe('issuer-serial:570D298DDF34B|CN=Merge Delay Monitor Root,OU=Certificate Transparency,O=Google UK Ltd.,ST=London,C=GB');
  });

  it('a pre-certificate that is not the TBSCertificate’s is refused, naming what differs', () => {
    const [hammer, subleaf] = realPrecerts();
    const entry = decodeMerkleTreeLeaf(merkleTreeLeaf({ type: 'precert', preCertificate: hammer!.der, timestamp: CT_EPOCH }));
    expect(ctEntryRecords(entry, subleaf!.der, SOURCE)).toEqual({ error: "the pre-certificate is not the one the entry's TBSCertificate was made from (serial numbers differ)" });
    expect(ctEntryRecords(entry, undefined, SOURCE)).toEqual({ error: 'precert entry without its pre-certificate' });
    expect(ctEntryRecords(entry, Buffer.from('not DER'), SOURCE)).toMatchObject({ error: expect.stringMatching(/^pre-certificate: /) as unknown });
  });
});

describe('corrupt leaves are refused with a reason', () => {
  const leaf = (bytes: number[]): Uint8Array => Uint8Array.from(bytes);
  const ts = [0, 0, 1, 0x8c, 0xc2, 0x4a, 0xc0, 0x00];
  it.each([
    ['a version other than v1', leaf([1, 0, ...ts, 0, 0, 0, 0, 1, 0x30, 0, 0]), /version 1/],
    ['a leaf type other than timestamped_entry', leaf([0, 1, ...ts]), /leaf_type 1/],
    ['an unknown entry type', leaf([0, 0, ...ts, 0, 2, 0, 0, 0]), /unknown entry_type 2/],
    ['a certificate longer than the leaf', leaf([0, 0, ...ts, 0, 0, 0, 0, 9, 0x30]), /x509_entry certificate: needs 9 bytes, 1 left/],
    ['an empty certificate', leaf([0, 0, ...ts, 0, 0, 0, 0, 0, 0, 0]), /certificate is empty/],
    ['bytes after the extensions', leaf([0, 0, ...ts, 0, 0, 0, 0, 1, 0x30, 0, 0, 7]), /1 bytes of unexpected data/],
    ['a cut timestamp', leaf([0, 0, 0, 0]), /timestamp: needs 8 bytes, 2 left/],
  ])('%s', (_what, bytes, message) => {
    expect(() => decodeMerkleTreeLeaf(bytes)).toThrow(message);
  });

  it('a well-framed entry whose certificate does not decode gives its reason', () => {
    const entry = decodeMerkleTreeLeaf(merkleTreeLeaf({ type: 'x509', certificate: Buffer.from('no certificate'), timestamp: CT_EPOCH }));
    expect(ctEntryRecords(entry, undefined, SOURCE)).toMatchObject({ error: expect.stringMatching(/^certificate: /) as unknown });
  });

  it('extra_data that is cut short', () => {
    expect(() => decodeExtraData('precert', Uint8Array.from([0, 0, 5, 1]))).toThrow(/pre_certificate: needs 5 bytes/);
    expect(() => decodeExtraData('x509', Uint8Array.from([0, 0, 9, 0, 0, 1]))).toThrow(/certificate_chain: needs 9 bytes, 3 left/);
    expect(() => decodeExtraData('x509', Uint8Array.from([0, 0, 4, 0, 0, 9, 1]))).toThrow(/certificate_chain certificate 0: needs 9 bytes, 1 left/);
  });
});

describe.skipIf(!haveCtCertificates())('static-ct-api TileLeaf', () => {
  it('reads x509 and precert TileLeafs one after another, with their leaf index and chain fingerprints', () => {
    const [leaf] = realLeaves();
    const [pre] = realPrecerts();
    const specs: CtEntrySpec[] = [
      { type: 'x509', certificate: leaf!.der, chain: leaf!.chain, timestamp: CT_EPOCH },
      { type: 'precert', preCertificate: pre!.der, chain: pre!.chain, timestamp: CT_EPOCH + 1000 },
    ];
    const r = new TlsReader(Buffer.concat(specs.map((s, i) => tileLeaf(s, 700 + i))));
    const a = readTileLeaf(r);
    const b = readTileLeaf(r);
    expect(r.remaining).toBe(0);
    expect(a.entry.type).toBe('x509');
    expect(a.preCertificate).toBeUndefined();
    expect(a.chainFingerprints.map((f) => Buffer.from(f).toString('hex'))).toEqual(leaf!.chain.map(sha256));
    expect(leafIndexExtension(a.entry.extensions)).toBe(700);
    expect(b.entry.type).toBe('precert');
    expect(Buffer.from(b.preCertificate!).equals(pre!.der)).toBe(true);
    expect(leafIndexExtension(b.entry.extensions)).toBe(701);
    const cert = certificate((ctEntryRecords(b.entry, b.preCertificate, SOURCE) as { records: IngestRecord[] }).records);
    expect(cert.sha256).toBe(sha256(pre!.der));
  });

  it('a certificate_chain that is not whole fingerprints is refused', () => {
    const [leaf] = realLeaves();
    const good = tileLeaf({ type: 'x509', certificate: leaf!.der, timestamp: CT_EPOCH }, 0);
    const bad = Buffer.concat([good.subarray(0, good.length - 2), Uint8Array.of(0, 5, 1, 2, 3, 4, 5)]);
    expect(() => readTileLeaf(new TlsReader(bad))).toThrow(/not a list of 32-byte fingerprints/);
  });

  it('RFC 6962 extensions (empty, or not a list) have no leaf index', () => {
    expect(leafIndexExtension(new Uint8Array(0))).toBeUndefined();
    expect(leafIndexExtension(Uint8Array.of(0, 0, 9))).toBeUndefined();
  });
});
