// What "one certificate with several sightings" means once CT records are stored (issue 14):
// the same certificate from two logs is one row whose first/last seen span both; a
// pre-certificate and its final certificate are two rows (different DER) tied by the
// issuer-serial key they share.
import { createHash } from 'node:crypto';
import { afterEach, describe, expect, it } from 'vitest';
import { issuerSerialRef, type IngestRecord } from '../../ingest/records.js';
import { Store } from '../../store/store.js';
import { ctEntryRecords } from './entry-records.js';
import { decodeExtraData, decodeMerkleTreeLeaf } from './leaf.js';
import { extraData, merkleTreeLeaf, type CtEntrySpec } from './test-support/entries.js';
import { CT_EPOCH, haveCtCertificates, realLeaves, realPrecertPair } from './test-support/real-certs.js';

const sha256 = (b: Uint8Array): string => createHash('sha256').update(b).digest('hex');

function recordsOf(spec: CtEntrySpec, source: string): IngestRecord[] {
  const entry = decodeMerkleTreeLeaf(merkleTreeLeaf(spec));
  const extra = decodeExtraData(entry.type, extraData(spec));
  const out = ctEntryRecords(entry, extra.type === 'precert' ? extra.preCertificate : undefined, source);
  if ('error' in out) throw new Error(out.error);
  return out.records;
}

let store: Store | undefined;
afterEach(async () => {
  await store?.close();
  store = undefined;
});

describe.skipIf(!haveCtCertificates())('CT sightings in the store', () => {
  it('the same certificate in two logs is one certificate seen from the earlier to the later entry', async () => {
    store = await Store.open('sqlite::memory:');
    const [leaf] = realLeaves();
    await store.write(recordsOf({ type: 'x509', certificate: leaf!.der, timestamp: CT_EPOCH + 60_000 }, 'ct:log-a.example'));
    await store.write(recordsOf({ type: 'x509', certificate: leaf!.der, timestamp: CT_EPOCH }, 'ct:log-b.example'));
    const rows = await store.db.selectFrom('certificates').select(['sha256', 'first_seen', 'last_seen']).execute();
    expect(rows).toEqual([{ sha256: sha256(leaf!.der), first_seen: '2024-01-01T00:00:00Z', last_seen: '2024-01-01T00:01:00Z' }]);
  });

  it('a pre-certificate and its final certificate are two certificates under one issuer-serial key', async () => {
    store = await Store.open('sqlite::memory:');
    const { precert, final } = realPrecertPair();
    await store.write(recordsOf({ type: 'precert', preCertificate: precert, timestamp: CT_EPOCH }, 'ct:log-a.example'));
    await store.write(recordsOf({ type: 'x509', certificate: final, timestamp: CT_EPOCH + 5000 }, 'ct:log-b.example'));
    const certs = await store.db.selectFrom('certificates').select(['sha256', 'serial']).orderBy('first_seen').execute();
    expect(certs.map((c) => c.sha256)).toEqual([sha256(precert), sha256(final)]);
    expect(certs.map((c) => c.serial)).toEqual(['7', '7']);
    // The key both certificates have resolves to the one stored first: the pre-certificate.
    const stored = await store.certificate(sha256(final));
    const key = issuerSerialRef(stored!.fields);
    expect(key).toBe('issuer-serial:7|L=Erw Wen,ST=Wales,O=Certificate Transparency CA,C=GB');
    const refs = await store.db.selectFrom('certificate_refs').select(['ref', 'sha256']).where('ref', '=', key!).execute();
    expect(refs).toEqual([{ ref: key, sha256: sha256(precert) }]);
  });
});
