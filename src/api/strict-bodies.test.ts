// Request bodies are validated as sent (no type coercion): a number, boolean or array where the
// schema says string is a 400, not a string "1". Querystrings, params and headers are text and
// keep being coerced.
import { describe, expect, it, vi } from 'vitest';
import { useTestApi, type TestApi } from './test-support/api.js';

vi.hoisted(() => {
  process.env.WARREN_SCRYPT_N ??= '1024';
});

const api = useTestApi();

type Res = Awaited<ReturnType<TestApi['request']>>;
const send = (user: string, method: 'POST' | 'PUT' | 'DELETE' | 'GET', url: string, body?: unknown): Promise<Res> =>
  api.request(api.users[user], {
    method,
    url,
    ...(body !== undefined ? { headers: { 'content-type': 'application/json' }, payload: JSON.stringify(body) } : {}),
  });

describe('bodies are not coerced', () => {
  it('refuses a number, an array or a boolean as a tag', async () => {
    for (const tag of [1, ['a'], true, null, { a: 1 }]) {
      const r = await send('a-analyst', 'POST', '/api/v1/entities/example.com/tags', { tag });
      expect(r.statusCode, JSON.stringify(tag)).toBe(400);
      expect(r.json<{ error: { code: string; message: string } }>().error.message).toMatch(/tag must be string/);
    }
    // Nothing was stored as "1", "a" or "true".
    const tags = await send('a-viewer', 'GET', '/api/v1/entities/example.com');
    for (const t of ['"1"', '"a"', '"true"']) expect(tags.body).not.toContain(`"tag":${t}`);
    const ok = await send('a-analyst', 'POST', '/api/v1/entities/example.com/tags', { tag: 'phish' });
    expect(ok.statusCode, ok.body).toBe(201);
  });

  it('refuses wrong types in the other v1 bodies', async () => {
    const cases: [string, string, unknown][] = [
      ['PUT', '/api/v1/entities/example.com/classification', { classification: 1 }],
      ['POST', '/api/v1/notifications/read', { ids: 'abc' }],
      ['POST', '/api/v1/notifications/read', { matching: 'true' }],
      ['POST', '/api/v1/notifications/read', { matching: 1 }],
      ['POST', '/api/v1/notifications/triage', { ids: ['x'], assignee: 1 }],
      ['POST', '/api/v1/notifications/abc/comments', { text: 1 }],
      ['POST', '/api/v1/channels', { name: 'x', type: 'email', to: 123456 }],
      ['POST', '/api/v1/channels', { name: ['x'], type: 'email', to: 'a@b.example' }],
    ];
    for (const [method, url, body] of cases) {
      const r = await send('a-admin', method as 'POST', url, body);
      expect(r.statusCode, `${method} ${url} ${JSON.stringify(body)}`).toBe(400);
    }
  });

  it('refuses wrong types in /v2 action bodies, and still takes a comma-separated string of tags', async () => {
    const cases: [string, string, unknown][] = [
      ['POST', '/v2/actions/tags', { query: 'example.com', tags: 1 }],
      ['PUT', '/v2/actions/tags', { query: 'example.com', tags: true }],
      ['POST', '/v2/actions/tags', { query: 'example.com', tags: [1] }],
      ['POST', '/v2/actions/tags', { query: 1, tags: ['a'] }],
      ['DELETE', '/v2/actions/tags', { query: 'example.com', tags: [true] }],
      ['POST', '/v2/actions/classification', { query: ['example.com'], classification: 'malicious' }],
    ];
    for (const [method, url, body] of cases) {
      const r = await send('a-analyst', method as 'POST', url, body);
      expect(r.statusCode, `${method} ${url} ${JSON.stringify(body)}`).toBe(400);
    }
    const ok = await send('a-analyst', 'POST', '/v2/actions/tags', { query: 'example.com', tags: 'apt-1, vendor' });
    expect(ok.statusCode, ok.body).toBe(200);
    expect(ok.json<{ tags: string[] }>().tags).toEqual(expect.arrayContaining(['apt-1', 'vendor']));
  });

  it('still coerces querystrings (they are text)', async () => {
    const r = await send('a-admin', 'GET', '/api/v1/audit?limit=2');
    expect(r.statusCode, r.body).toBe(200);
    expect(r.json<{ items: unknown[] }>().items.length).toBeLessThanOrEqual(2);
    expect((await send('a-admin', 'GET', '/api/v1/audit?limit=abc')).statusCode).toBe(400);
  });
});
