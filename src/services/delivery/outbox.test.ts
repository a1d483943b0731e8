// The channel and outbox repository (store/delivery.ts) and the deliverer's pass and watch
// loop, on SQLite and PostgreSQL.
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import {
  addChannel,
  channelByName,
  deadLetters,
  dueDeliveries,
  listChannels,
  markDead,
  markSent,
  outboxCounts,
  pendingByType,
  recordFailure,
  removeChannel,
} from '../../store/delivery.js';
import type { Store } from '../../store/store.js';
import { defaultRetryDelayMs, deliverPending, watch } from './outbox.js';
import { LOCAL_RECEIVERS, startReceiver, waitUntil, type Receiver } from './test-support/receiver.js';
import { freshOrg, ManualClock, notify, STORE_KINDS, useStore } from './test-support/stores.js';

const T0 = '2026-04-05T06:07:08Z';

describe('default backoff', () => {
  it('doubles from 30 s and is capped', () => {
    expect([1, 2, 3, 8].map(defaultRetryDelayMs)).toEqual([30_000, 60_000, 120_000, 3_840_000]);
    expect(defaultRetryDelayMs(30)).toBe(6 * 3_600_000);
  });
});

for (const kind of STORE_KINDS) {
  describe(`channels and outbox on ${kind.label}`, () => {
    const fx = useStore(kind);
    let receiver: Receiver;

    beforeEach(async () => {
      receiver = await startReceiver();
    });
    afterEach(async () => {
      await receiver.close();
    });

    async function withHook(store: Store, name = 'hook', secret: string | null = 's3cret-s3cret-s3cret'): Promise<string> {
      const org = await freshOrg(store);
      await addChannel(store.db, { org, name, type: 'webhook', config: { url: receiver.url, format: 'json' }, secret }, T0);
      return org;
    }

    it('adds, lists (without secrets), finds and removes channels, per organisation', async (t) => {
      const store = fx.store;
      if (!store) return t.skip();
      const org = await withHook(store);
      const other = await withHook(store); // the same name in another organisation is another channel
      expect(await addChannel(store.db, { org, name: 'hook', type: 'email', config: { to: 'a@example.com' }, secret: null }, T0)).toBe(false);
      expect(await addChannel(store.db, { org, name: 'mail', type: 'email', config: { to: 'a@example.com' }, secret: null }, T0)).toBe(true);

      const list = await listChannels(store.db, org);
      expect(list).toEqual([
        { org, name: 'hook', type: 'webhook', config: { url: receiver.url, format: 'json' }, hasSecret: true, created: T0 },
        { org, name: 'mail', type: 'email', config: { to: 'a@example.com' }, hasSecret: false, created: T0 },
      ]);
      expect(JSON.stringify(list)).not.toContain('s3cret');
      expect((await channelByName(store.db, org, 'hook'))?.secret).toBe('s3cret-s3cret-s3cret');
      expect(await channelByName(store.db, org, 'nope')).toBeUndefined();

      const sent = await notify(store, org, 1, T0);
      await notify(store, org, 2, T0);
      const [first] = await dueDeliveries(store.db, { now: T0, limit: 10, org, types: ['webhook'] });
      await markSent(store.db, [first!.seq], T0);
      expect(first!.notification.id).toBe(sent);
      expect(await pendingByType(store.db, org)).toEqual({ webhook: 1, email: 2 });

      // Removing drops what was still pending for that channel only; history stays.
      expect(await removeChannel(store.db, org, 'hook')).toBe(1);
      expect(await removeChannel(store.db, org, 'hook')).toBeUndefined();
      expect(await outboxCounts(store.db, { org, channel: 'hook' })).toEqual({ pending: 0, sent: 1, dead: 0 });
      expect(await outboxCounts(store.db, { org })).toEqual({ pending: 2, sent: 1, dead: 0 });
      expect((await listChannels(store.db, other)).map((c) => c.name)).toEqual(['hook']);
    });

    it('lists due rows oldest first, by time, organisation and type, page by page', async (t) => {
      const store = fx.store;
      if (!store) return t.skip();
      const org = await withHook(store);
      const ids = [];
      for (let i = 0; i < 5; i++) ids.push(await notify(store, org, i, T0));
      const later = await notify(store, org, 9, '2026-04-05T07:00:00Z');
      const otherOrg = await withHook(store);
      await notify(store, otherOrg, 1, T0);

      const page1 = await dueDeliveries(store.db, { now: T0, limit: 3, org });
      expect(page1.map((r) => r.notification.id)).toEqual(ids.slice(0, 3));
      expect(page1[0]).toMatchObject({ org, attempts: 0, channel: { name: 'hook', type: 'webhook', secret: 's3cret-s3cret-s3cret' } });
      const page2 = await dueDeliveries(store.db, { now: T0, limit: 3, org, afterSeq: page1[2]!.seq });
      expect(page2.map((r) => r.notification.id)).toEqual(ids.slice(3));
      expect((await dueDeliveries(store.db, { now: '2026-04-05T07:00:00Z', limit: 10, org })).map((r) => r.notification.id)).toEqual([...ids, later]);
      expect(await dueDeliveries(store.db, { now: T0, limit: 10, org, types: ['email'] })).toEqual([]);
      expect(await dueDeliveries(store.db, { now: T0, limit: 10, org, types: [] })).toEqual([]);
      expect((await dueDeliveries(store.db, { now: T0, limit: 100 })).filter((r) => r.org === otherOrg)).toHaveLength(1);

      // A failure moves the next attempt; a dead row stays dead even if "sent" comes late.
      await recordFailure(store.db, [page1[0]!.seq], '2026-04-05T06:10:00Z', 'HTTP 500');
      expect((await dueDeliveries(store.db, { now: T0, limit: 10, org })).map((r) => r.seq)).not.toContain(page1[0]!.seq);
      const retried = await dueDeliveries(store.db, { now: '2026-04-05T06:10:00Z', limit: 1, org });
      expect(retried[0]).toMatchObject({ seq: page1[0]!.seq, attempts: 1 });
      await markDead(store.db, [page1[0]!.seq], 'HTTP 500 again');
      await markSent(store.db, [page1[0]!.seq], T0);
      expect(await deadLetters(store.db, org)).toEqual([
        { seq: page1[0]!.seq, org, channel: 'hook', notification: ids[0], attempts: 2, lastError: 'HTTP 500 again', created: T0 },
      ]);
      expect(await outboxCounts(store.db, { org })).toEqual({ pending: 5, sent: 0, dead: 1 });
    });

    it('tries each due row once per pass, across batches, and only for the organisation asked', async (t) => {
      const store = fx.store;
      if (!store) return t.skip();
      const org = await withHook(store);
      const otherOrg = await withHook(store);
      for (let i = 0; i < 5; i++) await notify(store, org, i, T0);
      await notify(store, otherOrg, 1, T0);
      receiver.answer = () => 500;
      const clock = new ManualClock(T0);
      // Backoff 0: failed rows are due again at once, yet a pass must not loop over them.
      const opts = { org, now: clock.now, retryDelayMs: () => 0, batchSize: 2, guard: LOCAL_RECEIVERS };
      expect(await deliverPending(store, opts)).toEqual({ sent: 0, failed: 5, dead: 0, waiting: 0 });
      expect(receiver.requests).toHaveLength(5);
      receiver.answer = () => 200;
      expect(await deliverPending(store, opts)).toEqual({ sent: 5, failed: 0, dead: 0, waiting: 0 });
      expect(await outboxCounts(store.db, { org: otherOrg })).toEqual({ pending: 1, sent: 0, dead: 0 });
    });

    it('fails deliveries of a channel whose stored configuration is unusable, saying why', async (t) => {
      const store = fx.store;
      if (!store) return t.skip();
      const org = await freshOrg(store);
      await addChannel(store.db, { org, name: 'broken', type: 'webhook', config: { url: 'ftp://example.com/' }, secret: null }, T0);
      await notify(store, org, 1, T0);
      expect(await deliverPending(store, { org, now: () => new Date(T0), maxAttempts: 1 })).toMatchObject({ dead: 1 });
      expect((await deadLetters(store.db, org))[0]!.lastError).toBe('channel broken: invalid URL "ftp://example.com/": only http and https are supported');
    });

    it('watches the outbox until aborted, sending what comes due', async (t) => {
      const store = fx.store;
      if (!store) return t.skip();
      const org = await withHook(store);
      await notify(store, org, 1, T0);
      const stop = new AbortController();
      const passes: number[] = [];
      const running = watch(store, { org, signal: stop.signal, intervalMs: 5, now: () => new Date(T0), guard: LOCAL_RECEIVERS, onPass: (c) => passes.push(c.sent) });
      await receiver.waitFor(1);
      await notify(store, org, 2, T0); // created while the loop runs
      await receiver.waitFor(2);
      await waitUntil(async () => (await outboxCounts(store.db, { org })).sent === 2, 10_000, 'both rows sent');
      stop.abort();
      expect(await running).toEqual({ sent: 2, failed: 0, dead: 0, waiting: 0 });
      expect(passes.reduce((a, b) => a + b, 0)).toBe(2);
    });
  });
}
