// Several deliverers on one store: each outbox row is claimed by one of them and sent once, on
// SQLite (a file, two connections) and PostgreSQL (two pools); a dead deliverer's claim expires
// after its lease and another deliverer takes the rows over.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { addChannel, claimDue, outboxCounts } from '../../store/delivery.js';
import { Store } from '../../store/store.js';
import { postgresFactory, sqliteFactory, type StoreFactory } from '../../store/test-support/open-store.js';
import { deliverPending, watch, type DeliveryCounts } from './outbox.js';
import { LOCAL_RECEIVERS, startReceiver, waitUntil, type Receiver } from './test-support/receiver.js';
import { freshOrg, notify } from './test-support/stores.js';

const T0 = '2026-05-06T07:08:09Z';
const MESSAGES = 620;

interface TwoStores {
  readonly a: Store;
  readonly b: Store;
  cleanup(): Promise<void>;
}

/** Two stores on one database: two connections to a SQLite file, or two PostgreSQL pools. */
async function openTwo(factory: StoreFactory): Promise<TwoStores | { skip: string }> {
  const made = await factory();
  if ('skip' in made) return made;
  const a = await Store.open(made.url);
  const b = await Store.open(made.url);
  return {
    a,
    b,
    cleanup: async () => {
      await a.close();
      await b.close();
      await made.cleanup();
    },
  };
}

const KINDS: { label: string; factory: StoreFactory }[] = [
  { label: 'SQLite (one file, two connections)', factory: sqliteFactory('warren-claims-') },
  { label: 'PostgreSQL (two pools)', factory: postgresFactory },
];

for (const kind of KINDS) {
  describe(`outbox claims on ${kind.label}`, () => {
    let stores: TwoStores | undefined;
    let receiver: Receiver;
    beforeAll(async () => {
      receiver = await startReceiver();
      const made = await openTwo(kind.factory);
      if ('skip' in made) console.warn(`skipping ${kind.label} claim tests: ${made.skip}`);
      else stores = made;
    });
    afterAll(async () => {
      await receiver.close();
      await stores?.cleanup();
    });

    /** A fresh organisation with a webhook to the receiver and `count` notifications queued to
     * it (their ids); the receiver has seen nothing yet. */
    async function queued(store: Store, count: number): Promise<{ org: string; ids: Set<string> }> {
      const org = await freshOrg(store);
      await addChannel(store.db, { org, name: 'hook', type: 'webhook', config: { url: receiver.url, format: 'json' }, secret: null }, T0);
      const ids = new Set<string>();
      for (let i = 0; i < count; i++) ids.add(await notify(store, org, i, T0));
      receiver.requests.length = 0;
      return { org, ids };
    }

    it(`two deliverers at once send each of ${MESSAGES} messages exactly once`, async (t) => {
      if (!stores) return t.skip();
      const { a, b } = stores;
      const { org, ids } = await queued(a, MESSAGES);
      expect(ids.size).toBe(MESSAGES);

      // The first request is answered only once a second one waits beside it. A deliverer sends
      // one channel's rows one after the other, so two requests at once come from both of them:
      // neither can send everything before the other has claimed rows of its own. The hold is
      // bounded (below the webhook timeout), so a deliverer that never joins fails the assertions
      // below instead of hanging the test — as it hung when a PostgreSQL claim took the whole
      // outbox (the batch test below).
      let release = (): void => undefined;
      const bothSending = new Promise<number>((resolve) => (release = () => resolve(200)));
      const bound = setTimeout(release, 8_000);
      let waiting = 0;
      receiver.answer = () => (++waiting >= 2 ? (release(), 200) : bothSending);
      const stop = new AbortController();
      const common = { org, signal: stop.signal, intervalMs: 1, batchSize: 40, now: () => new Date(T0), guard: LOCAL_RECEIVERS };
      const loops: Promise<DeliveryCounts>[] = [watch(a, common), watch(b, common)];
      try {
        await waitUntil(async () => (await outboxCounts(a.db, { org })).pending === 0, 60_000, 'an empty outbox');
      } finally {
        stop.abort();
        clearTimeout(bound);
        receiver.answer = () => 200;
      }
      const [fromA, fromB] = await Promise.all(loops);

      const perId = new Map<string, number>();
      for (const r of receiver.requests) perId.set(r.notification, (perId.get(r.notification) ?? 0) + 1);
      const twice = [...perId.values()].filter((n) => n > 1).length;
      expect(twice).toBe(0);
      expect(perId.size).toBe(MESSAGES);
      expect([...perId.keys()].every((id) => ids.has(id))).toBe(true);
      expect(receiver.requests).toHaveLength(MESSAGES);
      expect(fromA!.sent + fromB!.sent).toBe(MESSAGES);
      // Both took part (each claims 40 rows at a time while the other is sending its own).
      expect(waiting).toBeGreaterThanOrEqual(2);
      expect(fromA!.sent).toBeGreaterThan(0);
      expect(fromB!.sent).toBeGreaterThan(0);
      expect(await outboxCounts(b.db, { org })).toEqual({ pending: 0, sent: MESSAGES, dead: 0 });
    });

    it('a claim takes one batch of the outbox, and the next claimant the batch after it', async (t) => {
      if (!stores) return t.skip();
      const { a, b } = stores;
      const { org } = await queued(a, 300);
      const claim = (store: Store, owner: string) =>
        claimDue(store.db, store.dialect, { now: T0, limit: 40, org }, { owner, now: T0, until: '2026-05-06T07:09:09Z' });
      const first = await claim(a, 'first');
      const second = await claim(b, 'second');
      expect(first.map((r) => r.seq)).toEqual(second.map((r) => r.seq - 40));
      expect(first).toHaveLength(40);
      expect(new Set([...first, ...second].map((r) => r.seq)).size).toBe(80);
      expect(await outboxCounts(a.db, { org })).toEqual({ pending: 300, sent: 0, dead: 0 });
    });

    it("takes over a dead deliverer's rows once its lease has ended, not before", async (t) => {
      if (!stores) return t.skip();
      const { a, b } = stores;
      const { org } = await queued(a, 3);

      // A deliverer claims the rows and dies (it never sends nor gives them back).
      const held = await claimDue(a.db, a.dialect, { now: T0, limit: 10, org }, { owner: 'crashed', now: T0, until: '2026-05-06T07:09:09Z' });
      expect(held).toHaveLength(3);

      const at = (iso: string) => ({ org, now: () => new Date(iso), guard: LOCAL_RECEIVERS });
      expect(await deliverPending(b, at('2026-05-06T07:08:39Z'))).toEqual({ sent: 0, failed: 0, dead: 0, waiting: 0 });
      expect(await deliverPending(b, at('2026-05-06T07:09:09Z'))).toEqual({ sent: 0, failed: 0, dead: 0, waiting: 0 }); // the lease's last second
      expect(receiver.requests).toHaveLength(0);
      expect(await deliverPending(b, at('2026-05-06T07:09:10Z'))).toEqual({ sent: 3, failed: 0, dead: 0, waiting: 0 });
      expect(receiver.requests).toHaveLength(3);
      expect(await outboxCounts(a.db, { org })).toEqual({ pending: 0, sent: 3, dead: 0 });
    });

    it('gives back what a stopped pass claimed, so another deliverer need not wait for the lease', async (t) => {
      if (!stores) return t.skip();
      const { a, b } = stores;
      const { org } = await queued(a, 3);
      const stop = new AbortController();
      receiver.answer = () => {
        stop.abort(); // the deliverer is stopped while its first request is in flight
        return 'hang';
      };
      try {
        expect(await deliverPending(a, { org, now: () => new Date(T0), guard: LOCAL_RECEIVERS, signal: stop.signal })).toMatchObject({ sent: 0, failed: 0 });
      } finally {
        receiver.answer = () => 200;
      }
      expect(await deliverPending(b, { org, now: () => new Date(T0), guard: LOCAL_RECEIVERS })).toMatchObject({ sent: 3 });
    });
  });
}
