// Webhook delivery through the outbox against a real HTTP receiver on 127.0.0.1: signing,
// payload formats, retries with backoff, dead letters. The clock and the backoff are injected,
// so nothing waits for wall-clock time except the one timeout test (200 ms).
import { createHmac } from 'node:crypto';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { addChannel, deadLetters, outboxCounts, removeChannel } from '../../store/delivery.js';
import type { Store } from '../../store/store.js';
import { deliverPending, type DeliverOptions } from './outbox.js';
import { LOCAL_RECEIVERS, startReceiver, type Receiver } from './test-support/receiver.js';
import { freshOrg, ManualClock, notify, sampleNotification, STORE_KINDS, useStore } from './test-support/stores.js';
import { verifySignature } from './webhook.js';

const SECRET = 'test-secret-0123456789abcdef';
const T0 = '2026-02-03T04:05:06Z';

/** What any receiver would do, written out here instead of calling verifySignature. */
function receiverAccepts(body: Buffer, secret: string, header: string | string[] | undefined): boolean {
  return header === `sha256=${createHmac('sha256', secret).update(body).digest('hex')}`;
}

for (const kind of STORE_KINDS) {
  describe(`webhook delivery on ${kind.label}`, () => {
    const fx = useStore(kind);
    let receiver: Receiver;
    let clock: ManualClock;

    beforeEach(async () => {
      receiver = await startReceiver();
      clock = new ManualClock(T0);
    });
    afterEach(async () => {
      await receiver.close();
    });

    async function setup(store: Store, format: 'json' | 'slack' = 'json', url = receiver.url): Promise<string> {
      const org = await freshOrg(store);
      await addChannel(store.db, { org, name: 'hook', type: 'webhook', config: { url, format }, secret: SECRET }, T0);
      return org;
    }

    function options(org: string, extra: Partial<DeliverOptions> = {}): DeliverOptions {
      return { org, now: clock.now, retryDelayMs: (f) => 1000 * 2 ** (f - 1), guard: LOCAL_RECEIVERS, ...extra };
    }

    it('delivers a signed JSON notification and marks it sent', async (t) => {
      const store = fx.store;
      if (!store) return t.skip();
      const org = await setup(store);
      const id = await notify(store, org, 1, T0);

      expect(await deliverPending(store, options(org))).toEqual({ sent: 1, failed: 0, dead: 0, waiting: 0 });
      expect(receiver.requests).toHaveLength(1);
      const r = receiver.requests[0]!;
      expect(receiverAccepts(r.body, SECRET, r.headers['x-warren-signature'])).toBe(true);
      expect(receiverAccepts(r.body, 'another-secret', r.headers['x-warren-signature'])).toBe(false);
      expect(verifySignature(r.body, SECRET, r.headers['x-warren-signature'] as string)).toBe(true);
      expect(verifySignature(Buffer.concat([r.body, Buffer.from(' ')]), SECRET, r.headers['x-warren-signature'] as string)).toBe(false);
      expect(r.headers['content-type']).toBe('application/json');
      expect(r.headers['x-warren-notification']).toBe(id);
      expect(r.headers['x-warren-delivery']).toMatch(/^[1-9][0-9]*$/);
      const n = sampleNotification(org, 1);
      expect(JSON.parse(r.body.toString())).toEqual({
        id,
        signature: n.signature,
        entity: n.entity,
        kind: 'domain',
        field: 'domain',
        value: n.value,
        severity: 'high',
        headline: n.headline,
        content: n.content,
        created: T0,
      });
      expect(await outboxCounts(store.db, { org })).toEqual({ pending: 0, sent: 1, dead: 0 });

      // Sent is final: another pass sends nothing.
      expect(await deliverPending(store, options(org))).toEqual({ sent: 0, failed: 0, dead: 0, waiting: 0 });
      expect(receiver.requests).toHaveLength(1);
    });

    it('retries failures with exponential backoff until the receiver answers 2xx', async (t) => {
      const store = fx.store;
      if (!store) return t.skip();
      const org = await setup(store);
      const id = await notify(store, org, 1, T0);
      receiver.answer = (n) => (n < 2 ? 500 : 204); // fails the first two requests

      expect(await deliverPending(store, options(org))).toMatchObject({ sent: 0, failed: 1 });
      // Not due again before its backoff (1 s) has passed.
      expect(await deliverPending(store, options(org))).toMatchObject({ sent: 0, failed: 0 });
      clock.advance(999);
      expect(await deliverPending(store, options(org))).toMatchObject({ sent: 0, failed: 0 });
      clock.advance(1);
      expect(await deliverPending(store, options(org))).toMatchObject({ sent: 0, failed: 1 });
      clock.advance(1000); // the second backoff is 2 s
      expect(await deliverPending(store, options(org))).toMatchObject({ sent: 0, failed: 0 });
      clock.advance(1000);
      expect(await deliverPending(store, options(org))).toEqual({ sent: 1, failed: 0, dead: 0, waiting: 0 });

      expect(receiver.requests).toHaveLength(3);
      // Every re-delivery is the same notification and the same outbox row: receivers dedupe on it.
      expect(new Set(receiver.requests.map((r) => r.notification))).toEqual(new Set([id]));
      expect(new Set(receiver.requests.map((r) => r.headers['x-warren-delivery'])).size).toBe(1);
      expect(await outboxCounts(store.db, { org })).toEqual({ pending: 0, sent: 1, dead: 0 });
    });

    it('dead-letters a delivery after the last try, keeping the last error', async (t) => {
      const store = fx.store;
      if (!store) return t.skip();
      const org = await setup(store);
      const id = await notify(store, org, 1, T0);
      const ok = await notify(store, org, 2, T0);
      receiver.answer = (_n, r) => (r.notification === id ? 503 : 200);
      const opts = options(org, { maxAttempts: 3, retryDelayMs: () => 0 });

      expect(await deliverPending(store, opts)).toEqual({ sent: 1, failed: 1, dead: 0, waiting: 0 });
      expect(await deliverPending(store, opts)).toEqual({ sent: 0, failed: 1, dead: 0, waiting: 0 });
      expect(await deliverPending(store, opts)).toEqual({ sent: 0, failed: 0, dead: 1, waiting: 0 });
      expect(await deliverPending(store, opts)).toEqual({ sent: 0, failed: 0, dead: 0, waiting: 0 });

      const dead = await deadLetters(store.db, org);
      expect(dead).toHaveLength(1);
      expect(dead[0]).toMatchObject({ org, channel: 'hook', notification: id, attempts: 3 });
      expect(dead[0]!.lastError).toMatch(/^HTTP 503 .*refused with 503/);
      expect(await outboxCounts(store.db, { org })).toEqual({ pending: 0, sent: 1, dead: 1 });
      expect(receiver.requests.filter((r) => r.notification === id)).toHaveLength(3);
      expect(receiver.requests.filter((r) => r.notification === ok)).toHaveLength(1);
    });

    it('counts a receiver that does not answer in time as a failed try, and sends the duplicate with the same id', async (t) => {
      const store = fx.store;
      if (!store) return t.skip();
      const org = await setup(store);
      const id = await notify(store, org, 1, T0);
      receiver.answer = (n) => (n === 0 ? 'hang' : 200);
      const opts = options(org, { webhookTimeoutMs: 200, retryDelayMs: () => 0 });

      expect(await deliverPending(store, opts)).toMatchObject({ sent: 0, failed: 1 });
      expect(await deliverPending(store, opts)).toMatchObject({ sent: 1, failed: 0 });
      // The receiver got it twice (it did not answer the first time); the id lets it drop one.
      expect(receiver.requests.map((r) => r.notification)).toEqual([id, id]);
    });

    it('counts a refused connection as a failed try, with the reason', async (t) => {
      const store = fx.store;
      if (!store) return t.skip();
      const closed = await startReceiver();
      await closed.close(); // nothing listens on its port any more
      const org = await setup(store, 'json', closed.url);
      await notify(store, org, 1, T0);
      const events: string[] = [];
      const opts = options(org, { maxAttempts: 1, onEvent: (e) => events.push(`${e.outcome}: ${e.error}`) });
      expect(await deliverPending(store, opts)).toMatchObject({ dead: 1 });
      expect(events).toEqual([expect.stringMatching(/^dead: .*ECONNREFUSED/)]);
    });

    it('sends the Slack format, with mrkdwn characters escaped', async (t) => {
      const store = fx.store;
      if (!store) return t.skip();
      const org = await setup(store, 'slack');
      const id = await notify(store, org, 1, T0, { headline: 'Signature s matched <b>&c', content: 'value <https://evil|click>' });

      expect(await deliverPending(store, options(org))).toMatchObject({ sent: 1 });
      const r = receiver.requests[0]!;
      expect(receiverAccepts(r.body, SECRET, r.headers['x-warren-signature'])).toBe(true);
      expect(r.headers['x-warren-notification']).toBe(id);
      const body = JSON.parse(r.body.toString()) as { text: string; blocks: { type: string; text?: { type: string; text: string } }[] };
      expect(Object.keys(body).sort()).toEqual(['blocks', 'text']);
      expect(body.text).toBe('Signature s matched &lt;b&gt;&amp;c');
      expect(body.blocks.map((b) => b.type)).toEqual(['section', 'context']);
      expect(body.blocks[0]!.text).toEqual({ type: 'mrkdwn', text: '*Signature s matched &lt;b&gt;&amp;c*\nvalue &lt;https://evil|click&gt;' });
    });

    it('with the guard on, refuses a private receiver without connecting, and keeps the reason', async (t) => {
      const store = fx.store;
      if (!store) return t.skip();
      const loopback = `http://[::ffff:127.0.0.1]:${new URL(receiver.url).port}/hook`;
      for (const url of [receiver.url, loopback]) {
        const org = await setup(store, 'json', url);
        await notify(store, org, 1, T0);
        const events: string[] = [];
        const opts = options(org, { guard: {}, maxAttempts: 1, onEvent: (e) => events.push(`${e.outcome}: ${e.error}`) });
        expect(await deliverPending(store, opts)).toMatchObject({ dead: 1 });
        expect(events).toEqual([expect.stringMatching(/^dead: refused: .*loopback address/)]);
      }
      expect(receiver.requests).toHaveLength(0);
    });

    it('drops what a removed channel still had to send', async (t) => {
      const store = fx.store;
      if (!store) return t.skip();
      const org = await setup(store);
      await notify(store, org, 1, T0);
      expect(await removeChannel(store.db, org, 'hook')).toBe(1);
      expect(await deliverPending(store, options(org))).toEqual({ sent: 0, failed: 0, dead: 0, waiting: 0 });
      expect(receiver.requests).toHaveLength(0);
    });
  });
}
