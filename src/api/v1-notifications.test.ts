// Notification triage over the API (issue 15), on SQLite and PostgreSQL. THE BUG first: "Mark
// all read" on `/notifications?unread=1&severity=low` marked every unread notification read; a
// bulk action now acts on the list's own filter (or on ids) and never on more. Then status,
// assignee and comments (audited), groups, the title filter, pages with totals, headlines with
// titles and short hashes, the exclusion a false positive adds to its signature, another
// organisation's notifications never shown or changed, and viewers refused every write.
import { describe, expect, it, vi } from 'vitest';
import { createNotification, type NewNotification } from '../store/notifications.js';
import { createTestDatabase } from '../store/scratch-postgres.js';
import { testApi, type TestApi, type TestUser } from './test-support/api.js';

vi.hoisted(() => {
  process.env.WARREN_SCRYPT_N ??= '1024';
});

const T1 = '2026-02-01T00:00:00Z';
const T2 = '2026-02-02T00:00:00Z';
const CERT = '3520e900d8e2b6c1d0c3f2a9b8e7f6a5d4c3b2a1f0e9d8c7b6a5f4e3d2ca23c6';

const SIGNATURES = `id: lure-domains
title: Login lures of a phishing kit
field: domain
patterns: ['lure']
actions: [{alert: {severity: low}}]
---
id: bank-domains
title: Look-alikes of our bank
field: domain
patterns: ['bank']
actions: [{alert: {severity: high}}]
---
id: bad-cert
title: Certificates of a known kit
field: x509.sha256
match: literal
patterns: ['${CERT}']
actions: [{alert: {}}]
`;

interface Item {
  id: string;
  signature: string;
  title: string;
  display: string;
  entity: string;
  severity: string;
  read: boolean;
  status: string;
  status_at: string | null;
  status_by: string | null;
  assignee: string | null;
  comments: number;
}
interface Page {
  items: Item[];
  next: string | null;
  total: number;
  offset: number;
}
interface Group {
  signature: string;
  title: string;
  count: number;
  unread: number;
  byStatus: Record<string, number>;
  bySeverity: Record<string, number>;
}
interface AuditRow {
  actor: string;
  action: string;
  target: string;
  before?: unknown;
  after?: unknown;
}

function note(org: string, signature: string, severity: string, entity: string, kind = 'domain'): NewNotification {
  return { org, signature, signatureVersion: 1, kind, entity, field: kind === 'domain' ? 'domain' : 'x509.sha256', value: entity, severity, headline: `Signature ${signature} matched ${kind} ${entity}`, content: '' };
}

/**
 * acme: lure-domains and bank-domains, 5 low and 5 high each (a signature's severity changed
 * between versions, so both signatures have both), and one bad-cert notification; beta: 4 of its
 * own (the same signature ids). Nothing read, everything open.
 */
async function seed(api: TestApi): Promise<void> {
  const r = await api.request(api.users['a-analyst'], { method: 'POST', url: '/api/v1/signatures', payload: { text: SIGNATURES } });
  expect(r.statusCode, r.body).toBe(200);
  for (const sig of ['lure-domains', 'bank-domains']) {
    for (const [severity, at] of [['low', T1], ['high', T2]] as const) {
      for (let i = 0; i < 5; i++) await createNotification(api.store.db, note('acme', sig, severity, `${sig.split('-')[0]}-${severity}-${i}.example`), at);
    }
  }
  await createNotification(api.store.db, note('acme', 'bad-cert', 'medium', CERT, 'certificate'), T2);
  for (let i = 0; i < 4; i++) await createNotification(api.store.db, note('beta', i % 2 ? 'lure-domains' : 'bank-domains', i < 2 ? 'low' : 'high', `beta-${i}.example`), T1);
}

function triageSuite(name: string, open: () => Promise<{ api: TestApi; drop?: () => Promise<void> } | { skip: string }>): void {
  describe(`notification triage over the API on ${name}`, () => {
    let api: TestApi | undefined;
    let drop: (() => Promise<void>) | undefined;
    let skip: string | undefined;

    const setUp = async (): Promise<TestApi> => {
      const made = await open();
      if ('skip' in made) {
        skip = made.skip;
        console.warn(`skipping ${name} triage tests: ${skip}`);
        throw new Error('no store');
      }
      ({ api, drop } = made);
      await seed(made.api);
      return made.api;
    };
    const tearDown = async (): Promise<void> => {
      await api?.close();
      await drop?.();
      api = undefined;
      drop = undefined;
    };
    /** Each test on a fresh, seeded store (the bulk actions change it). */
    const live = (title: string, body: (api: TestApi) => Promise<void>, timeout = 30_000): void => {
      it(title, async (t) => {
        try {
          await setUp();
        } catch (e) {
          if (skip) return t.skip();
          throw e;
        }
        try {
          await body(api!);
        } finally {
          await tearDown();
        }
      }, timeout);
    };

    const call = async <T>(api: TestApi, user: TestUser | undefined, method: 'GET' | 'POST' | 'PATCH', url: string, payload?: unknown, status = method === 'POST' && url.endsWith('/comments') ? 201 : 200): Promise<T> => {
      const r = await api.request(user, { method, url: `/api/v1${url}`, ...(payload !== undefined ? { payload: payload as Record<string, unknown> } : {}) });
      expect(r.statusCode, `${method} ${url}: ${r.body}`).toBe(status);
      return r.json<T>();
    };
    const list = (api: TestApi, query = '', user = api.users['a-viewer']): Promise<Page> => call<Page>(api, user, 'GET', `/notifications?limit=1000${query ? `&${query}` : ''}`);
    const auditOf = async (api: TestApi): Promise<AuditRow[]> =>
      (await call<{ items: AuditRow[] }>(api, api.users['a-admin'], 'GET', '/audit?limit=1000')).items.filter((e) => e.action.startsWith('notification.') || e.action.startsWith('signature.change')).reverse();
    /** Every acme notification as id → "read/status/assignee". */
    const stateOf = async (api: TestApi, user = api.users['a-viewer']): Promise<Map<string, string>> =>
      new Map((await list(api, '', user)).items.map((n) => [n.id, `${n.read}/${n.status}/${n.assignee ?? '-'}`]));

    live('marks read only the filtered set: unread=1&severity=low changes the low ones and nothing else (the bug)', async (api) => {
      const analyst = api.users['a-analyst']!;
      const before = await list(api);
      expect(before.total).toBe(21);
      const shown = await list(api, 'unread=true&severity=low');
      expect(shown.total).toBe(10);
      expect(new Set(shown.items.map((n) => n.signature))).toEqual(new Set(['lure-domains', 'bank-domains']));
      const betaBefore = await stateOf(api, api.users['b-analyst']);

      // What the UI's "Mark all N read" sends: the list's query, and matching: true.
      expect(await call(api, analyst, 'POST', '/notifications/read?unread=true&severity=low', { matching: true })).toEqual({ updated: 10 });
      const after = await list(api);
      for (const n of after.items) expect(n.read, `${n.signature} ${n.severity} ${n.entity}`).toBe(n.severity === 'low');
      expect((await list(api, 'unread=true')).total).toBe(11);
      expect(await stateOf(api, api.users['b-analyst'])).toEqual(betaBefore);

      // A narrower filter: one signature's high ones, and again only those.
      expect(await call(api, analyst, 'POST', '/notifications/read?signature=bank-domains&severity=high', { matching: true })).toEqual({ updated: 5 });
      expect((await list(api, 'unread=true')).items.map((n) => `${n.signature}/${n.severity}`).sort()).toEqual(['bad-cert/medium', ...Array<string>(5).fill('lure-domains/high')]);

      // Ids are a selection of their own, and a filter given with them narrows it, never widens it.
      const highLure = (await list(api, 'signature=lure-domains&severity=high')).items.map((n) => n.id);
      expect(await call(api, analyst, 'POST', '/notifications/read?severity=low', { ids: highLure })).toEqual({ updated: 0 });
      expect(await call(api, analyst, 'POST', '/notifications/read', { ids: highLure.slice(0, 2) })).toEqual({ updated: 2 });
      expect(await call(api, analyst, 'POST', '/notifications/read', { ids: highLure.slice(0, 2), read: false })).toEqual({ updated: 2 });
      expect((await list(api, 'unread=true')).total).toBe(6);

      // Neither, both, or the old "all": refused; nothing changes.
      const state = await stateOf(api);
      for (const body of [{}, { read: true }, { ids: highLure, matching: true }, { all: true }, { ids: [] }]) {
        const r = await api.request(analyst, { method: 'POST', url: '/api/v1/notifications/read', payload: body });
        expect(r.statusCode, JSON.stringify(body)).toBe(400);
      }
      expect(await stateOf(api)).toEqual(state);
    });

    live('sets status and assignee on a filtered set or one notification, audited per notification; comments too', async (api) => {
      const analyst = api.users['a-analyst']!;
      expect(
        await call<{ updated: number; ids: string[] }>(api, analyst, 'POST', '/notifications/triage?signature=bank-domains&severity=high', { matching: true, status: 'acknowledged', assignee: 'a-admin@example.com' }),
      ).toMatchObject({ updated: 5 });
      const acked = await list(api, 'status=acknowledged');
      expect(acked.items.map((n) => `${n.signature}/${n.severity}/${n.assignee}/${n.status_by}/${n.status_at}`)).toEqual(Array(5).fill('bank-domains/high/a-admin@example.com/a-analyst@example.com/2026-03-01T12:00:00Z'));
      expect((await list(api, 'status=open')).total).toBe(16);
      expect((await list(api, 'assignee=none')).total).toBe(16);
      expect((await list(api, 'assignee=A-Admin@Example.com')).total).toBe(5);
      let audit = await auditOf(api);
      expect(audit).toHaveLength(10);
      expect(audit.filter((e) => e.action === 'notification.status').map((e) => [e.actor, e.before, e.after])).toEqual(Array(5).fill(['a-analyst@example.com', { status: 'open' }, { status: 'acknowledged' }]));
      expect(new Set(audit.map((e) => e.target))).toEqual(new Set(acked.items.map((n) => `notification:${n.id}`)));

      // One notification: a status, then the same again (no row), then unassigned.
      const one = acked.items[0]!;
      const patched = await call<Item>(api, analyst, 'PATCH', `/notifications/${one.id}`, { status: 'false_positive' });
      expect(patched).toMatchObject({ id: one.id, status: 'false_positive', assignee: 'a-admin@example.com' });
      await call(api, analyst, 'PATCH', `/notifications/${one.id}`, { status: 'false_positive' });
      await call(api, analyst, 'PATCH', `/notifications/${one.id}`, { assignee: null });
      audit = await auditOf(api);
      expect(audit.slice(10).map((e) => [e.action, e.target, e.before, e.after])).toEqual([
        ['notification.status', `notification:${one.id}`, { status: 'acknowledged' }, { status: 'false_positive' }],
        ['notification.assign', `notification:${one.id}`, { assignee: 'a-admin@example.com' }, { assignee: null }],
      ]);

      // Refusals: not a member (beta's analyst), no change named, a status not in the list, no such id.
      for (const [url, body, status] of [
        [`/notifications/${one.id}`, { assignee: 'b-analyst@example.com' }, 400],
        [`/notifications/${one.id}`, {}, 400],
        [`/notifications/${one.id}`, { status: 'closed' }, 400],
        ['/notifications/no-such-id', { status: 'resolved' }, 404],
      ] as const) {
        const r = await api.request(analyst, { method: 'PATCH', url: `/api/v1${url}`, payload: body });
        expect(r.statusCode, `${url} ${JSON.stringify(body)}: ${r.body}`).toBe(status);
      }
      expect(await auditOf(api)).toHaveLength(12);

      // Comments: kept in order with their author and time, counted on the list, audited.
      await call(api, analyst, 'POST', `/notifications/${one.id}/comments`, { text: '  a partner’s domain, not a look-alike  ' });
      await call(api, api.users['a-admin'], 'POST', `/notifications/${one.id}/comments`, { text: 'agreed' });
      const detail = await call<{ notification: Item; comments: { author: string; at: string; text: string }[] }>(api, api.users['a-viewer'], 'GET', `/notifications/${one.id}`);
      expect(detail.notification).toMatchObject({ id: one.id, comments: 2, status: 'false_positive', title: 'Look-alikes of our bank' });
      expect(detail.comments.map((c) => [c.author, c.text, c.at])).toEqual([
        ['a-analyst@example.com', 'a partner’s domain, not a look-alike', '2026-03-01T12:00:00Z'],
        ['a-admin@example.com', 'agreed', '2026-03-01T12:00:00Z'],
      ]);
      expect((await auditOf(api)).slice(12).map((e) => [e.actor, e.action, e.after])).toEqual([
        ['a-analyst@example.com', 'notification.comment', { text: 'a partner’s domain, not a look-alike' }],
        ['a-admin@example.com', 'notification.comment', { text: 'agreed' }],
      ]);
      const blank = await api.request(analyst, { method: 'POST', url: `/api/v1/notifications/${one.id}/comments`, payload: { text: '   ' } });
      expect(blank.statusCode).toBe(400);
    });

    live('groups by signature with counts and titles, under the same filters', async (api) => {
      const groups = await call<{ groups: Group[]; total: number; notifications: number }>(api, api.users['a-viewer'], 'GET', '/notifications/groups');
      expect(groups.total).toBe(3);
      expect(groups.notifications).toBe(21);
      expect(groups.groups.map((g) => [g.signature, g.title, g.count, g.unread, g.bySeverity.low, g.bySeverity.high])).toEqual([
        ['bank-domains', 'Look-alikes of our bank', 10, 10, 5, 5],
        ['lure-domains', 'Login lures of a phishing kit', 10, 10, 5, 5],
        ['bad-cert', 'Certificates of a known kit', 1, 1, 0, 0],
      ]);
      await call(api, api.users['a-analyst'], 'POST', '/notifications/triage?signature=lure-domains&severity=low', { matching: true, status: 'resolved' });
      const open = await call<{ groups: Group[]; total: number; notifications: number }>(api, api.users['a-viewer'], 'GET', '/notifications/groups?status=open&severity=low');
      expect(open.groups.map((g) => [g.signature, g.count])).toEqual([['bank-domains', 5]]);
      expect(open.notifications).toBe(5);
      const lure = (await call<{ groups: Group[] }>(api, api.users['a-viewer'], 'GET', '/notifications/groups?signature=lure-domains')).groups[0]!;
      expect(lure.byStatus).toEqual({ open: 5, acknowledged: 0, resolved: 5, false_positive: 0 });
    });

    live("filters by the signature's title or id, any case, and pages with totals kept as an offset", async (api) => {
      expect(new Set((await list(api, 'title=PHISHING%20KIT')).items.map((n) => n.signature))).toEqual(new Set(['lure-domains']));
      expect((await list(api, 'title=bank-dom')).total).toBe(10);
      expect((await list(api, 'title=known%20kit')).items.map((n) => n.signature)).toEqual(['bad-cert']);
      expect((await list(api, 'title=nothing-like-it')).total).toBe(0);
      // Beta's signatures of the same ids are beta's: its title search sees only its own.
      expect((await list(api, 'title=lure', api.users['b-analyst'])).total).toBe(2);

      const all = (await list(api)).items.map((n) => n.id);
      const page2 = await call<Page>(api, api.users['a-viewer'], 'GET', '/notifications?limit=5&offset=5');
      expect(page2).toMatchObject({ total: 21, offset: 5 });
      expect(page2.items.map((n) => n.id)).toEqual(all.slice(5, 10));
      const page3 = await call<Page>(api, api.users['a-viewer'], 'GET', `/notifications?limit=5&cursor=${page2.next}`);
      expect(page3.items.map((n) => n.id)).toEqual(all.slice(10, 15));
      const last = await call<Page>(api, api.users['a-viewer'], 'GET', '/notifications?limit=5&offset=20');
      expect(last).toMatchObject({ total: 21, next: null });
      expect(last.items).toHaveLength(1);
      for (const bad of ['status=closed', 'since=yesterday', 'cursor=%21', 'offset=-1']) {
        expect((await api.request(api.users['a-viewer'], { method: 'GET', url: `/api/v1/notifications?${bad}` })).statusCode, bad).toBe(400);
      }
    });

    live("names the signature's title and the entity in the headline, hashes shortened", async (api) => {
      const items = (await list(api)).items;
      const cert = items.find((n) => n.signature === 'bad-cert')!;
      expect(cert.display).toBe('Certificates of a known kit — certificate 3520e900…a23c6');
      expect(cert.entity).toBe(CERT);
      const lure = items.find((n) => n.entity === 'lure-low-0.example')!;
      expect(lure.display).toBe('Login lures of a phishing kit — domain lure-low-0.example');
    });

    live("never shows or changes another organisation's notifications", async (api) => {
      const acme = await stateOf(api);
      const acmeIds = [...acme.keys()];
      const b = api.users['b-analyst']!;
      const theirs = await list(api, '', b);
      expect(theirs.total).toBe(4);
      expect(theirs.items.some((n) => acmeIds.includes(n.id))).toBe(false);
      // Beta's bulk actions on everything it sees, and on acme's ids, change only beta's.
      expect(await call(api, b, 'POST', '/notifications/read', { matching: true })).toEqual({ updated: 4 });
      expect(await call(api, b, 'POST', '/notifications/triage', { matching: true, status: 'resolved' })).toMatchObject({ updated: 4 });
      expect(await call(api, b, 'POST', '/notifications/read', { ids: acmeIds.slice(0, 100) })).toEqual({ updated: 0 });
      expect(await call(api, b, 'POST', '/notifications/triage', { ids: acmeIds.slice(0, 100), status: 'resolved' })).toEqual({ updated: 0, ids: [] });
      for (const [method, url, payload] of [
        ['GET', `/notifications/${acmeIds[0]}`, undefined],
        ['PATCH', `/notifications/${acmeIds[0]}`, { status: 'resolved' }],
        ['POST', `/notifications/${acmeIds[0]}/comments`, { text: 'mine now' }],
        ['GET', `/notifications/${acmeIds[0]}/exclusion`, undefined],
        ['POST', `/notifications/${acmeIds[0]}/exclusion`, {}],
      ] as const) {
        const r = await api.request(b, { method, url: `/api/v1${url}`, ...(payload ? { payload } : {}) });
        expect(r.statusCode, `${method} ${url}`).toBe(404);
        // Naming acme outright is a 404 for the organisation itself.
        const named = await api.request(b, { method, url: `/api/v1${url}?org=acme`, ...(payload ? { payload } : {}) });
        expect(named.statusCode, `${method} ${url}?org=acme`).toBe(404);
      }
      const groups = await call<{ groups: Group[] }>(api, b, 'GET', '/notifications/groups');
      expect(groups.groups.reduce((s, g) => s + g.count, 0)).toBe(4);
      expect(await stateOf(api)).toEqual(acme);
      expect((await call<{ email: string }[]>(api, b, 'GET', '/notifications/assignees')).map((m) => m.email)).toEqual(['b-admin@example.com', 'b-analyst@example.com']);
    });

    live('refuses every write to a viewer, who still reads everything', async (api) => {
      const viewer = api.users['a-viewer']!;
      const id = (await list(api)).items[0]!.id;
      const before = await stateOf(api);
      for (const [method, url, payload] of [
        ['POST', '/notifications/read?severity=low', { matching: true }],
        ['POST', '/notifications/read', { ids: [id] }],
        ['POST', '/notifications/triage', { ids: [id], status: 'acknowledged' }],
        ['PATCH', `/notifications/${id}`, { status: 'acknowledged' }],
        ['POST', `/notifications/${id}/comments`, { text: 'hello' }],
        ['POST', `/notifications/${id}/exclusion`, {}],
      ] as const) {
        const r = await api.request(viewer, { method, url: `/api/v1${url}`, payload });
        expect(r.statusCode, `${method} ${url}`).toBe(403);
      }
      expect(await stateOf(api)).toEqual(before);
      await call(api, viewer, 'GET', `/notifications/${id}`);
      await call(api, viewer, 'GET', `/notifications/${id}/exclusion`);
      await call(api, viewer, 'GET', '/notifications/groups');
      expect((await call<{ email: string; role: string }[]>(api, viewer, 'GET', '/notifications/assignees')).map((m) => m.email)).toEqual([
        'a-admin@example.com',
        'a-analyst@example.com',
        'a-viewer@example.com',
      ]);
    });

    live('adds the exclusion a false positive offers to its signature: a new version that stops that value only', async (api) => {
      const analyst = api.users['a-analyst']!;
      const sig = `id: brand-watch
title: Domains using our brand
field: domain
patterns: ['brandx']
actions: [{tag: Brand_Watch}, {alert: {severity: medium}}]
tests:
  match: ['brandx-login.example', 'brandx.partner.example']
  no_match: ['example.com']
`;
      expect((await api.request(analyst, { method: 'POST', url: '/api/v1/signatures', payload: { text: sig } })).statusCode).toBe(200);
      await api.store.write([
        { kind: 'domain', domain: 'brandx-login.example', observation: { source: 'test' } },
        { kind: 'domain', domain: 'brandx.partner.example', observation: { source: 'test' } },
      ]);
      for (const d of ['brandx-login.example', 'brandx.partner.example']) await call(api, analyst, 'GET', `/entities/${d}`);
      const partner = (await list(api, 'signature=brand-watch')).items.find((n) => n.entity === 'brandx.partner.example')!;
      await call(api, analyst, 'PATCH', `/notifications/${partner.id}`, { status: 'false_positive' });

      const offer = await call<{ applicable: boolean; pattern: string; text: string }>(api, api.users['a-viewer'], 'GET', `/notifications/${partner.id}/exclusion`);
      expect(offer).toMatchObject({ applicable: true, signature: 'brand-watch', match: 'regex', value: 'brandx.partner.example', pattern: '^brandx\\.partner\\.example$' });
      expect(offer.text).toContain('exclude:');
      const added = await call<{ version: number; withdrawn: { tags: number } }>(api, analyst, 'POST', `/notifications/${partner.id}/exclusion`, {});
      expect(added).toMatchObject({ signature: 'brand-watch', pattern: '^brandx\\.partner\\.example$', version: 2, withdrawn: { tags: 1 } });

      // The signature now excludes it, its tests say so, and the audit names the change.
      const exported = await api.request(analyst, { method: 'GET', url: '/api/v1/signatures/export?ids=brand-watch' });
      expect(exported.body).toMatch(/exclude:\s*\n\s*- \^brandx\\\.partner\\\.example\$/);
      expect(exported.body).toMatch(/no_match:\s*\n\s*- example\.com\s*\n\s*- brandx\.partner\.example/);
      const change = (await auditOf(api)).find((e) => e.action === 'signature.change')!;
      expect(change).toMatchObject({ actor: 'a-analyst@example.com', target: 'signature:brand-watch', after: { exclude: ['^brandx\\.partner\\.example$'] } });
      const tagged = async (d: string): Promise<string[]> => (await call<{ tags: { name: string }[] }>(api, analyst, 'GET', `/entities/${d}`)).tags.map((t) => t.name);
      expect(await tagged('brandx.partner.example')).toEqual([]);
      expect(await tagged('brandx-login.example')).toEqual(['Brand_Watch']);

      // Nothing more to add: the offer says why, and adding again is a conflict.
      const none = await call<{ applicable: boolean; reason: string }>(api, analyst, 'GET', `/notifications/${partner.id}/exclusion`);
      expect(none.applicable).toBe(false);
      expect(none.reason).toMatch(/already excludes brandx\.partner\.example/);
      expect((await api.request(analyst, { method: 'POST', url: `/api/v1/notifications/${partner.id}/exclusion`, payload: {} })).statusCode).toBe(409);
    });
  });
}

triageSuite('SQLite', async () => ({ api: await testApi() }));
triageSuite('PostgreSQL', async () => {
  const db = await createTestDatabase();
  if ('skip' in db) return db;
  return { api: await testApi(db.url), drop: () => db.drop() };
});
