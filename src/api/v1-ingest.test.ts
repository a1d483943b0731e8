// Ingest over the API: an upload becomes a job (202), the job is followed to its summary and
// rejects; gzip is read transparently; signatures are evaluated on the stored batches; jobs are
// visible to their organisation only; bad uploads are 4xx before any job exists.
import { gzipSync } from 'node:zlib';
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

interface JobView {
  id: string;
  status: 'running' | 'done' | 'failed';
  format: string;
  progress: { records: number; bytesRead: number; size: number };
  summary: { read: number; stored: Record<string, number>; rejected: number; actions: { tags: number; classifications: number; notifications: number } };
  rejects: { input: string; line: number; message: string }[];
  error?: string;
}

function upload(user: string, body: Buffer | string, contentType: string, query = ''): Promise<Res> {
  return api.request(api.users[user], { method: 'POST', url: `/api/v1/ingest${query}`, payload: body, headers: { 'content-type': contentType } });
}

async function finished(user: string, id: string): Promise<JobView> {
  const deadline = Date.now() + 4000;
  for (;;) {
    const res = await api.request(api.users[user], { method: 'GET', url: `/api/v1/ingest/${id}` });
    expect(res.statusCode, res.body).toBe(200);
    const job = res.json<JobView>();
    if (job.status !== 'running') return job;
    if (Date.now() > deadline) throw new Error(`job ${id} still running`);
    await new Promise((r) => setTimeout(r, 10));
  }
}

const jsonl = (...lines: object[]): string => lines.map((l) => JSON.stringify(l)).join('\n') + '\n';

describe('POST /ingest and GET /ingest/:job', () => {
  it('stores an upload, reports its rejects with their line, and evaluates signatures on it', async () => {
    const sig = await api.request(api.users['a-analyst'], {
      method: 'POST',
      url: '/api/v1/signatures',
      payload: { text: 'id: brand\ntitle: brand\nfield: domain\npatterns: [paypal]\nactions: [{tag: Brand}, {alert: {}}]\n' },
    });
    expect(sig.statusCode, sig.body).toBe(200);
    const body = jsonl(
      { kind: 'resolution', domain: 'login-paypal.example', rrtype: 'A', value: '192.0.2.7', source: 'pdns' },
      { kind: 'resolution', domain: 'ok.example', rrtype: 'A', value: 'not-an-ip' },
      { kind: 'domain', domain: 'quiet.example' },
    );
    const res = await upload('a-analyst', body, 'application/x-ndjson');
    expect(res.statusCode, res.body).toBe(202);
    const { job } = res.json<{ job: string; status: string }>();
    expect(res.headers.location).toBe(`/api/v1/ingest/${job}`);

    const done = await finished('a-viewer', job);
    expect(done).toMatchObject({
      status: 'done',
      format: 'warren',
      progress: { size: Buffer.byteLength(body) },
      summary: { read: 3, stored: { resolution: 1, domain: 1 }, rejected: 1, actions: { tags: 1, notifications: 1 } },
    });
    expect(done.rejects).toEqual([{ input: 'upload', line: 2, message: expect.stringContaining('not-an-ip') as unknown }]);
    const look = await api.request(api.users['a-viewer'], { method: 'GET', url: '/api/v1/entities/login-paypal.example' });
    expect(look.json<{ tags: { name: string }[]; related: { ips: string[] } }>()).toMatchObject({ tags: [{ name: 'Brand' }], related: { ips: ['192.0.2.7'] } });
    const list = await api.request(api.users['a-viewer'], { method: 'GET', url: '/api/v1/ingest' });
    expect(list.json<{ id: string }[]>().map((j) => j.id)).toContain(job);
  });

  it('reads gzip, detects the format, takes a name and a WHOIS domain, and keeps the first 100 rejects', async () => {
    const whois = await upload('a-admin', gzipSync('Registrar: Gzip Names\nRegistrant Email: owner@gzip.example\n'), 'application/gzip', '?format=whois&domain=gzip.example&name=reply.txt');
    expect(whois.statusCode, whois.body).toBe(202);
    expect(await finished('a-admin', whois.json<{ job: string }>().job)).toMatchObject({ status: 'done', format: 'whois', summary: { stored: { whois: 1 }, rejected: 0 } });
    const stored = await api.request(api.users['a-admin'], { method: 'GET', url: '/api/v1/whois/gzip.example' });
    expect(stored.json<{ fields: Record<string, string[]> }>().fields['whois.registrar']).toEqual(['Gzip Names']);

    const bad = Array.from({ length: 150 }, (_, i) => JSON.stringify({ kind: 'domain', domain: `d${i}.example`, frist_seen: 1 })).join('\n');
    const many = await upload('a-analyst', gzipSync(bad), 'application/octet-stream', '?name=bad.jsonl');
    expect(many.statusCode, many.body).toBe(202);
    const job = await finished('a-analyst', many.json<{ job: string }>().job);
    expect(job.summary.rejected).toBe(150);
    expect(job.rejects).toHaveLength(100);
    expect(job.rejects[99]).toMatchObject({ input: 'bad.jsonl', line: 100 });
  });

  it('answers 4xx with the error body for what cannot be ingested, before any job', async () => {
    const cases: [Res, number, RegExp][] = [
      [await upload('a-analyst', 'x', 'text/plain', '?format=nope'), 400, /format/],
      [await upload('a-analyst', 'just some words\n', 'text/plain'), 400, /cannot tell the format/],
      [await upload('a-analyst', '', 'text/plain', '?format=warren'), 400, /empty/],
      [await upload('a-analyst', Buffer.from([0x1f, 0x8b, 1, 2, 3, 4, 5]), 'application/gzip'), 400, /gzip/],
      [await upload('a-analyst', 'x', 'text/plain', '?format=whois&domain=not%20a%20domain'), 400, /domain/],
      [await upload('a-analyst', '{"kind":"domain","domain":"a.example"}', 'application/json'), 415, /./],
    ];
    for (const [res, status, message] of cases) {
      expect(res.statusCode, res.body).toBe(status);
      expect(res.json<{ error: { message: string } }>().error.message).toMatch(message);
    }
    expect((await api.request(api.users['a-analyst'], { method: 'GET', url: '/api/v1/ingest/0123456789abcdef01234567' })).statusCode).toBe(404);
  });

  it('lets only analysts and admins ingest, and shows jobs to their organisation only', async () => {
    const line = jsonl({ kind: 'domain', domain: 'acme-only.example' });
    const viewer = await upload('a-viewer', line, 'application/x-ndjson');
    expect(viewer.statusCode).toBe(403);
    const res = await upload('a-analyst', line, 'text/plain; charset=utf-8');
    expect(res.statusCode, res.body).toBe(202);
    const { job } = res.json<{ job: string }>();
    expect(await finished('a-analyst', job)).toMatchObject({ status: 'done', actor: 'a-analyst@example.com' });
    expect((await api.request(api.users['b-analyst'], { method: 'GET', url: `/api/v1/ingest/${job}` })).statusCode).toBe(404);
    expect((await api.request(api.users['b-analyst'], { method: 'GET', url: `/api/v1/ingest/${job}?org=acme` })).statusCode).toBe(404);
    expect((await api.request(api.users['b-analyst'], { method: 'GET', url: '/api/v1/ingest' })).json()).toEqual([]);
    expect((await upload('b-analyst', line, 'application/x-ndjson', '?org=acme')).statusCode).toBe(404);
  });
});

describe('the upload limit', () => {
  it('refuses a body over WARREN_INGEST_MAX_BYTES with 413', async () => {
    process.env.WARREN_INGEST_MAX_BYTES = '1000';
    const small = await testApi();
    delete process.env.WARREN_INGEST_MAX_BYTES;
    try {
      const res = await small.request(small.users['a-analyst'], { method: 'POST', url: '/api/v1/ingest', payload: 'x'.repeat(1001), headers: { 'content-type': 'text/plain' } });
      expect(res.statusCode).toBe(413);
      expect(res.json<{ error: { code: string } }>().error.code).toBeDefined();
    } finally {
      await small.close();
    }
  });
});
