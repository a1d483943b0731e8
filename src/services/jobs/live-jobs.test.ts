// Live look-ups through the `live` queue on the machine's Redis (skipped, saying why, without one),
// on SQLite and PostgreSQL: an API side (QueuedLiveLookups, no fetchers of its own) and a worker
// (LiveWorker running LiveLookups with scripted fetchers). A view's reports and what it stores
// equal an in-process look-up's; views of one entity from two replicas at once fetch once; a worker
// that never answers, one that fails and an unreachable queue each give a bounded wait and a
// `failed` report per due source; a look-up nobody waits for any more is not fetched. Each test
// has its own queue prefix.
import { afterAll, afterEach, describe, expect, it, vi } from 'vitest';
import { QueueEvents } from 'bullmq';
import { liveFetches } from '../../store/live-fetches.js';
import { postgresFactory, sqliteFactory, useStore, type StoreFactory } from '../../store/test-support/open-store.js';
import type { Store } from '../../store/store.js';
import { waitUntil } from '../delivery/test-support/receiver.js';
import { LiveLookups, type LiveFetchers, type LiveRefresher } from '../live/live.js';
import { liveSettingsFromEnv, type LiveSettings } from '../live/settings.js';
import { importLiveSignatures, scripted } from '../live/test-support/scripted.js';
import { lookup } from '../lookup.js';
import { QueuedLiveLookups } from './live-jobs.js';
import { LiveWorker } from './live-worker.js';
import { BullWorkQueue, redisConnection } from './queue.js';
import { dropQueues, redisAnswers } from './test-support/redis.js';

const REDIS = 'redis://127.0.0.1:6379';
const T0 = '2026-06-01T00:00:00Z';
const at = (minutes: number): string => new Date(Date.parse(T0) + minutes * 60_000).toISOString().replace(/\.\d{3}Z$/, 'Z');
const settings: LiveSettings = { ...liveSettingsFromEnv({}), ttlMs: 60 * 60_000, tlsPorts: [443, 8443] };

const redis = await redisAnswers();
if (!redis) console.warn('queued live look-up tests skipped: Redis is not answering on 127.0.0.1:6379');

async function signatures(store: Store): Promise<void> {
  await importLiveSignatures(store, T0);
}

/** What is closed and dropped after each test: its replicas, workers and queues (under its own prefix). */
const opened: { close(): Promise<void> }[] = [];
let prefixes: string[] = [];

/** A fresh queue prefix; every BullMQ object made after this uses it. */
function newPrefix(): void {
  const prefix = `warren-live-test-${process.pid}-${Math.floor(Math.random() * 1e9)}`;
  vi.stubEnv('WARREN_QUEUE_PREFIX', prefix);
  prefixes.push(prefix);
}

function replica(waitMs = 20_000, url = REDIS): QueuedLiveLookups {
  const work = new BullWorkQueue(url);
  const live = new QueuedLiveLookups(settings, work, waitMs);
  opened.push(live, work);
  return live;
}

function worker(store: Store, lookups: LiveRefresher): LiveWorker {
  const w = new LiveWorker(store, lookups, REDIS, { concurrency: 4, lockMs: 30_000 });
  opened.unshift(w);
  return w;
}

afterEach(async () => {
  for (const o of opened.splice(0)) await o.close();
  for (const p of prefixes) await dropQueues(REDIS, p);
  prefixes = [];
  vi.unstubAllEnvs();
});

function suite(dialect: string, factory: StoreFactory): void {
  describe.skipIf(!redis)(`live look-ups on the queue (${dialect})`, () => {
    let store: Store | undefined;
    let reference: Store | undefined;
    useStore(`queued live look-ups on ${dialect}`, factory, async (s) => {
      store = s;
      await signatures(s);
    });
    // The in-process reference: its own SQLite store with the same signatures.
    useStore('the in-process reference', sqliteFactory('warren-live-ref-'), async (s) => {
      reference = s;
      await signatures(s);
    });

    it('a view waits for the worker: its reports and what it stores equal an in-process look-up’s; a fresh view asks no worker', async (t) => {
      if (!store || !reference) return t.skip();
      newPrefix();
      const inProcess = scripted();
      const onWorker = scripted();
      const api = replica();
      const w = worker(store, new LiveLookups(settings, onWorker.fetchers));
      for (const entity of ['fresh-one.example', '203.0.113.9']) {
        const expected = await lookup(reference, entity, { org: 'acme', now: T0, live: { lookups: new LiveLookups(settings, inProcess.fetchers) } });
        const got = await lookup(store, entity, { org: 'acme', now: T0, live: { lookups: api } });
        expect(got).toEqual(expected);
        const kind = entity.startsWith('203.') ? 'ip' : 'domain';
        expect(await liveFetches(store.db, kind, entity)).toEqual(await liveFetches(reference.db, kind, entity));
      }
      expect(onWorker.calls).toEqual(inProcess.calls);
      const fresh = await lookup(store, 'fresh-one.example', { org: 'acme', now: at(1), live: { lookups: api } });
      expect(fresh?.tags.map((x) => x.name)).toEqual(['Malicious_Registrant']);
      expect(fresh?.live.map((l) => [l.source, l.status])).toEqual([
        ['rdap', 'cached'],
        ['dns', 'cached'],
        ['tls', 'cached'],
      ]);
      // Answered from the store: the worker ran the two look-ups above and no third.
      expect(w.counts.get('live\tdone')).toBe(2);
      expect(onWorker.calls.registration).toEqual(['fresh-one.example']);
    });

    it('views of one entity from two replicas at once share one look-up: the fetchers run once', async (t) => {
      if (!store) return t.skip();
      newPrefix();
      let release!: () => void;
      const gate = new Promise<void>((r) => (release = r));
      const base = scripted();
      const fetchers: LiveFetchers = {
        ...base.fetchers,
        registration: async (ctx, d) => {
          const answer = base.fetchers.registration(ctx, d);
          await gate;
          return answer;
        },
      };
      const [one, two] = [replica(), replica()];
      worker(store, new LiveLookups(settings, fetchers));
      const events = new QueueEvents('live', { connection: redisConnection(REDIS), prefix: process.env.WARREN_QUEUE_PREFIX!, lastEventId: '0' });
      opened.push(events);
      const joined = new Promise<void>((resolve) => events.on('duplicated', () => resolve()));
      const first = lookup(store, 'fresh-shared.example', { org: 'acme', now: T0, live: { lookups: one } });
      await waitUntil(() => base.calls.registration.length === 1, 10_000, 'the worker to start the look-up');
      const second = lookup(store, 'fresh-shared.example', { org: 'acme', now: T0, live: { lookups: two } });
      // The second replica found the look-up running and waits for it too.
      await joined;
      release();
      const [a, b] = await Promise.all([first, second]);
      expect(base.calls.registration).toEqual(['fresh-shared.example']);
      expect(base.calls.dns).toEqual(['fresh-shared.example']);
      expect(a?.live.map((l) => [l.source, l.status])).toEqual([
        ['rdap', 'ok'],
        ['dns', 'ok'],
        ['tls', 'failed'],
      ]);
      expect(b?.live).toEqual(a?.live);
    });

    it('a worker that never answers: the view waits WARREN_LIVE_WAIT, then reports each due source failed and the fresh ones cached', async (t) => {
      if (!store) return t.skip();
      newPrefix();
      // A first view, answered: TLS failed (its back-off is 5 minutes), the rest ok.
      const answered = worker(store, new LiveLookups(settings, scripted().fetchers));
      await lookup(store, 'fresh-stuck.example', { org: 'acme', now: T0, live: { lookups: replica() } });
      await answered.close();
      // Six minutes later TLS is due again; the worker now taking look-ups hangs in every fetch.
      let release!: () => void;
      const gate = new Promise<void>((r) => (release = r));
      let asked = 0;
      const hang = (): Promise<never> => {
        asked++;
        return gate.then(() => Promise.reject(new Error('released')));
      };
      const w = worker(store, new LiveLookups(settings, scripted({ registration: hang, dns: hang, tls: hang }).fetchers));
      try {
        const v = await lookup(store, 'fresh-stuck.example', { org: 'acme', now: at(6), live: { lookups: replica(300) } });
        // The worker did take it (only TLS was due) and is still in its fetch.
        await waitUntil(() => asked === 1, 10_000, 'the worker to take the look-up');
        expect(v?.live.map((l) => [l.source, l.status, l.at])).toEqual([
          ['rdap', 'cached', T0],
          ['dns', 'cached', T0],
          ['tls', 'failed', at(6)],
        ]);
        expect(v?.live.find((l) => l.source === 'tls')?.detail).toMatch(/^no answer from a worker within 0\.3 s \(WARREN_LIVE_WAIT\)/);
        // Stored data is shown as before.
        expect(v?.tags.map((x) => x.name)).toEqual(['Malicious_Registrant']);
      } finally {
        release();
      }
      await w.close();
    });

    it('a look-up that fails on the worker answers at once with the reason, and is a dead letter', async (t) => {
      if (!store) return t.skip();
      newPrefix();
      const failing: LiveRefresher = { settings, refresh: () => Promise.reject(new Error('the store went away')) };
      const w = worker(store, failing);
      // A wait far longer than the test: the answer comes from the failure, not the clock.
      const api = replica(600_000);
      const v = await lookup(store, '198.51.100.200', { org: 'acme', now: T0, live: { lookups: api } });
      expect(v?.live).toEqual([
        { source: 'rdap-ip', status: 'failed', at: T0, detail: "the worker's look-up failed: the store went away" },
        { source: 'tls', status: 'failed', at: T0, detail: "the worker's look-up failed: the store went away" },
      ]);
      expect(w.counts.get('live\tdead')).toBe(1);
      const work = new BullWorkQueue(REDIS);
      opened.push(work);
      expect((await work.depth('live', Date.now())).failed).toBe(1);
    });

    it('a look-up nobody waits for any more is not fetched when a worker takes it', async (t) => {
      if (!store) return t.skip();
      newPrefix();
      const v = await lookup(store, 'fresh-late.example', { org: 'acme', now: T0, live: { lookups: replica(200) } });
      expect(v?.live.map((l) => l.status)).toEqual(['failed', 'failed', 'failed']);
      expect(v?.known).toBe(false);
      const late = scripted();
      const w = worker(store, new LiveLookups(settings, late.fetchers));
      await waitUntil(() => w.counts.get('live\tskipped') === 1, 10_000, 'the worker to take the stale look-up');
      expect(late.calls).toEqual({ registration: [], dns: [], tls: [], ip: [] });
      expect(await liveFetches(store.db, 'domain', 'fresh-late.example')).toEqual([]);
    });

    it('an unreachable queue: the view answers within its wait, saying so', async (t) => {
      if (!store) return t.skip();
      newPrefix();
      const v = await lookup(store, 'fresh-noqueue.example', { org: 'acme', now: T0, live: { lookups: replica(300, 'redis://127.0.0.1:1') } });
      expect(v?.live.map((l) => [l.source, l.status])).toEqual([
        ['rdap', 'failed'],
        ['dns', 'failed'],
        ['tls', 'failed'],
      ]);
      expect(v?.live[0]?.detail).toBe('the live queue did not answer within 0.3 s (WARREN_LIVE_WAIT)');
    });
  });
}

afterAll(() => vi.unstubAllEnvs());

suite('SQLite', sqliteFactory('warren-live-jobs-'));
suite('PostgreSQL', postgresFactory);
