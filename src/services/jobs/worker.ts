// A worker process's share of the queue (`warren worker`): one BullMQ worker per job kind taking
// parts one at a time (parsing and matching are CPU work: more at once would only interleave
// them; run more worker processes instead), the sweep on a timer, and counters for /metrics.
// BullMQ's lock on a taken part is renewed while it runs; a worker killed with -9 stops renewing
// and the part is taken again by another worker once the lock has expired (WARREN_QUEUE_LOCK).
// Closing waits for the parts in hand to finish, so SIGTERM loses nothing and repeats nothing.
import { Worker, type Job } from 'bullmq';
import type { JobKind } from '../../store/jobs.js';
import type { Store } from '../../store/store.js';
import { JOB_KINDS, queuePrefix, redisConnection, type PartMessage, type WorkQueue } from './queue.js';
import { failPart, runPart, sweep, type WorkClock } from './work.js';

export interface WorkerSettings {
  /** How long a taken part is locked without renewal before another worker may take it, ms. */
  readonly lockMs: number;
  /** How often the sweep runs, ms. */
  readonly sweepMs: number;
  /** A part with no sign of life for this long is handed to the queue again, ms. */
  readonly quietMs: number;
}

function msFromEnv(name: string, fallback: number): number {
  const text = process.env[name];
  if (text === undefined || text === '') return fallback;
  const n = Number(text);
  if (!Number.isFinite(n) || n < 0.1 || n > 86_400) throw new RangeError(`${name}=${text}: expected seconds from 0.1 to 86400`);
  return Math.round(n * 1000);
}

/** WARREN_QUEUE_LOCK (30 s), WARREN_QUEUE_SWEEP (15 s), WARREN_QUEUE_QUIET (60 s): seconds. */
export function workerSettingsFromEnv(): WorkerSettings {
  return { lockMs: msFromEnv('WARREN_QUEUE_LOCK', 30_000), sweepMs: msFromEnv('WARREN_QUEUE_SWEEP', 15_000), quietMs: msFromEnv('WARREN_QUEUE_QUIET', 60_000) };
}

export interface WorkerEvent {
  readonly kind: JobKind;
  readonly job: string;
  readonly part: number;
  readonly outcome: 'done' | 'skipped' | 'retry' | 'dead';
  readonly error?: string;
}

export class PartWorkers {
  private readonly workers: Worker<PartMessage>[] = [];
  private timer: NodeJS.Timeout | undefined;
  private sweeping: Promise<unknown> = Promise.resolve();
  /** Parts by kind and outcome since start (counters for /metrics). */
  readonly counts = new Map<string, number>();

  constructor(
    private readonly store: Store,
    private readonly queue: WorkQueue,
    url: string,
    private readonly settings: WorkerSettings,
    private readonly clock: WorkClock,
    private readonly onEvent: (e: WorkerEvent) => void = () => {},
    /** Where a part's own writes go (work.ts runPart): the worker gives store.deferringCommits(). */
    private readonly work: Store = store,
  ) {
    const connection = redisConnection(url);
    for (const kind of JOB_KINDS) {
      const worker = new Worker<PartMessage>(kind, (job) => this.process(kind, job), {
        connection,
        prefix: queuePrefix(),
        concurrency: 1,
        lockDuration: settings.lockMs,
        stalledInterval: settings.lockMs,
        // A part that keeps killing its worker becomes a dead letter, not a crash loop.
        maxStalledCount: 3,
      });
      worker.on('failed', (job, err) => {
        if (!job) return;
        const dead = job.attemptsMade >= (job.opts.attempts ?? 1);
        this.note(kind, job.data, dead ? 'dead' : 'retry', err.message);
        if (dead) void failPart(store, job.data.job, job.data.part, err.message, clock).catch(() => undefined);
      });
      // Redis going away is reported here (and retried by ioredis); it must not end the process.
      worker.on('error', () => undefined);
      this.workers.push(worker);
    }
    this.timer = setInterval(() => {
      this.sweeping = this.sweeping.then(() => sweep(store, queue, clock, settings.quietMs).catch(() => 0));
    }, settings.sweepMs);
    this.timer.unref();
  }

  private note(kind: JobKind, data: PartMessage, outcome: WorkerEvent['outcome'], error?: string): void {
    const key = `${kind}\t${outcome}`;
    this.counts.set(key, (this.counts.get(key) ?? 0) + 1);
    this.onEvent({ kind, job: data.job, part: data.part, outcome, ...(error !== undefined ? { error } : {}) });
  }

  private async process(kind: JobKind, job: Job<PartMessage>): Promise<void> {
    const outcome = await runPart(this.store, kind, job.data.job, job.data.part, this.clock, this.work);
    this.note(kind, job.data, outcome);
  }

  /** Runs one sweep now (startup: parts a dead Redis lost are queued before any wait). */
  async sweepNow(): Promise<number> {
    return sweep(this.store, this.queue, this.clock, this.settings.quietMs);
  }

  /** Whether every BullMQ worker is running (for /readyz). */
  get running(): boolean {
    return this.workers.every((w) => w.isRunning());
  }

  /** Stops taking parts and waits for those in hand to finish. */
  async close(): Promise<void> {
    clearInterval(this.timer);
    await Promise.all(this.workers.map((w) => w.close()));
    await this.sweeping;
  }
}
