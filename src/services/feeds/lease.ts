// One follower per feed across processes (issue 17): `warren watch`, `warren serve --watch` and
// workers may all be told to follow the same log; only the holder of the feed's lease does. The
// others stand by and take the lease over once it ends — when its holder stops cleanly (it gives
// the lease up: at once) or dies or hangs (it stops renewing: within the lease's length; at once
// when the holder was a process of this host that no longer exists, so a restart after a crash
// does not wait). The
// follower renews every third of the length; a follower that finds its lease taken (it stalled
// longer than the length) stops after the batch in hand and stands by again. Two followers for a
// moment would still be correct — writes and evaluations are idempotent, resume is from the
// evaluated position (runner.ts) — the lease only keeps them from doing the same work twice.
import { randomBytes } from 'node:crypto';
import { hostname } from 'node:os';
import { setTimeout as delay } from 'node:timers/promises';
import type { FeedSource } from '../../feeds/types.js';
import { releaseFeedLease, takeFeedLease, takeFeedLeaseFrom } from '../../store/feed-leases.js';
import type { Store } from '../../store/store.js';
import { runFeed, type FeedRunSummary, type RunFeedOptions } from './runner.js';

/** A dead follower's feed is taken over within this (issue 17: within 30 s). */
export const DEFAULT_LEASE_MS = 20_000;

export interface LeaseOptions {
  /** Who this process is (leaseHolder()). */
  readonly holder: string;
  readonly ttlMs: number;
  /** The lease holder's clock, ms (tests pass their own; the lease outlives small skews). */
  readonly nowMs?: () => number;
  /** Whether a holder is known dead (default: deadOnThisHost); tests pass their own. */
  readonly isDead?: (holder: string) => boolean;
  /** How a standby waits before asking again (tests: without the wall clock). */
  readonly sleep?: (ms: number, signal: AbortSignal) => Promise<void>;
}

/** This process as a lease holder: host, pid and a random part (a pid is reused across hosts and restarts). */
export function leaseHolder(): string {
  return `${hostname()}:${process.pid}:${randomBytes(3).toString('hex')}`;
}

/**
 * Whether `holder` is a process of this host that has ended (killed, crashed): its lease need not
 * be waited out — a follower restarted after a kill -9 takes its feed at once. A holder on another
 * host, or one whose process still exists, is never judged dead here.
 */
export function deadOnThisHost(holder: string): boolean {
  const m = /^(.*):(\d+):[0-9a-f]+$/.exec(holder);
  if (!m || m[1] !== hostname()) return false;
  const pid = Number(m[2]);
  if (pid === process.pid) return false;
  try {
    process.kill(pid, 0);
    return false;
  } catch (e) {
    return (e as NodeJS.ErrnoException).code === 'ESRCH';
  }
}

async function abortableSleep(ms: number, signal: AbortSignal): Promise<void> {
  try {
    await delay(ms, undefined, { signal });
  } catch (e) {
    if (!signal.aborted) throw e;
  }
}

function add(total: FeedRunSummary, s: FeedRunSummary): void {
  total.batches += s.batches;
  total.entries += s.entries;
  total.records += s.records;
  total.rejected += s.rejected;
  total.errors += s.errors;
  total.actions.tags += s.actions.tags;
  total.actions.classifications += s.actions.classifications;
  total.actions.notifications += s.actions.notifications;
  if (s.position !== undefined) total.position = s.position;
}

/**
 * runFeed while this process holds the feed's lease; standing by while another does. Returns at
 * the stop (giving the lease up) with what this process did in all.
 */
export async function runLeased(store: Store, source: FeedSource, opts: RunFeedOptions, lease: LeaseOptions): Promise<FeedRunSummary> {
  const feed = source.id;
  const { signal } = opts;
  const now = lease.nowMs ?? Date.now;
  const sleep = lease.sleep ?? abortableSleep;
  const since = (): string => new Date(now()).toISOString();
  const take = async (): Promise<string> => {
    const held = (await takeFeedLease(store.db, feed, lease.holder, now(), lease.ttlMs, since())).holder;
    if (held === lease.holder || !(lease.isDead ?? deadOnThisHost)(held)) return held;
    return (await takeFeedLeaseFrom(store.db, feed, held, lease.holder, now(), lease.ttlMs, since()))?.holder ?? held;
  };
  const total: FeedRunSummary = { feed, batches: 0, entries: 0, records: 0, rejected: 0, errors: 0, actions: { tags: 0, classifications: 0, notifications: 0 }, position: undefined };
  const standbyMs = Math.max(10, Math.floor(lease.ttlMs / 5));
  const renewMs = Math.max(10, Math.floor(lease.ttlMs / 3));

  while (!signal.aborted) {
    // Stand by until the lease is ours.
    let toldHolder: string | undefined;
    for (;;) {
      let holder: string | undefined;
      try {
        holder = await take();
      } catch (e) {
        opts.onProgress?.({ feed, state: 'error', position: total.position, entries: total.entries, rate: 0, error: `taking the feed's lease: ${e instanceof Error ? e.message : String(e)}`, waitMs: standbyMs });
      }
      if (holder === lease.holder || signal.aborted) break;
      if (holder !== undefined && holder !== toldHolder) {
        toldHolder = holder;
        opts.onProgress?.({ feed, state: 'standby', position: total.position, entries: total.entries, rate: 0, holder, waitMs: standbyMs });
      }
      await sleep(standbyMs, signal);
    }
    if (signal.aborted) break;

    // Follow while it stays ours.
    const held = new AbortController();
    const onStop = (): void => held.abort(signal.reason);
    signal.addEventListener('abort', onStop, { once: true });
    let renewing: Promise<void> = Promise.resolve();
    const timer = setInterval(() => {
      renewing = renewing.then(async () => {
        try {
          const holder = await take();
          if (holder !== lease.holder) held.abort(new Error(`the lease of ${feed} went to ${holder}`));
        } catch {
          // The store is away: keep following; if the lease lapses meanwhile, the next renewal
          // finds it taken and this follower steps back.
        }
      });
    }, renewMs);
    try {
      add(total, await runFeed(store, source, { ...opts, signal: held.signal }));
    } finally {
      clearInterval(timer);
      signal.removeEventListener('abort', onStop);
      await renewing;
    }
    // Ended by itself (a batch limit), not by the stop or a lost lease: done.
    if (!held.signal.aborted) break;
  }
  try {
    await releaseFeedLease(store.db, feed, lease.holder);
  } catch {
    // Not given up: it ends by itself within its length.
  }
  return total;
}
