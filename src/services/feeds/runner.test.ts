// The feed runner with a fake source, on SQLite and PostgreSQL: batches stored and evaluated
// (every organisation's signatures; a brand signature alerts on exactly the new matching names),
// idle polling, back-off and recovery, a stop that commits the batch in hand, and exact resume:
// a batch stored but not evaluated (a kill, a failed evaluation) is fetched and evaluated again
// without a second notification or any changed count. No test waits on the wall clock: the
// runner's sleep and clock are the test's.
import { describe, expect, it } from 'vitest';
import { FeedError, type FeedPosition } from '../../feeds/types.js';
import { makeSignature } from '../../signatures/make.js';
import { addChannel, outboxCounts } from '../../store/delivery.js';
import { markFeedEvaluated, readFeedPosition } from '../../store/feed-positions.js';
import { Store } from '../../store/store.js';
import { postgresFactory, sqliteFactory, type StoreFactory } from '../../store/test-support/open-store.js';
import { listNotifications } from '../notifications.js';
import { importSignatures } from '../org-signatures.js';
import { DEFAULT_POLL_MS, runFeed, type FeedRunProgress, type RunFeedOptions } from './runner.js';
import { feedStatus } from './status.js';
import { FakeFeed } from './test-support/fake-source.js';

const T0 = '2026-04-01T00:00:00Z';
const clock = (): Date => new Date(T0);

async function fresh<T>(factory: StoreFactory, t: { skip: (why?: string) => void }, fn: (store: Store) => Promise<T>): Promise<T | undefined> {
  const made = await factory();
  if ('skip' in made) {
    t.skip(made.skip);
    return undefined;
  }
  const store = await Store.open(made.url);
  try {
    return await fn(store);
  } finally {
    await store.close();
    await made.cleanup();
  }
}

/** A brand signature in two organisations (feeds meet every organisation's), one with a channel. */
async function brandSignatures(store: Store): Promise<void> {
  const brand = makeSignature({ id: 'brand', field: 'domain', patterns: ['brandco'], actions: [{ tag: 'brand' }, { alert: { severity: 'high' } }] });
  await importSignatures(store, 'acme', [brand], { now: T0 });
  await importSignatures(store, 'beta', [{ ...brand, id: 'beta-brand' }], { now: T0 });
  await addChannel(store.db, { org: 'acme', name: 'hook', type: 'webhook', config: { url: 'http://127.0.0.1:9/hook', format: 'json' }, secret: null }, T0);
}

async function alerted(store: Store, org = 'acme'): Promise<string[]> {
  return (await listNotifications(store, org)).map((n) => n.entity).sort();
}

/** A sleep that never waits: it records what was asked and runs the test's step for that call. */
function scriptedSleep(steps: ((call: number) => void)[] = []): { waits: number[]; sleep: NonNullable<RunFeedOptions['sleep']> } {
  const waits: number[] = [];
  return {
    waits,
    sleep: (ms) => {
      waits.push(ms);
      steps[waits.length - 1]?.(waits.length);
      return Promise.resolve();
    },
  };
}

const names = (prefix: string, n: number): string[] => Array.from({ length: n }, (_, i) => `${prefix}-${i}.example`);

function suite(label: string, factory: StoreFactory): void {
  describe(`${label}: the feed runner`, () => {
    it('stores and evaluates every batch; a brand signature alerts on exactly the new matching names, once, in every organisation', async (t) => {
      await fresh(factory, t, async (store) => {
        await brandSignatures(store);
        const feed = new FakeFeed('fake:brands', 10).append(...names('shop', 12), 'brandco-login.example', ...names('news', 9), 'www.brandco-support.example', 'plain.example');
        const stop = new AbortController();
        const first = await runFeed(store, feed, { signal: stop.signal, now: clock, batchLimit: 10, sleep: () => Promise.resolve(stop.abort()) });
        expect(first).toMatchObject({ batches: 3, entries: 24, records: 24, errors: 0, position: { index: 24 } });
        expect(first.actions).toEqual({ tags: 4, classifications: 0, notifications: 4 });
        expect((await store.stats()).domains).toBe(24);
        expect(await alerted(store)).toEqual(['brandco-login.example', 'www.brandco-support.example']);
        expect(await alerted(store, 'beta')).toEqual(['brandco-login.example', 'www.brandco-support.example']);
        expect(await outboxCounts(store.db)).toEqual({ pending: 2, sent: 0, dead: 0 });
        expect(feed.asked).toEqual([undefined, { index: 10 }, { index: 20 }, { index: 24 }]);

        // New entries: only the new matching name alerts; the run starts where the last ended.
        feed.append('brandco.example', 'other.example');
        const again = await runFeed(store, feed, { signal: new AbortController().signal, now: clock, batchLimit: 1 });
        expect(again).toMatchObject({ batches: 1, entries: 2, position: { index: 26 } });
        expect(again.actions.notifications).toBe(2); // acme's and beta's
        expect(feed.asked.at(-1)).toEqual({ index: 24 });
        expect(await alerted(store)).toEqual(['brandco-login.example', 'brandco.example', 'www.brandco-support.example']);
        expect(await outboxCounts(store.db)).toEqual({ pending: 3, sent: 0, dead: 0 });

        const [status] = await feedStatus(store, clock);
        expect(status).toMatchObject({ feed: 'fake:brands', position: { index: 26 }, evaluated: { index: 26 }, index: 26, size: 26, lag: 0, entries: 26, errors: 0, lastError: null, updated: T0 });
      });
    });

    it('waits the poll interval when the source is idle and takes what comes next', async (t) => {
      await fresh(factory, t, async (store) => {
        const feed = new FakeFeed('fake:idle', 5);
        const stop = new AbortController();
        const progress: FeedRunProgress[] = [];
        const { waits, sleep } = scriptedSleep([() => undefined, () => feed.append(...names('late', 3)), () => stop.abort()]);
        const run = await runFeed(store, feed, { signal: stop.signal, now: clock, pollMs: 7_000, sleep, onProgress: (p) => progress.push(p) });
        expect(waits).toEqual([7_000, 7_000, 7_000]);
        expect(run).toMatchObject({ batches: 1, entries: 3, position: { index: 3 } });
        expect(progress.map((p) => p.state)).toEqual(['resume', 'idle', 'idle', 'batch', 'idle']);
        expect(progress[3]).toMatchObject({ position: { index: 3 }, entries: 3, size: 3, lag: 0 });
        expect((await store.stats()).domains).toBe(3);
        // An idle feed is reported before it ever has a batch (its size, its runner alive).
        expect(await readFeedPosition(store.db, 'fake:idle')).toMatchObject({ position: { index: 3 }, size: 3 });
      });
    });

    it('backs off on failures (doubling, capped, honouring Retry-After), reports the last error, never exits, and loses nothing', async (t) => {
      await fresh(factory, t, async (store) => {
        const feed = new FakeFeed('fake:flaky', 4).append(...names('a', 6));
        feed.failures.push(new FeedError('HTTP 429', 2_500), new FeedError('HTTP 503'), new FeedError('truncated JSON'), new Error('socket hang up'));
        const stop = new AbortController();
        const progress: FeedRunProgress[] = [];
        const { waits, sleep } = scriptedSleep([
          () => undefined,
          () => undefined,
          () => undefined,
          () => undefined,
          // Recovered (two batches, then idle); one more failure starts the back-off afresh.
          () => feed.failures.push(new FeedError('HTTP 500')),
          () => stop.abort(),
        ]);
        const run = await runFeed(store, feed, { signal: stop.signal, now: clock, backoff: { initialMs: 1_000, maxMs: 5_000 }, pollMs: 60_000, sleep, onProgress: (p) => progress.push(p) });
        expect(waits).toEqual([2_500, 2_000, 4_000, 5_000, 60_000, 1_000]);
        expect(run).toMatchObject({ batches: 2, entries: 6, errors: 5 });
        expect(progress.filter((p) => p.state === 'error').map((p) => [p.error, p.waitMs])).toEqual([
          ['HTTP 429', 2_500],
          ['HTTP 503', 2_000],
          ['truncated JSON', 4_000],
          ['socket hang up', 5_000],
          ['HTTP 500', 1_000],
        ]);
        // Each failure asked again from the same place.
        expect(feed.asked.slice(0, 5)).toEqual([undefined, undefined, undefined, undefined, undefined]);
        expect((await store.stats()).domains).toBe(6);
        const [status] = await feedStatus(store, clock);
        expect(status).toMatchObject({ position: { index: 6 }, errors: 5, lastError: 'HTTP 500', lastErrorAt: T0, entries: 6 });
      });
    });

    it('stores a batch and its position together or not at all: a failed commit leaves neither, and is retried', async (t) => {
      await fresh(factory, t, async (store) => {
        // A store whose commit fails once after the records and the position were written in it.
        const flaky = Object.create(store) as Store;
        let failed = false;
        flaky.write = (records, also) =>
          store.write(records, async (trx) => {
            await also?.(trx);
            if (!failed) {
              failed = true;
              throw new Error('disk I/O error');
            }
          });
        const feed = new FakeFeed('fake:atomic', 10).append(...names('z', 4));
        const stop = new AbortController();
        let atFailure: unknown;
        const run = await runFeed(flaky, feed, {
          signal: stop.signal,
          now: clock,
          sleep: async (ms) => {
            if (atFailure === undefined) atFailure = { ms, domains: (await store.stats()).domains, row: await readFeedPosition(store.db, 'fake:atomic') };
            else stop.abort();
          },
        });
        expect(atFailure).toEqual({ ms: 1_000, domains: 0, row: expect.objectContaining({ position: null, evaluated: null, entries: 0, errors: 1, lastError: 'disk I/O error' }) as unknown });
        expect(run).toMatchObject({ batches: 1, errors: 1, position: { index: 4 } });
        expect(feed.asked).toEqual([undefined, undefined, { index: 4 }]);
        expect((await store.stats()).domains).toBe(4);
      });
    });

    it('gives up on a fetch that hangs (its signal aborted), reports it and asks again', async (t) => {
      await fresh(factory, t, async (store) => {
        const feed = new FakeFeed('fake:hangs', 5).append('a.example');
        const signals: AbortSignal[] = [];
        const real = feed.next.bind(feed);
        let calls = 0;
        feed.next = (position, signal) => {
          signals.push(signal);
          // The first answer never comes, whatever the signal says.
          return ++calls === 1 ? new Promise(() => undefined) : real(position, signal);
        };
        const stop = new AbortController();
        const { waits, sleep } = scriptedSleep([() => undefined, () => stop.abort()]);
        const run = await runFeed(store, feed, { signal: stop.signal, now: clock, nextTimeoutMs: 30, backoff: { initialMs: 1_000, maxMs: 1_000 }, sleep });
        expect(signals[0]!.aborted).toBe(true);
        expect(waits).toEqual([1_000, DEFAULT_POLL_MS]);
        expect(run).toMatchObject({ batches: 1, errors: 1, position: { index: 1 } });
        expect(await readFeedPosition(store.db, 'fake:hangs')).toMatchObject({ lastError: 'no answer within 30ms', errors: 1 });
      });
    });

    it('on a stop, commits and evaluates the batch in hand, then returns; a stop while idle returns at once', async (t) => {
      await fresh(factory, t, async (store) => {
        await brandSignatures(store);
        const feed = new FakeFeed('fake:stop', 3).append('a.example', 'b.example', 'brandco-x.example', 'c.example');
        const stop = new AbortController();
        // The stop comes while the first batch is being fetched: it is still stored and evaluated.
        feed.onNext = () => stop.abort();
        const run = await runFeed(store, feed, { signal: stop.signal, now: clock });
        expect(run).toMatchObject({ batches: 1, entries: 3, position: { index: 3 } });
        expect(feed.asked).toEqual([undefined]);
        expect(await readFeedPosition(store.db, 'fake:stop')).toMatchObject({ position: { index: 3 }, evaluated: { index: 3 }, entries: 3 });
        expect(await alerted(store)).toEqual(['brandco-x.example']);

        const idle = new FakeFeed('fake:stop-idle');
        const stopIdle = new AbortController();
        const running = runFeed(store, idle, { signal: stopIdle.signal, now: clock, pollMs: 3_600_000 });
        await new Promise((r) => setTimeout(r, 20));
        stopIdle.abort();
        expect(await running).toMatchObject({ batches: 0 }); // the hour-long real wait ended at the stop
      });
    });

    it('reports entries the source could not decode, stores the rest and moves past them', async (t) => {
      await fresh(factory, t, async (store) => {
        const feed = new FakeFeed('fake:rejects', 10).append('ok-1.example', 'bad.example', 'ok-2.example');
        feed.broken.set(1, 'leaf_input is not a MerkleTreeLeaf');
        const rejects: string[] = [];
        const run = await runFeed(store, feed, { signal: new AbortController().signal, now: clock, batchLimit: 1, onReject: (f, r) => rejects.push(`${f} ${r.at}: ${r.message}`) });
        expect(rejects).toEqual(['fake:rejects entry 1: leaf_input is not a MerkleTreeLeaf']);
        expect(run).toMatchObject({ entries: 3, records: 2, rejected: 1, position: { index: 3 } });
        expect(await store.domainExists('bad.example')).toBe(false);
      });
    });

    it('replays a batch stored but not evaluated (a failed evaluation): every alert once, the same counts as a clean run', async (t) => {
      await fresh(factory, t, async (store) => {
        await brandSignatures(store);
        const all = ['brandco-1.example', ...names('x', 8), 'brandco-2.example', ...names('y', 5), 'brandco-3.example'];
        const feed = new FakeFeed('fake:replay', 5).append(...all);
        let failed = false;
        const stop = new AbortController();
        const progress: FeedRunProgress[] = [];
        const run = await runFeed(store, feed, {
          signal: stop.signal,
          now: clock,
          backoff: { initialMs: 1, maxMs: 1 },
          sleep: (ms) => Promise.resolve(ms === 1 ? undefined : stop.abort()),
          onProgress: (p) => progress.push(p),
          afterWrite: (position: FeedPosition) => {
            // The second batch's records and position are committed; its evaluation never runs.
            if (position.index === 10 && !failed) {
              failed = true;
              throw new Error('evaluation interrupted');
            }
          },
        });
        expect(progress.find((p) => p.state === 'error')).toMatchObject({ error: 'evaluation interrupted', position: { index: 5 } });
        // Fetched again from the last evaluated position.
        expect(feed.asked).toEqual([undefined, { index: 5 }, { index: 5 }, { index: 10 }, { index: 15 }, { index: 16 }]);
        expect(run).toMatchObject({ batches: 4, errors: 1, position: { index: 16 } });
        expect(await alerted(store)).toEqual(['brandco-1.example', 'brandco-2.example', 'brandco-3.example']);
        expect(await outboxCounts(store.db)).toEqual({ pending: 3, sent: 0, dead: 0 });
        expect((await store.stats()).domains).toBe(16);
        expect(await readFeedPosition(store.db, 'fake:replay')).toMatchObject({ position: { index: 16 }, evaluated: { index: 16 }, entries: 16, evaluatedEntries: 16 });
      });
    });

    it('gathers answers into one commit while entries are waiting, asks for the next while storing, and commits each answer alone at the tail', async (t) => {
      await fresh(factory, t, async (store) => {
        await brandSignatures(store);
        const feed = new FakeFeed('fake:gather', 10).gathering().append(...names('a', 21), 'brandco-1.example', ...names('b', 22), 'brandco-2.example');
        const stop = new AbortController();
        const progress: FeedRunProgress[] = [];
        const { sleep } = scriptedSleep([() => feed.append('brandco-3.example', 'c.example'), () => stop.abort()]);
        const run = await runFeed(store, feed, { signal: stop.signal, now: clock, commitEntries: 25, sleep, onProgress: (p) => progress.push(p) });
        // 45 entries: 10+10+10 gathered (≥ 25), the answer from 30 asked while they were stored,
        // then 10+5; idle; then the 2 new entries, alone (nothing else was waiting).
        expect(progress.filter((p) => p.state === 'batch').map((p) => p.position)).toEqual([{ index: 30 }, { index: 45 }, { index: 47 }]);
        expect(feed.asked).toEqual([undefined, { index: 10 }, { index: 20 }, { index: 30 }, { index: 40 }, { index: 45 }, { index: 45 }, { index: 47 }]);
        expect(run).toMatchObject({ batches: 3, entries: 47, records: 47, errors: 0, position: { index: 47 } });
        expect((await store.stats()).domains).toBe(47);
        expect(await alerted(store)).toEqual(['brandco-1.example', 'brandco-2.example', 'brandco-3.example']);
        expect(await readFeedPosition(store.db, 'fake:gather')).toMatchObject({ position: { index: 47 }, evaluated: { index: 47 }, entries: 47, evaluatedEntries: 47 });
      });
    });

    it('drops the answer asked ahead when the batch before it fails, and ends exactly like a clean run', async (t) => {
      await fresh(factory, t, async (store) => {
        await brandSignatures(store);
        const all = [...names('a', 12), 'brandco-1.example', ...names('b', 12), 'brandco-2.example', ...names('c', 5)];
        const clean = new FakeFeed('fake:clean', 5).gathering().append(...all);
        await runFeed(store, clean, { signal: new AbortController().signal, now: clock, commitEntries: 12, batchLimit: 3 });
        const expected = { stats: await store.stats(), acme: await alerted(store), outbox: await outboxCounts(store.db) };

        await fresh(factory, t, async (other) => {
          await brandSignatures(other);
          const feed = new FakeFeed('fake:ahead', 5).gathering().append(...all);
          let failed = false;
          const stop = new AbortController();
          const run = await runFeed(other, feed, {
            signal: stop.signal,
            now: clock,
            commitEntries: 12,
            backoff: { initialMs: 1, maxMs: 1 },
            sleep: (ms) => Promise.resolve(ms === 1 ? undefined : stop.abort()),
            afterWrite: (position: FeedPosition) => {
              // The second batch (15 → 30) is written, never evaluated, while 30 was asked ahead.
              if (position.index === 30 && !failed) {
                failed = true;
                throw new Error('evaluation interrupted');
              }
            },
          });
          expect(feed.asked).toEqual([undefined, { index: 5 }, { index: 10 }, { index: 15 }, { index: 20 }, { index: 25 }, { index: 30 }, { index: 15 }, { index: 20 }, { index: 25 }, { index: 30 }, { index: 31 }]);
          // The failed batch is not counted: 15 + 15 + 1 entries committed and evaluated.
          expect(run).toMatchObject({ batches: 3, errors: 1, entries: 31, position: { index: 31 } });
          expect(await other.stats()).toEqual(expected.stats);
          expect(await alerted(other)).toEqual(expected.acme);
          expect(await outboxCounts(other.db)).toEqual(expected.outbox);
          expect(await readFeedPosition(other.db, 'fake:ahead')).toMatchObject({ position: { index: 31 }, evaluated: { index: 31 }, entries: 31, evaluatedEntries: 31 });
        });
      });
    });

    it('commits what it gathered before a failed answer, then backs off and resumes after it', async (t) => {
      await fresh(factory, t, async (store) => {
        const feed = new FakeFeed('fake:gather-fail', 4).gathering().append(...names('a', 10));
        const failOnce = feed.next.bind(feed);
        let calls = 0;
        feed.next = (position, signal) => (++calls === 2 ? Promise.reject(new FeedError('HTTP 503')) : failOnce(position, signal));
        const stop = new AbortController();
        const progress: FeedRunProgress[] = [];
        const { waits, sleep } = scriptedSleep([() => undefined, () => stop.abort()]);
        const run = await runFeed(store, feed, { signal: stop.signal, now: clock, commitEntries: 100, backoff: { initialMs: 50, maxMs: 50 }, sleep, onProgress: (p) => progress.push(p) });
        expect(progress.map((p) => [p.state, p.position])).toEqual([
          ['resume', undefined],
          ['batch', { index: 4 }],
          ['error', { index: 4 }],
          ['batch', { index: 10 }],
          ['idle', { index: 10 }],
        ]);
        expect(waits).toEqual([50, DEFAULT_POLL_MS]);
        expect(run).toMatchObject({ batches: 2, entries: 10, errors: 1, position: { index: 10 } });
        expect((await store.stats()).domains).toBe(10);
      });
    });

    it('resumes from the evaluated position after a kill between write and evaluation: no second notification, no changed count', async (t) => {
      await fresh(factory, t, async (store) => {
        await brandSignatures(store);
        const feed = new FakeFeed('fake:killed', 4).append(...names('p', 3), 'brandco-a.example', ...names('q', 3), 'brandco-b.example', 'brandco-c.example');
        await runFeed(store, feed, { signal: new AbortController().signal, now: clock, batchLimit: 3 });
        const before = { stats: await store.stats(), acme: await listNotifications(store, 'acme'), beta: await listNotifications(store, 'beta'), outbox: await outboxCounts(store.db) };
        const tags = await store.db.selectFrom('tags').select(['org', 'kind', 'entity', 'name', 'first_matched']).orderBy('entity').orderBy('org').execute();
        expect(before.acme).toHaveLength(3);

        // What a kill after the write of the batches from index 4 on, before their evaluation,
        // leaves behind: their records and position stored, `evaluated` still at 4.
        await markFeedEvaluated(store.db, 'fake:killed', { index: 4 }, 4);
        const later = (): Date => new Date('2026-04-02T00:00:00Z');
        const progress: FeedRunProgress[] = [];
        const resumed = await runFeed(store, feed, { signal: new AbortController().signal, now: later, batchLimit: 2, onProgress: (p) => progress.push(p) });
        expect(progress[0]).toMatchObject({ state: 'resume', position: { index: 4 }, committed: { index: 9 }, entries: 4 });
        expect(feed.asked.slice(-2)).toEqual([{ index: 4 }, { index: 8 }]);
        expect(resumed).toMatchObject({ batches: 2, entries: 5, position: { index: 9 } });
        expect(resumed.actions.notifications).toBe(0);
        expect(await store.stats()).toEqual(before.stats);
        expect(await listNotifications(store, 'acme')).toEqual(before.acme);
        expect(await listNotifications(store, 'beta')).toEqual(before.beta);
        expect(await outboxCounts(store.db)).toEqual(before.outbox);
        expect(await store.db.selectFrom('tags').select(['org', 'kind', 'entity', 'name', 'first_matched']).orderBy('entity').orderBy('org').execute()).toEqual(tags);
        expect(await readFeedPosition(store.db, 'fake:killed')).toMatchObject({ position: { index: 9 }, evaluated: { index: 9 }, entries: 9, evaluatedEntries: 9 });
      });
    });
  });
}

suite('SQLite', sqliteFactory('warren-feeds-'));
suite('PostgreSQL', postgresFactory);
