// The deliverer: takes due outbox rows, hands each to its channel, and records the outcome.
//
// At-least-once: a row is marked sent only after the receiver acknowledged it (2xx, or the SMTP
// server accepted the message). A crash before that leaves it pending, so the next run sends it
// again; receivers drop the duplicate by its notification id. A failed try is retried with
// exponential backoff, and after the last one the row becomes a dead letter with its error.
//
// Rows of different channels are sent concurrently, rows of one channel one after the other (in
// the order they were queued), so a slow receiver delays only its own channel.
//
// Several deliverers (two `warren deliver --watch`, or `serve` and `deliver`) may run on one
// store: each pass claims its rows first (store/delivery.ts), for a lease (default 5 minutes,
// renewed before a send that could outlast it), and sends only what it claimed, so each row is
// sent once. A deliverer that dies holding rows delays them by the rest of its lease; then any
// other deliverer takes them over. A pass gives back what it did not settle when it ends.
import { randomUUID } from 'node:crypto';
import { setTimeout as sleep } from 'node:timers/promises';
import type { GuardOptions } from '../../net/guarded-http.js';
import * as repo from '../../store/delivery.js';
import type { PendingDelivery } from '../../store/delivery.js';
import type { Store } from '../../store/store.js';
import { readChannelConfig, type ChannelConfig, type EmailConfig } from './channel-config.js';
import { dayBounds, isoSeconds, systemClock, utcDay, type Clock } from '../clock.js';
import { digestEmail, notificationEmail, type Mailer } from './email.js';
import { describeError, failed, type SendResult } from './result.js';
import { DEFAULT_WEBHOOK_TIMEOUT_MS, postWebhook } from './webhook.js';

/** What one SMTP exchange is allowed, for lease purposes (nodemailer's own timeouts are shorter). */
const SMTP_TRY_MS = 2 * 60_000;

export const DEFAULT_MAX_ATTEMPTS = 8;
/** How long a claim on outbox rows lasts before another deliverer may take them over. */
export const DEFAULT_LEASE_MS = 5 * 60_000;
/** A send starts only with at least its timeout and this much left on the lease. */
const LEASE_MARGIN_MS = 30_000;
const DEFAULT_BATCH = 100;
const MAX_ERROR_LENGTH = 500;

/** 30 s after the first failure, doubling each time, at most 6 hours. */
export function defaultRetryDelayMs(failures: number): number {
  return Math.min(30_000 * 2 ** Math.max(0, failures - 1), 6 * 3_600_000);
}

export type DeliveryOutcome = 'sent' | 'retry' | 'dead' | 'waiting';

export interface DeliveryEvent {
  readonly outcome: DeliveryOutcome;
  readonly org: string;
  readonly channel: string;
  /** The notification ids concerned (several for a digest). */
  readonly notifications: readonly string[];
  /** Tries made so far, this one included. */
  readonly attempts: number;
  readonly error?: string;
  /** When it will be tried again (retry) or sent (a digest waiting for its day to end). */
  readonly next?: string;
}

export interface DeliverOptions {
  readonly now?: Clock;
  /** Tries before a row is dead (default 8). */
  readonly maxAttempts?: number;
  /** Delay after the n-th failed try (n from 1), in ms. */
  readonly retryDelayMs?: (failures: number) => number;
  readonly webhookTimeoutMs?: number;
  /** Which targets webhooks may reach (default: WARREN_ALLOW_PRIVATE_WEBHOOKS, else public only). */
  readonly guard?: GuardOptions;
  /** Without one, email deliveries are left pending (not tried, not counted as failures). */
  readonly mailer?: Mailer;
  /** Only this organisation's deliveries (default: every organisation's). */
  readonly org?: string;
  readonly batchSize?: number;
  /** Stops between sends; an interrupted send is not counted as a try. */
  readonly signal?: AbortSignal;
  readonly onEvent?: (e: DeliveryEvent) => void;
  /** Who claims the rows (default: a new random id per pass). */
  readonly owner?: string;
  /** How long a claim lasts (default 5 minutes). */
  readonly leaseMs?: number;
}

export interface DeliveryCounts {
  /** Outbox rows acknowledged by their receiver. */
  sent: number;
  /** Rows whose try failed and that will be retried. */
  failed: number;
  /** Rows whose last try failed: now dead letters. */
  dead: number;
  /** Digest rows whose day is not over yet. */
  waiting: number;
}

export function emptyCounts(): DeliveryCounts {
  return { sent: 0, failed: 0, dead: 0, waiting: 0 };
}

function addCounts(to: DeliveryCounts, c: DeliveryCounts): void {
  to.sent += c.sent;
  to.failed += c.failed;
  to.dead += c.dead;
  to.waiting += c.waiting;
}

function clipError(e: string): string {
  return e.length <= MAX_ERROR_LENGTH ? e : `${e.slice(0, MAX_ERROR_LENGTH - 1)}…`;
}

function pushTo<T>(m: Map<string, T[]>, key: string, v: T): void {
  const list = m.get(key);
  if (list) list.push(v);
  else m.set(key, [v]);
}

/** One pass over the outbox: every row due when it is reached is tried at most once. */
class Pass {
  readonly counts = emptyCounts();
  /** Rows already dealt with in this pass (a digest takes rows a later batch would list again). */
  private readonly handled = new Set<number>();
  private readonly now: Clock;
  private readonly maxAttempts: number;
  private readonly retryDelayMs: (failures: number) => number;
  private readonly owner: string;
  private readonly leaseMs: number;
  /** When each claimed row's lease ends (ms), as this pass set it. */
  private readonly leaseEnds = new Map<number, number>();

  constructor(
    private readonly store: Store,
    private readonly opts: DeliverOptions,
  ) {
    this.now = opts.now ?? systemClock;
    this.maxAttempts = Math.max(1, opts.maxAttempts ?? DEFAULT_MAX_ATTEMPTS);
    this.retryDelayMs = opts.retryDelayMs ?? defaultRetryDelayMs;
    this.owner = opts.owner ?? randomUUID();
    this.leaseMs = Math.max(1000, opts.leaseMs ?? DEFAULT_LEASE_MS);
  }

  /** A claim from now for one lease; remembers when it ends for the rows it gets. */
  private claim(): repo.Claim {
    const now = this.now();
    return { owner: this.owner, now: isoSeconds(now), until: isoSeconds(new Date(now.getTime() + this.leaseMs), 'up') };
  }

  private claimed(rows: readonly PendingDelivery[], c: repo.Claim): PendingDelivery[] {
    const end = Date.parse(c.until);
    for (const r of rows) this.leaseEnds.set(r.seq, end);
    return [...rows];
  }

  /**
   * Whether this pass may send `rows` now: their lease must outlast one try. A lease running
   * short is renewed first; a row another deliverer took over in the meantime is not sent.
   */
  private async stillOurs(rows: readonly PendingDelivery[], tryMs: number): Promise<boolean> {
    const need = this.now().getTime() + tryMs + LEASE_MARGIN_MS;
    if (rows.every((r) => (this.leaseEnds.get(r.seq) ?? 0) > need)) return true;
    const c = this.claim();
    const seqs = rows.map((r) => r.seq);
    const held = await repo.renewClaims(this.store.db, seqs, this.owner, c.until);
    this.claimed(rows.filter((r) => held.includes(r.seq)), c);
    for (const s of seqs) this.handled.add(s); // whatever happens next, not again in this pass
    if (held.length === seqs.length) {
      for (const s of seqs) this.handled.delete(s);
      return true;
    }
    return false;
  }

  private get stopped(): boolean {
    return this.opts.signal?.aborted ?? false;
  }

  async run(): Promise<DeliveryCounts> {
    try {
      return await this.passes();
    } finally {
      // What this pass claimed and did not settle (it stopped, or a send threw) is given back.
      await repo.releaseClaims(this.store.db, this.owner).catch(() => undefined);
    }
  }

  private async passes(): Promise<DeliveryCounts> {
    const limit = this.opts.batchSize ?? DEFAULT_BATCH;
    let afterSeq: number | undefined;
    while (!this.stopped) {
      const c = this.claim();
      const query = {
        now: c.now,
        limit,
        ...(afterSeq !== undefined ? { afterSeq } : {}),
        ...(this.opts.org !== undefined ? { org: this.opts.org } : {}),
        ...(this.opts.mailer ? {} : { types: ['webhook' as const] }),
      };
      // Keyset paging over the rows this pass claims (rows others hold are theirs to send).
      const rows = this.claimed(await repo.claimDue(this.store.db, this.store.dialect, query, c), c);
      if (rows.length === 0) break;
      afterSeq = rows[rows.length - 1]!.seq;
      const byChannel = new Map<string, PendingDelivery[]>();
      for (const r of rows) {
        if (this.handled.has(r.seq)) continue;
        pushTo(byChannel, `${r.org}\0${r.channel.name}`, r);
      }
      const results = await Promise.allSettled([...byChannel.values()].map((g) => this.channel(g)));
      const failure = results.find((r): r is PromiseRejectedResult => r.status === 'rejected');
      if (failure) throw failure.reason;
      if (rows.length < limit) break;
    }
    return this.counts;
  }

  /** The due rows of one channel, in queue order. */
  private async channel(rows: PendingDelivery[]): Promise<void> {
    let config: ChannelConfig;
    try {
      config = readChannelConfig(rows[0]!.channel);
    } catch (e) {
      for (const r of rows) await this.settle([r], failed(describeError(e), 'config'));
      return;
    }
    switch (config.type) {
      case 'webhook':
        for (const r of rows) {
          if (this.stopped) return;
          if (!(await this.stillOurs([r], this.opts.webhookTimeoutMs ?? DEFAULT_WEBHOOK_TIMEOUT_MS))) continue;
          const res = await postWebhook(config, r.channel.secret, r.notification, String(r.seq), {
            ...(this.opts.webhookTimeoutMs !== undefined ? { timeoutMs: this.opts.webhookTimeoutMs } : {}),
            ...(this.opts.signal ? { signal: this.opts.signal } : {}),
            ...(this.opts.guard ? { guard: this.opts.guard } : {}),
          });
          await this.settle([r], res);
        }
        return;
      case 'email': {
        const mailer = this.opts.mailer;
        if (!mailer) return; // not selected without a mailer; left pending if it happens anyway
        if (config.digest === 'daily') {
          await this.digest(config, mailer, rows);
          return;
        }
        for (const r of rows) {
          if (this.stopped) return;
          if (!(await this.stillOurs([r], SMTP_TRY_MS))) continue;
          await this.settle([r], await mailer.send(notificationEmail(config, r.notification)));
        }
        return;
      }
    }
  }

  /**
   * A daily digest: the notifications of one UTC day go out as one email once the day is over,
   * and all of that day's pending rows of the channel are settled together. Until then its rows
   * wait, their next attempt moved to the end of the day (which is not counted as a try).
   */
  private async digest(config: EmailConfig, mailer: Mailer, rows: PendingDelivery[]): Promise<void> {
    const byDay = new Map<string, PendingDelivery[]>();
    for (const r of rows) {
      pushTo(byDay, utcDay(r.notification.created), r);
    }
    const { org, name } = rows[0]!.channel;
    for (const [day, dayRows] of byDay) {
      if (this.stopped) return;
      const { start, end } = dayBounds(day);
      if (isoSeconds(this.now()) < end) {
        await repo.deferDeliveries(this.store.db, dayRows.map((r) => r.seq), end);
        for (const r of dayRows) this.handled.add(r.seq);
        this.counts.waiting += dayRows.length;
        this.event('waiting', dayRows, Math.max(...dayRows.map((r) => r.attempts)), undefined, end);
        continue;
      }
      const c = this.claim();
      const all = this.claimed(await repo.claimInPeriod(this.store.db, this.store.dialect, org, name, start, end, c), c).filter((r) => !this.handled.has(r.seq));
      if (all.length === 0) continue;
      if (!(await this.stillOurs(all, SMTP_TRY_MS))) continue;
      await this.settle(all, await mailer.send(digestEmail(config, day, all.map((r) => r.notification))));
    }
  }

  /** Records one try of `rows` (one row, or a digest's rows) with its result. */
  private async settle(rows: readonly PendingDelivery[], result: SendResult): Promise<void> {
    const seqs = rows.map((r) => r.seq);
    if (result.ok) {
      await repo.markSent(this.store.db, seqs, isoSeconds(this.now()));
      for (const s of seqs) this.handled.add(s);
      this.counts.sent += rows.length;
      this.event('sent', rows, Math.max(...rows.map((r) => r.attempts)) + 1);
      return;
    }
    // Stopped mid-send: the receiver did not refuse anything, so this was not a try.
    if (this.stopped) return;
    for (const s of seqs) this.handled.add(s);
    const attempts = Math.max(...rows.map((r) => r.attempts)) + 1;
    const error = clipError(result.error);
    if (attempts >= this.maxAttempts) {
      await repo.markDead(this.store.db, seqs, error);
      this.counts.dead += rows.length;
      this.event('dead', rows, attempts, error);
      return;
    }
    const next = isoSeconds(new Date(this.now().getTime() + this.retryDelayMs(attempts)), 'up');
    await repo.recordFailure(this.store.db, seqs, next, error);
    this.counts.failed += rows.length;
    this.event('retry', rows, attempts, error, next);
  }

  private event(outcome: DeliveryOutcome, rows: readonly PendingDelivery[], attempts: number, error?: string, next?: string): void {
    const first = rows[0];
    if (!this.opts.onEvent || !first) return;
    this.opts.onEvent({
      outcome,
      org: first.org,
      channel: first.channel.name,
      notifications: rows.map((r) => r.notification.id),
      attempts,
      ...(error !== undefined ? { error } : {}),
      ...(next !== undefined ? { next } : {}),
    });
  }
}

/** Sends what is due now, once; returns what happened to the rows it tried. */
export function deliverPending(store: Store, options: DeliverOptions = {}): Promise<DeliveryCounts> {
  return new Pass(store, options).run();
}

export interface WatchOptions extends DeliverOptions {
  readonly signal: AbortSignal;
  /** Pause between passes (default 5 s). */
  readonly intervalMs?: number;
  readonly onPass?: (c: DeliveryCounts) => void;
  /** A pass that failed (the store went away for a moment): reported, and the loop goes on. */
  readonly onError?: (e: unknown) => void;
}

/** Passes over the outbox until the signal aborts; returns the totals. */
export async function watch(store: Store, opts: WatchOptions): Promise<DeliveryCounts> {
  const total = emptyCounts();
  while (!opts.signal.aborted) {
    try {
      const c = await deliverPending(store, opts);
      addCounts(total, c);
      opts.onPass?.(c);
    } catch (e) {
      if (!opts.onError) throw e;
      opts.onError(e);
    }
    try {
      await sleep(opts.intervalMs ?? 5000, undefined, { signal: opts.signal });
    } catch {
      // aborted: the loop condition ends it
    }
  }
  return total;
}

/** Deliveries waiting in the outbox (every organisation's, or one's). */
export async function pendingDeliveries(store: Store, org?: string): Promise<number> {
  return (await repo.outboxCounts(store.db, org !== undefined ? { org } : {})).pending;
}

/** Pending deliveries by channel type (webhook, email), every organisation's or one's. */
export function pendingByType(store: Store, org?: string): Promise<Record<string, number>> {
  return repo.pendingByType(store.db, org);
}
