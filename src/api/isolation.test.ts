// Isolation, walked over EVERY route the server registers (new routes join automatically):
// no credentials → 401; a member of another organisation → 404 for the organisation and for its
// objects, and never a byte of its data; a viewer → 403 for writes. Organisation A's data is
// the same afterwards. Signature packs (issue 18): acme publishes a pack of one signature
// (a-shared) to beta, and beta subscribes; the walks fill pack routes with that pack, so beta
// reads the pack's signatures and nothing else of acme's, and acme (its publisher) reads nothing
// of beta's: not the tags, notifications or hits the pack made there, nor beta's people.
import type { InjectOptions } from 'fastify';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { routeTable, type RouteInfo } from './server.js';
import { addOrg, addUser, createApiKey } from '../services/accounts.js';
import { testApi, type TestApi } from './test-support/api.js';

let api: TestApi;
/** Values only organisation acme has: none may appear in an answer to beta. */
const markers = new Set<string>(['a-sig', 'a-brand', 'acmebrand', 'AcmeTag', 'AcmeBrandTag', 'AcmeManual', 'a-admin@example.com', 'a-analyst@example.com', 'a-viewer@example.com']);
const ids: Record<string, string> = {};

/** acme's signature that it shares with beta as the pack a-pack; switched off in acme itself, so
 * SharedTag rows can only be beta's. */
const SHARED = `id: a-shared
title: shared by acme
enabled: false
field: domain
patterns: ['shared-thing']
actions: [{tag: SharedTag}, {alert: {severity: low}}]
`;

const SIG = `id: a-sig
title: acme only
field: domain
patterns: ['acme-evil']
actions: [{tag: AcmeTag}, {classify: suspicious}, {alert: {severity: high}}]
`;

/** acme's look-alike signature: its brand and look-alikes are on acme's brand page only. */
const BRAND = `id: a-brand
title: acme brand look-alikes
field: domain
match: lookalike
patterns: [acmebrand]
actions: [{tag: AcmeBrandTag}, {alert: {severity: high}}]
`;

beforeAll(async () => {
  // The seeded channel points at 127.0.0.1 (never sent to here): allowed past the SSRF guard.
  api = await testApi(undefined, { outboundGuard: { allow: ['127.0.0.1/32'] } });
  const { 'a-admin': admin, 'a-analyst': analyst } = api.users;
  const ok = async (user: typeof admin, opts: InjectOptions): Promise<unknown> => {
    const r = await api.request(user, opts);
    if (r.statusCode >= 300) throw new Error(`${String(opts.method)} ${JSON.stringify(opts.url)}: ${r.statusCode} ${r.body}`);
    return r.json();
  };
  await ok(analyst, { method: 'POST', url: '/api/v1/signatures', payload: { text: SIG } });
  await api.store.write([{ kind: 'domain', domain: 'acmebrand-login.example', observation: { source: 'test' } }]);
  await ok(analyst, { method: 'POST', url: '/api/v1/signatures', payload: { text: BRAND } });
  const brands = JSON.stringify(await ok(analyst, { method: 'GET', url: '/api/v1/brands' }));
  if (!brands.includes('"lookalikes":1')) throw new Error(`acme's brand page should hold its look-alike: ${brands}`);
  // Seen first: a view of a name Warren knows nothing of evaluates nothing (issue 13).
  await api.store.write([{ kind: 'domain', domain: 'acme-evil.example', observation: { source: 'test' } }]);
  await ok(analyst, { method: 'GET', url: '/api/v1/entities/acme-evil.example' });
  await ok(analyst, { method: 'POST', url: '/api/v1/entities/acme-evil.example/tags', payload: { tag: 'AcmeManual' } });
  await ok(analyst, { method: 'PUT', url: '/api/v1/entities/acme-evil.example/classification', payload: { classification: 'malicious' } });
  const notes = (await ok(analyst, { method: 'GET', url: '/api/v1/notifications' })) as { items: { id: string }[] };
  ids.notification = notes.items[0]!.id;
  markers.add(ids.notification);
  // Routes that exist only once their issue part lands are seeded when present.
  const channel = await api.request(admin, { method: 'POST', url: '/api/v1/channels', payload: { name: 'a-hook', type: 'webhook', url: 'http://127.0.0.1:9/hook', secret: 'acme-secret-value-0123456789' } });
  if (channel.statusCode < 300) markers.add('a-hook');
  // The pack: published by acme's admin, offered to beta, subscribed by beta's admin.
  await ok(analyst, { method: 'POST', url: '/api/v1/signatures', payload: { text: SHARED } });
  await ok(admin, { method: 'POST', url: '/api/v1/packs', payload: { name: 'a-pack', signatures: ['a-shared'] } });
  await ok(admin, { method: 'POST', url: '/api/v1/packs/acme/a-pack/grants', payload: { org: 'beta' } });
  await ok(api.users['b-admin'], { method: 'PUT', url: '/api/v1/packs/acme/a-pack/subscription' });
  const keys = await api.request(admin, { method: 'GET', url: '/api/v1/apikeys' });
  if (keys.statusCode === 200) {
    const body = keys.json<{ items?: { id: string }[] } | { id: string }[]>();
    const list = Array.isArray(body) ? body : (body.items ?? []);
    if (list[0]) ids.apikey = list[0].id;
  }
});
afterAll(() => api.close());

function fill(route: RouteInfo): string {
  return route.url.replace(/:([A-Za-z_]+)/g, (_m, name: string) => {
    if (route.url.startsWith('/api/v1/packs')) {
      const pack: Record<string, string> = { publisher: 'acme', pack: 'a-pack', consumer: 'beta', id: 'a-shared' };
      if (pack[name] !== undefined) return pack[name];
    }
    if (name === 'entity' || name === 'domain') return 'acme-evil.example';
    if (name === 'tag') return 'AcmeManual';
    if (name === 'brand') return 'acmebrand';
    if (name === 'name') return 'a-hook';
    if (name === 'hash') return '0'.repeat(64);
    if (name === 'job') return ids.job ?? 'no-such-job';
    if (route.url.startsWith('/api/v1/apikeys')) return ids.apikey ?? 'no-such-key';
    if (route.url.startsWith('/api/v1/notifications')) return ids.notification!;
    return 'a-sig';
  });
}

/** The routes that act in an organisation (everything authenticated but sign-in/out and /me). */
function orgScoped(r: RouteInfo): boolean {
  return r.auth !== undefined && r.auth !== 'none';
}

function routes(): RouteInfo[] {
  return routeTable(api.app).filter((r) => r.auth !== 'none');
}

function withQuery(url: string, query: string): string {
  return `${url}${url.includes('?') ? '&' : '?'}${query}`;
}

async function acmeState(): Promise<string> {
  const a = api.users['a-admin']!;
  const parts = await Promise.all(
    ['/api/v1/signatures', '/api/v1/entities/acme-evil.example', '/api/v1/notifications'].map(async (url) => (await api.request(a, { method: 'GET', url })).body),
  );
  // The lookup's last_matched moves with each view; compare without it.
  return parts.join('\n').replace(/"last_matched":"[^"]*"/g, '');
}

describe('every route', () => {
  it('is walked: the table has the routes of every group', () => {
    const urls = routes().map((r) => r.url);
    expect(urls.length).toBeGreaterThan(15);
    expect(urls).toEqual(expect.arrayContaining(['/api/v1/signatures', '/api/v1/entities/:entity', '/api/v1/notifications']));
  });

  it('answers 401 without credentials', async () => {
    for (const r of routes()) {
      const res = await api.request(undefined, { method: r.method, url: fill(r), payload: {} });
      expect(res.statusCode, `${r.method} ${r.url}`).toBe(401);
    }
  });

  it("answers 404 to a member of another organisation naming this one, and changes nothing", async () => {
    const before = await acmeState();
    for (const r of routes().filter(orgScoped)) {
      const res = await api.request(api.users['b-admin'], { method: r.method, url: withQuery(fill(r), 'org=acme'), payload: {} });
      expect(res.statusCode, `${r.method} ${r.url}`).toBe(404);
      for (const m of markers) expect(res.body.includes(m), `${r.method} ${r.url} leaked ${m}`).toBe(false);
    }
    expect(await acmeState()).toBe(before);
  });

  it("never shows another organisation's objects in its own organisation, and never acts on them", async () => {
    const before = await acmeState();
    for (const r of routes()) {
      const res = await api.request(api.users['b-admin'], { method: r.method, url: fill(r), payload: {} });
      expect(res.statusCode, `${r.method} ${r.url}: ${res.body}`).toBeLessThan(500);
      // An answer may repeat what the caller sent (the tag it named); nothing else of acme's.
      for (const m of [...markers].filter((x) => !fill(r).includes(x))) expect(res.body.includes(m), `${r.method} ${r.url} leaked ${m}: ${res.body.slice(0, 300)}`).toBe(false);
    }
    expect(await acmeState()).toBe(before);
  });

  it('answers 403 to a viewer on every route that needs more', async () => {
    const before = await acmeState();
    for (const r of routes().filter((x) => x.auth === 'analyst' || x.auth === 'admin')) {
      const res = await api.request(api.users['a-viewer'], { method: r.method, url: fill(r), payload: {} });
      expect(res.statusCode, `${r.method} ${r.url}`).toBe(403);
    }
    for (const r of routes().filter((x) => x.auth === 'admin')) {
      const res = await api.request(api.users['a-analyst'], { method: r.method, url: fill(r), payload: {} });
      expect(res.statusCode, `${r.method} ${r.url}`).toBe(403);
    }
    expect(await acmeState()).toBe(before);
  });
});

describe('the default organisation (issue 10, item 2)', () => {
  it("keeps zed's PassiveTotal client in zorg after zed accepts beta's invitation, and beta's audit never sees zed's tags", async () => {
    const now = '2026-03-01T12:00:00Z';
    // zed: the operator's user of "zorg" (after "beta" by name), with a key of zorg and an unscoped one.
    await addOrg(api.store, 'zorg', now);
    await addUser(api.store, { email: 'zed@zorg.example', org: 'zorg', role: 'analyst', now });
    const scoped = { email: 'zed@zorg.example', key: (await createApiKey(api.store, 'zed@zorg.example', 'pt', now, 'zorg')).key, org: 'zorg', role: 'analyst' as const };
    const unscoped = { ...scoped, key: (await createApiKey(api.store, 'zed@zorg.example', 'old pt', now)).key };
    const bAdmin = api.users['b-admin']!;

    const invited = await api.request(bAdmin, { method: 'POST', url: '/api/v1/users', payload: { email: 'zed@zorg.example', role: 'viewer' } });
    expect(invited.statusCode, invited.body).toBe(201);
    expect(invited.json()).toMatchObject({ status: 'invited' });
    // Not a member yet: zed's clients act in zorg, and beta cannot be named.
    expect((await api.request(unscoped, { method: 'GET', url: '/v2/account?org=beta' })).statusCode).toBe(404);
    const inv = (await api.request(unscoped, { method: 'GET', url: '/api/v1/invitations' })).json<{ id: string; org: string }[]>();
    expect(inv.map((i) => i.org)).toEqual(['beta']);
    expect((await api.request(unscoped, { method: 'POST', url: `/api/v1/invitations/${inv[0]!.id}/accept`, payload: {} })).statusCode).toBe(200);

    for (const client of [scoped, unscoped]) {
      const account = await api.request(client, { method: 'GET', url: '/v2/account' });
      expect(account.statusCode, account.body).toBe(200);
      expect(account.json()).toMatchObject({ username: 'zed@zorg.example', organization: 'zorg' });
      const tagged = await api.request(client, { method: 'POST', url: '/v2/actions/tags', payload: { query: 'zed-private.example', tags: ['ZedSecret'] } });
      expect(tagged.statusCode, tagged.body).toBe(200);
    }
    const zorgTags = await api.request(unscoped, { method: 'GET', url: '/v2/actions/tags?query=zed-private.example' });
    expect(zorgTags.json()).toEqual({ tags: ['ZedSecret'] });
    const betaTags = await api.request(bAdmin, { method: 'GET', url: '/v2/actions/tags?query=zed-private.example' });
    expect(betaTags.json()).toEqual({ tags: [] });
    const betaAudit = await api.request(bAdmin, { method: 'GET', url: '/api/v1/audit' });
    expect(betaAudit.body).not.toContain('ZedSecret');
    expect(betaAudit.body).not.toContain('zed-private');
    // Beta's own pack subscription (seeded above) is in its log too; of zorg's, nothing.
    expect(betaAudit.json<{ items: { action: string }[] }>().items.map((e) => e.action).filter((a) => !a.startsWith('pack.'))).toEqual(['invitation.accept', 'invitation.create']);
    // The zorg key cannot be pointed at beta either.
    expect((await api.request(scoped, { method: 'GET', url: '/v2/account?org=beta' })).statusCode).toBe(404);
  });
});

describe('ingest summaries (issue 10, item 3)', () => {
  it("never count or raise another organisation's actions: beta's upload of acme's match shows nothing of acme", async () => {
    const before = await acmeState();
    const beta = api.users['b-analyst']!;
    const body = `${JSON.stringify({ kind: 'domain', domain: 'acme-evil-probe.example' })}\n`;
    const res = await api.request(beta, { method: 'POST', url: '/api/v1/ingest', payload: body, headers: { 'content-type': 'application/x-ndjson' } });
    expect(res.statusCode, res.body).toBe(202);
    const id = res.json<{ job: string }>().job;
    let job: { status: string; summary: { actions: Record<string, number> } } | undefined;
    for (let i = 0; i < 3000; i++) {
      const r = await api.request(beta, { method: 'GET', url: `/api/v1/ingest/${id}` });
      job = r.json();
      if (job!.status !== 'running') break;
      await new Promise((resolve) => setTimeout(resolve, 10));
    }
    expect(job?.status).toBe('done');
    // acme's signature (pattern acme-evil) matches the uploaded name; beta's summary counts none of it.
    expect(job!.summary.actions).toEqual({ tags: 0, classifications: 0, notifications: 0 });
    for (const m of markers) expect(JSON.stringify(job).includes(m), `job leaked ${m}`).toBe(false);
    expect(await acmeState()).toBe(before);
    const acmeNotes = await api.store.db.selectFrom('notifications').select('entity').where('org', '=', 'acme').where('entity', '=', 'acme-evil-probe.example').execute();
    expect(acmeNotes).toEqual([]);
  });
});

describe('memberships (issue 10, item 1)', () => {
  it("an admin of another organisation can neither add acme's users nor see or revoke their keys, and learns nothing of who exists", async () => {
    const before = await acmeState();
    const b = api.users['b-admin']!;
    const victim = api.users['a-viewer']!;
    const invite = async (email: string): Promise<{ status: number; body: Record<string, unknown> }> => {
      const r = await api.request(b, { method: 'POST', url: '/api/v1/users', payload: { email, role: 'viewer' } });
      return { status: r.statusCode, body: r.json() };
    };
    const existing = await invite(victim.email);
    const unknown = await invite('nobody-at-all@example.com');
    // An invitation, answered alike for an account that exists and one that does not.
    expect(existing.status).toBe(unknown.status);
    const shape = (x: Record<string, unknown>): string[] => Object.keys(x).sort();
    expect(shape(existing.body)).toEqual(shape(unknown.body));
    expect(existing.body).toMatchObject({ status: 'invited', org: 'beta' });
    // Not a member until the victim accepts: beta's admin reaches none of their keys.
    expect((await api.request(b, { method: 'GET', url: `/api/v1/apikeys?user=${encodeURIComponent(victim.email)}` })).statusCode).toBe(404);
    if (ids.apikey) expect((await api.request(b, { method: 'DELETE', url: `/api/v1/apikeys/${ids.apikey}` })).statusCode).toBe(404);
    expect((await api.request(victim, { method: 'GET', url: '/api/v1/me' })).json<{ organisations: { org: string }[] }>().organisations.map((m) => m.org)).toEqual(['acme']);
    expect((await api.request(victim, { method: 'GET', url: '/api/v1/notifications' })).statusCode).toBe(200);
    expect(await acmeState()).toBe(before);
  });
});

describe('signature packs (issue 18, item 4)', () => {
  it("shows the subscriber the pack's signatures and its own rows they made, nothing else of the publisher's", async () => {
    const b = api.users['b-analyst']!;
    // The walks above may have ended or changed beta's subscription: start it afresh.
    await api.request(api.users['b-admin'], { method: 'DELETE', url: '/api/v1/packs/acme/a-pack/subscription' });
    expect((await api.request(api.users['b-admin'], { method: 'PUT', url: '/api/v1/packs/acme/a-pack/subscription' })).statusCode).toBe(200);
    const pack = await api.request(b, { method: 'GET', url: '/api/v1/packs/acme/a-pack' });
    expect(pack.statusCode).toBe(200);
    expect(pack.json<{ signatures: { id: string }[] }>().signatures.map((s) => s.id)).toEqual(['a-shared']);
    await api.store.write([{ kind: 'domain', domain: 'shared-thing.example', observation: { source: 'test' } }]);
    const seen = await api.request(b, { method: 'GET', url: '/api/v1/entities/shared-thing.example' });
    expect(seen.json<{ tags: { name: string; signature: string }[] }>().tags.map((t) => [t.name, t.signature])).toEqual([['SharedTag', 'acme/a-pack/a-shared']]);
    for (const m of markers) expect(pack.body.includes(m) || seen.body.includes(m), `leaked ${m}`).toBe(false);
  });

  it("never shows the publisher the subscriber's tags, notifications, hits or people, on any route", async () => {
    const b = api.users['b-analyst']!;
    await api.request(b, { method: 'GET', url: '/api/v1/entities/shared-thing.example' });
    await api.request(b, { method: 'POST', url: '/api/v1/entities/shared-thing.example/tags', payload: { tag: 'BetaManual' } });
    const notes = (await api.request(b, { method: 'GET', url: '/api/v1/notifications' })).json<{ items: { id: string; signature: string }[] }>();
    const packNote = notes.items.find((n) => n.signature === 'acme/a-pack/a-shared');
    expect(packNote).toBeDefined();
    const betaMarkers = ['BetaManual', packNote!.id, 'b-admin@example.com', 'b-analyst@example.com'];
    const a = api.users['a-admin']!;
    // What acme sees of the entity beta's pack rows sit on: nothing of them.
    const entity = await api.request(a, { method: 'GET', url: '/api/v1/entities/shared-thing.example' });
    expect(entity.json<{ tags: unknown[] }>().tags).toEqual([]);
    const pivot = await api.request(a, { method: 'GET', url: '/api/v1/pivot?field=tag&value=SharedTag' });
    expect(pivot.body).not.toContain('shared-thing.example');
    // Every read: acme's own writes (its key's revocation among them) would only cut the walk short.
    const reads = routes().filter((r) => r.method === 'GET');
    expect(reads.map((r) => r.url)).toEqual(expect.arrayContaining(['/api/v1/audit', '/api/v1/packs', '/api/v1/packs/:publisher/:pack', '/api/v1/notifications']));
    for (const r of reads) {
      const res = await api.request(a, { method: r.method, url: fill(r), payload: {} });
      expect(res.statusCode, `${r.method} ${r.url}: ${res.body}`).toBeLessThan(500);
      expect([401, 403], `${r.method} ${r.url}: ${res.body}`).not.toContain(res.statusCode);
      for (const m of betaMarkers) expect(res.body.includes(m), `${r.method} ${r.url} leaked ${m}`).toBe(false);
      // The pack's own text (its signature, in acme's list, pack view and audit log; its runs_as
      // ids in the pack view) is acme's; the rows it made are beta's.
      const ownText = ['/api/v1/signatures', '/api/v1/packs', '/api/v1/audit'].some((p) => r.url.startsWith(p));
      if (!ownText) expect(res.body.includes('SharedTag'), `${r.method} ${r.url} leaked SharedTag`).toBe(false);
      if (!r.url.startsWith('/api/v1/packs')) expect(res.body.includes('acme/a-pack/a-shared'), `${r.method} ${r.url} leaked the pack's rows`).toBe(false);
    }
  });
});
