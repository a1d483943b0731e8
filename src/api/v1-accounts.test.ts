// Accounts over the API: members, invitations (an organisation admin invites, the invitee
// accepts; a server admin adds directly), API keys (your own; admins also their members' keys
// of the organisation), the organisation a request acts in, sign-in limits, and the audit log.
// The issue 10 reproductions: another organisation's admin can neither add nor act on a user.
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import type { FastifyInstance } from 'fastify';
import { addUser, createApiKey } from '../services/accounts.js';
import { buildServer } from './server.js';
import { NOW, testApi, type TestApi } from './test-support/api.js';

// Hoisted above the imports by vitest: services/accounts.ts reads the scrypt cost when it loads,
// and testApi sets it too late for that (full-cost hashing would spend seconds on its users).
vi.hoisted(() => {
  process.env.WARREN_SCRYPT_N ??= '1024';
});

let api: TestApi;
beforeAll(async () => {
  api = await testApi();
  // A server admin (set by the operator through the CLI), admin of acme.
  await addUser(api.store, { email: 'ops@example.com', org: 'acme', role: 'admin', serverAdmin: true, now: '2026-03-01T12:00:00Z' });
  api.users.ops = { email: 'ops@example.com', key: (await createApiKey(api.store, 'ops@example.com', 'ops', '2026-03-01T12:00:00Z', 'acme')).key, org: 'acme', role: 'admin' };
});
afterAll(() => api.close());

type Res = Awaited<ReturnType<TestApi['request']>>;
const as = (user: string, method: 'GET' | 'POST' | 'PUT' | 'DELETE', url: string, payload?: object): Promise<Res> =>
  api.request(api.users[user], { method, url: `/api/v1${url}`, ...(payload ? { payload } : {}) });
const error = (r: Res): { code: string; message: string } => r.json<{ error: { code: string; message: string } }>().error;

interface Key {
  id: string;
  user: string;
  name: string;
  created: string;
  last_used: string | null;
  revoked: string | null;
  key?: string;
}

describe('/users', () => {
  it("lists the organisation's members to admins only", async () => {
    const res = await as('a-admin', 'GET', '/users');
    expect(res.statusCode).toBe(200);
    expect(res.json()).toEqual([
      { email: 'a-admin@example.com', role: 'admin' },
      { email: 'a-analyst@example.com', role: 'analyst' },
      { email: 'a-viewer@example.com', role: 'viewer' },
      { email: 'ops@example.com', role: 'admin' },
    ]);
    expect((await as('a-analyst', 'GET', '/users')).statusCode).toBe(403);
    expect((await as('b-admin', 'GET', '/users')).json<{ email: string }[]>().map((m) => m.email)).toEqual(['b-admin@example.com', 'b-analyst@example.com']);
  });

  it('lets a server admin add a user with a password who can then sign in; refuses short passwords and bad emails', async () => {
    const add = await as('ops', 'POST', '/users', { email: 'New.Person@Example.com', role: 'analyst', password: 'a-long-enough-password' });
    expect(add.statusCode, add.body).toBe(201);
    expect(add.json()).toEqual({ email: 'new.person@example.com', org: 'acme', role: 'analyst', status: 'member' });
    const login = await api.app.inject({ method: 'POST', url: '/api/v1/session', payload: { email: 'new.person@example.com', password: 'a-long-enough-password' } });
    expect(login.statusCode).toBe(200);
    // Nobody sets an existing account's password over the API, not even a server admin.
    expect((await as('ops', 'POST', '/users', { email: 'b-analyst@example.com', role: 'viewer', password: 'attacker-chosen-password' })).statusCode).toBe(409);

    const short = await as('ops', 'POST', '/users', { email: 'x@example.com', role: 'viewer', password: 'too-short' });
    expect(short.statusCode).toBe(400);
    expect(error(short).message).toMatch(/password/);
    const email = await as('a-admin', 'POST', '/users', { email: 'not an email', role: 'viewer' });
    expect(email.statusCode).toBe(400);
    expect(error(email).message).toMatch(/not an email address/);
    expect((await as('a-admin', 'POST', '/users', { email: 'x@example.com', role: 'owner' })).statusCode).toBe(400);
    expect((await as('a-analyst', 'POST', '/users', { email: 'x@example.com', role: 'viewer' })).statusCode).toBe(403);
  });

  it("changes a member's role, never one's own", async () => {
    const change = await as('a-admin', 'POST', '/users', { email: 'new.person@example.com', role: 'viewer' });
    expect(change.statusCode, change.body).toBe(200);
    expect(change.json()).toEqual({ email: 'new.person@example.com', org: 'acme', role: 'viewer', status: 'member' });
    expect((await as('a-admin', 'POST', '/users', { email: 'a-admin@example.com', role: 'viewer' })).statusCode).toBe(400);
  });
});

describe('/apikeys', () => {
  it('creates a key shown once, which then works, and lists keys without them', async () => {
    const created = await as('a-viewer', 'POST', '/apikeys', { name: 'laptop' });
    expect(created.statusCode, created.body).toBe(201);
    const key = created.json<Key>();
    expect(key).toMatchObject({ user: 'a-viewer@example.com', name: 'laptop', created: '2026-03-01T12:00:00Z', last_used: null, revoked: null });
    expect(key.key).toMatch(/^wk_[0-9a-f]{12}_/);
    const me = await api.app.inject({ method: 'GET', url: '/api/v1/me', headers: { authorization: `Bearer ${key.key}` } });
    expect(me.json<{ email: string }>().email).toBe('a-viewer@example.com');

    const list = await as('a-viewer', 'GET', '/apikeys');
    // Keys made in the same second (the tests' clock stands still) list in id order.
    expect(list.json<Key[]>().map((k) => k.name).sort()).toEqual(['laptop', 'test']);
    expect(list.body).not.toContain(key.key);
    expect(list.json<Key[]>().every((k) => !('key' in k))).toBe(true);
    expect((await as('a-viewer', 'POST', '/apikeys', { name: '' })).statusCode).toBe(400);
  });

  it('revokes your own key (then it fails), and an admin revokes a member’s; nobody else may', async () => {
    const key = (await as('a-viewer', 'POST', '/apikeys', { name: 'temporary' })).json<Key>();
    const revoked = await as('a-viewer', 'DELETE', `/apikeys/${key.id}`);
    expect(revoked.statusCode, revoked.body).toBe(200);
    expect(revoked.json()).toMatchObject({ id: key.id, revoked: '2026-03-01T12:00:00Z' });
    const refused = await api.app.inject({ method: 'GET', url: '/api/v1/me', headers: { authorization: `Bearer ${key.key}` } });
    expect(refused.statusCode).toBe(401);
    expect((await as('a-viewer', 'DELETE', `/apikeys/${key.id}`)).statusCode).toBe(409);

    const analystKey = (await as('a-analyst', 'POST', '/apikeys', { name: 'ci' })).json<Key>();
    expect((await as('a-viewer', 'DELETE', `/apikeys/${analystKey.id}`)).statusCode).toBe(404);
    expect((await as('b-admin', 'DELETE', `/apikeys/${analystKey.id}`)).statusCode).toBe(404);
    expect((await as('b-admin', 'GET', '/apikeys?user=a-analyst@example.com')).statusCode).toBe(404);
    expect((await as('a-viewer', 'GET', '/apikeys?user=a-analyst@example.com')).statusCode).toBe(404);
    const members = await as('a-admin', 'GET', '/apikeys?user=a-analyst@example.com');
    expect(members.json<Key[]>().map((k) => k.name).sort()).toEqual(['ci', 'test']);
    const byAdmin = await as('a-admin', 'DELETE', `/apikeys/${analystKey.id}`);
    expect(byAdmin.statusCode, byAdmin.body).toBe(200);
    expect(byAdmin.json()).toMatchObject({ user: 'a-analyst@example.com', name: 'ci', revoked: '2026-03-01T12:00:00Z' });
    expect((await as('a-admin', 'DELETE', '/apikeys/no-such-key')).statusCode).toBe(404);
  });
});

describe('/audit', () => {
  it('pages newest first by seq, to admins of the organisation only', async () => {
    const seqs: number[] = [];
    const actions: string[] = [];
    let next: string | null = null;
    do {
      const res = await as('a-admin', 'GET', `/audit?limit=2${next ? `&cursor=${next}` : ''}`);
      expect(res.statusCode, res.body).toBe(200);
      const page = res.json<{ items: { seq: number; action: string; actor: string; target: string }[]; next: string | null }>();
      expect(page.items.length).toBeLessThanOrEqual(2);
      seqs.push(...page.items.map((e) => e.seq));
      actions.push(...page.items.map((e) => e.action));
      next = page.next;
    } while (next !== null);
    expect(seqs).toEqual([...seqs].sort((a, b) => b - a));
    expect(new Set(seqs).size).toBe(seqs.length);
    expect(actions.reverse()).toEqual(['user.add', 'user.role', 'apikey.create', 'apikey.create', 'apikey.revoke', 'apikey.create', 'apikey.revoke']);

    expect((await as('a-analyst', 'GET', '/audit')).statusCode).toBe(403);
    expect((await as('b-admin', 'GET', '/audit')).json<{ items: { target: string }[] }>().items.map((e) => e.target)).toEqual([]);
    expect((await as('b-admin', 'GET', '/audit?org=acme')).statusCode).toBe(404);
    const bad = await as('a-admin', 'GET', '/audit?cursor=abc');
    expect(bad.statusCode).toBe(400);
    expect(error(bad).code).toBe('invalid_request');
  });
});

describe("another organisation's admin (issue 10, item 1)", () => {
  let victimKey: string;

  it("cannot add an existing user: it is an invitation, answered exactly as for an email nobody has", async () => {
    victimKey = (await as('a-viewer', 'GET', '/apikeys')).json<Key[]>().find((k) => k.name === 'test')!.id;
    const existing = await as('b-admin', 'POST', '/users', { email: 'a-viewer@example.com', role: 'viewer' });
    const unknown = await as('b-admin', 'POST', '/users', { email: 'nobody-at-all@example.com', role: 'viewer' });
    expect(existing.statusCode, existing.body).toBe(201);
    expect(unknown.statusCode).toBe(existing.statusCode);
    const shape = (r: Res): unknown => ({ ...r.json<object>(), email: 'E', invitation: 'ID' });
    expect(shape(existing)).toEqual(shape(unknown));
    expect(existing.json()).toMatchObject({ email: 'a-viewer@example.com', org: 'beta', role: 'viewer', status: 'invited' });
    // With a password: refused the same way for both, before anything is looked up.
    const withPassword = await as('b-admin', 'POST', '/users', { email: 'a-viewer@example.com', role: 'admin', password: 'attacker-chosen-password' });
    const withPasswordUnknown = await as('b-admin', 'POST', '/users', { email: 'nobody-else@example.com', role: 'admin', password: 'attacker-chosen-password' });
    expect(withPassword.statusCode).toBe(403);
    expect(withPasswordUnknown.statusCode).toBe(403);
    expect(withPassword.body).toBe(withPasswordUnknown.body);

    // No membership: the victim is not in beta, beta's admin sees nothing of theirs.
    expect((await as('a-viewer', 'GET', '/me')).json<{ organisations: unknown[] }>().organisations).toEqual([{ org: 'acme', role: 'viewer' }]);
    expect((await as('b-admin', 'GET', '/users')).body).not.toContain('a-viewer');
    expect((await as('b-admin', 'GET', '/apikeys?user=a-viewer@example.com')).statusCode).toBe(404);
    expect((await as('b-admin', 'DELETE', `/apikeys/${victimKey}`)).statusCode).toBe(404);
    expect((await as('a-viewer', 'GET', '/me')).statusCode).toBe(200);
    const pending = await as('b-admin', 'GET', '/users/invitations');
    expect(pending.json<{ email: string }[]>().map((i) => i.email).sort()).toEqual(['a-viewer@example.com', 'nobody-at-all@example.com']);
    expect((await as('a-admin', 'GET', '/users/invitations')).json()).toEqual([]);
  });

  it('the invitee sees their invitations only; accepting makes the membership, and beta still cannot touch their acme keys', async () => {
    const mine = await as('a-viewer', 'GET', '/invitations');
    expect(mine.statusCode).toBe(200);
    const [inv] = mine.json<{ id: string; org: string; role: string; invited_by: string }[]>();
    expect(inv).toMatchObject({ org: 'beta', role: 'viewer', invited_by: 'b-admin@example.com' });
    expect((await as('a-analyst', 'GET', '/invitations')).json()).toEqual([]);
    expect((await as('a-analyst', 'POST', `/invitations/${inv!.id}/accept`)).statusCode).toBe(404);
    expect((await as('b-admin', 'POST', `/invitations/${inv!.id}/accept`)).statusCode).toBe(404);

    const accepted = await as('a-viewer', 'POST', `/invitations/${inv!.id}/accept`);
    expect(accepted.statusCode, accepted.body).toBe(200);
    expect((await as('a-viewer', 'POST', `/invitations/${inv!.id}/accept`)).statusCode).toBe(404);
    const me = (await as('a-viewer', 'GET', '/me')).json<{ organisations: unknown[]; default_org: string }>();
    expect(me.organisations).toEqual([
      { org: 'acme', role: 'viewer' },
      { org: 'beta', role: 'viewer' },
    ]);
    expect(me.default_org).toBe('acme');
    expect((await as('b-admin', 'GET', '/users')).json<{ email: string }[]>().map((m) => m.email)).toContain('a-viewer@example.com');
    // A member now, but their keys act in acme: beta's admin neither lists nor revokes them.
    expect((await as('b-admin', 'GET', '/apikeys?user=a-viewer@example.com')).json()).toEqual([]);
    expect((await as('b-admin', 'DELETE', `/apikeys/${victimKey}`)).statusCode).toBe(404);
    expect((await as('a-viewer', 'GET', '/me')).statusCode).toBe(200);
  });

  it('withdraws (admins of the inviting organisation) and declines (the invitee)', async () => {
    const pending = (await as('b-admin', 'GET', '/users/invitations')).json<{ id: string; email: string }[]>();
    const nobody = pending.find((i) => i.email === 'nobody-at-all@example.com')!;
    expect((await as('a-admin', 'DELETE', `/users/invitations/${nobody.id}`)).statusCode).toBe(404);
    expect((await as('b-analyst', 'DELETE', `/users/invitations/${nobody.id}`)).statusCode).toBe(403);
    expect((await as('b-admin', 'DELETE', `/users/invitations/${nobody.id}`)).statusCode).toBe(200);
    expect((await as('b-admin', 'DELETE', `/users/invitations/${nobody.id}`)).statusCode).toBe(404);

    const made = (await as('b-admin', 'POST', '/users', { email: 'a-analyst@example.com', role: 'analyst' })).json<{ invitation: string }>();
    expect((await as('a-analyst', 'POST', `/invitations/${made.invitation}/decline`)).statusCode).toBe(200);
    expect((await as('a-analyst', 'GET', '/me')).json<{ organisations: unknown[] }>().organisations).toEqual([{ org: 'acme', role: 'analyst' }]);
    const audit = (await as('b-admin', 'GET', '/audit')).json<{ items: { action: string; actor: string }[] }>().items;
    expect(audit.map((e) => e.action).reverse()).toEqual(['invitation.create', 'invitation.create', 'invitation.accept', 'invitation.withdraw', 'invitation.create', 'invitation.decline']);
    expect(audit.find((e) => e.action === 'invitation.accept')?.actor).toBe('a-viewer@example.com');
  });
});

describe('organisation of a request (issue 10, item 2)', () => {
  it('a key made in one organisation acts only there', async () => {
    const acmeKey = api.users['a-viewer']!;
    expect((await as('a-viewer', 'GET', '/signatures?org=beta')).statusCode).toBe(404);
    const made = await api.request(acmeKey, { method: 'POST', url: '/api/v1/apikeys?org=beta', payload: { name: 'beta key' } });
    expect(made.statusCode).toBe(404);
    // Signed in (a session may name any of the user's organisations), the user makes a beta key.
    const login = await api.app.inject({ method: 'POST', url: '/api/v1/session', payload: { email: 'a-viewer@example.com', password: 'a-viewer-password-long' } });
    const cookie = `warren_session=${login.cookies.find((c) => c.name === 'warren_session')!.value}`;
    const csrf = login.json<{ csrf: string }>().csrf;
    const created = await api.app.inject({ method: 'POST', url: '/api/v1/apikeys?org=beta', headers: { cookie, 'x-csrf-token': csrf }, payload: { name: 'beta key' } });
    expect(created.statusCode, created.body).toBe(201);
    expect(created.json()).toMatchObject({ org: 'beta', user: 'a-viewer@example.com' });
    const betaKey = { ...acmeKey, key: created.json<Key>().key! };
    const account = (key: typeof acmeKey, q = ''): Promise<Res> => api.request(key, { method: 'GET', url: `/v2/account${q}` });
    expect((await account(betaKey)).json()).toMatchObject({ organization: 'beta' });
    expect((await account(acmeKey)).json()).toMatchObject({ organization: 'acme' });
    expect((await account(betaKey, '?org=acme')).statusCode).toBe(404);
    expect((await api.request(betaKey, { method: 'GET', url: '/api/v1/signatures', headers: { 'x-warren-org': 'acme' } })).statusCode).toBe(404);
    // Beta's admin sees that key (it acts in beta) and may revoke it; acme's admin may not.
    const id = created.json<Key>().id;
    expect((await as('b-admin', 'GET', '/apikeys?user=a-viewer@example.com')).json<Key[]>().map((k) => k.id)).toEqual([id]);
    expect((await as('a-admin', 'DELETE', `/apikeys/${id}`)).statusCode).toBe(404);
    expect((await as('b-admin', 'DELETE', `/apikeys/${id}`)).statusCode).toBe(200);
    expect((await account(betaKey)).statusCode).toBe(401);
  });

  it("an unscoped (legacy) key acts in the user's default, which only the user moves; several and no default is a 400", async () => {
    const legacy = { ...api.users['a-viewer']!, key: (await createApiKey(api.store, 'a-viewer@example.com', 'legacy', '2026-03-01T12:00:00Z')).key };
    const req = (method: 'GET' | 'PUT', url: string, payload?: object): Promise<Res> => api.request(legacy, { method, url, ...(payload ? { payload } : {}) });
    expect((await req('GET', '/v2/account')).json()).toMatchObject({ organization: 'acme' });
    expect((await req('GET', '/v2/account?org=beta')).json()).toMatchObject({ organization: 'beta' });
    // A key of one organisation may not move the default; a non-member organisation is not found.
    expect((await as('a-viewer', 'PUT', '/me/default-org', { org: 'beta' })).statusCode).toBe(404);
    expect((await req('PUT', '/api/v1/me/default-org', { org: 'gamma' })).statusCode).toBe(404);
    const moved = await req('PUT', '/api/v1/me/default-org', { org: 'beta' });
    expect(moved.statusCode, moved.body).toBe(200);
    expect(moved.json()).toMatchObject({ default_org: 'beta' });
    expect((await req('GET', '/v2/account')).json()).toMatchObject({ organization: 'beta' });
    expect((await api.request(api.users['a-viewer'], { method: 'GET', url: '/v2/account' })).json()).toMatchObject({ organization: 'acme' });
    // Only its owner revokes an unscoped key: no organisation's admin lists or revokes it.
    const legacyId = (await req('GET', '/api/v1/apikeys')).json<Key[]>().find((k) => k.name === 'legacy')!.id;
    expect((await as('a-admin', 'GET', '/apikeys?user=a-viewer@example.com')).json<Key[]>().map((k) => k.name)).not.toContain('legacy');
    expect((await as('a-admin', 'DELETE', `/apikeys/${legacyId}`)).statusCode).toBe(404);
    expect((await as('b-admin', 'DELETE', `/apikeys/${legacyId}`)).statusCode).toBe(404);

    await api.store.db.updateTable('users').set({ default_org: null }).where('email', '=', 'a-viewer@example.com').execute();
    const ambiguous = await req('GET', '/api/v1/signatures');
    expect(ambiguous.statusCode).toBe(400);
    expect(error(ambiguous).message).toMatch(/name an organisation with \?org= or set your default/);
    expect((await req('GET', '/api/v1/signatures?org=acme')).statusCode).toBe(200);
    await req('PUT', '/api/v1/me/default-org', { org: 'acme' });
    expect((await api.request(legacy, { method: 'DELETE', url: `/api/v1/apikeys/${legacyId}` })).statusCode).toBe(200);
  });
});

describe('sign-in (issue 10, item 8)', () => {
  const signIn = (app: FastifyInstance, email: string, password: string, remoteAddress: string): Promise<Res> =>
    app.inject({ method: 'POST', url: '/api/v1/session', payload: { email, password }, remoteAddress });

  it('locks an account after 10 failures, for every address and every server on the store, until the window ends', async () => {
    for (let i = 0; i < 10; i++) expect((await signIn(api.app, 'b-analyst@example.com', 'wrong-password', `198.51.100.${i}`)).statusCode).toBe(401);
    const locked = await signIn(api.app, 'b-analyst@example.com', 'b-analyst-password-long', '198.51.100.200');
    expect(locked.statusCode).toBe(429);
    // A second server process on the same store (or this one restarted) sees the lock.
    const second = await buildServer({ store: api.store, clock: () => NOW });
    try {
      expect((await signIn(second, 'b-analyst@example.com', 'b-analyst-password-long', '198.51.100.201')).statusCode).toBe(429);
      expect((await signIn(second, 'b-admin@example.com', 'b-admin-password-long', '198.51.100.201')).statusCode).toBe(200);
    } finally {
      await second.close();
    }
    const later = await buildServer({ store: api.store, clock: () => new Date(NOW.getTime() + 16 * 60_000) });
    try {
      expect((await signIn(later, 'b-analyst@example.com', 'b-analyst-password-long', '198.51.100.202')).statusCode).toBe(200);
    } finally {
      await later.close();
    }
  });

  it('counts unknown emails per address too', async () => {
    for (let i = 0; i < 10; i++) expect((await signIn(api.app, `nobody${i}@example.com`, 'whatever-password', '203.0.113.50')).statusCode).toBe(401);
    expect((await signIn(api.app, 'a-admin@example.com', 'a-admin-password-long', '203.0.113.50')).statusCode).toBe(429);
    expect((await signIn(api.app, 'a-admin@example.com', 'a-admin-password-long', '203.0.113.51')).statusCode).toBe(200);
  });
});
