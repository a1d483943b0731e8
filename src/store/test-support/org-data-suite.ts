// The organisation-data repositories (tags and classifications with provenance, notifications
// with their outbox rows, signature versions), run on SQLite and on PostgreSQL: the same calls
// must leave the same rows on both dialects.
import { describe, expect, it } from 'vitest';
import { addManualTag, entityClassifications, entityTags, removeManualTag, setManualClassification, tagCounts, tagNamesMany, upsertSignatureClassification, upsertSignatureTag, withdrawSignature } from '../actions.js';
import { addChannel } from '../delivery.js';
import { createNotification, listNotifications, markRead, notificationById, notificationId, notificationSummary, type NewNotification } from '../notifications.js';
import { bumpRevision, ensureOrg, orgNames, orgRevision } from '../orgs.js';
import type { Store } from '../store.js';
import { useStore, type StoreFactory } from './open-store.js';

const T1 = '2026-01-01T00:00:00Z';
const T2 = '2026-01-02T00:00:00Z';
const KEY = { org: 'acme', kind: 'domain', entity: 'evil.example' } as const;
const PROV = { signature: 'sig-a', signatureVersion: 1, field: 'domain', value: 'evil.example', pattern: 0 } as const;

function note(overrides: Partial<NewNotification> = {}): NewNotification {
  return {
    org: 'acme',
    signature: 'sig-a',
    signatureVersion: 1,
    kind: 'domain',
    entity: 'evil.example',
    field: 'domain',
    value: 'evil.example',
    severity: 'high',
    headline: 'Signature sig-a matched domain evil.example on field domain',
    content: 'content',
    ...overrides,
  };
}

export function orgDataSuite(name: string, factory: StoreFactory): void {
  describe(`${name} organisation data`, () => {
    let store: Store | undefined;
    useStore(`${name} organisation-data tests`, factory, async (opened) => {
      store = opened;
      for (const org of ['acme', 'beta']) await ensureOrg(opened.db, org, T1);
    });

    it('keeps organisations and moves a revision only when bumped', async (t) => {
      if (!store) return t.skip();
      expect(await orgNames(store.db)).toEqual(['acme', 'beta']);
      const before = await orgRevision(store.db, 'acme');
      await ensureOrg(store.db, 'acme', T2);
      expect(await orgRevision(store.db, 'acme')).toBe(before);
      await bumpRevision(store.db, 'acme');
      expect(await orgRevision(store.db, 'acme')).toBe(before + 1);
      expect(await orgRevision(store.db, 'beta')).toBe(0);
    });

    it('upserts a signature tag idempotently: the same match again only moves last_matched', async (t) => {
      if (!store) return t.skip();
      await upsertSignatureTag(store.db, KEY, 'Bad', PROV, T1);
      await upsertSignatureTag(store.db, KEY, 'Bad', { ...PROV, signatureVersion: 2 }, T2);
      const tags = await entityTags(store.db, KEY);
      expect(tags).toEqual([{ name: 'Bad', source: 'signature', signature: 'sig-a', signatureVersion: 2, field: 'domain', value: 'evil.example', pattern: 0, firstMatched: T1, lastMatched: T2 }]);
      expect(await entityTags(store.db, { ...KEY, org: 'beta' })).toEqual([]);
    });

    it('keeps manual tags apart from automatic ones, and withdraws only a signature’s older versions', async (t) => {
      if (!store) return t.skip();
      const key = { ...KEY, entity: 'other.example' };
      await addManualTag(store.db, key, 'Bad', T1);
      await addManualTag(store.db, key, 'Bad', T2);
      await upsertSignatureTag(store.db, key, 'Bad', PROV, T1);
      await upsertSignatureTag(store.db, key, 'Old', { ...PROV, signature: 'sig-b', signatureVersion: 1 }, T1);
      await upsertSignatureTag(store.db, key, 'New', { ...PROV, signature: 'sig-b', signatureVersion: 3 }, T1);
      expect(await withdrawSignature(store.db, 'acme', 'sig-b', 3)).toEqual({ tags: 1, classifications: 0 });
      expect((await entityTags(store.db, key)).map((r) => `${r.name}/${r.source}`)).toEqual(['Bad/manual', 'Bad/signature', 'New/signature']);
      expect(await tagCounts(store.db, 'acme')).toEqual({ Bad: 2, New: 1 });
      expect(await tagCounts(store.db, 'acme', 'sig-b')).toEqual({ New: 1 });
      expect(await removeManualTag(store.db, key, 'Bad')).toBe(1);
      expect((await entityTags(store.db, key)).map((r) => `${r.name}/${r.source}`)).toEqual(['Bad/signature', 'New/signature']);
    });

    it('reads the tag names of many entities of one organisation at once, never another organisation\'s', async (t) => {
      if (!store) return t.skip();
      const many = Array.from({ length: 600 }, (_, i) => `many-${i}.example`);
      // More entities than one IN list holds, a tag on both sides of the chunk boundary.
      for (const entity of [many[3]!, many[550]!]) await addManualTag(store.db, { org: 'acme', kind: 'domain', entity }, 'Many', T1);
      await upsertSignatureTag(store.db, { org: 'acme', kind: 'domain', entity: many[3]! }, 'Auto', PROV, T1);
      await upsertSignatureTag(store.db, { org: 'acme', kind: 'domain', entity: many[3]! }, 'Auto', { ...PROV, signature: 'sig-c' }, T1);
      await addManualTag(store.db, { org: 'beta', kind: 'domain', entity: many[4]! }, 'BetaOnly', T1);
      // The same id under another kind is another entity.
      await addManualTag(store.db, { org: 'acme', kind: 'ip', entity: many[5]! }, 'WrongKind', T1);
      const refs = [...many.map((entity) => ({ kind: 'domain', entity })), { kind: 'ip', entity: '192.0.2.1' }];
      const got = await tagNamesMany(store.db, 'acme', refs);
      expect(Object.fromEntries(got)).toEqual({ [`domain\0${many[3]}`]: ['Auto', 'Many'], [`domain\0${many[550]}`]: ['Many'] });
      expect(Object.fromEntries(await tagNamesMany(store.db, 'beta', refs))).toEqual({ [`domain\0${many[4]}`]: ['BetaOnly'] });
      expect((await tagNamesMany(store.db, 'acme', [])).size).toBe(0);
    });

    it('keeps one manual classification beside automatic ones', async (t) => {
      if (!store) return t.skip();
      const key = { ...KEY, entity: 'cls.example' };
      await upsertSignatureClassification(store.db, key, 'suspicious', PROV, T1);
      await upsertSignatureClassification(store.db, key, 'malicious', { ...PROV, signatureVersion: 2 }, T2);
      await setManualClassification(store.db, key, 'non-malicious', T1);
      await setManualClassification(store.db, key, 'unknown', T2);
      const rows = await entityClassifications(store.db, key);
      expect(rows.map((r) => `${r.source}:${r.value}`).sort()).toEqual(['manual:unknown', 'signature:malicious']);
      expect(rows.find((r) => r.source === 'signature')).toMatchObject({ firstMatched: T1, lastMatched: T2, matchedValue: 'evil.example' });
      expect(await withdrawSignature(store.db, 'acme', 'sig-a')).toMatchObject({ classifications: 1 });
      expect((await entityClassifications(store.db, key)).map((r) => r.source)).toEqual(['manual']);
    });

    it('creates a notification once per signature, entity and value, with one outbox row per named channel', async (t) => {
      if (!store) return t.skip();
      for (const c of ['hook', 'mail']) {
        expect(await addChannel(store.db, { org: 'acme', name: c, type: 'webhook', config: { url: 'http://127.0.0.1:9/' }, secret: null }, T1)).toBe(true);
      }
      expect(await createNotification(store.db, note(), T1)).toBe(true);
      expect(await createNotification(store.db, note({ severity: 'low', headline: 'again' }), T2)).toBe(false);
      expect(await createNotification(store.db, note({ value: 'evil.example.', channels: ['mail'] }), T2)).toBe(true);
      const id = notificationId(note());
      expect(await notificationById(store.db, 'acme', id)).toMatchObject({ id, severity: 'high', created: T1, read: false });
      expect(await notificationById(store.db, 'beta', id)).toBeUndefined();
      const outbox = await store.db.selectFrom('outbox').select(['channel', 'notification']).where('org', '=', 'acme').orderBy('notification').orderBy('channel').execute();
      expect(outbox).toEqual(
        [
          { channel: 'hook', notification: id },
          { channel: 'mail', notification: id },
          { channel: 'mail', notification: notificationId(note({ value: 'evil.example.' })) },
        ].sort((a, b) => a.notification.localeCompare(b.notification) || a.channel.localeCompare(b.channel)),
      );
    });

    it('lists notifications newest first with filters, and marks only the ids it is given', async (t) => {
      if (!store) return t.skip();
      await createNotification(store.db, note({ entity: 'low.example', value: 'low.example', severity: 'low' }), T2);
      const all = await listNotifications(store.db, 'acme');
      expect(all.map((n) => n.created)).toEqual([...all.map((n) => n.created)].sort().reverse());
      expect((await listNotifications(store.db, 'acme', { severity: 'low' })).map((n) => n.entity)).toEqual(['low.example']);
      expect(await listNotifications(store.db, 'acme', { since: T2 })).toHaveLength(2);
      expect(await listNotifications(store.db, 'beta')).toEqual([]);
      const low = (await listNotifications(store.db, 'acme', { severity: 'low' }))[0]!;
      expect(await markRead(store.db, 'beta', [low.id], true)).toBe(0);
      expect(await markRead(store.db, 'acme', [low.id], true)).toBe(1);
      expect((await listNotifications(store.db, 'acme', { unread: true })).map((n) => n.id)).not.toContain(low.id);
      const summary = await notificationSummary(store.db, 'acme');
      expect(summary).toMatchObject({ total: 3, unread: 2, unreadBySeverity: { high: 2 } });
    });
  });
}
