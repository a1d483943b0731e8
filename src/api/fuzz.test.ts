// Fuzzing EVERY route the server registers: malformed, oversized and wrongly typed path
// parameters, query strings and bodies, sent with the highest role. Nothing may answer 5xx, and
// whatever answers 4xx must leave the store as it was.
import fc from 'fast-check';
import type { InjectOptions } from 'fastify';
import { sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { routeTable, type RouteInfo } from './server.js';
import { testApi, type TestApi } from './test-support/api.js';

let api: TestApi;
beforeAll(async () => {
  api = await testApi();
  const r = await api.request(api.users['a-analyst'], {
    method: 'POST',
    url: '/api/v1/signatures',
    payload: { text: 'id: s1\ntitle: t\nfield: domain\npatterns: [evil]\nactions: [{tag: T}, {alert: {}}]\n' },
  });
  expect(r.statusCode).toBe(200);
  await api.request(api.users['a-analyst'], { method: 'GET', url: '/api/v1/entities/evil.example' });
});
afterAll(() => api.close());

const TABLES = ['orgs', 'signatures', 'signature_versions', 'tags', 'classifications', 'notifications', 'channels', 'outbox', 'users', 'memberships', 'api_keys', 'domains', 'ips', 'certificates', 'whois', 'resolutions', 'served', 'names', 'packs', 'pack_versions', 'pack_signatures', 'pack_grants', 'pack_subscriptions', 'pack_disabled'];

/** Row counts of every table and the signatures' sources: what a refused request must not change. */
async function snapshot(): Promise<string> {
  const counts: string[] = [];
  for (const t of TABLES) {
    const row = await sql<{ n: number }>`select count(*) as n from ${sql.table(t)}`.execute(api.store.db);
    counts.push(`${t}=${Number(row.rows[0]!.n)}`);
  }
  const sigs = await api.store.db.selectFrom('signatures').select(['id', 'version', 'enabled']).orderBy('id').execute();
  return `${counts.join(' ')} ${JSON.stringify(sigs)}`;
}

const weird = fc.oneof(
  fc.string({ maxLength: 40 }),
  fc.string({ unit: 'grapheme', maxLength: 20 }),
  fc.constantFrom('', ' ', '..', '%', '%00', '\u0000', 'a'.repeat(2000), '-1', '1e309', 'NaN', '[]', '{}', 'null', 'true', '../../etc/passwd', "' or 1=1 --", '*', '0.0.0.0/0'),
);

const body = fc.oneof(
  fc.json().map((text) => ({ payload: text, headers: { 'content-type': 'application/json' } })),
  fc.anything({ maxDepth: 3 }).map((v) => ({ payload: JSON.stringify(v) ?? 'null', headers: { 'content-type': 'application/json' } })),
  fc.string({ maxLength: 200 }).map((text) => ({ payload: text, headers: { 'content-type': 'application/json' } })),
  fc.string({ maxLength: 200 }).map((text) => ({ payload: text, headers: { 'content-type': 'text/plain' } })),
  fc.constant({ payload: '{"text": 12, "tag": [], "classification": {}, "ids": "x", "all": "yes"}', headers: { 'content-type': 'application/json' } }),
);

function url(route: RouteInfo, param: string, query: [string, string][]): string {
  const path = route.url.replace(/:([A-Za-z_]+)/g, () => encodeURIComponent(param));
  const q = query.map(([k, v]) => `${encodeURIComponent(k)}=${encodeURIComponent(v)}`).join('&');
  return q ? `${path}?${q}` : path;
}

describe('every route, fuzzed', () => {
  it('never answers 5xx, and a 4xx changes nothing', async () => {
    const routes = routeTable(api.app).filter((r) => !r.url.includes('openapi') && r.url !== '/api/v1/session');
    expect(routes.length).toBeGreaterThan(15);
    const keys = fc.constantFrom('org', 'query', 'field', 'limit', 'cursor', 'since', 'severity', 'unread', 'ids', 'mode', 'value', 'kind', 'format', 'domain', 'x');
    for (const route of routes) {
      await fc.assert(
        fc.asyncProperty(weird, fc.array(fc.tuple(keys, weird), { maxLength: 4 }), body, async (param, query, b) => {
          const before = await snapshot();
          const target = url(route, param, query);
          const opts: InjectOptions = { method: route.method, url: target, ...(route.method === 'GET' ? {} : b) };
          const res = await api.request(api.users['a-admin'], opts);
          expect(res.statusCode, `${route.method} ${target} → ${res.body.slice(0, 300)}`).toBeLessThan(500);
          if (res.statusCode >= 400) {
            expect(await snapshot(), `${route.method} ${target} answered ${res.statusCode} but changed the store`).toBe(before);
            // TAXII answers in its own error message (title, http_status); the rest of the API in {error}.
            if (String(res.headers['content-type']).startsWith('application/taxii+json')) expect(res.json<{ http_status?: unknown }>().http_status, `${route.method} ${target}: TAXII error body`).toBe(String(res.statusCode));
            else expect(res.json<{ error?: unknown }>().error, `${route.method} ${target}: error body`).toBeDefined();
          }
        }),
        { numRuns: 25 },
      );
    }
  }, 120_000);

  it('refuses numbers that overflow to Infinity in any query parameter (a fuzz find, kept)', async () => {
    for (const route of routeTable(api.app).filter((r) => r.method === 'GET' && r.auth !== 'none')) {
      const res = await api.request(api.users['a-admin'], { method: 'GET', url: `${route.url.replace(/:([A-Za-z_]+)/g, 'x')}?limit=1e309&start=-1e400` });
      expect(res.statusCode, `${route.url}: ${res.body.slice(0, 200)}`).toBeLessThan(500);
    }
    const res = await api.request(api.users['a-admin'], { method: 'GET', url: '/api/v1/notifications?limit=1e309' });
    expect(res.statusCode).toBe(400);
    expect(res.json<{ error: { message: string } }>().error.message).toBe('query parameter limit is out of range');
  });

  it('refuses bodies over the limit with 413 and changes nothing', async () => {
    const before = await snapshot();
    for (const route of routeTable(api.app).filter((r) => r.method !== 'GET' && r.method !== 'DELETE')) {
      const limit = route.bodyLimit ?? 1024 * 1024;
      if (limit > 8 * 1024 * 1024) continue; // upload routes: their limit is tested beside them
      const res = await api.request(api.users['a-admin'], {
        method: route.method,
        url: route.url.replace(/:([A-Za-z_]+)/g, 'x'),
        payload: JSON.stringify({ text: 'x'.repeat(limit + 1) }),
        headers: { 'content-type': 'application/json' },
      });
      expect(res.statusCode, `${route.method} ${route.url}`).toBe(413);
    }
    expect(await snapshot()).toBe(before);
  });
});
