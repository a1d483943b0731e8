// Signature packs between organisations, end to end through the services on SQLite and
// PostgreSQL: consent, a subscription that retro-hunts, a new version reaching the subscriber and
// retro-hunting again, disabling one signature, unsubscribing and revoking withdrawing exactly the
// pack's automatic rows, audit on both sides, and nothing of either organisation in the other's.
import { describe, expect, it } from 'vitest';
import type { IngestRecord } from '../ingest/records.js';
import { makeSignature } from '../signatures/make.js';
import type { Signature } from '../signatures/types.js';
import { auditLog } from '../store/accounts.js';
import { entityClassifications, entityTags } from '../store/actions.js';
import { postgresFactory, sqliteFactory, useStore, type StoreFactory } from '../store/test-support/open-store.js';
import type { Store } from '../store/store.js';
import { EvaluationContext } from './evaluate.js';
import { evaluateBatch } from './ingest/evaluate-batch.js';
import { tagEntity } from './manual.js';
import { signatureTitles } from './notification-titles.js';
import { compiledOrg } from './org-matcher.js';
import { importSignatures } from './org-signatures.js';
import { grantPack, listPacks, publishPack, revokePack, setPackSignature, showPack, subscribePack, unsubscribePack } from './packs.js';

const T1 = '2026-02-01T00:00:00Z';
const T2 = '2026-02-02T00:00:00Z';
const T3 = '2026-02-03T00:00:00Z';
const PACK = { publisher: 'acme', name: 'phish' } as const;
const seen = { source: 'test', firstSeen: T1, lastSeen: T1 };
const domain = (name: string): IngestRecord => ({ kind: 'domain', domain: name, observation: seen });

const lure = (pattern: string): Signature =>
  makeSignature({ id: 'lure', title: 'Login lures', field: 'domain', patterns: [pattern], actions: [{ tag: 'Lure' }, { classify: 'suspicious' }, { alert: { severity: 'high' } }] });
const kit = makeSignature({ id: 'kit', field: 'domain', patterns: ['kit'], actions: [{ tag: 'Kit' }] });
/** acme's own, never published: nothing of it may reach beta. */
const secret = makeSignature({ id: 'acme-secret', field: 'domain', patterns: ['lure'], actions: [{ tag: 'AcmeSecret' }] });

async function tagsOf(store: Store, org: string, entity: string): Promise<string[]> {
  return (await entityTags(store.db, { org, kind: 'domain', entity })).map((t) => `${t.name}:${t.source === 'manual' ? 'manual' : `${t.signature}@${t.signatureVersion}`}`);
}

function packSuite(dialect: string, factory: StoreFactory): void {
  describe(`signature packs (${dialect})`, () => {
    let store: Store | undefined;
    useStore(`${dialect} pack service tests`, factory, async (opened) => {
      store = opened;
      await opened.write([domain('lure-one.example'), domain('bank-lure.example'), domain('kit-one.example'), domain('plain.example')]);
      await importSignatures(opened, 'acme', [lure('lure'), kit, secret], { now: T1 });
      await importSignatures(opened, 'beta', [makeSignature({ id: 'beta-own', field: 'domain', patterns: ['^bank-'], actions: [{ tag: 'Lure' }] })], { now: T1 });
    });

    it('refuses to subscribe without the publisher’s consent, alike for a pack that does not exist', async (t) => {
      if (!store) return t.skip();
      await publishPack(store, 'acme', 'phish', { signatures: ['lure', 'kit'], description: 'lures and kits', now: T1, actor: 'a@acme.example' });
      const refused = await subscribePack(store, 'beta', PACK, { now: T1, actor: 'b@beta.example' }).catch((e: Error) => e.message);
      const absent = await subscribePack(store, 'beta', { publisher: 'acme', name: 'nothing' }, { now: T1, actor: 'b@beta.example' }).catch((e: Error) => e.message);
      expect(refused).toBe('pack acme/phish not found');
      expect(absent).toBe('pack acme/nothing not found');
      await expect(showPack(store, 'beta', PACK)).rejects.toThrow('not found');
      expect((await listPacks(store, 'beta')).offered).toEqual([]);
      await expect(publishPack(store, 'acme', 'bad', { signatures: ['no-such'], now: T1 })).rejects.toThrow('no signature no-such in organisation acme');
      await expect(grantPack(store, 'acme', 'phish', 'acme', { now: T1 })).rejects.toThrow('another one');
    });

    it('subscribes with consent: the pack retro-hunts the subscriber’s data, its rows are the subscriber’s and name the pack and version', async (t) => {
      if (!store) return t.skip();
      expect(await grantPack(store, 'acme', 'phish', 'beta', { now: T1, actor: 'a@acme.example' })).toEqual({ granted: true });
      const report = await subscribePack(store, 'beta', PACK, { now: T1, actor: 'b@beta.example' });
      expect(report).toMatchObject({ pack: 'acme/phish', version: 1, changed: true, added: ['kit', 'lure'], updated: [], removed: [] });
      expect(report.hunt?.applied.tags).toBe(3);
      expect(await tagsOf(store, 'beta', 'lure-one.example')).toEqual(['Lure:acme/phish/lure@1']);
      expect(await tagsOf(store, 'beta', 'bank-lure.example')).toEqual(['Lure:acme/phish/lure@1', 'Lure:beta-own@1']);
      expect(await tagsOf(store, 'beta', 'kit-one.example')).toEqual(['Kit:acme/phish/kit@1']);
      expect((await entityClassifications(store.db, { org: 'beta', kind: 'domain', entity: 'lure-one.example' }))[0]).toMatchObject({ value: 'suspicious', signature: 'acme/phish/lure' });
      const notes = await store.db.selectFrom('notifications').select(['org', 'signature', 'signature_version']).where('org', '=', 'beta').orderBy('entity').execute();
      expect(notes.map((n) => [n.signature, Number(n.signature_version)])).toEqual([
        ['acme/phish/lure', 1],
        ['acme/phish/lure', 1],
      ]);
      // acme's unpublished signature never runs for beta; beta's subscription adds nothing to acme.
      expect(JSON.stringify(await tagsOf(store, 'beta', 'lure-one.example'))).not.toContain('AcmeSecret');
      expect(await tagsOf(store, 'acme', 'plain.example')).toEqual([]);
      const acmeRows = await store.db.selectFrom('tags').select('signature').where('org', '=', 'acme').execute();
      expect(acmeRows.every((r) => !r.signature.includes('/'))).toBe(true);
      // Its notifications are called by the pack signature's title.
      expect(await signatureTitles(store, 'beta', ['acme/phish/lure', 'beta-own'])).toEqual(new Map([['acme/phish/lure', 'Login lures'], ['beta-own', 'beta-own']]));
      // Subscribing again is a no-op.
      expect(await subscribePack(store, 'beta', PACK, { now: T1, actor: 'b@beta.example' })).toMatchObject({ changed: false });
    });

    it('shows the pack read-only to the subscriber with its own hits, and the subscription to the publisher', async (t) => {
      if (!store) return t.skip();
      const view = await showPack(store, 'beta', PACK);
      expect(view.signatures.map((s) => [s.id, s.runs_as, s.enabled, s.hits])).toEqual([
        ['kit', 'acme/phish/kit', true, 1],
        ['lure', 'acme/phish/lure', true, 2],
      ]);
      expect(view.signatures[1]!.signature).toMatchObject({ id: 'lure', patterns: ['lure'] });
      const own = await showPack(store, 'acme', PACK);
      expect(own.signatures.every((s) => s.hits === null)).toBe(true);
      const listed = await listPacks(store, 'acme');
      expect(listed.published).toEqual([
        { pack: 'acme/phish', name: 'phish', version: 1, description: 'lures and kits', updated: T1, signatures: ['kit', 'lure'], grants: [{ org: 'beta', granted: T1, subscribed_version: 1 }] },
      ]);
      expect((await listPacks(store, 'beta')).offered).toEqual([
        { pack: 'acme/phish', publisher: 'acme', name: 'phish', version: 1, description: 'lures and kits', updated: T1, signatures: 2, subscription: { version: 1, subscribed: T1, updated: T1, disabled: [] } },
      ]);
    });

    it('keeps the publisher’s later edits from subscribers until it publishes; a new version then reaches them and retro-hunts', async (t) => {
      if (!store) return t.skip();
      await importSignatures(store, 'acme', [lure('^bank-')], { now: T2 });
      const compiled = await compiledOrg(store, 'beta');
      expect(compiled?.signatures.get('acme/phish/lure')?.signature.patterns).toEqual(['lure']);
      // Nothing changed in the pack's own terms? It did: the text of lure.
      const published = await publishPack(store, 'acme', 'phish', { now: T2, actor: 'a@acme.example' });
      expect(published).toEqual({ pack: 'acme/phish', version: 2, signatures: ['kit', 'lure'], unchanged: false, subscribers: 1 });
      expect((await compiledOrg(store, 'beta'))?.signatures.get('acme/phish/lure')).toMatchObject({ version: 2, signature: { patterns: ['^bank-'] } });
      // The new text's hunt confirmed bank-lure at version 2; lure-one is no longer supported.
      expect(await tagsOf(store, 'beta', 'bank-lure.example')).toEqual(['Lure:acme/phish/lure@2', 'Lure:beta-own@1']);
      expect(await tagsOf(store, 'beta', 'lure-one.example')).toEqual([]);
      expect(await entityClassifications(store.db, { org: 'beta', kind: 'domain', entity: 'lure-one.example' })).toEqual([]);
      // The unchanged signature keeps what it made.
      expect(await tagsOf(store, 'beta', 'kit-one.example')).toEqual(['Kit:acme/phish/kit@1']);
      // New data meets the new version; publishing the same text again writes no version.
      await store.write([domain('bank-new.example')]);
      await evaluateBatch(new EvaluationContext(store), [domain('bank-new.example')], T2);
      expect(await tagsOf(store, 'beta', 'bank-new.example')).toEqual(['Lure:acme/phish/lure@2', 'Lure:beta-own@1']);
      expect(await publishPack(store, 'acme', 'phish', { now: T3 })).toMatchObject({ version: 2, unchanged: true, subscribers: 0 });
      // A dropped signature's rows go at the subscriber.
      const v3 = await publishPack(store, 'acme', 'phish', { signatures: ['lure'], now: T3, actor: 'a@acme.example' });
      expect(v3).toMatchObject({ version: 3, subscribers: 1 });
      expect(await tagsOf(store, 'beta', 'kit-one.example')).toEqual([]);
      expect((await showPack(store, 'beta', PACK)).signatures.map((s) => s.id)).toEqual(['lure']);
      await publishPack(store, 'acme', 'phish', { signatures: ['lure', 'kit'], now: T3 });
      expect(await tagsOf(store, 'beta', 'kit-one.example')).toEqual(['Kit:acme/phish/kit@4']);
    });

    it('disabling one pack signature withdraws its tags and keeps it from tagging new data; enabling retro-hunts', async (t) => {
      if (!store) return t.skip();
      const off = await setPackSignature(store, 'beta', PACK, 'kit', false, { now: T3, actor: 'b@beta.example' });
      expect(off).toMatchObject({ status: 'done', id: 'acme/phish/kit', withdrawn: { tags: 1 } });
      expect(await tagsOf(store, 'beta', 'kit-one.example')).toEqual([]);
      await store.write([domain('kit-two.example')]);
      await evaluateBatch(new EvaluationContext(store), [domain('kit-two.example')], T3);
      expect(await tagsOf(store, 'beta', 'kit-two.example')).toEqual([]);
      expect(await setPackSignature(store, 'beta', PACK, 'kit', false, { now: T3 })).toEqual({ status: 'unchanged' });
      // A new version keeps it off.
      await importSignatures(store, 'acme', [makeSignature({ id: 'kit', field: 'domain', patterns: ['kit-'], actions: [{ tag: 'Kit' }] })], { now: T3 });
      await publishPack(store, 'acme', 'phish', { now: T3 });
      expect(await tagsOf(store, 'beta', 'kit-two.example')).toEqual([]);
      expect((await showPack(store, 'beta', PACK)).signatures.find((s) => s.id === 'kit')?.enabled).toBe(false);
      const on = await setPackSignature(store, 'beta', PACK, 'kit', true, { now: T3, actor: 'b@beta.example' });
      expect(on).toMatchObject({ status: 'done', hunt: { applied: { tags: 2 } } });
      expect(await tagsOf(store, 'beta', 'kit-two.example')).toEqual(['Kit:acme/phish/kit@5']);
      await expect(setPackSignature(store, 'beta', PACK, 'acme-secret', false, { now: T3 })).rejects.toThrow('signature acme-secret in pack acme/phish not found');
    });

    it('unsubscribing withdraws the tags whose only provenance is the pack; people’s and the subscriber’s own stay', async (t) => {
      if (!store) return t.skip();
      await tagEntity(store, 'b@beta.example', 'beta', { kind: 'domain', id: 'kit-one.example' }, 'Kit', T3);
      const r = await unsubscribePack(store, 'beta', PACK, { now: T3, actor: 'b@beta.example' });
      expect(r.pack).toBe('acme/phish');
      expect(r.withdrawn.tags).toBeGreaterThan(0);
      expect(await tagsOf(store, 'beta', 'kit-one.example')).toEqual(['Kit:manual']);
      expect(await tagsOf(store, 'beta', 'bank-lure.example')).toEqual(['Lure:beta-own@1']);
      const left = await store.db.selectFrom('tags').select('signature').where('org', '=', 'beta').execute();
      expect(left.filter((x) => x.signature.startsWith('acme/'))).toEqual([]);
      expect([...((await compiledOrg(store, 'beta'))?.signatures.keys() ?? [])]).toEqual(['beta-own']);
      expect(await signatureTitles(store, 'beta', ['acme/phish/lure'])).toEqual(new Map([['acme/phish/lure', 'acme/phish/lure']]));
      await expect(unsubscribePack(store, 'beta', PACK, { now: T3 })).rejects.toThrow('subscription to pack acme/phish not found');
    });

    it('revoking consent ends the subscription and its tags; subscribing is refused after', async (t) => {
      if (!store) return t.skip();
      await subscribePack(store, 'beta', PACK, { now: T3, actor: 'b@beta.example' });
      expect((await tagsOf(store, 'beta', 'bank-lure.example')).length).toBe(2);
      expect(await revokePack(store, 'acme', 'phish', 'beta', { now: T3, actor: 'a@acme.example' })).toEqual({ revoked: true, unsubscribed: true });
      expect(await tagsOf(store, 'beta', 'bank-lure.example')).toEqual(['Lure:beta-own@1']);
      await expect(subscribePack(store, 'beta', PACK, { now: T3 })).rejects.toThrow('not found');
    });

    it('publishes all the same when a subscription has lost its grant meanwhile, and leaves that one where it was', async (t) => {
      if (!store) return t.skip();
      await publishPack(store, 'acme', 'orphan', { signatures: ['kit'], now: T3 });
      await grantPack(store, 'acme', 'orphan', 'gamma', { now: T3 });
      await subscribePack(store, 'gamma', { publisher: 'acme', name: 'orphan' }, { now: T3 });
      // As if the revoke's transaction had committed but its unsubscribe had not yet run.
      await store.db.deleteFrom('pack_grants').where('org', '=', 'acme').where('name', '=', 'orphan').execute();
      await importSignatures(store, 'acme', [makeSignature({ id: 'kit', field: 'domain', patterns: ['kit-one'], actions: [{ tag: 'Kit' }] })], { now: T3 });
      expect(await publishPack(store, 'acme', 'orphan', { now: T3 })).toMatchObject({ version: 2, unchanged: false, subscribers: 0 });
      expect((await store.db.selectFrom('pack_subscriptions').select('version').where('org', '=', 'gamma').executeTakeFirstOrThrow()).version).toBe(1);
    });

    it('audits on both sides, and neither log names the other organisation’s people or data', async (t) => {
      if (!store) return t.skip();
      const acme = await auditLog(store.db, 'acme', { limit: 100 });
      const beta = await auditLog(store.db, 'beta', { limit: 100 });
      expect(acme.map((e) => `${e.action} ${e.actor}`).reverse()).toEqual([
        'pack.publish a@acme.example',
        'pack.grant a@acme.example',
        'pack.subscriber.add org:beta',
        'pack.publish a@acme.example',
        'pack.publish a@acme.example',
        'pack.subscriber.remove org:beta',
        'pack.subscriber.add org:beta',
        'pack.revoke a@acme.example',
      ]);
      expect(beta.map((e) => `${e.action} ${e.actor}`).reverse()).toEqual([
        'pack.subscribe b@beta.example',
        'pack.update org:acme',
        'pack.update org:acme',
        'pack.signature.disable b@beta.example',
        'pack.signature.enable b@beta.example',
        'tag.add b@beta.example',
        'pack.unsubscribe b@beta.example',
        'pack.subscribe b@beta.example',
        'pack.revoked org:acme',
      ]);
      expect(JSON.stringify(acme)).not.toMatch(/b@beta|kit-one|bank-lure|lure-one/);
      expect(JSON.stringify(beta)).not.toMatch(/a@acme|AcmeSecret|acme-secret/);
    });
  });
}

packSuite('SQLite', sqliteFactory('warren-packs-'));
packSuite('PostgreSQL', postgresFactory);
