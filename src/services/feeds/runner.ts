// Following one feed (live.md "Feeds"): ask the source for what comes after the position, store
// it through the one ingest pipeline, evaluate every organisation's signatures on it, repeat; wait
// when there is nothing new; back off and retry when the source fails, never giving up.
//
// Exact resume. Each batch goes through two steps, each recorded in feed_positions:
//   1. write: the batch's records AND `position` (the position after the batch) in ONE
//      transaction (Store.write's `also`): the store never holds records without the position
//      that follows them, nor a position ahead of its records;
//   2. evaluate: the batch's signatures run and their actions are applied (their own
//      transaction, evaluate.ts), then `evaluated` is set to the same position.
// A restart resumes from `evaluated`. When a kill came between 1 and 2, `position` is ahead of
// `evaluated`: the batches in between are fetched again from the source (a CT log's entries, a
// list's lines do not change) and go through both steps again. That repeats nothing: writes are
// idempotent upserts (store/write.ts: the same records change nothing), and evaluation is
// idempotent (tags and classifications upserted; a notification is unique per organisation,
// signature, kind, entity and value — the `notifications_dedup` index — and its outbox rows are
// queued in the transaction that creates it, so a notification is created, and delivered, once).
// A kill between the evaluation and step 2's mark is the same case. So nothing is lost (every
// batch is evaluated before `evaluated` passes it), nothing stored twice, no alert raised twice.
//
// Limits, stated: a source that cannot fetch the same entries again (certstream's live stream)
// cannot replay: the batch written but not evaluated at a kill stays unevaluated until a view or
// retro-hunt meets its entities. A first batch killed before its evaluation has no `evaluated`
// to resume from, so the restart begins at the source's configured start again (--from), which
// for `latest-N` may have moved on.
//
// Gathering (a backfill's speed, issue 14's ≥ 5,000 entries/s): a store commit costs about the
// same for 256 entries as for 2,000, so while the source says more entries are waiting already
// (FeedSource.waiting: a CT log behind its signed size) the runner gathers consecutive answers
// into one batch of up to `commitEntries`, and asks for the next answer while that batch is
// stored and evaluated. At the tail nothing is waiting: each answer is committed as it comes, so
// gathering never delays an entry's notification. A batch is still one write + one evaluation
// with one position; an answer fetched ahead is only used when the batch before it committed, and
// is dropped (fetched again later) when it failed — so resume stays exact.
//
// Back-pressure: at most one batch being committed and one answer fetched ahead, so a slow store
// slows the fetch and memory holds about two batches whatever the log's size.
import { setTimeout as delay } from 'node:timers/promises';
import { FeedError, type FeedBatch, type FeedPosition, type FeedSource } from '../../feeds/types.js';
import { commitFeedPosition, markFeedEvaluated, readFeedPosition, recordFeedError, reportFeed, type FeedReport } from '../../store/feed-positions.js';
import type { Store } from '../../store/store.js';
import { isoSeconds, systemClock, type Clock } from '../clock.js';
import type { Applied } from '../evaluate.js';
import { EVERY_ORG, type EvaluationScope } from '../ingest/evaluate-batch.js';
import { IngestPipeline } from '../ingest/pipeline.js';
import { SlidingRate } from './rate.js';
import { feedLag } from './status.js';

/** An idle feed asks again after this: a CT log answers get-sth cheaply, and an entry reaches its
 * notification within about this long (issue 14: < 2 s at p99; docs/PERFORMANCE.md, Feeds). */
export const DEFAULT_POLL_MS = 1_000;
export const DEFAULT_BACKOFF = { initialMs: 1_000, maxMs: 5 * 60_000 } as const;
/** A Retry-After longer than this is taken as this: a feed is never parked for a day. */
export const MAX_RETRY_AFTER_MS = 60 * 60_000;
export const RATE_WINDOW_MS = 60_000;
/** A source's own requests time out sooner; this catches one that hangs anyway. */
export const DEFAULT_NEXT_TIMEOUT_MS = 2 * 60_000;
/**
 * Most entries gathered into one commit while the source has more waiting (see the top). A
 * commit rewrites every index page its entries touch, and a CT entry touches about ten at random,
 * so 4,096 a commit cost a SQLite backfill markedly less per entry than 2,048 (docs/PERFORMANCE.md,
 * Feeds) while memory stayed under the 300 MiB of issue 14.
 */
export const DEFAULT_COMMIT_ENTRIES = 4_096;

export type FeedRunState = 'resume' | 'batch' | 'idle' | 'error' | 'standby';

/** What the runner tells its caller (the CLI's progress lines, the server's log). */
export interface FeedRunProgress {
  readonly feed: string;
  /**
   * `resume`: starting (again) from the stored position — with `committed` when batches up to it
   * were stored but not evaluated and are fetched again; `batch`: one committed; `idle`: nothing
   * new, waiting `waitMs`; `error`: a failure, retried after `waitMs`; `standby`: another
   * process (`holder`) follows the feed and holds its lease (lease.ts); asking again after `waitMs`.
   */
  readonly state: FeedRunState;
  readonly position: FeedPosition | undefined;
  readonly committed?: FeedPosition;
  /** Entries read in all, up to `position`. */
  readonly entries: number;
  readonly rate: number;
  readonly size?: number;
  readonly lag?: number;
  readonly error?: string;
  readonly waitMs?: number;
  /** With `standby`: who follows the feed now. */
  readonly holder?: string;
}

export interface RunFeedOptions {
  /** Whose signatures the entries meet: every organisation's (feeds are the operator's data). */
  readonly scope?: EvaluationScope;
  /** Stamps actions and statuses and times the rate (tests pass their own). */
  readonly now?: Clock;
  /** Stops the runner: the batch in hand is committed and evaluated first. */
  readonly signal: AbortSignal;
  readonly onProgress?: (p: FeedRunProgress) => void;
  /** An entry the source could not decode (skipped, never half-stored). */
  readonly onReject?: (feed: string, r: { readonly at: string; readonly message: string }) => void;
  /** Most entries gathered into one batch while the source has more waiting (1: one answer each). */
  readonly commitEntries?: number;
  /** Return after this many committed batches (tests, bounded backfills). */
  readonly batchLimit?: number;
  /** The wait after 'idle' before asking again. */
  readonly pollMs?: number;
  /** Back-off after a failure: initialMs, doubling per consecutive failure, at most maxMs. */
  readonly backoff?: { readonly initialMs: number; readonly maxMs: number };
  readonly rateWindowMs?: number;
  /** A next() that has not answered by then is abandoned (its signal aborted) and counted a failure. */
  readonly nextTimeoutMs?: number;
  /** How the runner waits (tests: without the wall clock). Resolves early when `signal` aborts. */
  readonly sleep?: (ms: number, signal: AbortSignal) => Promise<void>;
  /**
   * Runs after a batch's write committed and before its evaluation: where a test (or the kill
   * test's child, WARREN_TEST_FEEDS) lands a failure or a kill between the two steps.
   */
  readonly afterWrite?: (position: FeedPosition) => Promise<void> | void;
}

/** What one run did. */
export interface FeedRunSummary {
  readonly feed: string;
  /** Batches committed (one or more of the source's answers each, see gathering at the top). */
  batches: number;
  /** Entries read in this run (replayed ones included). */
  entries: number;
  records: number;
  rejected: number;
  errors: number;
  readonly actions: Applied;
  /** Where the run stopped: the last evaluated position. */
  position: FeedPosition | undefined;
}

async function abortableSleep(ms: number, signal: AbortSignal): Promise<void> {
  try {
    await delay(ms, undefined, { signal });
  } catch (e) {
    if (!signal.aborted) throw e;
  }
}

/**
 * source.next(), given a signal that aborts on the stop or after `ms`; a source that ignores its
 * signal is not waited for past `ms` either (what it answers later is dropped, nothing stored).
 */
async function nextWithin(source: FeedSource, position: FeedPosition | undefined, stop: AbortSignal, ms: number, inner = new AbortController()): Promise<FeedBatch | 'idle'> {
  const onStop = (): void => inner.abort(stop.reason);
  stop.addEventListener('abort', onStop, { once: true });
  let timer: NodeJS.Timeout | undefined;
  const expired = new Promise<never>((_resolve, reject) => {
    timer = setTimeout(() => {
      const e = new FeedError(`no answer within ${ms >= 1000 ? `${Math.round(ms / 1000)}s` : `${ms}ms`}`);
      // Rejected first, so the race ends with this and not with the source's abort error.
      reject(e);
      inner.abort(e);
    }, ms);
  });
  try {
    return await Promise.race([source.next(position, inner.signal), expired]);
  } finally {
    clearTimeout(timer);
    stop.removeEventListener('abort', onStop);
  }
}

/** One batch of consecutive answers: their records, in order, and the last one's position. */
function gathered(answers: readonly FeedBatch[]): FeedBatch {
  if (answers.length === 1) return answers[0]!;
  const records: FeedBatch['records'] = [];
  const rejected: { at: string; message: string }[] = [];
  let entries = 0;
  for (const a of answers) {
    for (const r of a.records) records.push(r);
    for (const r of a.rejected ?? []) rejected.push(r);
    entries += a.entries;
  }
  return { records, entries, position: answers[answers.length - 1]!.position, ...(rejected.length > 0 ? { rejected } : {}) };
}

/** An answer asked for ahead, while the batch before it is committed. */
interface Ahead {
  readonly from: FeedPosition;
  readonly answer: Promise<FeedBatch | 'idle'>;
  readonly abort: AbortController;
}

function same(a: FeedPosition | null | undefined, b: FeedPosition | null | undefined): boolean {
  return JSON.stringify(a ?? null) === JSON.stringify(b ?? null);
}

function describe(e: unknown): string {
  return e instanceof Error ? e.message || e.name : String(e);
}

/**
 * Follows `source` until `signal` aborts (or `batchLimit` batches are committed), storing and
 * evaluating what it reads and committing its position with it; see the top of this file for
 * how a restart resumes exactly. Failures — the source's FeedErrors, and anything else a fetch,
 * the store or an evaluation throws — are recorded (the feed's last error) and retried after a
 * back-off; they never end the run. The caller owns the source (and closes it).
 */
export async function runFeed(store: Store, source: FeedSource, opts: RunFeedOptions): Promise<FeedRunSummary> {
  const feed = source.id;
  const clock = opts.now ?? systemClock;
  const sleep = opts.sleep ?? abortableSleep;
  const { signal } = opts;
  const pollMs = opts.pollMs ?? DEFAULT_POLL_MS;
  const backoff = opts.backoff ?? DEFAULT_BACKOFF;
  const pipeline = new IngestPipeline(store, {
    scope: opts.scope ?? EVERY_ORG,
    now: () => isoSeconds(clock()),
    // Records a source hands over are already parsed: nothing is rejected on the way in.
    onReject: () => undefined,
  });
  const rate = new SlidingRate(opts.rateWindowMs ?? RATE_WINDOW_MS, clock().getTime());

  const stored = await readFeedPosition(store.db, feed);
  // Where the last evaluated batch ended: a batch after it may be stored, but is fetched again.
  let evaluated: FeedPosition | undefined = stored?.evaluated ?? undefined;
  let evaluatedEntries = stored?.evaluatedEntries ?? 0;
  let position = evaluated;
  let entries = evaluatedEntries;
  const summary: FeedRunSummary = { feed, batches: 0, entries: 0, records: 0, rejected: 0, errors: 0, actions: pipeline.summary.actions, position };
  let failures = 0;

  const report = (): FeedReport => {
    const p = source.progress();
    return { at: isoSeconds(clock()), rate: rate.rate(clock().getTime()), size: p.size, newest: p.newest };
  };
  const tell = (state: FeedRunState, extra: Partial<FeedRunProgress> = {}): void => {
    if (!opts.onProgress) return;
    const p = source.progress();
    const lag = feedLag(position, p.size);
    opts.onProgress({
      feed,
      state,
      position,
      entries,
      rate: rate.rate(clock().getTime()),
      ...(p.size !== undefined ? { size: p.size } : {}),
      ...(lag !== null ? { lag } : {}),
      ...extra,
    });
  };

  const commit = async (batch: FeedBatch): Promise<void> => {
    const after = entries + batch.entries;
    for (const r of batch.rejected ?? []) opts.onReject?.(feed, r);
    rate.add(clock().getTime(), batch.entries);
    const toEvaluate = await pipeline.storeBatch(batch.records, (trx) => commitFeedPosition(trx, feed, batch.position, after, report()));
    position = batch.position;
    entries = after;
    await opts.afterWrite?.(batch.position);
    await pipeline.evaluateStored(toEvaluate);
    await markFeedEvaluated(store.db, feed, batch.position, after);
    evaluated = batch.position;
    evaluatedEntries = after;
    summary.batches++;
    summary.entries += batch.entries;
    summary.records += batch.records.length;
    summary.rejected += batch.rejected?.length ?? 0;
    summary.position = evaluated;
  };

  const fail = async (e: unknown): Promise<void> => {
    failures++;
    summary.errors++;
    // What is stored past the evaluated position is fetched and evaluated again (the top of this file).
    position = evaluated;
    entries = evaluatedEntries;
    const message = describe(e);
    const asked = e instanceof FeedError ? e.retryAfterMs : undefined;
    const waitMs = asked !== undefined ? Math.min(Math.max(0, asked), MAX_RETRY_AFTER_MS) : Math.min(backoff.maxMs, backoff.initialMs * 2 ** Math.min(failures - 1, 30));
    try {
      await recordFeedError(store.db, feed, message, report());
    } catch {
      // The store itself may be what failed: the error is still told and the feed retried.
    }
    tell('error', { error: message, waitMs });
    await sleep(waitMs, signal);
  };

  const commitEntries = Math.max(1, opts.commitEntries ?? DEFAULT_COMMIT_ENTRIES);
  const timeoutMs = opts.nextTimeoutMs ?? DEFAULT_NEXT_TIMEOUT_MS;
  let ahead: Ahead | undefined;
  const dropAhead = (): void => {
    if (!ahead) return;
    ahead.abort.abort(new FeedError('dropped: the batch before it did not commit'));
    ahead = undefined;
  };
  const askAhead = (from: FeedPosition): void => {
    const abort = new AbortController();
    const answer = nextWithin(source, from, signal, timeoutMs, abort);
    // Awaited when used; a dropped one's failure is nobody's to report.
    answer.catch(() => undefined);
    ahead = { from, answer, abort };
  };
  /** The answer after `from`: the one asked ahead when it starts there, else a new request. */
  const take = (from: FeedPosition | undefined): Promise<FeedBatch | 'idle'> => {
    const a = ahead;
    ahead = undefined;
    if (a && from !== undefined && same(a.from, from)) return a.answer;
    if (a) a.abort.abort(new FeedError('dropped: the runner resumed elsewhere'));
    return nextWithin(source, from, signal, timeoutMs);
  };

  tell('resume', stored?.position && !same(stored.position, stored.evaluated) ? { committed: stored.position } : {});
  while (!signal.aborted && (opts.batchLimit === undefined || summary.batches < opts.batchLimit)) {
    let got: FeedBatch | 'idle';
    try {
      got = await take(position);
    } catch (e) {
      if (signal.aborted) break;
      await fail(e);
      continue;
    }
    if (got === 'idle') {
      failures = 0;
      if (signal.aborted) break;
      try {
        await reportFeed(store.db, feed, report());
      } catch (e) {
        await fail(e);
        continue;
      }
      tell('idle', { waitMs: pollMs });
      await sleep(pollMs, signal);
      continue;
    }
    // Gather while the source has more waiting; a failure on the way commits what came before it.
    const answers = [got];
    let size = got.entries;
    let more = source.waiting?.(got.position) ?? false;
    let failure: unknown;
    while (more && size < commitEntries && !signal.aborted) {
      try {
        const next = await nextWithin(source, answers[answers.length - 1]!.position, signal, timeoutMs);
        if (next === 'idle') more = false;
        else {
          answers.push(next);
          size += next.entries;
          more = source.waiting?.(next.position) ?? false;
        }
      } catch (e) {
        failure = e;
        more = false;
      }
    }
    const batch = gathered(answers);
    if (more && !signal.aborted) askAhead(batch.position);
    // A batch in hand is committed even when the stop came while it was fetched.
    try {
      await commit(batch);
      failures = 0;
      tell('batch');
    } catch (e) {
      dropAhead();
      await fail(e);
      continue;
    }
    if (failure !== undefined) {
      if (signal.aborted) break;
      await fail(failure);
    }
  }
  dropAhead();
  return summary;
}
