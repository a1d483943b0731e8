// Accounts over the API: members and adding users (admins), API keys (your own; admins also
// their members'), and the audit log page by page.
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { testApi, type TestApi } from './test-support/api.js';

// Hoisted above the imports by vitest: services/accounts.ts reads the scrypt cost when it loads,
// and testApi sets it too late for that (full-cost hashing would spend seconds on its users).
vi.hoisted(() => {
  process.env.WARREN_SCRYPT_N ??= '1024';
});

let api: TestApi;
beforeAll(async () => {
  api = await testApi();
});
afterAll(() => api.close());

type Res = Awaited<ReturnType<TestApi['request']>>;
const as = (user: string, method: 'GET' | 'POST' | 'DELETE', url: string, payload?: object): Promise<Res> =>
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
    ]);
    expect((await as('a-analyst', 'GET', '/users')).statusCode).toBe(403);
    expect((await as('b-admin', 'GET', '/users')).json<{ email: string }[]>().map((m) => m.email)).toEqual(['b-admin@example.com', 'b-analyst@example.com']);
  });

  it('adds a user with a password who can then sign in; refuses short passwords and bad emails', async () => {
    const add = await as('a-admin', 'POST', '/users', { email: 'New.Person@Example.com', role: 'analyst', password: 'a-long-enough-password' });
    expect(add.statusCode, add.body).toBe(201);
    expect(add.json()).toEqual({ email: 'new.person@example.com', org: 'acme', role: 'analyst' });
    const login = await api.app.inject({ method: 'POST', url: '/api/v1/session', payload: { email: 'new.person@example.com', password: 'a-long-enough-password' } });
    expect(login.statusCode).toBe(200);

    const short = await as('a-admin', 'POST', '/users', { email: 'x@example.com', role: 'viewer', password: 'too-short' });
    expect(short.statusCode).toBe(400);
    expect(error(short).message).toMatch(/password/);
    const email = await as('a-admin', 'POST', '/users', { email: 'not an email', role: 'viewer' });
    expect(email.statusCode).toBe(400);
    expect(error(email).message).toMatch(/not an email address/);
    expect((await as('a-admin', 'POST', '/users', { email: 'x@example.com', role: 'owner' })).statusCode).toBe(400);
    expect((await as('a-analyst', 'POST', '/users', { email: 'x@example.com', role: 'viewer' })).statusCode).toBe(403);
  });

  it("adds another organisation's user without touching their password, and never one's own role", async () => {
    const takeover = await as('a-admin', 'POST', '/users', { email: 'b-analyst@example.com', role: 'admin', password: 'attacker-chosen-password' });
    expect(takeover.statusCode).toBe(409);
    const add = await as('a-admin', 'POST', '/users', { email: 'b-analyst@example.com', role: 'viewer' });
    expect(add.statusCode, add.body).toBe(201);
    const login = await api.app.inject({ method: 'POST', url: '/api/v1/session', payload: { email: 'b-analyst@example.com', password: 'b-analyst-password-long' } });
    expect(login.statusCode).toBe(200);
    const me = await as('b-analyst', 'GET', '/me');
    expect(me.json<{ organisations: unknown[] }>().organisations).toEqual([
      { org: 'acme', role: 'viewer' },
      { org: 'beta', role: 'analyst' },
    ]);
    const self = await as('a-admin', 'POST', '/users', { email: 'a-admin@example.com', role: 'viewer' });
    expect(self.statusCode).toBe(400);
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
    expect(actions.reverse()).toEqual(['user.add', 'user.add', 'apikey.create', 'apikey.create', 'apikey.revoke', 'apikey.create', 'apikey.revoke']);

    expect((await as('a-analyst', 'GET', '/audit')).statusCode).toBe(403);
    expect((await as('b-admin', 'GET', '/audit')).json<{ items: { target: string }[] }>().items.map((e) => e.target)).toEqual([]);
    expect((await as('b-admin', 'GET', '/audit?org=acme')).statusCode).toBe(404);
    const bad = await as('a-admin', 'GET', '/audit?cursor=abc');
    expect(bad.statusCode).toBe(400);
    expect(error(bad).code).toBe('invalid_request');
  });
});
