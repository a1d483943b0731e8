// Signature packs over the API, on SQLite and PostgreSQL: roles (admins publish, grant and
// subscribe; analysts switch single signatures; viewers read), consent, a new version reaching
// the subscriber's entity views, unsubscribe, and the publisher's answers holding nothing of the
// subscriber's hits.
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { createTestDatabase } from '../store/scratch-postgres.js';
import { testApi, type TestApi } from './test-support/api.js';

// Hoisted above the imports: services/accounts.ts reads the scrypt cost when it loads.
vi.hoisted(() => {
  process.env.WARREN_SCRYPT_N ??= '1024';
});

const SIGS = `id: lure
title: Login lures
field: domain
patterns: ['lure']
actions: [{tag: Lure}, {alert: {severity: high}}]
---
id: kit
title: Kits
field: domain
patterns: ['kit']
actions: [{tag: Kit}]
---
id: acme-private
title: never shared
field: domain
patterns: ['lure']
actions: [{tag: AcmePrivate}]
`;

interface Tag {
  name: string;
  signature?: string;
  signature_version?: number;
  pack?: { name: string; version: number };
}

function packApiSuite(dialect: string, open: () => Promise<{ api: TestApi; drop?: () => Promise<void> } | { skip: string }>): void {
  describe(`/packs (${dialect})`, () => {
    let api: TestApi | undefined;
    let drop: (() => Promise<void>) | undefined;
    beforeAll(async () => {
      const opened = await open();
      if ('skip' in opened) {
        console.warn(`skipping /packs on ${dialect}: ${opened.skip}`);
        return;
      }
      ({ api, drop } = opened);
      await api.store.write([
        { kind: 'domain', domain: 'lure-one.example', observation: { source: 'test' } },
        { kind: 'domain', domain: 'kit-one.example', observation: { source: 'test' } },
      ]);
    });
    afterAll(async () => {
      await api?.close();
      await drop?.();
    });

    const as = async (user: string, method: 'GET' | 'POST' | 'PUT' | 'DELETE', url: string, payload?: object): Promise<{ status: number; body: string; json: <T>() => T }> => {
      const r = await api!.request(api!.users[user], { method, url: `/api/v1${url}`, ...(payload ? { payload } : {}) });
      return { status: r.statusCode, body: r.body, json: <T>() => r.json<T>() };
    };
    const tags = async (user: string, entity: string): Promise<Tag[]> => (await as(user, 'GET', `/entities/${entity}`)).json<{ tags: Tag[] }>().tags;

    it('lets admins publish and grant, refuses analysts, and offers the pack only to the organisation granted', async (t) => {
      if (!api) return t.skip();
      expect((await as('a-analyst', 'POST', '/signatures', { text: SIGS })).status).toBe(200);
      expect((await as('a-analyst', 'POST', '/packs', { name: 'phish', signatures: ['lure', 'kit'] })).status).toBe(403);
      const bad = await as('a-admin', 'POST', '/packs', { name: 'phish', signatures: ['nope'] });
      expect(bad.status).toBe(400);
      expect(bad.json<{ error: { message: string } }>().error.message).toBe('no signature nope in organisation acme');
      const published = await as('a-admin', 'POST', '/packs', { name: 'phish', signatures: ['lure', 'kit'], description: 'lures' });
      expect(published.status, published.body).toBe(200);
      expect(published.json()).toEqual({ pack: 'acme/phish', version: 1, signatures: ['kit', 'lure'], unchanged: false, subscribers: 0 });
      // Not granted yet: beta can neither see nor subscribe, as if it did not exist.
      expect((await as('b-admin', 'GET', '/packs/acme/phish')).status).toBe(404);
      expect((await as('b-admin', 'PUT', '/packs/acme/phish/subscription')).status).toBe(404);
      expect((await as('b-admin', 'GET', '/packs')).json()).toEqual({ published: [], offered: [] });
      // Only the publisher grants.
      expect((await as('b-admin', 'POST', '/packs/acme/phish/grants', { org: 'beta' })).status).toBe(404);
      const granted = await as('a-admin', 'POST', '/packs/acme/phish/grants', { org: 'beta' });
      expect(granted.status, granted.body).toBe(200);
      expect((await as('b-admin', 'GET', '/packs')).json<{ offered: { pack: string; subscription: unknown }[] }>().offered).toMatchObject([{ pack: 'acme/phish', subscription: null }]);
    });

    it('subscribes by an admin: the pack retro-hunts beta’s view of the data, and its tags name pack and version', async (t) => {
      if (!api) return t.skip();
      expect((await as('b-analyst', 'PUT', '/packs/acme/phish/subscription')).status).toBe(403);
      const sub = await as('b-admin', 'PUT', '/packs/acme/phish/subscription');
      expect(sub.status, sub.body).toBe(200);
      expect(sub.json()).toMatchObject({ pack: 'acme/phish', version: 1, changed: true, added: ['kit', 'lure'], hunt: { applied: { tags: 2, notifications: 1 } } });
      expect(await tags('b-analyst', 'lure-one.example')).toMatchObject([{ name: 'Lure', signature: 'acme/phish/lure', signature_version: 1, pack: { name: 'acme/phish', version: 1 } }]);
      // acme's own rows of the same signature are not a pack's.
      expect((await tags('a-analyst', 'lure-one.example')).map((x) => x.pack)).toEqual([undefined, undefined]);
      const view = await as('b-analyst', 'GET', '/packs/acme/phish');
      expect(view.json<{ signatures: { id: string; hits: number | null; enabled: boolean }[] }>().signatures.map((s) => [s.id, s.hits, s.enabled])).toEqual([
        ['kit', 1, true],
        ['lure', 1, true],
      ]);
      // The pack view's hits are the length of the signature's list on the pivot page.
      const listed = await as('b-analyst', 'GET', `/pivot?field=signature&value=${encodeURIComponent('acme/phish/lure')}`);
      expect(listed.json<{ items: { id: string }[] }>().items.map((i) => i.id)).toEqual(['lure-one.example']);
      expect((await as('a-analyst', 'GET', `/pivot?field=signature&value=${encodeURIComponent('acme/phish/lure')}`)).json<{ items: unknown[] }>().items).toEqual([]);
      // acme sees the subscription, not beta's hits, tags or notifications.
      const acmeList = await as('a-viewer', 'GET', '/packs');
      expect(acmeList.json<{ published: { grants: unknown[] }[] }>().published[0]!.grants).toEqual([{ org: 'beta', granted: '2026-03-01T12:00:00Z', subscribed_version: 1 }]);
      const acmeView = await as('a-viewer', 'GET', '/packs/acme/phish');
      expect(acmeView.json<{ signatures: { hits: unknown }[] }>().signatures.every((s) => s.hits === null)).toBe(true);
      expect(acmeView.body).not.toContain('lure-one');
      const acmeNotes = await as('a-viewer', 'GET', '/notifications');
      expect(acmeNotes.body).not.toContain('acme/phish/');
      expect((await tags('a-analyst', 'lure-one.example')).map((x) => x.signature).sort()).toEqual(['acme-private', 'lure']);
    });

    it('lets an analyst switch one pack signature off and on; the pack stays read-only through the signature routes', async (t) => {
      if (!api) return t.skip();
      const off = await as('b-analyst', 'POST', '/packs/acme/phish/signatures/kit/disable');
      expect(off.status, off.body).toBe(200);
      expect(await tags('b-analyst', 'kit-one.example')).toEqual([]);
      expect((await as('b-analyst', 'POST', `/signatures/${encodeURIComponent('acme/phish/lure')}/disable`)).status).toBe(404);
      expect((await as('b-analyst', 'POST', '/packs/acme/phish/signatures/acme-private/disable')).status).toBe(404);
      expect((await as('b-analyst', 'POST', '/packs/acme/phish/signatures/kit/enable')).status).toBe(200);
      expect(await tags('b-analyst', 'kit-one.example')).toMatchObject([{ name: 'Kit', signature: 'acme/phish/kit' }]);
    });

    it('moves beta to a new version when acme publishes it, then unsubscribing withdraws the pack’s tags', async (t) => {
      if (!api) return t.skip();
      expect((await as('a-analyst', 'POST', '/signatures', { text: SIGS.replace("patterns: ['lure']", "patterns: ['^lure-']") })).status).toBe(200);
      const v2 = await as('a-admin', 'POST', '/packs', { name: 'phish' });
      expect(v2.json()).toMatchObject({ version: 2, unchanged: false, subscribers: 1 });
      expect(await tags('b-analyst', 'lure-one.example')).toMatchObject([{ signature: 'acme/phish/lure', signature_version: 2, pack: { name: 'acme/phish', version: 2 } }]);
      const gone = await as('b-admin', 'DELETE', '/packs/acme/phish/subscription');
      expect(gone.status, gone.body).toBe(200);
      expect(gone.json()).toEqual({ pack: 'acme/phish', version: 2, withdrawn: { tags: 2, classifications: 0 } });
      expect(await tags('b-analyst', 'lure-one.example')).toEqual([]);
      expect(await tags('b-analyst', 'kit-one.example')).toEqual([]);
      const audit = await as('a-admin', 'GET', '/audit');
      expect(audit.json<{ items: { action: string; actor: string }[] }>().items.filter((e) => e.action.startsWith('pack.subscriber')).map((e) => `${e.action} ${e.actor}`)).toEqual([
        'pack.subscriber.remove org:beta',
        'pack.subscriber.add org:beta',
      ]);
      expect(audit.body).not.toContain('b-admin@');
      // Revoking consent: a later subscribe is refused.
      expect((await as('a-admin', 'DELETE', '/packs/acme/phish/grants/beta')).json()).toEqual({ revoked: true, unsubscribed: false });
      expect((await as('b-admin', 'PUT', '/packs/acme/phish/subscription')).status).toBe(404);
    });
  });
}

packApiSuite('SQLite', async () => ({ api: await testApi() }));
packApiSuite('PostgreSQL', async () => {
  const db = await createTestDatabase();
  if ('skip' in db) return db;
  return { api: await testApi(db.url), drop: () => db.drop() };
});
