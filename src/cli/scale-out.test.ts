// Scale-out on the machine's real PostgreSQL and Redis (issue 17, docs/DEPLOY.md): two
// `warren serve --queue` processes and `warren worker` processes, each a real process killed with
// -9 in the middle of its work — an upload's ingest, a retro-hunt, a delivery batch — and a Redis
// restarted empty in the middle of an ingest. Each time the store ends as an uninterrupted
// in-process run leaves it (`warren ingest` / `warren sig import` on SQLite): the same records,
// rejects, tags and notifications, none twice; every webhook message is acknowledged exactly once
// by a receiver that drops nothing (counted by the notification id).
import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, afterEach, beforeAll, describe, expect, it, vi } from 'vitest';
import { startReceiver, waitUntil, type Receiver } from '../services/delivery/test-support/receiver.js';
import { dropQueues, redisAnswers } from '../services/jobs/test-support/redis.js';
import { postgresFactory } from '../store/test-support/open-store.js';
import { Store } from '../store/store.js';
import { killChildren, requireBuild, startWarren, type WarrenChild } from './test-support/child.js';
import { runCli } from './test-support/run.js';

const EMAIL = 'ana@acme.example';
const LINES = 24_000;

const LURE = ['id: lure', 'title: Lures', 'field: domain', "patterns: ['^lure-']", 'actions:', '  - tag: Lure', '  - alert: {severity: high}', ''].join('\n');
const KIT = ['id: kit', 'title: Kits', 'field: domain', "patterns: ['-1\\d*3\\.example$']", 'actions:', '  - tag: Kit', ''].join('\n');

let dir = '';
beforeAll(() => {
  requireBuild();
  dir = mkdtempSync(join(tmpdir(), 'warren-scale-'));
  writeFileSync(join(dir, 'lure.yaml'), LURE);
  writeFileSync(join(dir, 'kit.yaml'), KIT);
  // The receiver is on loopback: `warren channel add`, run in this process, must accept it.
  vi.stubEnv('WARREN_ALLOW_PRIVATE_WEBHOOKS', '1');
});
afterAll(() => {
  vi.unstubAllEnvs();
  rmSync(dir, { recursive: true, force: true });
});
afterEach(killChildren);

/** An upload: resolutions, every 9th a lure (alerted and tagged), every 1,000th line broken. */
function writeUpload(file: string): void {
  const lines: string[] = [];
  for (let i = 1; i <= LINES; i++) {
    if (i % 1000 === 0) lines.push(`{"kind": "resolution", "domain": "broken-${i}.example"`);
    else lines.push(JSON.stringify({ kind: 'resolution', domain: `${i % 9 === 0 ? 'lure' : 'quiet'}-${i}.example`, rrtype: 'A', value: `198.51.100.${i % 200}`, first_seen: '2026-01-01T00:00:00Z', last_seen: '2026-01-02T00:00:00Z', source: 'scale-test' }));
  }
  writeFileSync(file, `${lines.join('\n')}\n`);
}

async function cli(args: string[]): Promise<string> {
  const r = await runCli(args);
  if (r.code !== 0) throw new Error(`warren ${args.join(' ')}: ${r.stderr}`);
  return r.stdout;
}

/** What a run leaves that a kill could lose or double. */
async function outcome(url: string): Promise<Record<string, unknown>> {
  const store = await Store.open(url);
  try {
    const stats = await store.stats();
    const tags = await store.db.selectFrom('tags').select(['entity', 'name', 'signature_version']).where('org', '=', 'acme').orderBy('name').orderBy('entity').execute();
    const notifications = await store.db.selectFrom('notifications').select(['entity', 'signature']).where('org', '=', 'acme').orderBy('entity').execute();
    return { stats, tags: tags.map((t) => `${t.name}:${t.entity}@${t.signature_version}`), notifications: notifications.map((n) => `${n.signature}:${n.entity}`) };
  } finally {
    await store.close();
  }
}

interface Api {
  readonly base: string;
  readonly key: string;
}

async function api<T>(a: Api, method: string, path: string, body?: Buffer | object): Promise<{ status: number; json: T }> {
  const headers: Record<string, string> = { authorization: `Basic ${Buffer.from(`${EMAIL}:${a.key}`).toString('base64')}` };
  let payload: Buffer | string | undefined;
  if (Buffer.isBuffer(body)) {
    headers['content-type'] = 'application/x-ndjson';
    payload = body;
  } else if (body !== undefined) {
    headers['content-type'] = 'application/json';
    payload = JSON.stringify(body);
  }
  const res = await fetch(`${a.base}${path}`, { method, headers, ...(payload !== undefined ? { body: payload } : {}) });
  return { status: res.status, json: (await res.json()) as T };
}

function address(child: WarrenChild): string {
  return /on (http:\/\/[^\s;]+)/.exec(child.stderr())![1]!;
}

interface IngestView {
  status: string;
  progress: { partsDone: number; parts: number };
  summary: { read: number; rejected: number; stored: Record<string, number> };
  rejects: { line: number }[];
}

interface HuntView {
  status: string;
  progress: { parts: number; partsDone: number; scanned: number };
}

async function waitFor<T>(what: string, read: () => Promise<T>, done: (v: T) => boolean, timeoutMs = 120_000): Promise<T> {
  let last: T | undefined;
  await waitUntil(
    async () => {
      last = await read();
      return done(last);
    },
    timeoutMs,
    what,
  );
  return last!;
}

async function freePort(): Promise<number> {
  const s = createServer();
  await new Promise<void>((r) => s.listen(0, '127.0.0.1', r));
  const port = (s.address() as { port: number }).port;
  await new Promise<void>((r) => s.close(() => r()));
  return port;
}

function startRedis(port: number): ChildProcess {
  return spawn('redis-server', ['--port', String(port), '--bind', '127.0.0.1', '--save', '', '--appendonly', 'no', '--dir', dir], { stdio: 'ignore' });
}

describe('scale-out: API replicas and workers on PostgreSQL and Redis', () => {
  it('kill -9 of a worker mid-ingest, mid-hunt and mid-delivery leaves the store as an uninterrupted run; each webhook acknowledged once', async (t) => {
    if (!(await redisAnswers(6379))) return t.skip('Redis is not answering on 127.0.0.1:6379 (.ci/run starts it where it can)');
    const made = await postgresFactory();
    if ('skip' in made) return t.skip(made.skip);
    const receiver: Receiver = await startReceiver();
    const prefix = `warren-test-${process.pid}-${Math.floor(Math.random() * 1e9)}`;
    try {
      const upload = join(dir, 'upload.jsonl');
      writeUpload(upload);

      // The uninterrupted reference: one process, SQLite.
      const ref = `sqlite:${join(dir, 'reference.db')}`;
      await cli(['sig', 'import', '--db', ref, '--org', 'acme', join(dir, 'lure.yaml')]);
      await runCli(['ingest', '--db', ref, upload]);
      await cli(['sig', 'import', '--db', ref, '--org', 'acme', join(dir, 'kit.yaml')]);
      const expected = await outcome(ref);

      const db = made.url;
      await cli(['org', 'add', '--db', db, 'acme']);
      await cli(['user', 'add', '--db', db, EMAIL, '--org', 'acme', '--role', 'analyst']);
      const key = (await cli(['apikey', 'create', '--db', db, '--user', EMAIL, '--org', 'acme'])).trim();
      await cli(['sig', 'import', '--db', db, '--org', 'acme', join(dir, 'lure.yaml')]);
      await cli(['channel', 'add', '--db', db, '--org', 'acme', '--type', 'webhook', '--url', receiver.url, '--secret', 'scale-out-secret-1234', 'soc']);

      const env = {
        WARREN_QUEUE_PREFIX: prefix,
        WARREN_QUEUE_LOCK: '2',
        WARREN_QUEUE_SWEEP: '1',
        WARREN_QUEUE_QUIET: '5',
        WARREN_INGEST_PART_BYTES: String(96 * 1024),
        WARREN_HUNT_PART: '1500',
        WARREN_ALLOW_PRIVATE_WEBHOOKS: '1',
        WARREN_LOG_LEVEL: 'warn',
      };
      const queue = ['--db', db, '--queue', 'redis://127.0.0.1:6379'];
      const serve = () => startWarren(['serve', ...queue, '--port', '0', '--no-deliver'], env);
      const worker = (deliver: boolean) => startWarren(['worker', ...queue, ...(deliver ? [] : ['--no-deliver'])], env);
      const [one, two] = [serve(), serve()];
      await Promise.all([one.waitForStderr(/serving .* on http:\/\//), two.waitForStderr(/serving .* on http:\/\//)]);
      const apiOne: Api = { base: address(one), key };
      const apiTwo: Api = { base: address(two), key };
      const w1 = worker(false);
      const w2 = worker(false);
      await Promise.all([w1.waitForStderr(/taking work from/), w2.waitForStderr(/taking work from/)]);

      // 1. An upload through one replica, followed through the other; a worker killed mid-way.
      const posted = await api<{ job: string }>(apiOne, 'POST', '/api/v1/ingest?name=upload.jsonl', readFileSync(upload));
      expect(posted.status).toBe(202);
      const job = posted.json.job;
      const mid = await waitFor('three parts ingested', () => api<IngestView>(apiTwo, 'GET', `/api/v1/ingest/${job}`), (r) => r.json.progress.partsDone >= 3);
      expect(mid.json.progress.parts).toBeGreaterThan(20);
      expect(mid.json.status).toBe('running');
      w1.child.kill('SIGKILL');
      const w3 = worker(false);
      const ingested = await waitFor('the upload to be ingested', () => api<IngestView>(apiTwo, 'GET', `/api/v1/ingest/${job}`), (r) => r.json.status !== 'running');
      expect(ingested.json.status).toBe('done');
      expect(ingested.json.summary.read).toBe(LINES);
      expect(ingested.json.summary.rejected).toBe(LINES / 1000);
      expect(ingested.json.rejects.map((r) => r.line)).toEqual(Array.from({ length: LINES / 1000 }, (_, i) => (i + 1) * 1000));

      // 2. A signature imported through the other replica: its hunt in parts; a worker killed mid-way.
      const imported = await api<{ huntJob: { id: string; parts: number } }>(apiTwo, 'POST', '/api/v1/signatures', { text: KIT });
      expect(imported.status).toBe(200);
      expect(imported.json.huntJob.parts).toBeGreaterThan(10);
      const hunt = imported.json.huntJob.id;
      await waitFor('two hunt parts', () => api<HuntView>(apiOne, 'GET', `/api/v1/hunts/${hunt}`), (r) => r.json.progress.partsDone >= 2);
      w2.child.kill('SIGKILL');
      const w4 = worker(false);
      const hunted = await waitFor('the hunt to end', () => api<HuntView>(apiOne, 'GET', `/api/v1/hunts/${hunt}`), (r) => r.json.status !== 'running');
      expect(hunted.json.status).toBe('done');
      expect(await outcome(db)).toEqual(expected);

      // 3. Deliveries: one deliverer, killed while the receiver holds its 6th message unanswered.
      const K = 5;
      const acknowledged = new Map<string, number>();
      receiver.answer = (n, r) => {
        if (n === K) return 'hang';
        acknowledged.set(r.notification, (acknowledged.get(r.notification) ?? 0) + 1);
        return 200;
      };
      const d1 = worker(true);
      await receiver.waitFor(K + 1, 60_000);
      d1.child.kill('SIGKILL');
      await d1.exited;
      // Its claims last 5 minutes; their end is moved into the past rather than waited for.
      const store = await Store.open(db);
      try {
        await store.db.updateTable('outbox').set({ claimed_until: '2000-01-01T00:00:00Z' }).where('claimed_by', 'is not', null).execute();
        // Two deliverers at once take over the rest.
        const [d2, d3] = [worker(true), worker(true)];
        const notifications = (await store.db.selectFrom('notifications').select('id').where('org', '=', 'acme').execute()).map((n) => n.id);
        expect(notifications.length).toBe((expected.notifications as string[]).length);
        await waitUntil(() => acknowledged.size === notifications.length, 120_000, 'every notification acknowledged');
        expect([...acknowledged.keys()].sort()).toEqual([...notifications].sort());
        expect([...acknowledged.values()].every((n) => n === 1)).toBe(true);
        // Received more than once: only the one in flight at the kill, never acknowledged then.
        const received = new Map<string, number>();
        for (const r of receiver.requests) received.set(r.notification, (received.get(r.notification) ?? 0) + 1);
        expect([...received].filter(([, n]) => n > 1).map(([id]) => id)).toEqual([receiver.requests[K]!.notification]);
        await Promise.all([d2.stop(), d3.stop()]);
      } finally {
        await store.close();
      }
      // SIGTERM: every process ends cleanly.
      for (const c of [one, two, w3, w4]) expect((await c.stop()).code).toBe(0);
    } finally {
      await receiver.close();
      await made.cleanup();
      await dropQueues('redis://127.0.0.1:6379', prefix);
    }
  }, 600_000);

  it('a Redis restarted empty mid-ingest loses nothing: the parts it forgot are queued again from the store', async (t) => {
    const made = await postgresFactory();
    if ('skip' in made) return t.skip(made.skip);
    const port = await freePort();
    let redis = startRedis(port);
    try {
      await waitUntil(() => redisAnswers(port), 10_000, 'the test Redis to start');
      const upload = join(dir, 'upload-redis.jsonl');
      writeUpload(upload);
      const ref = `sqlite:${join(dir, 'reference-redis.db')}`;
      await cli(['sig', 'import', '--db', ref, '--org', 'acme', join(dir, 'lure.yaml')]);
      await runCli(['ingest', '--db', ref, upload]);
      const expected = await outcome(ref);

      const db = made.url;
      await cli(['org', 'add', '--db', db, 'acme']);
      await cli(['user', 'add', '--db', db, EMAIL, '--org', 'acme', '--role', 'analyst']);
      const key = (await cli(['apikey', 'create', '--db', db, '--user', EMAIL, '--org', 'acme'])).trim();
      await cli(['sig', 'import', '--db', db, '--org', 'acme', join(dir, 'lure.yaml')]);
      const env = { WARREN_QUEUE_LOCK: '2', WARREN_QUEUE_SWEEP: '1', WARREN_QUEUE_QUIET: '3', WARREN_INGEST_PART_BYTES: String(96 * 1024), WARREN_LOG_LEVEL: 'warn' };
      const queue = ['--db', db, '--queue', `redis://127.0.0.1:${port}`];
      const server = startWarren(['serve', ...queue, '--port', '0', '--no-deliver'], env);
      await server.waitForStderr(/serving .* on http:\/\//);
      const a: Api = { base: address(server), key };
      const w = startWarren(['worker', ...queue, '--no-deliver', '--port', '0'], env);
      await w.waitForStderr(/health on http/);
      const health = /health on (http:\/\/\S+)/.exec(w.stderr())![1]!;
      const ready = async (base: string): Promise<{ status: number; body: { checks: Record<string, string> } }> => {
        const r = await fetch(`${base}/readyz`);
        return { status: r.status, body: (await r.json()) as { checks: Record<string, string> } };
      };
      expect(await ready(health)).toEqual({ status: 200, body: { status: 'ready', role: 'worker', checks: { store: 'ok', queue: 'ok', workers: 'ok' } } });
      expect(await ready(a.base)).toEqual({ status: 200, body: { status: 'ready', role: 'api', checks: { store: 'ok', queue: 'ok' } } });
      const posted = await api<{ job: string }>(a, 'POST', '/api/v1/ingest?name=upload.jsonl', readFileSync(upload));
      expect(posted.status).toBe(202);
      await waitFor('two parts ingested', () => api<IngestView>(a, 'GET', `/api/v1/ingest/${posted.json.job}`), (r) => r.json.progress.partsDone >= 2);
      // Redis dies and comes back with nothing (it keeps nothing on disk).
      redis.kill('SIGKILL');
      await new Promise((r) => redis.once('exit', r));
      // Neither the worker nor the API replica is ready without its queue; both stay alive.
      expect((await ready(health)).status).toBe(503);
      expect((await ready(a.base)).body.checks.queue).toMatch(/Redis did not answer/);
      redis = startRedis(port);
      await waitUntil(() => redisAnswers(port), 10_000, 'the test Redis to start again');
      const done = await waitFor('the upload to be ingested', () => api<IngestView>(a, 'GET', `/api/v1/ingest/${posted.json.job}`), (r) => r.json.status !== 'running');
      expect(done.json.status).toBe('done');
      expect(done.json.summary.read).toBe(LINES);
      expect(await outcome(db)).toEqual(expected);
      // The queue's families, per queue, on both roles' /metrics.
      const metrics = await (await fetch(`${health}/metrics`)).text();
      expect(metrics).toMatch(/^warren_queue_waiting\{queue="ingest"\} 0$/m);
      expect(metrics).toMatch(/^warren_queue_dead_letters\{queue="hunt"\} 0$/m);
      expect(metrics).toMatch(/^warren_jobs\{kind="ingest",status="done"\} 1$/m);
      expect(Number(/^warren_queue_parts_total\{queue="ingest",outcome="done"\} (\d+)$/m.exec(metrics)?.[1])).toBeGreaterThan(0);
      expect(await (await fetch(`${a.base}/metrics`)).text()).toMatch(/^warren_queue_oldest_waiting_seconds\{queue="ingest"\} 0$/m);
      for (const c of [server, w]) expect((await c.stop()).code).toBe(0);
    } finally {
      redis.kill('SIGKILL');
      await made.cleanup();
    }
  }, 300_000);
});
