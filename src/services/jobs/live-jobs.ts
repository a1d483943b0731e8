// Live look-ups taken by workers (docs/DEPLOY.md): with a queue, an API replica does not fetch. A
// view first asks the store which sources are fresh (livePlan, as LiveLookups would); when one is
// due, the look-up becomes a job on the `live` queue and the view waits for its answer, at most
// WARREN_LIVE_WAIT. A worker runs LiveLookups.refresh (live-worker.ts) and returns the reports.
//
// A job's id is its entity, its mode and the minute of the view, so views of one entity from
// every replica in that minute share one look-up while it runs, as LiveLookups' views in one
// process do. A finished job is removed at once (the next view starts a new one, which finds the
// store fresh); a failed one is kept an hour as a dead letter. No answer in time, a failed job or
// an unreachable queue is a report per due source: `failed`, with the reason — never an error.
import { QueueEvents, type Queue } from 'bullmq';
import type { Store } from '../../store/store.js';
import type { EntityRef } from '../entity.js';
import { EVERY_ORG } from '../ingest/evaluate-batch.js';
import { livePlan, sortReports, type LiveRefresher, type LiveReport, type RefreshOptions } from '../live/live.js';
import type { LiveSettings } from '../live/settings.js';
import { LIVE_QUEUE, queuePrefix, redisConnection, type BullWorkQueue, type LiveAnswer, type LiveMessage } from './queue.js';

/** The id views of one entity share: `domain-example.com-missing-29654321` (no `:`, which BullMQ keeps for itself). */
export function liveJobId(ref: LiveMessage['ref'], mode: LiveMessage['mode'], now: string): string {
  return `${ref.kind}-${encodeURIComponent(ref.id)}-${mode}-${Math.floor(Date.parse(now) / 60_000)}`;
}

type Waiter = (answer: LiveAnswer) => void;

function seconds(ms: number): string {
  return `${Math.round(ms / 100) / 10} s`;
}

export class QueuedLiveLookups implements LiveRefresher {
  /** This process's views waiting, by job id: each has its own time limit. */
  private readonly waiting = new Map<string, Set<Waiter>>();
  private readonly events: QueueEvents;
  private readonly queue: Queue<LiveMessage, LiveAnswer>;

  constructor(
    readonly settings: LiveSettings,
    work: BullWorkQueue,
    readonly waitMs: number,
  ) {
    this.queue = work.live;
    // Read from a minute back (a Redis stream id is its time in ms), not from whenever the first
    // read happens to be issued: a look-up that ends before that read is still heard.
    this.events = new QueueEvents(LIVE_QUEUE, { connection: redisConnection(work.url), prefix: queuePrefix(), lastEventId: `${Date.now() - 60_000}-0` });
    this.events.on('completed', ({ jobId, returnvalue }) => this.settle(jobId, returnvalue as unknown as LiveAnswer));
    this.events.on('failed', ({ jobId, failedReason }) => this.settle(jobId, { failed: `the worker's look-up failed: ${failedReason}` }));
    // Redis going away is retried by ioredis; the views meanwhile answer when their time is up.
    this.events.on('error', () => undefined);
  }

  async refresh(store: Store, ref: EntityRef, opts: RefreshOptions): Promise<LiveReport[]> {
    if (opts.mode === 'off' || ref.kind === 'certificate') return [];
    const plan = await livePlan(store, ref, opts, this.settings);
    if (plan.due.length === 0) return [...plan.cached];
    const answer = await this.ask({ ref: { kind: ref.kind, id: ref.id }, mode: opts.mode, now: opts.now, scope: opts.scope ?? EVERY_ORG, answerByMs: Date.now() + this.waitMs });
    if ('reports' in answer) return answer.reports;
    return sortReports([...plan.cached, ...plan.due.map((source): LiveReport => ({ source, status: 'failed', at: opts.now, detail: answer.failed }))]);
  }

  /** Queues the look-up (or joins the one running) and waits for its answer, at most waitMs. */
  private ask(message: LiveMessage): Promise<LiveAnswer> {
    const id = liveJobId(message.ref, message.mode, message.now);
    return new Promise<LiveAnswer>((resolve) => {
      let queued = false;
      const waiter: Waiter = (answer) => {
        clearTimeout(timer);
        this.waiting.get(id)?.delete(waiter);
        if (this.waiting.get(id)?.size === 0) this.waiting.delete(id);
        resolve(answer);
      };
      const timer = setTimeout(() => {
        const within = `within ${seconds(this.waitMs)} (WARREN_LIVE_WAIT)`;
        waiter({ failed: queued ? `no answer from a worker ${within}: live look-ups run on \`warren worker\`` : `the live queue did not answer ${within}` });
      }, this.waitMs);
      // Listening before the job exists: its end cannot be missed, however soon it comes.
      this.waiting.set(id, (this.waiting.get(id) ?? new Set()).add(waiter));
      this.queue
        .add(LIVE_QUEUE, message, { jobId: id, attempts: 1, removeOnComplete: true, removeOnFail: { age: 3600, count: 1000 } })
        .then(
          () => {
            queued = true;
            // Unanswered here, the view still has its event or its time limit.
            this.settleIfEnded(id).catch(() => undefined);
          },
          (e: unknown) => waiter({ failed: `the live queue could not take the look-up: ${(e as Error).message}` }),
        );
    });
  }

  /** A job joined after it ended (a dead letter of this minute) answers at once. */
  private async settleIfEnded(id: string): Promise<void> {
    // The state first, the job after: read the other way round, a job that ended between the two
    // reads showed as failed with the reason it had before it failed (none).
    const state = await this.queue.getJobState(id);
    if (state !== 'failed' && state !== 'completed') return;
    const job = await this.queue.getJob(id);
    if (!job) return;
    if (state === 'failed') this.settle(id, { failed: `the worker's look-up failed: ${job.failedReason}` });
    else this.settle(id, job.returnvalue);
  }

  private settle(id: string, answer: LiveAnswer): void {
    for (const waiter of [...(this.waiting.get(id) ?? [])]) waiter(answer);
  }

  /** Stops listening (after the server has answered its requests). */
  async close(): Promise<void> {
    const closing = this.events.close().then(
      () => true,
      () => true,
    );
    // A listener that never reached Redis never finishes closing (BullMQ waits for its
    // connection first): after 2 s its connection is cut, so the process can end.
    const closed = await Promise.race([closing, new Promise<false>((r) => setTimeout(() => r(false), 2000).unref())]);
    if (!closed) await this.events.getBackend().close(true);
  }
}
