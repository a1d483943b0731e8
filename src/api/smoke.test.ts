// The server's basics: health, OpenAPI, authentication, one error body, the core routes.
import { describe, expect, it } from 'vitest';
import { useTestApi } from './test-support/api.js';

const api = useTestApi();

const BRAND = `id: brand\ntitle: brand\nfield: domain\npatterns: [passivetotal]\nactions: [{tag: Brand}, {alert: {}}]\n`;

describe('the API server', () => {
  it('answers health and metrics without credentials, everything else only with them', async () => {
    expect((await api.request(undefined, { method: 'GET', url: '/healthz' })).json()).toEqual({ status: 'ok' });
    const none = await api.request(undefined, { method: 'GET', url: '/api/v1/signatures' });
    expect(none.statusCode).toBe(401);
    expect(none.json()).toEqual({ error: { code: 'unauthorized', message: 'authentication required' } });
    const wrong = await api.request({ ...api.users['a-admin']!, key: 'wk_nope' }, { method: 'GET', url: '/api/v1/signatures' });
    expect(wrong.statusCode).toBe(401);
    const bearer = await api.app.inject({ method: 'GET', url: '/api/v1/me', headers: { authorization: `Bearer ${api.users['a-viewer']!.key}` } });
    expect(bearer.json()).toEqual({ email: 'a-viewer@example.com', organisations: [{ org: 'acme', role: 'viewer' }], default_org: 'acme', server_admin: false });
    const metrics = await api.request(undefined, { method: 'GET', url: '/metrics' });
    expect(metrics.body).toMatch(/warren_http_requests_total\{method="GET",route="\/api\/v1\/signatures",status="401"\} 2/);
  });

  it('publishes an OpenAPI 3.1 document built from the route schemas', async () => {
    const doc = (await api.request(undefined, { method: 'GET', url: '/api/v1/openapi.json' })).json<{ openapi: string; paths: Record<string, unknown> }>();
    expect(doc.openapi).toBe('3.1.0');
    expect(Object.keys(doc.paths)).toEqual(expect.arrayContaining(['/api/v1/entities/{entity}', '/api/v1/signatures', '/api/v1/notifications']));
  });

  it('imports a signature, tags on lookup, lists the notification; viewers cannot write', async () => {
    const { 'a-analyst': analyst, 'a-viewer': viewer } = api.users;
    expect((await api.request(viewer, { method: 'POST', url: '/api/v1/signatures', payload: { text: BRAND } })).statusCode).toBe(403);
    const imp = await api.request(analyst, { method: 'POST', url: '/api/v1/signatures', payload: { text: BRAND } });
    expect(imp.statusCode, imp.body).toBe(200);
    // A name Warren holds nothing about is "nothing known": no tag, no alert (issue 13).
    const unknown = await api.request(viewer, { method: 'GET', url: '/api/v1/entities/login-passivetotal.example.com' });
    expect(unknown.json<{ known: boolean; tags: unknown[] }>()).toMatchObject({ known: false, tags: [] });
    expect((await api.request(viewer, { method: 'GET', url: '/api/v1/notifications' })).json<{ items: unknown[] }>().items).toEqual([]);
    await api.store.write([{ kind: 'domain', domain: 'login-passivetotal.example.com', observation: { source: 'test' } }]);
    const look = await api.request(viewer, { method: 'GET', url: '/api/v1/entities/login-passivetotal.example.com' });
    expect(look.statusCode, look.body).toBe(200);
    expect(look.json<{ known: boolean; tags: { name: string }[] }>().known).toBe(true);
    expect(look.json<{ tags: { name: string }[] }>().tags.map((t) => t.name)).toEqual(['Brand']);
    const notes = await api.request(viewer, { method: 'GET', url: '/api/v1/notifications' });
    expect(notes.json<{ items: { headline: string }[] }>().items.map((n) => n.headline)).toEqual([
      'Signature brand matched domain login-passivetotal.example.com on field domain',
    ]);
    // hits: entities, so one entity both tagged and alerted on is one hit; last_hit: the newest of those times.
    const created = notes.json<{ items: { created: string }[] }>().items[0]!.created;
    const list = await api.request(viewer, { method: 'GET', url: '/api/v1/signatures' });
    const brand = list.json<{ items: { id: string; hits: number; last_hit: string | null; status: string; author: string | null }[] }>().items.find((s) => s.id === 'brand');
    expect(brand).toMatchObject({ hits: 1, status: 'experimental', author: null });
    expect(brand!.last_hit).toBe(created);
    const bad = await api.request(analyst, { method: 'POST', url: '/api/v1/signatures', payload: { text: 'id: x\nfield: nope\n' } });
    expect(bad.statusCode).toBe(400);
    expect(bad.json<{ error: { code: string } }>().error.code).toBe('invalid_signatures');
  });

  it('pages through signatures with a cursor', async () => {
    const { 'a-analyst': analyst } = api.users;
    const text = ['p1', 'p2', 'p3'].map((id) => `---\nid: ${id}\ntitle: t\nfield: domain\npatterns: [x${id}]\nactions: [{tag: T}]\n`).join('');
    expect((await api.request(analyst, { method: 'POST', url: '/api/v1/signatures', payload: { text } })).statusCode).toBe(200);
    const seen: string[] = [];
    let url = '/api/v1/signatures?limit=2';
    for (let pages = 0; pages < 10; pages++) {
      const page = (await api.request(analyst, { method: 'GET', url })).json<{ items: { id: string }[]; next: string | null }>();
      seen.push(...page.items.map((i) => i.id));
      if (page.next === null) break;
      url = `/api/v1/signatures?limit=2&cursor=${page.next}`;
    }
    expect(seen).toEqual(['brand', 'p1', 'p2', 'p3']);
  });

  it('signs in a browser with a cookie and requires the CSRF token on writes', async () => {
    const login = await api.app.inject({ method: 'POST', url: '/api/v1/session', payload: { email: 'a-analyst@example.com', password: 'a-analyst-password-long' } });
    expect(login.statusCode, login.body).toBe(200);
    const cookie = login.cookies.find((c) => c.name === 'warren_session')!;
    expect(cookie.httpOnly).toBe(true);
    expect(cookie.sameSite).toBe('Lax');
    const csrf = login.json<{ csrf: string }>().csrf;
    const headers = { cookie: `warren_session=${cookie.value}` };
    expect((await api.app.inject({ method: 'GET', url: '/api/v1/me', headers })).statusCode).toBe(200);
    const noToken = await api.app.inject({ method: 'PUT', url: '/api/v1/entities/evil.example/classification', headers, payload: { classification: 'malicious' } });
    expect(noToken.statusCode).toBe(403);
    const ok = await api.app.inject({ method: 'PUT', url: '/api/v1/entities/evil.example/classification', headers: { ...headers, 'x-csrf-token': csrf }, payload: { classification: 'malicious' } });
    expect(ok.statusCode, ok.body).toBe(200);
    const wrong = await api.app.inject({ method: 'POST', url: '/api/v1/session', payload: { email: 'a-analyst@example.com', password: 'not-the-password' } });
    expect(wrong.statusCode).toBe(401);
  });
});
