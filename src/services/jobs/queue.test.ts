// The BullMQ transport on the machine's Redis (skipped, saying why, without one): a part handed
// over twice is queued once; a part that fails every attempt becomes a dead letter — counted in
// the queue's depth, its part and job recorded failed with the reason — whether the worker
// records it or, having died first, the sweep does.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createJob, jobById, partsOf } from '../../store/jobs.js';
import { sqliteFactory, useStore } from '../../store/test-support/open-store.js';
import type { Store } from '../../store/store.js';
import { waitUntil } from '../delivery/test-support/receiver.js';
import { BullWorkQueue, redisConnection } from './queue.js';
import { sweep } from './work.js';
import { PartWorkers } from './worker.js';
import { dropQueues, redisAnswers } from './test-support/redis.js';

const URL_ = 'redis://127.0.0.1:6379';

const redis = await redisAnswers();
if (!redis) console.warn('BullMQ queue tests skipped: Redis is not answering on 127.0.0.1:6379');

describe.skipIf(!redis)('the BullMQ work queue', () => {
  const saved = { prefix: process.env.WARREN_QUEUE_PREFIX, attempts: process.env.WARREN_QUEUE_ATTEMPTS };
  let queue: BullWorkQueue;
  let store: Store | undefined;
  beforeAll(() => {
    process.env.WARREN_QUEUE_PREFIX = `warren-queue-test-${process.pid}-${Math.floor(Math.random() * 1e9)}`;
    process.env.WARREN_QUEUE_ATTEMPTS = '2';
    queue = new BullWorkQueue(URL_);
  });
  afterAll(async () => {
    await queue.close();
    await dropQueues(URL_, process.env.WARREN_QUEUE_PREFIX!);
    for (const [k, v] of [['WARREN_QUEUE_PREFIX', saved.prefix], ['WARREN_QUEUE_ATTEMPTS', saved.attempts]] as const) {
      if (v === undefined) delete process.env[k];
      else process.env[k] = v;
    }
  });
  useStore('queue tests', sqliteFactory('warren-queue-'), (s) => {
    store = s;
  });

  it('reads redis:// URLs and refuses others', () => {
    expect(redisConnection('redis://:s3cret@cache.internal:6380/2')).toMatchObject({ host: 'cache.internal', port: 6380, db: 2, password: 's3cret', maxRetriesPerRequest: null });
    expect(() => redisConnection('http://cache.internal')).toThrow('only redis:// and rediss:// are supported');
    expect(() => redisConnection('redis://cache.internal/x')).toThrow('is not one');
  });

  it('queues a part handed over twice once', async () => {
    await queue.enqueue('hunt', 'twice', [0, 1]);
    await queue.enqueue('hunt', 'twice', [1, 2]);
    expect((await queue.depth('hunt', Date.now())).waiting).toBe(3);
  });

  it('turns a part that fails every attempt into a dead letter: its part and job end failed with the reason', async (t) => {
    if (!store) return t.skip();
    const s = store;
    // An ingest job whose format no worker knows: every attempt throws.
    await createJob(s.db, { id: 'doomed', org: 'acme', kind: 'ingest', actor: 'a@acme.example', created: '2026-01-01T00:00:00Z', params: JSON.stringify({ name: 'x', format: 'no-such-format', at: 0, bytes: 1 }), specs: ['{"firstLine":1,"bytes":1}'] }, Date.now());
    await queue.enqueue('ingest', 'doomed', [0]);
    const workers = new PartWorkers(s, queue, URL_, { lockMs: 5000, sweepMs: 60_000, quietMs: 60_000 }, { nowMs: () => Date.now() });
    try {
      await waitUntil(async () => (await jobById(s.db, 'doomed'))?.status === 'failed', 20_000, 'the job to fail');
    } finally {
      await workers.close();
    }
    expect((await partsOf(s.db, 'doomed'))[0]).toMatchObject({ status: 'failed', attempts: 2, error: 'unknown format no-such-format' });
    expect((await jobById(s.db, 'doomed'))?.error).toBe('1 of 1 parts failed');
    expect((await queue.depth('ingest', Date.now())).failed).toBe(1);
    expect(workers.counts.get('ingest\tdead')).toBe(1);
    expect(workers.counts.get('ingest\tretry')).toBe(1);
  });

  it('records a dead letter the worker died before recording, when the sweep finds its part quiet', async (t) => {
    if (!store) return t.skip();
    const s = store;
    await createJob(s.db, { id: 'orphan', org: 'acme', kind: 'ingest', actor: 'a@acme.example', created: '2026-01-01T00:00:00Z', params: JSON.stringify({ name: 'x', format: 'no-such-format', at: 0, bytes: 1 }), specs: ['{"firstLine":1,"bytes":1}'] }, 0);
    await queue.enqueue('ingest', 'orphan', [0]);
    // A worker that fails the part every time but records nothing in the store (it "dies" first).
    const { Worker } = await import('bullmq');
    const bare = new Worker('ingest', () => Promise.reject(new Error('killed mid-part')), { connection: redisConnection(URL_), prefix: process.env.WARREN_QUEUE_PREFIX!, lockDuration: 5000 });
    try {
      await waitUntil(async () => (await queue.deadLetter('ingest', 'orphan', 0)) !== undefined, 20_000, 'the dead letter');
    } finally {
      await bare.close();
    }
    expect((await jobById(s.db, 'orphan'))?.status).toBe('running');
    await sweep(s, queue, { nowMs: () => Date.now() }, 1000);
    expect((await partsOf(s.db, 'orphan'))[0]).toMatchObject({ status: 'failed', error: 'killed mid-part' });
    expect((await jobById(s.db, 'orphan'))?.status).toBe('failed');
  });
});
