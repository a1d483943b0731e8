// A worker's live look-ups (`warren worker`): a BullMQ worker on the `live` queue running
// LiveLookups.refresh with this process's settings and fetchers (WARREN_LIVE…), several at once
// (WARREN_LIVE_CONCURRENCY: they wait on the network, not the CPU). What is fetched goes through
// the one ingest pipeline here, as in-process look-ups do; the reports are the job's answer.
// One attempt: a look-up is answered now or reported failed (a retry later helps no view); one
// that waited past every view's wait is not fetched at all. Closing finishes those in hand.
import { Worker, type Job } from 'bullmq';
import type { Store } from '../../store/store.js';
import type { LiveRefresher } from '../live/live.js';
import { LIVE_QUEUE, queuePrefix, redisConnection, type LiveAnswer, type LiveMessage } from './queue.js';

export interface LiveWorkerSettings {
  readonly concurrency: number;
  /** How long a taken look-up is locked without renewal (WARREN_QUEUE_LOCK), ms. */
  readonly lockMs: number;
}

export class LiveWorker {
  private readonly worker: Worker<LiveMessage, LiveAnswer>;
  /** Look-ups by outcome since start, keyed as PartWorkers.counts (`live\tdone`): for /metrics. */
  readonly counts = new Map<string, number>();

  constructor(
    private readonly store: Store,
    private readonly lookups: LiveRefresher,
    url: string,
    settings: LiveWorkerSettings,
  ) {
    this.worker = new Worker<LiveMessage, LiveAnswer>(LIVE_QUEUE, (job) => this.process(job), {
      connection: redisConnection(url),
      prefix: queuePrefix(),
      concurrency: settings.concurrency,
      lockDuration: settings.lockMs,
      stalledInterval: settings.lockMs,
      // A look-up whose worker died fails (its view has stopped waiting); it is not run again.
      maxStalledCount: 0,
    });
    // Redis going away is reported here (and retried by ioredis); it must not end the process.
    this.worker.on('error', () => undefined);
  }

  private note(outcome: 'done' | 'skipped' | 'dead'): void {
    const key = `${LIVE_QUEUE}\t${outcome}`;
    this.counts.set(key, (this.counts.get(key) ?? 0) + 1);
  }

  private async process(job: Job<LiveMessage, LiveAnswer>): Promise<LiveAnswer> {
    const m = job.data;
    if (Date.now() > m.answerByMs) {
      this.note('skipped');
      return { failed: 'not fetched: the look-up waited in the queue longer than a view waits (WARREN_LIVE_WAIT)' };
    }
    try {
      const reports = await this.lookups.refresh(this.store, m.ref, { mode: m.mode, now: m.now, scope: m.scope });
      this.note('done');
      return { reports };
    } catch (e) {
      // Counted before BullMQ records the failure (and the view hears of it).
      this.note('dead');
      throw e;
    }
  }

  /** Whether the BullMQ worker is running (for /readyz). */
  get running(): boolean {
    return this.worker.isRunning();
  }

  /** Stops taking look-ups and waits for those in hand to finish. */
  async close(): Promise<void> {
    await this.worker.close();
  }
}
