// The organisation-data repositories (tags and classifications with provenance, notifications
// with their outbox rows, signature versions), run on SQLite and on PostgreSQL: the same calls
// must leave the same rows on both dialects.
import { describe, expect, it } from 'vitest';
import { addManualTag, entityClassifications, entityTags, removeManualTag, setManualClassification, tagCounts, tagNamesMany, upsertSignatureClassifications, upsertSignatureTags, withdrawSignature, type EntityKey, type Provenance, type SignatureMark } from '../actions.js';
import { addChannel } from '../delivery.js';
import {
  addComment,
  commentsOf,
  countNotifications,
  createNotification,
  groupNotifications,
  listNotifications,
  markRead,
  markReadWhere,
  notificationById,
  notificationId,
  notificationSignatures,
  notificationSummary,
  setTriage,
  signatureSources,
  type NewNotification,
} from '../notifications.js';
import { writeVersion } from '../signature-rows.js';
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

/** One automatic tag, as evaluation writes a batch of them. */
function upsertSignatureTag(store: Store, key: EntityKey, name: string, provenance: Provenance, now: string): Promise<void> {
  return upsertSignatureTags(store.db, [{ key, name, provenance }], now);
}

function upsertSignatureClassification(store: Store, key: EntityKey, value: string, provenance: Provenance, now: string): Promise<void> {
  return upsertSignatureClassifications(store.db, [{ key, name: value, provenance }], now);
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
      await upsertSignatureTag(store, KEY, 'Bad', PROV, T1);
      await upsertSignatureTag(store, KEY, 'Bad', { ...PROV, signatureVersion: 2 }, T2);
      const tags = await entityTags(store.db, KEY);
      expect(tags).toEqual([{ name: 'Bad', source: 'signature', signature: 'sig-a', signatureVersion: 2, field: 'domain', value: 'evil.example', pattern: 0, why: '', firstMatched: T1, lastMatched: T2 }]);
      expect(await entityTags(store.db, { ...KEY, org: 'beta' })).toEqual([]);
    });

    it('upserts a batch of tags and classifications in several statements as one at a time would: a repeated key keeps the last', async (t) => {
      if (!store) return t.skip();
      const org = 'batch-org'; // its own organisation: other cases count acme's tags
      const key = (i: number): EntityKey => ({ org, kind: 'domain', entity: `b${String(i).padStart(4, '0')}.example` });
      // 450 entities (three 200-row statements on SQLite), each tagged and classified; entity 7 twice in one batch.
      const marks: SignatureMark[] = Array.from({ length: 450 }, (_, i) => ({ key: key(i), name: 'Batch', provenance: { ...PROV, value: key(i).entity } }));
      marks.push({ key: key(7), name: 'Batch', provenance: { ...PROV, value: key(7).entity, signatureVersion: 5, pattern: 2 } });
      await upsertSignatureTags(store.db, marks, T1);
      await upsertSignatureClassifications(store.db, marks.map((m, i) => ({ ...m, name: i === 450 ? 'malicious' : 'suspicious' })), T1);
      expect((await tagCounts(store.db, org)).Batch).toBe(450);
      expect(await entityTags(store.db, key(7))).toEqual([{ name: 'Batch', source: 'signature', signature: 'sig-a', signatureVersion: 5, field: 'domain', value: key(7).entity, pattern: 2, why: '', firstMatched: T1, lastMatched: T1 }]);
      expect((await entityClassifications(store.db, key(7))).map((r) => r.value)).toEqual(['malicious']);
      expect((await entityClassifications(store.db, key(449))).map((r) => r.value)).toEqual(['suspicious']);
      // Again later: the same rows, last_matched moved, first_matched kept.
      await upsertSignatureTags(store.db, marks.slice(0, 300), T2);
      const again = await entityTags(store.db, key(299));
      expect(again.map((r) => [r.firstMatched, r.lastMatched])).toEqual([[T1, T2]]);
      expect((await entityTags(store.db, key(300))).map((r) => r.lastMatched)).toEqual([T1]);
      expect((await tagCounts(store.db, org)).Batch).toBe(450);
    });

    it("keeps a tag's why (migration 0016), and the newest match's why replaces it", async (t) => {
      if (!store) return t.skip();
      const key = { ...KEY, org: 'why-org', entity: 'paypa1.example' }; // an organisation of its own: later cases count acme's tags
      await upsertSignatureTag(store, key, 'LookAlike', { ...PROV, value: 'paypa1.example', why: 'homoglyph of paypal in paypa1.example (distance 0)' }, T1);
      expect((await entityTags(store.db, key)).map((r) => r.why)).toEqual(['homoglyph of paypal in paypa1.example (distance 0)']);
      await upsertSignatureTag(store, key, 'LookAlike', { ...PROV, value: 'paypa1.example', signatureVersion: 2, why: 'homoglyph + tld-swap of paypal in paypa1.example (distance 0)' }, T2);
      expect((await entityTags(store.db, key)).map((r) => r.why)).toEqual(['homoglyph + tld-swap of paypal in paypa1.example (distance 0)']);
    });

    it('keeps manual tags apart from automatic ones, and withdraws only a signature’s older versions', async (t) => {
      if (!store) return t.skip();
      const key = { ...KEY, entity: 'other.example' };
      await addManualTag(store.db, key, 'Bad', T1);
      await addManualTag(store.db, key, 'Bad', T2);
      await upsertSignatureTag(store, key, 'Bad', PROV, T1);
      await upsertSignatureTag(store, key, 'Old', { ...PROV, signature: 'sig-b', signatureVersion: 1 }, T1);
      await upsertSignatureTag(store, key, 'New', { ...PROV, signature: 'sig-b', signatureVersion: 3 }, T1);
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
      await upsertSignatureTag(store, { org: 'acme', kind: 'domain', entity: many[3]! }, 'Auto', PROV, T1);
      await upsertSignatureTag(store, { org: 'acme', kind: 'domain', entity: many[3]! }, 'Auto', { ...PROV, signature: 'sig-c' }, T1);
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
      await upsertSignatureClassification(store, key, 'suspicious', PROV, T1);
      await upsertSignatureClassification(store, key, 'malicious', { ...PROV, signatureVersion: 2 }, T2);
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
    it('triages: one filter for lists, counts, groups and bulk writes; comments and status per organisation', async (t) => {
      if (!store) return t.skip();
      const db = store.db;
      // Their own organisation, so the earlier tests' rows do not count here.
      await ensureOrg(db, 'tri', T1);
      await ensureOrg(db, 'other', T1);
      const make = async (org: string, signature: string, severity: string, n: number, at: string): Promise<void> => {
        for (let i = 0; i < n; i++) {
          await createNotification(db, note({ org, signature, severity, entity: `${signature}-${severity}-${i}.example`, value: `${signature}-${severity}-${i}.example` }), at);
        }
      };
      await make('tri', 'sig-x', 'low', 3, T1);
      await make('tri', 'sig-x', 'high', 2, T2);
      await make('tri', 'sig-y', 'low', 4, T2);
      await make('other', 'sig-x', 'low', 2, T1);
      expect(await countNotifications(db, 'tri')).toBe(9);
      expect(await countNotifications(db, 'tri', { severity: 'low', signatures: ['sig-x'] })).toBe(3);
      expect(await countNotifications(db, 'tri', { signatures: [] })).toBe(0);
      expect(await countNotifications(db, 'tri', { ids: [] })).toBe(0);
      expect(await notificationSignatures(db, 'tri')).toEqual(['sig-x', 'sig-y']);
      // Pages: the same order as the whole list, cut by offset and limit.
      const all = await listNotifications(db, 'tri');
      expect(all.map((n) => n.status)).toEqual(Array(9).fill('open'));
      expect((await listNotifications(db, 'tri', { offset: 3, limit: 4 })).map((n) => n.id)).toEqual(all.slice(3, 7).map((n) => n.id));

      // Marking read what a filter selects changes exactly that, and counts only real changes.
      expect(await markReadWhere(db, 'tri', { severity: 'low', signature: 'sig-x' }, true)).toBe(3);
      expect(await markReadWhere(db, 'tri', { severity: 'low', signature: 'sig-x' }, true)).toBe(0);
      expect((await listNotifications(db, 'tri', { unread: true })).map((n) => `${n.signature}/${n.severity}`).sort()).toEqual([
        ...Array<string>(2).fill('sig-x/high'),
        ...Array<string>(4).fill('sig-y/low'),
      ]);
      expect(await countNotifications(db, 'other', { unread: true })).toBe(2);

      // Triage: only rows that differ are changed and reported, with what they were.
      const lowY = (await listNotifications(db, 'tri', { signature: 'sig-y' })).map((n) => n.id);
      const triaged = await setTriage(db, 'tri', { ids: lowY.slice(0, 2) }, { status: 'acknowledged', assignee: 'ann@example.com' }, 'bob@example.com', T2);
      expect(triaged.map((r) => [r.before, r.after])).toEqual(Array(2).fill([{ status: 'open', assignee: null }, { status: 'acknowledged', assignee: 'ann@example.com' }]));
      expect(await setTriage(db, 'tri', { ids: lowY.slice(0, 2) }, { status: 'acknowledged' }, 'bob@example.com', T2)).toEqual([]);
      expect(await setTriage(db, 'other', { ids: lowY }, { status: 'resolved' }, 'bob@example.com', T2)).toEqual([]);
      expect(await notificationById(db, 'tri', lowY[0]!)).toMatchObject({ status: 'acknowledged', statusAt: T2, statusBy: 'bob@example.com', assignee: 'ann@example.com' });
      expect(await countNotifications(db, 'tri', { status: 'acknowledged', assignee: 'ann@example.com' })).toBe(2);
      expect(await countNotifications(db, 'tri', { assignee: null })).toBe(7);
      const unassign = await setTriage(db, 'tri', { ids: [lowY[0]!] }, { assignee: null }, 'bob@example.com', T2);
      expect(unassign).toEqual([{ id: lowY[0], before: { status: 'acknowledged', assignee: 'ann@example.com' }, after: { status: 'acknowledged', assignee: null } }]);

      // Groups: by signature, the largest first, counts by read, status and severity.
      const { groups, total } = await groupNotifications(db, 'tri');
      expect(total).toBe(2);
      expect(groups).toEqual([
        { signature: 'sig-x', count: 5, unread: 2, newest: T2, byStatus: { open: 5, acknowledged: 0, resolved: 0, false_positive: 0 }, bySeverity: { high: 2, medium: 0, low: 3 } },
        { signature: 'sig-y', count: 4, unread: 4, newest: T2, byStatus: { open: 2, acknowledged: 2, resolved: 0, false_positive: 0 }, bySeverity: { high: 0, medium: 0, low: 4 } },
      ]);
      expect((await groupNotifications(db, 'tri', { unread: true, limit: 1, offset: 1 })).groups.map((g) => [g.signature, g.count])).toEqual([['sig-x', 2]]);
      expect((await groupNotifications(db, 'other')).groups.map((g) => [g.signature, g.count])).toEqual([['sig-x', 2]]);

      // Comments: oldest first, only the organisation's own.
      const first = await addComment(db, 'tri', lowY[0]!, { author: 'ann@example.com', at: T1, text: 'looking' });
      await addComment(db, 'tri', lowY[0]!, { author: 'bob@example.com', at: T2, text: 'benign' });
      expect((await commentsOf(db, 'tri', lowY[0]!)).map((c) => [c.seq >= first.seq, c.author, c.text])).toEqual([
        [true, 'ann@example.com', 'looking'],
        [true, 'bob@example.com', 'benign'],
      ]);
      expect(await commentsOf(db, 'other', lowY[0]!)).toEqual([]);
      expect((await notificationById(db, 'tri', lowY[0]!))?.comments).toBe(2);
    });

    it('names the signatures of notifications: the current source, or the last version of one removed', async (t) => {
      if (!store) return t.skip();
      await writeVersion(store.db, 'acme', 'named', 'import', true, JSON.stringify({ id: 'named', title: 'First' }), T1);
      await writeVersion(store.db, 'acme', 'named', 'import', true, JSON.stringify({ id: 'named', title: 'Second' }), T2);
      await writeVersion(store.db, 'acme', 'gone', 'import', true, JSON.stringify({ id: 'gone', title: 'Old' }), T1);
      await writeVersion(store.db, 'acme', 'gone', 'rm', false, JSON.stringify({ id: 'gone', title: 'Removed' }), T2);
      const sources = await signatureSources(store.db, 'acme', ['named', 'gone', 'never']);
      expect(Object.fromEntries([...sources].map(([id, src]) => [id, (JSON.parse(src) as { title: string }).title]))).toEqual({ named: 'Second', gone: 'Removed' });
      expect((await signatureSources(store.db, 'beta', ['named'])).size).toBe(0);
    });
  });
}
