// Ingest over the API: an upload becomes a job (202), the job is followed to its summary and
// rejects; gzip is read transparently; signatures are evaluated on the stored batches — the
// uploader's organisation's only; jobs are visible to their organisation only; bad uploads are
// 4xx before any job exists; the upload streams to a temporary file removed at the end, and the
// job runs in a worker thread while the server keeps answering.
import { existsSync, mkdtempSync, readdirSync, rmSync, statSync } from 'node:fs';
import { request as httpRequest, type ClientRequest } from 'node:http';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { monitorEventLoopDelay } from 'node:perf_hooks';
import { gzipSync } from 'node:zlib';
import { describe, expect, it, vi } from 'vitest';
import { INGEST_WORKER, ingestRunsInWorker } from '../services/ingest/job.js';
import { createTestDatabase } from '../store/scratch-postgres.js';
import { testApi, useTestApi, type TestApi } from './test-support/api.js';

// Hoisted above the imports by vitest: services/accounts.ts reads the scrypt cost when it loads,
// and testApi sets it too late for that (full-cost hashing would spend seconds on its users).
vi.hoisted(() => {
  process.env.WARREN_SCRYPT_N ??= '1024';
});

const api = useTestApi();

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

async function finished(user: string, id: string, on: TestApi = api): Promise<JobView> {
  // Generous: a job starts a worker thread, which loads the parsers first.
  const deadline = Date.now() + 30_000;
  for (;;) {
    const res = await on.request(on.users[user], { method: 'GET', url: `/api/v1/ingest/${id}` });
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

/** B uploads data that A's signature and B's own match; only B's actions happen and are counted. */
async function uploaderOrganisationOnly(on: TestApi): Promise<void> {
  const as = (user: string, method: 'GET' | 'POST', url: string, payload?: object): Promise<Res> => on.request(on.users[user], { method, url: `/api/v1${url}`, ...(payload ? { payload } : {}) });
  expect((await as('a-admin', 'POST', '/channels', { name: 'hook', type: 'webhook', url: 'https://hooks.example/acme' })).statusCode).toBe(201);
  const sigA = await as('a-analyst', 'POST', '/signatures', { text: 'id: acme-secret\ntitle: acme\nfield: domain\npatterns: [probe-target]\nactions: [{tag: AcmeOnly}, {classify: malicious}, {alert: {}}]\n' });
  expect(sigA.statusCode, sigA.body).toBe(200);
  const sigB = await as('b-analyst', 'POST', '/signatures', { text: 'id: beta-own\ntitle: beta\nfield: domain\npatterns: [beta-mark]\nactions: [{tag: BetaTag}, {alert: {}}]\n' });
  expect(sigB.statusCode, sigB.body).toBe(200);
  const outboxBefore = (await on.store.db.selectFrom('outbox').select('seq').where('org', '=', 'acme').execute()).length;

  const body = jsonl({ kind: 'domain', domain: 'probe-target.example' }, { kind: 'domain', domain: 'beta-mark.example' });
  const res = await on.request(on.users['b-analyst'], { method: 'POST', url: '/api/v1/ingest', payload: body, headers: { 'content-type': 'application/x-ndjson' } });
  expect(res.statusCode, res.body).toBe(202);
  const job = await finished('b-analyst', res.json<{ job: string }>().job, on);
  expect(job.status).toBe('done');
  // Only beta's signature: one tag and one notification; acme's tag, classification and alert are not counted.
  expect(job.summary.actions).toEqual({ tags: 1, classifications: 0, notifications: 1 });

  const notes = await on.store.db.selectFrom('notifications').select(['org', 'signature']).execute();
  expect(notes.filter((n) => n.org === 'acme' && n.signature === 'acme-secret')).toEqual([]);
  expect(notes.filter((n) => n.org === 'beta' && n.signature === 'beta-own')).toHaveLength(1);
  expect((await on.store.db.selectFrom('outbox').select('seq').where('org', '=', 'acme').execute()).length).toBe(outboxBefore);
  const acmeTags = await on.store.db.selectFrom('tags').select('name').where('org', '=', 'acme').where('name', '=', 'AcmeOnly').execute();
  expect(acmeTags).toEqual([]);
  // The data itself is shared: acme's signature meets it when acme looks at the entity.
  const look = await as('a-viewer', 'GET', '/entities/probe-target.example');
  expect(look.statusCode, look.body).toBe(200);
  expect(look.json<{ tags: { name: string }[] }>().tags.map((t) => t.name)).toContain('AcmeOnly');
}

describe("an upload meets the uploader's organisation's signatures only", () => {
  it('on SQLite: another organisation\'s matching signature adds no action, count, notification or delivery', async () => {
    await uploaderOrganisationOnly(api);
  });

  it('on PostgreSQL too', async (t) => {
    const db = await createTestDatabase();
    if ('skip' in db) {
      t.skip(db.skip);
      return;
    }
    const pgApi = await testApi(db.url);
    try {
      await uploaderOrganisationOnly(pgApi);
    } finally {
      await pgApi.close();
      await db.drop();
    }
  });
});

describe('an upload off the request path', () => {
  const builtWorker = existsSync(INGEST_WORKER);

  it.runIf(builtWorker)('streams the body to a temporary file that the job removes at its end', async () => {
    const tmp = mkdtempSync(join(tmpdir(), 'warren-ingest-tmp-'));
    const saved = process.env.TMPDIR;
    process.env.TMPDIR = tmp;
    try {
      expect(ingestRunsInWorker(api.store)).toBe(true);
      const body = jsonl(...Array.from({ length: 40_000 }, (_, i) => ({ kind: 'resolution', domain: `tmp${i}.example`, rrtype: 'A', value: `198.18.${(i >> 8) & 255}.${i & 255}` })));
      const res = await upload('a-analyst', body, 'application/x-ndjson');
      expect(res.statusCode, res.body).toBe(202);
      // The job has just started: the upload is on disk, whole, in a folder of its own.
      const folders = readdirSync(tmp);
      expect(folders).toHaveLength(1);
      expect(folders[0]).toMatch(/^warren-upload-/);
      expect(statSync(join(tmp, folders[0]!, 'upload')).size).toBe(Buffer.byteLength(body));
      const job = await finished('a-analyst', res.json<{ job: string }>().job);
      expect(job).toMatchObject({ status: 'done', summary: { read: 40_000, rejected: 0 } });
      await vi.waitFor(() => expect(readdirSync(tmp)).toEqual([]), { timeout: 5000 });

      // Refused uploads leave nothing behind either: a format that cannot be told, an empty body.
      expect((await upload('a-analyst', 'just some words\n', 'text/plain')).statusCode).toBe(400);
      expect((await upload('a-analyst', '', 'text/plain')).statusCode).toBe(400);
      await vi.waitFor(() => expect(readdirSync(tmp)).toEqual([]), { timeout: 5000 });
    } finally {
      if (saved === undefined) delete process.env.TMPDIR;
      else process.env.TMPDIR = saved;
      rmSync(tmp, { recursive: true, force: true });
    }
  });

  it.runIf(builtWorker)('keeps the event loop responsive while a multi-MB upload is ingested through the real server', async () => {
    const server = await testApi();
    try {
      await server.app.listen({ port: 0, host: '127.0.0.1' });
      const address = server.app.server.address();
      const base = `http://127.0.0.1:${typeof address === 'object' && address ? address.port : 0}`;
      const user = server.users['a-analyst']!;
      const auth = `Basic ${Buffer.from(`${user.email}:${user.key}`).toString('base64')}`;
      const lines: string[] = [];
      for (let i = 0; i < 100_000; i++) lines.push(JSON.stringify({ kind: 'resolution', domain: `load${i}.example`, rrtype: 'A', value: `198.19.${(i >> 8) & 255}.${i & 255}`, source: 'load-test' }));
      const body = `${lines.join('\n')}\n`;
      expect(body.length).toBeGreaterThan(8_000_000);

      const delay = monitorEventLoopDelay({ resolution: 10 });
      delay.enable();
      let slowestHealth = 0;
      const res = await fetch(`${base}/api/v1/ingest`, { method: 'POST', body, headers: { authorization: auth, 'content-type': 'application/x-ndjson' } });
      expect(res.status).toBe(202);
      const { job } = (await res.json()) as { job: string };
      for (;;) {
        const t = performance.now();
        expect((await fetch(`${base}/healthz`)).status).toBe(200);
        slowestHealth = Math.max(slowestHealth, performance.now() - t);
        const view = (await (await fetch(`${base}/api/v1/ingest/${job}`, { headers: { authorization: auth } })).json()) as JobView;
        if (view.status !== 'running') {
          expect(view).toMatchObject({ status: 'done', summary: { read: 100_000, rejected: 0 } });
          break;
        }
        await new Promise((r) => setTimeout(r, 20));
      }
      delay.disable();
      // A behavioural guard, not a benchmark (npm run bench:api prints the figures): before the
      // worker, this upload held the event loop for seconds.
      expect(delay.max / 1e6).toBeLessThan(1000);
      expect(slowestHealth).toBeLessThan(1000);
    } finally {
      await server.close();
    }
  });
});

describe('busy and in-memory stores', () => {
  it.runIf(existsSync(INGEST_WORKER))('answers 429 before reading the body when 4 uploads are under way, and frees the slots of cut-off uploads', async () => {
    const server = await testApi();
    const tmp = mkdtempSync(join(tmpdir(), 'warren-ingest-busy-'));
    const saved = process.env.TMPDIR;
    process.env.TMPDIR = tmp;
    const open: ClientRequest[] = [];
    try {
      await server.app.listen({ port: 0, host: '127.0.0.1' });
      const address = server.app.server.address();
      const port = typeof address === 'object' && address ? address.port : 0;
      const user = server.users['a-analyst']!;
      const headers = { authorization: `Basic ${Buffer.from(`${user.email}:${user.key}`).toString('base64')}`, 'content-type': 'application/x-ndjson' };
      // Four uploads that declare 100 MB and send one line: each holds a slot while it is received.
      for (let i = 0; i < 4; i++) {
        const req = httpRequest({ host: '127.0.0.1', port, path: '/api/v1/ingest', method: 'POST', headers: { ...headers, 'content-length': String(100_000_000) } });
        req.on('error', () => undefined); // destroyed below
        req.write(`${JSON.stringify({ kind: 'domain', domain: `slow${i}.example` })}\n`);
        open.push(req);
      }
      await vi.waitFor(() => expect(readdirSync(tmp)).toHaveLength(4), { timeout: 10_000 });
      // The fifth is refused at once, though it declares 100 MB and sends none of it.
      const fifth = await new Promise<{ status: number; body: string }>((resolve, reject) => {
        const req = httpRequest({ host: '127.0.0.1', port, path: '/api/v1/ingest', method: 'POST', headers: { ...headers, 'content-length': String(100_000_000) } }, (res) => {
          const parts: Buffer[] = [];
          res.on('data', (c: Buffer) => parts.push(c));
          res.on('end', () => resolve({ status: res.statusCode ?? 0, body: Buffer.concat(parts).toString() }));
        });
        req.on('error', reject);
        req.flushHeaders();
        open.push(req);
      });
      expect(fifth.status).toBe(429);
      expect(JSON.parse(fifth.body)).toMatchObject({ error: { code: 'busy' } });
      // Cut off, the four give their slots and files back; the next upload runs.
      for (const req of open) req.destroy();
      await vi.waitFor(() => expect(readdirSync(tmp)).toEqual([]), { timeout: 10_000 });
      const res = await fetch(`http://127.0.0.1:${port}/api/v1/ingest`, { method: 'POST', headers, body: jsonl({ kind: 'domain', domain: 'after.example' }) });
      expect(res.status).toBe(202);
      expect(await finished('a-analyst', ((await res.json()) as { job: string }).job, server)).toMatchObject({ status: 'done', summary: { read: 1 } });
    } finally {
      for (const req of open) req.destroy();
      if (saved === undefined) delete process.env.TMPDIR;
      else process.env.TMPDIR = saved;
      await server.close();
      rmSync(tmp, { recursive: true, force: true });
    }
  });

  it("runs jobs in the server's thread for a SQLite store in memory, with the same results", async () => {
    const memory = await testApi('sqlite::memory:');
    try {
      expect(ingestRunsInWorker(memory.store)).toBe(false);
      const sig = await memory.request(memory.users['a-analyst'], { method: 'POST', url: '/api/v1/signatures', payload: { text: 'id: mem\ntitle: m\nfield: domain\npatterns: [memory-mark]\nactions: [{tag: Mem}]\n' } });
      expect(sig.statusCode, sig.body).toBe(200);
      const body = jsonl(...Array.from({ length: 5000 }, (_, i) => ({ kind: 'domain', domain: i === 0 ? 'memory-mark.example' : `m${i}.example` })), { kind: 'domain', domain: 'not a domain' });
      const res = await memory.request(memory.users['a-analyst'], { method: 'POST', url: '/api/v1/ingest', payload: body, headers: { 'content-type': 'application/x-ndjson' } });
      expect(res.statusCode, res.body).toBe(202);
      expect(await finished('a-analyst', res.json<{ job: string }>().job, memory)).toMatchObject({
        status: 'done',
        summary: { read: 5001, stored: { domain: 5000 }, rejected: 1, actions: { tags: 1 } },
        rejects: [{ input: 'upload', line: 5001 }],
      });
    } finally {
      await memory.close();
    }
  });
});
