// One follower per feed (issue 17), on SQLite and PostgreSQL: the lease itself (one holder,
// renewal, take-over once ended, release), and two followers of one feed — one follows, the other
// stands by and takes over from the evaluated position when the first stops or its lease ends; a
// follower whose lease was taken steps back. Lease times come from the test's clock; only the
// renewal timer runs on real time (a few hundred ms).
import { describe, expect, it } from 'vitest';
import { makeSignature } from '../../signatures/make.js';
import { spawnSync } from 'node:child_process';
import { hostname } from 'node:os';
import { listFeedLeases, releaseFeedLease, takeFeedLease, takeFeedLeaseFrom } from '../../store/feed-leases.js';
import { readFeedPosition } from '../../store/feed-positions.js';
import { Store } from '../../store/store.js';
import { postgresFactory, sqliteFactory, type StoreFactory } from '../../store/test-support/open-store.js';
import { listNotifications } from '../notifications.js';
import { importSignatures } from '../org-signatures.js';
import { deadOnThisHost, leaseHolder, runLeased } from './lease.js';
import type { FeedRunProgress } from './runner.js';
import { FakeFeed } from './test-support/fake-source.js';

const T0 = '2026-04-01T00:00:00Z';
const clock = (): Date => new Date(T0);
const names = (prefix: string, n: number): string[] => Array.from({ length: n }, (_, i) => `${prefix}-${i}.example`);

async function fresh(factory: StoreFactory, t: { skip: (why?: string) => void }, fn: (store: Store) => Promise<void>): Promise<void> {
  const made = await factory();
  if ('skip' in made) return t.skip(made.skip);
  const store = await Store.open(made.url);
  try {
    await fn(store);
  } finally {
    await store.close();
    await made.cleanup();
  }
}

/** A standby's wait: a real but short one, so the test's steps interleave. */
const shortSleep = (_ms: number, signal: AbortSignal): Promise<void> =>
  new Promise((resolve) => {
    const timer = setTimeout(resolve, 5);
    signal.addEventListener('abort', () => {
      clearTimeout(timer);
      resolve();
    });
  });

describe('a lease holder known dead', () => {
  it('is a process of this host that no longer exists; never a live one, this one, or one elsewhere', () => {
    const ended = spawnSync(process.execPath, ['-e', 'process.stdout.write(String(process.pid))'], { encoding: 'utf8' });
    expect(deadOnThisHost(`${hostname()}:${ended.stdout}:abc123`)).toBe(true);
    expect(deadOnThisHost(leaseHolder())).toBe(false);
    expect(deadOnThisHost(`${hostname()}:${process.ppid}:abc123`)).toBe(false);
    expect(deadOnThisHost(`elsewhere.example:${ended.stdout}:abc123`)).toBe(false);
    expect(deadOnThisHost('not-a-holder')).toBe(false);
  });
});

function suite(label: string, factory: StoreFactory): void {
  describe(`${label}: feed leases`, () => {
    it('one holder at a time; a renewal keeps its start; an ended lease is taken over; a release frees it at once', async (t) => {
      await fresh(factory, t, async (store) => {
        const take = (holder: string, now: number): Promise<string> => takeFeedLease(store.db, 'ct:x', holder, now, 1_000, new Date(now).toISOString()).then((l) => l.holder);
        expect(await take('a', 0)).toBe('a');
        expect(await take('b', 500)).toBe('a'); // a's lease runs until 1,000
        expect(await take('a', 900)).toBe('a'); // renewed until 1,900, since unchanged
        expect(await listFeedLeases(store.db)).toEqual([{ feed: 'ct:x', holder: 'a', expiresMs: 1_900, since: new Date(0).toISOString() }]);
        expect(await take('b', 1_800)).toBe('a');
        expect(await take('b', 1_901)).toBe('b'); // ended: taken over
        expect(await take('a', 1_902)).toBe('b');
        expect((await listFeedLeases(store.db))[0]).toMatchObject({ holder: 'b', since: new Date(1_901).toISOString() });
        await releaseFeedLease(store.db, 'ct:x', 'a'); // not a's: nothing happens
        expect(await take('a', 1_903)).toBe('b');
        await releaseFeedLease(store.db, 'ct:x', 'b');
        expect(await take('a', 1_904)).toBe('a');
        // From a holder known dead: only while that holder still holds it (compare and set).
        expect((await takeFeedLeaseFrom(store.db, 'ct:x', 'someone', 'c', 1_905, 1_000, T0))?.holder).toBe('a');
        expect((await takeFeedLeaseFrom(store.db, 'ct:x', 'a', 'c', 1_905, 1_000, T0))?.holder).toBe('c');
        // Racing for a free feed: exactly one wins.
        const won = await Promise.all(['p', 'q', 'r', 's'].map((h) => takeFeedLease(store.db, 'ct:y', h, 5_000, 1_000, T0).then((l) => l.holder)));
        expect(new Set(won).size).toBe(1);
      });
    });

    it('two followers of one feed: one follows, the other stands by and continues from the evaluated position when the first stops', async (t) => {
      await fresh(factory, t, async (store) => {
        const brand = makeSignature({ id: 'brand', field: 'domain', patterns: ['brandco'], actions: [{ alert: { severity: 'high' } }] });
        await importSignatures(store, 'acme', [brand], { now: T0 });
        const entries = [...names('a', 6), 'brandco-1.example', ...names('b', 5)];
        const feedA = new FakeFeed('fake:shared', 5).append(...entries);
        const feedB = new FakeFeed('fake:shared', 5).append(...entries);
        const now = (): number => 0;
        const stopA = new AbortController();
        const a = runLeased(store, feedA, { signal: stopA.signal, now: clock, pollMs: 3_600_000 }, { holder: 'a', ttlMs: 600, nowMs: now, sleep: shortSleep });
        await expect.poll(async () => (await readFeedPosition(store.db, 'fake:shared'))?.evaluatedEntries).toBe(12);

        const stopB = new AbortController();
        const progressB: FeedRunProgress[] = [];
        const b = runLeased(store, feedB, { signal: stopB.signal, now: clock, pollMs: 20, onProgress: (p) => progressB.push(p) }, { holder: 'b', ttlMs: 600, nowMs: now, sleep: shortSleep });
        await expect.poll(() => progressB.map((p) => p.state)).toContain('standby');
        expect(progressB[0]).toMatchObject({ state: 'standby', holder: 'a' });
        await new Promise((r) => setTimeout(r, 250)); // B keeps asking; A keeps renewing
        expect(feedB.asked).toEqual([]);

        stopA.abort();
        expect(await a).toMatchObject({ entries: 12, batches: 3, position: { index: 12 } });
        // A gave its lease up: B takes it at its next ask and resumes where A's evaluation ended.
        await expect.poll(() => feedB.asked.length).toBeGreaterThan(0);
        expect(feedB.asked[0]).toEqual({ index: 12 });
        feedB.append('brandco-2.example');
        await expect.poll(async () => (await readFeedPosition(store.db, 'fake:shared'))?.evaluatedEntries).toBe(13);
        stopB.abort();
        expect(await b).toMatchObject({ entries: 1, batches: 1, position: { index: 13 } });
        expect((await listNotifications(store, 'acme')).map((n) => n.entity).sort()).toEqual(['brandco-1.example', 'brandco-2.example']);
        expect((await store.stats()).domains).toBe(13);
        expect(await listFeedLeases(store.db)).toEqual([]);
      });
    });

    it('takes a dead holder\'s lease at once, without waiting for it to end', async (t) => {
      await fresh(factory, t, async (store) => {
        await takeFeedLease(store.db, 'fake:crashed', 'crashed', 0, 3_600_000, T0);
        const feed = new FakeFeed('fake:crashed', 4).append(...names('y', 5));
        const stop = new AbortController();
        const run = runLeased(store, feed, { signal: stop.signal, now: clock, pollMs: 3_600_000 }, { holder: 'me', ttlMs: 300, nowMs: () => 1, sleep: shortSleep, isDead: (h) => h === 'crashed' });
        await expect.poll(async () => (await readFeedPosition(store.db, 'fake:crashed'))?.evaluatedEntries).toBe(5);
        stop.abort();
        expect(await run).toMatchObject({ entries: 5 });
      });
    });

    it('takes over a lease its holder stopped renewing once it has ended; a follower whose lease was taken steps back', async (t) => {
      await fresh(factory, t, async (store) => {
        let now = 0;
        await takeFeedLease(store.db, 'fake:dead', 'dead', now, 300, T0);
        const feed = new FakeFeed('fake:dead', 4).append(...names('x', 6));
        const stop = new AbortController();
        const progress: FeedRunProgress[] = [];
        const run = runLeased(store, feed, { signal: stop.signal, now: clock, pollMs: 3_600_000, onProgress: (p) => progress.push(p) }, { holder: 'me', ttlMs: 300, nowMs: () => now, sleep: shortSleep });
        await expect.poll(() => progress.some((p) => p.state === 'standby' && p.holder === 'dead')).toBe(true);
        await new Promise((r) => setTimeout(r, 50));
        expect(feed.asked).toEqual([]);
        now = 301; // the dead holder's lease has ended
        await expect.poll(async () => (await readFeedPosition(store.db, 'fake:dead'))?.evaluatedEntries).toBe(6);

        // This follower stalls past its lease (its clock jumps) and another takes the feed: at its
        // next renewal it finds the lease gone, stops following and stands by.
        const renewedUntil = (await listFeedLeases(store.db))[0]!.expiresMs;
        await takeFeedLease(store.db, 'fake:dead', 'other', renewedUntil + 1, 10_000, T0);
        await expect.poll(() => progress.filter((p) => p.state === 'standby').map((p) => p.holder)).toEqual(['dead', 'other']);
        const asked = feed.asked.length;
        feed.append('late.example');
        await new Promise((r) => setTimeout(r, 150));
        expect(feed.asked.length).toBe(asked); // standing by: it no longer reads the feed
        stop.abort();
        expect(await run).toMatchObject({ entries: 6 });
        expect((await listFeedLeases(store.db))[0]).toMatchObject({ holder: 'other' }); // not released: not its own
      });
    });
  });
}

suite('SQLite', sqliteFactory('warren-lease-'));
suite('PostgreSQL', postgresFactory);
