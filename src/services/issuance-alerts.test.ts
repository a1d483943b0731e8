// Alert once per issuance (issue 14): a real CT pre-certificate and its final certificate (same
// issuer and serial, different DER) are two certificate rows, but a signature on a certificate
// field raises one notification for them — in either order, in one batch or two, and again after
// a retro-hunt — on SQLite and PostgreSQL. Tags stay on each certificate. Two certificates of
// different issuances still alert once each.
import { createHash } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { ctEntryRecords } from '../feeds/ct/entry-records.js';
import { decodeExtraData, decodeMerkleTreeLeaf } from '../feeds/ct/leaf.js';
import { extraData, merkleTreeLeaf, type CtEntrySpec } from '../feeds/ct/test-support/entries.js';
import { CT_EPOCH, haveCtCertificates, realPrecertPair, realPrecerts } from '../feeds/ct/test-support/real-certs.js';
import type { IngestRecord } from '../ingest/records.js';
import { makeSignature } from '../signatures/make.js';
import { addChannel, outboxCounts } from '../store/delivery.js';
import { Store } from '../store/store.js';
import { postgresFactory, sqliteFactory, type StoreFactory } from '../store/test-support/open-store.js';
import { EvaluationContext } from './evaluate.js';
import { EVERY_ORG } from './ingest/evaluate-batch.js';
import { IngestPipeline } from './ingest/pipeline.js';
import { listNotifications } from './notifications.js';
import { compiledOrg } from './org-matcher.js';
import { importSignatures } from './org-signatures.js';
import { retroHunt } from './retro-hunt.js';

const T0 = '2026-04-01T00:00:00Z';
const sha256 = (b: Uint8Array): string => createHash('sha256').update(b).digest('hex');

function recordsOf(spec: CtEntrySpec, source: string): IngestRecord[] {
  const entry = decodeMerkleTreeLeaf(merkleTreeLeaf(spec));
  const extra = decodeExtraData(entry.type, extraData(spec));
  const out = ctEntryRecords(entry, extra.type === 'precert' ? extra.preCertificate : undefined, source);
  if ('error' in out) throw new Error(out.error);
  return out.records;
}

async function fresh(factory: StoreFactory, t: { skip: (why?: string) => void }, fn: (store: Store) => Promise<void>): Promise<void> {
  const made = await factory();
  if ('skip' in made) return t.skip(made.skip);
  const store = await Store.open(made.url);
  try {
    await fn(store);
  } finally {
    await store.close();
    await made.cleanup();
  }
}

/** The subject organisation both certificates of the pair carry (and no other test certificate, exactly). */
async function prepare(store: Store): Promise<void> {
  const sig = makeSignature({ id: 'ct-org', field: 'x509.subject.organization', patterns: ['^Certificate Transparency$'], actions: [{ tag: 'ct-org' }, { alert: { severity: 'high' } }] });
  // Unanchored: also the hammer pre-certificate's "Google Certificate Transparency", another issuance.
  const wide = makeSignature({ id: 'ct-any', field: 'x509.subject.organization', patterns: ['Certificate Transparency'], actions: [{ alert: { severity: 'medium' } }] });
  await importSignatures(store, 'acme', [sig, wide], { now: T0 });
  await addChannel(store.db, { org: 'acme', name: 'hook', type: 'webhook', config: { url: 'http://127.0.0.1:9/hook', format: 'json' }, secret: null }, T0);
}

/** Stores and evaluates each batch as a feed does (every organisation's signatures). */
async function ingest(store: Store, ...batches: IngestRecord[][]): Promise<void> {
  const pipeline = new IngestPipeline(store, { scope: EVERY_ORG, now: () => T0, onReject: () => undefined });
  for (const b of batches) await pipeline.ingestRecords(b);
}

const entities = async (store: Store, signature: string): Promise<string[]> =>
  (await listNotifications(store, 'acme', { signature })).map((n) => n.entity).sort();

function suite(label: string, factory: StoreFactory): void {
  describe.skipIf(!haveCtCertificates())(`${label}: a pre-certificate and its final certificate alert once`, () => {
    const { precert, final } = haveCtCertificates() ? realPrecertPair() : { precert: Buffer.alloc(0), final: Buffer.alloc(0) };
    const pre = (): IngestRecord[] => recordsOf({ type: 'precert', preCertificate: precert, timestamp: CT_EPOCH }, 'ct:log-a.example');
    const fin = (): IngestRecord[] => recordsOf({ type: 'x509', certificate: final, timestamp: CT_EPOCH + 5000 }, 'ct:log-b.example');

    it('precert first, final later: one notification on the pre-certificate (one delivery each signature), tags on both', async (t) => {
      await fresh(factory, t, async (store) => {
        await prepare(store);
        await ingest(store, pre(), fin());
        expect((await store.stats()).certificates).toBe(2);
        expect(await entities(store, 'ct-org')).toEqual([sha256(precert)]);
        expect(await outboxCounts(store.db)).toMatchObject({ pending: 2 }); // ct-org's and ct-any's
        const tags = await store.db.selectFrom('tags').select(['entity', 'name']).where('org', '=', 'acme').orderBy('entity').execute();
        expect(tags).toEqual([sha256(precert), sha256(final)].sort().map((entity) => ({ entity, name: 'ct-org' })));

        // Seen again (a second log), and retro-hunted: still one.
        await ingest(store, fin(), pre());
        const compiled = (await compiledOrg(store, 'acme'))!;
        const hunt = await retroHunt(new EvaluationContext(store), compiled, { apply: true, now: T0 });
        expect(hunt.applied.notifications).toBe(0);
        expect(await entities(store, 'ct-org')).toEqual([sha256(precert)]);
        expect(await outboxCounts(store.db)).toMatchObject({ pending: 2 }); // ct-org's and ct-any's
      });
    });

    it('final first: the notification is the final certificate’s, and the pre-certificate adds none', async (t) => {
      await fresh(factory, t, async (store) => {
        await prepare(store);
        await ingest(store, fin());
        await ingest(store, pre());
        expect(await entities(store, 'ct-org')).toEqual([sha256(final)]);
      });
    });

    it('both in one batch: one notification', async (t) => {
      await fresh(factory, t, async (store) => {
        await prepare(store);
        await ingest(store, [...pre(), ...fin()]);
        expect(await entities(store, 'ct-org')).toEqual([sha256(precert)]);
        expect(await outboxCounts(store.db)).toMatchObject({ pending: 2 }); // ct-org's and ct-any's
      });
    });

    it('a match only the later certificate has is the issuance’s notification, naming the certificate that matched', async (t) => {
      await fresh(factory, t, async (store) => {
        await prepare(store);
        const pinned = makeSignature({ id: 'pinned', field: 'x509.sha256', patterns: [sha256(final)], match: 'literal', actions: [{ alert: { severity: 'medium' } }] });
        await importSignatures(store, 'acme', [pinned], { now: T0 });
        await ingest(store, pre(), fin());
        const [n, ...more] = await listNotifications(store, 'acme', { signature: 'pinned' });
        expect(more).toEqual([]);
        expect(n).toMatchObject({ entity: sha256(precert), value: sha256(final) });
        expect(n!.headline).toBe(`Signature pinned matched certificate ${sha256(precert)} on field x509.sha256 (through certificate ${sha256(final)})`);
        expect(n!.content).toContain(`Also seen as: certificate ${sha256(final)} (same issuer and serial number: one issuance)`);
      });
    });

    it('another issuance matched by the same signature still alerts on its own', async (t) => {
      await fresh(factory, t, async (store) => {
        await prepare(store);
        const hammer = realPrecerts()[0]!;
        await ingest(store, pre(), fin(), recordsOf({ type: 'precert', preCertificate: hammer.der, chain: hammer.chain, timestamp: CT_EPOCH + 9000 }, 'ct:log-a.example'));
        expect(await entities(store, 'ct-any')).toEqual([sha256(precert), sha256(hammer.der)].sort());
        expect(await entities(store, 'ct-org')).toEqual([sha256(precert)]);
      });
    });
  });
}

suite('SQLite', sqliteFactory('warren-issuance-'));
suite('PostgreSQL', postgresFactory);
