// The work queue: BullMQ on Redis (`--queue redis://…` / WARREN_QUEUE). It carries only which
// part of which job runs next; the jobs themselves live in the store (store/jobs.ts), so a Redis
// that restarts empty loses nothing: the sweep (work.ts) hands unfinished parts to it again.
// A BullMQ job's id is `<job>-<part>`, so handing a part over twice queues it once.
// A third queue, `live`, carries live look-ups from the API replicas to the workers and their
// answers back (live-jobs.ts); it holds nothing a restart could lose that a view still waits for.
import { Queue, type ConnectionOptions } from 'bullmq';
import type { JobKind } from '../../store/jobs.js';
import type { EvaluationScope } from '../ingest/evaluate-batch.js';
import type { LiveReport } from '../live/live.js';
import type { LiveMode } from '../live/settings.js';

export const JOB_KINDS: readonly JobKind[] = ['ingest', 'hunt'];
export const LIVE_QUEUE = 'live';
export type QueueName = JobKind | typeof LIVE_QUEUE;
/** Every named queue, as /metrics lists them. */
export const QUEUE_NAMES: readonly QueueName[] = [...JOB_KINDS, LIVE_QUEUE];

/** BullMQ's key prefix: one Redis can serve several Warren installations with WARREN_QUEUE_PREFIX. */
export function queuePrefix(): string {
  return process.env.WARREN_QUEUE_PREFIX ?? 'warren';
}

export interface QueueDepth {
  readonly waiting: number;
  readonly active: number;
  readonly delayed: number;
  /** Dead letters: parts that failed every attempt. */
  readonly failed: number;
  /** Age of the oldest waiting part, seconds (0 when none waits). */
  readonly oldestSeconds: number;
}

export interface WorkQueue {
  enqueue(kind: JobKind, job: string, parts: readonly number[]): Promise<void>;
  depth(name: QueueName, nowMs: number): Promise<QueueDepth>;
  /**
   * Why a part is a dead letter (it failed every attempt), or undefined when it is not: the sweep
   * records dead letters a worker died before recording (a dead letter is never queued again).
   */
  deadLetter(kind: JobKind, job: string, part: number): Promise<string | undefined>;
  ping(timeoutMs?: number): Promise<void>;
  close(): Promise<void>;
}

export interface PartMessage {
  readonly job: string;
  readonly part: number;
}

/** One live look-up: what LiveLookups.refresh is asked, and until when a view waits for it. */
export interface LiveMessage {
  readonly ref: { readonly kind: 'domain' | 'ip'; readonly id: string };
  readonly mode: Exclude<LiveMode, 'off'>;
  /** The view's time: the fetch time of what is fetched. */
  readonly now: string;
  readonly scope: EvaluationScope;
  /** ms since the epoch: after this no view waits for the answer and a worker does not fetch. */
  readonly answerByMs: number;
}

/** A worker's answer: the view's reports, or why it did not look (then each due source failed). */
export type LiveAnswer = { readonly reports: LiveReport[] } | { readonly failed: string };

export class QueueUrlError extends Error {}

/** redis://[user:password@]host[:port][/db] → ioredis options (BullMQ's workers need no retry limit). */
export function redisConnection(url: string): ConnectionOptions {
  let u: URL;
  try {
    u = new URL(url);
  } catch {
    throw new QueueUrlError(`queue ${url} is not a URL (redis://host:port)`);
  }
  if (u.protocol !== 'redis:' && u.protocol !== 'rediss:') throw new QueueUrlError(`queue ${url}: only redis:// and rediss:// are supported`);
  const db = u.pathname.length > 1 ? Number(u.pathname.slice(1)) : 0;
  if (!Number.isInteger(db) || db < 0) throw new QueueUrlError(`queue ${url}: the database number "${u.pathname.slice(1)}" is not one`);
  return {
    host: u.hostname || '127.0.0.1',
    port: u.port ? Number(u.port) : 6379,
    db,
    ...(u.username ? { username: decodeURIComponent(u.username) } : {}),
    ...(u.password ? { password: decodeURIComponent(u.password) } : {}),
    ...(u.protocol === 'rediss:' ? { tls: {} } : {}),
    maxRetriesPerRequest: null,
  };
}

/** Attempts per part before it is a dead letter (WARREN_QUEUE_ATTEMPTS, default 5). */
export function queueAttempts(): number {
  const n = Number(process.env.WARREN_QUEUE_ATTEMPTS ?? 5);
  return Number.isInteger(n) && n >= 1 && n <= 100 ? n : 5;
}

export class BullWorkQueue implements WorkQueue {
  private readonly queues = new Map<JobKind, Queue<PartMessage>>();
  /** Live look-ups (live-jobs.ts adds to it, live-worker.ts takes from it). */
  readonly live: Queue<LiveMessage, LiveAnswer>;

  constructor(readonly url: string) {
    const connection = redisConnection(url);
    for (const kind of JOB_KINDS) this.queues.set(kind, new Queue<PartMessage>(kind, { connection, prefix: queuePrefix() }));
    this.live = new Queue<LiveMessage, LiveAnswer>(LIVE_QUEUE, { connection, prefix: queuePrefix() });
  }

  private queue(kind: JobKind): Queue<PartMessage> {
    return this.queues.get(kind)!;
  }

  private named(name: QueueName): Queue<PartMessage> | Queue<LiveMessage, LiveAnswer> {
    return name === LIVE_QUEUE ? this.live : this.queue(name);
  }

  async enqueue(kind: JobKind, job: string, parts: readonly number[]): Promise<void> {
    if (parts.length === 0) return;
    await this.queue(kind).addBulk(
      parts.map((part) => ({
        name: kind,
        data: { job, part },
        opts: {
          jobId: `${job}-${part}`,
          attempts: queueAttempts(),
          backoff: { type: 'exponential', delay: 1000 },
          // Finished parts are recorded in the store; Redis keeps a few for inspection. Failed
          // ones stay: they are the dead letters /metrics counts.
          removeOnComplete: { count: 1000 },
          removeOnFail: { count: 10_000 },
        },
      })),
    );
  }

  async depth(name: QueueName, nowMs: number): Promise<QueueDepth> {
    const q = this.named(name);
    const c = await q.getJobCounts('waiting', 'active', 'delayed', 'failed', 'prioritized');
    // Either end of the list may be the oldest, by BullMQ's ordering: the smaller timestamp is.
    const ends = [...(await q.getJobs(['waiting'], 0, 0, true)), ...(await q.getJobs(['waiting'], 0, 0, false))];
    const oldest = ends.reduce<{ timestamp: number } | undefined>((a, j) => (a === undefined || j.timestamp < a.timestamp ? j : a), undefined);
    return {
      waiting: (c.waiting ?? 0) + (c.prioritized ?? 0),
      active: c.active ?? 0,
      delayed: c.delayed ?? 0,
      failed: c.failed ?? 0,
      oldestSeconds: oldest ? Math.max(0, Math.round((nowMs - oldest.timestamp) / 1000)) : 0,
    };
  }

  async deadLetter(kind: JobKind, job: string, part: number): Promise<string | undefined> {
    const j = await this.queue(kind).getJob(`${job}-${part}`);
    if (!j || !(await j.isFailed()) || j.attemptsMade < (j.opts.attempts ?? 1)) return undefined;
    return j.failedReason || 'failed every attempt';
  }

  /** A round trip to Redis on every queue's connection, failing after `timeoutMs` (commands wait for a lost Redis forever). */
  async ping(timeoutMs = 2000): Promise<void> {
    let timer: NodeJS.Timeout | undefined;
    const timeout = new Promise<never>((_, reject) => {
      timer = setTimeout(() => reject(new Error(`Redis did not answer within ${timeoutMs} ms`)), timeoutMs);
    });
    try {
      await Promise.race([Promise.all(QUEUE_NAMES.map((name) => this.named(name).getJobCounts('waiting'))), timeout]);
    } finally {
      clearTimeout(timer);
    }
  }

  async close(): Promise<void> {
    for (const q of this.queues.values()) await q.close();
    await this.live.close();
  }
}
