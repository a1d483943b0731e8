// Email delivery through the outbox to a local SMTP server: one email per notification, and
// daily digests that go out only once their UTC day is over (by the injected clock).
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { addChannel, outboxCounts } from '../../store/delivery.js';
import type { Store } from '../../store/store.js';
import { smtpMailer, type Mailer } from './email.js';
import { deliverPending, type DeliverOptions } from './outbox.js';
import { startSmtp, type SmtpSink } from './test-support/smtp.js';
import { freshOrg, ManualClock, notify, sampleNotification, STORE_KINDS, useStore } from './test-support/stores.js';

for (const kind of STORE_KINDS) {
  describe(`email delivery on ${kind.label}`, () => {
    const fx = useStore(kind);
    let smtp: SmtpSink;
    let mailer: Mailer;
    let clock: ManualClock;

    beforeAll(async () => {
      smtp = await startSmtp();
      mailer = smtpMailer({ url: smtp.url, from: 'Warren <warren@example.org>', timeoutMs: 10_000 });
    });
    afterAll(async () => {
      mailer.close();
      await smtp.close();
    });
    beforeEach(() => {
      smtp.reset();
      clock = new ManualClock('2026-03-01T12:00:00Z');
    });

    async function setup(store: Store, digest: boolean): Promise<string> {
      const org = await freshOrg(store);
      await addChannel(store.db, { org, name: 'mail', type: 'email', config: digest ? { to: 'soc@example.com', digest: 'daily' } : { to: 'soc@example.com' }, secret: null }, '2026-03-01T00:00:00Z');
      return org;
    }

    function options(org: string, extra: Partial<DeliverOptions> = {}): DeliverOptions {
      return { org, mailer, now: clock.now, retryDelayMs: () => 0, ...extra };
    }

    it('sends one email per notification, with the headline as subject', async (t) => {
      const store = fx.store;
      if (!store) return t.skip();
      const org = await setup(store, false);
      const ids = [await notify(store, org, 1, '2026-03-01T10:00:00Z'), await notify(store, org, 2, '2026-03-01T11:00:00Z')];

      expect(await deliverPending(store, options(org))).toEqual({ sent: 2, failed: 0, dead: 0, waiting: 0 });
      expect(smtp.messages.map((m) => m.subject)).toEqual([sampleNotification(org, 1).headline, sampleNotification(org, 2).headline]);
      for (const [i, m] of smtp.messages.entries()) {
        expect(m.to).toEqual(['soc@example.com']);
        expect(m.headers.get('from')).toBe('Warren <warren@example.org>');
        expect(m.headers.get('x-warren-notification')).toBe(ids[i]);
        expect(m.text).toContain(sampleNotification(org, i + 1).content);
      }
      expect(await outboxCounts(store.db, { org })).toEqual({ pending: 0, sent: 2, dead: 0 });
    });

    it('retries an email the server refused', async (t) => {
      const store = fx.store;
      if (!store) return t.skip();
      const org = await setup(store, false);
      await notify(store, org, 1, '2026-03-01T10:00:00Z');
      smtp.refuse = (n) => (n === 0 ? 'mailbox busy' : undefined);
      const errors: string[] = [];
      const opts = options(org, { onEvent: (e) => e.error !== undefined && errors.push(e.error) });

      expect(await deliverPending(store, opts)).toMatchObject({ sent: 0, failed: 1 });
      expect(errors).toEqual([expect.stringMatching(/^SMTP: .*mailbox busy/)]);
      expect(await deliverPending(store, opts)).toMatchObject({ sent: 1, failed: 0 });
      expect(smtp.messages).toHaveLength(1);
    });

    it('sends a daily digest as one email, only once its UTC day is over', async (t) => {
      const store = fx.store;
      if (!store) return t.skip();
      const org = await setup(store, true);
      const day1 = [
        await notify(store, org, 1, '2026-03-01T00:00:00Z'),
        await notify(store, org, 2, '2026-03-01T09:30:00Z'),
        await notify(store, org, 3, '2026-03-01T11:59:59Z'),
      ];

      // During the day: nothing is sent; the rows wait for the end of the day.
      expect(await deliverPending(store, options(org))).toEqual({ sent: 0, failed: 0, dead: 0, waiting: 3 });
      // A late notification of the same day, and the last second of the day: still nothing.
      clock.set('2026-03-01T23:59:59Z');
      day1.push(await notify(store, org, 4, '2026-03-01T23:59:59Z'));
      expect(await deliverPending(store, options(org))).toMatchObject({ sent: 0, waiting: 1 });
      expect(smtp.messages).toHaveLength(0);

      // The next day begins: one email with all four; a notification of the new day waits.
      clock.set('2026-03-02T00:00:00Z');
      const day2 = await notify(store, org, 5, '2026-03-02T00:00:00Z');
      expect(await deliverPending(store, options(org))).toEqual({ sent: 4, failed: 0, dead: 0, waiting: 1 });
      expect(smtp.messages).toHaveLength(1);
      const digest = smtp.messages[0]!;
      expect(digest.subject).toBe('Warren daily digest 2026-03-01: 4 notifications');
      expect(digest.headers.get('x-warren-digest')).toBe('2026-03-01');
      for (const [i, id] of day1.entries()) {
        expect(digest.text).toContain(id);
        expect(digest.text).toContain(sampleNotification(org, i + 1).headline);
      }
      expect(digest.text).not.toContain(day2);
      expect(await outboxCounts(store.db, { org })).toEqual({ pending: 1, sent: 4, dead: 0 });

      // Later that day nothing more; the day after, the second digest.
      clock.set('2026-03-02T18:00:00Z');
      expect(await deliverPending(store, options(org))).toEqual({ sent: 0, failed: 0, dead: 0, waiting: 0 });
      clock.set('2026-03-03T00:00:01Z');
      expect(await deliverPending(store, options(org))).toMatchObject({ sent: 1 });
      expect(smtp.messages.map((m) => m.subject)).toEqual([
        'Warren daily digest 2026-03-01: 4 notifications',
        'Warren daily digest 2026-03-02: 1 notification',
      ]);
    });

    it('retries a refused digest as a whole', async (t) => {
      const store = fx.store;
      if (!store) return t.skip();
      const org = await setup(store, true);
      await notify(store, org, 1, '2026-03-01T01:00:00Z');
      await notify(store, org, 2, '2026-03-01T02:00:00Z');
      clock.set('2026-03-02T00:00:00Z');
      smtp.refuse = (n) => (n === 0 ? 'try later' : undefined);

      expect(await deliverPending(store, options(org))).toMatchObject({ sent: 0, failed: 2 });
      expect(await deliverPending(store, options(org))).toMatchObject({ sent: 2, failed: 0 });
      expect(smtp.messages.map((m) => m.subject)).toEqual(['Warren daily digest 2026-03-01: 2 notifications']);
    });

    it('leaves email deliveries pending when no mailer is configured', async (t) => {
      const store = fx.store;
      if (!store) return t.skip();
      const org = await setup(store, false);
      await notify(store, org, 1, '2026-03-01T10:00:00Z');
      expect(await deliverPending(store, { org, now: clock.now })).toEqual({ sent: 0, failed: 0, dead: 0, waiting: 0 });
      expect(await outboxCounts(store.db, { org })).toEqual({ pending: 1, sent: 0, dead: 0 });
    });
  });
}
