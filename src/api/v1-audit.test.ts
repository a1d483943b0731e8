// The audit rows of signature changes and ingest uploads made over the API, now that their
// services write them (services/org-signatures.ts, services/ingest/job.ts): the same rows as
// before (actor, action, target, before / after), exactly one per change, none for a no-op.
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { testApi, type TestApi } from './test-support/api.js';

vi.hoisted(() => {
  process.env.WARREN_SCRYPT_N ??= '1024';
});

let api: TestApi;
beforeAll(async () => {
  api = await testApi();
});
afterAll(() => api.close());

interface Entry {
  at: string;
  actor: string;
  action: string;
  target: string;
  before?: unknown;
  after?: unknown;
}

const BRAND = 'id: brand\ntitle: brand\nfield: domain\npatterns: [paypal]\nactions: [{tag: Brand}]\n';
const BRAND2 = 'id: brand\ntitle: brand\nfield: domain\npatterns: [paypal, ebay]\nactions: [{tag: Brand}]\n';

describe('the audit of signature changes and uploads over the API', () => {
  it('has one row per change with the user as actor, none for what changed nothing', async () => {
    const as = async (method: 'GET' | 'POST' | 'DELETE', url: string, payload?: unknown, headers?: Record<string, string>): Promise<unknown> => {
      const res = await api.request(api.users['a-analyst'], { method, url: `/api/v1${url}`, ...(payload !== undefined ? { payload: payload as string } : {}), ...(headers ? { headers } : {}) });
      expect(res.statusCode, res.body).toBeLessThan(300);
      return res.json();
    };
    expect(await as('POST', '/signatures', { text: BRAND })).toMatchObject({ created: ['brand'] });
    expect(await as('POST', '/signatures', { text: BRAND })).toMatchObject({ unchanged: ['brand'] });
    expect(await as('POST', '/signatures', { text: BRAND2 })).toMatchObject({ changed: ['brand'] });
    expect(await as('POST', '/signatures/brand/disable')).toMatchObject({ status: 'done', version: 3 });
    expect(await as('POST', '/signatures/brand/disable')).toMatchObject({ status: 'unchanged' });
    expect(await as('POST', '/signatures/brand/enable')).toMatchObject({ status: 'done', version: 4 });
    expect(await as('DELETE', '/signatures/brand')).toMatchObject({ status: 'done', version: 5 });
    const missing = await api.request(api.users['a-analyst'], { method: 'DELETE', url: '/api/v1/signatures/brand' });
    expect(missing.statusCode).toBe(404);
    const upload = (await as('POST', '/ingest?name=names.jsonl', '{"kind":"domain","domain":"quiet.example"}\n', { 'content-type': 'application/x-ndjson' })) as { job: string };

    const res = await api.request(api.users['a-admin'], { method: 'GET', url: '/api/v1/audit?limit=100' });
    expect(res.statusCode, res.body).toBe(200);
    const items = res.json<{ items: Entry[] }>().items.filter((e) => !e.action.startsWith('user.') && !e.action.startsWith('org.')).reverse();
    expect(items.map((e) => [e.actor, e.action, e.target])).toEqual([
      ['a-analyst@example.com', 'signature.create', 'signature:brand'],
      ['a-analyst@example.com', 'signature.change', 'signature:brand'],
      ['a-analyst@example.com', 'signature.disable', 'signature:brand'],
      ['a-analyst@example.com', 'signature.enable', 'signature:brand'],
      ['a-analyst@example.com', 'signature.delete', 'signature:brand'],
      ['a-analyst@example.com', 'ingest.start', `ingest:${upload.job}`],
    ]);
    // The server's clock (test-support: 2026-03-01T12:00:00Z) stamps every row.
    expect(new Set(items.map((e) => e.at))).toEqual(new Set(['2026-03-01T12:00:00Z']));
    const file = (patterns: string[]): object => ({ id: 'brand', title: 'brand', field: 'domain', patterns, actions: [{ tag: 'Brand' }] });
    expect(items[0]).toMatchObject({ after: file(['paypal']) });
    expect(items[0]!.before ?? null).toBeNull();
    expect(items[1]).toMatchObject({ before: file(['paypal']), after: file(['paypal', 'ebay']) });
    expect(items[2]).toMatchObject({ after: { version: 3 } });
    expect(items[3]).toMatchObject({ after: { version: 4 } });
    expect(items[4]).toMatchObject({ before: file(['paypal', 'ebay']) });
    expect(items[4]!.after ?? null).toBeNull();
    expect(items[5]).toMatchObject({ after: { format: 'warren', name: 'names.jsonl', bytes: 43 } });
  });
});
