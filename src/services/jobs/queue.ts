// The work queue: BullMQ on Redis (`--queue redis://…` / WARREN_QUEUE). It carries only which
// part of which job runs next; the jobs themselves live in the store (store/jobs.ts), so a Redis
// that restarts empty loses nothing: the sweep (work.ts) hands unfinished parts to it again.
// A BullMQ job's id is `<job>-<part>`, so handing a part over twice queues it once.
import { Queue, type ConnectionOptions } from 'bullmq';
import type { JobKind } from '../../store/jobs.js';

export const JOB_KINDS: readonly JobKind[] = ['ingest', 'hunt'];

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
  depth(kind: JobKind, nowMs: number): Promise<QueueDepth>;
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

  constructor(readonly url: string) {
    const connection = redisConnection(url);
    for (const kind of JOB_KINDS) this.queues.set(kind, new Queue<PartMessage>(kind, { connection, prefix: queuePrefix() }));
  }

  private queue(kind: JobKind): Queue<PartMessage> {
    return this.queues.get(kind)!;
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

  async depth(kind: JobKind, nowMs: number): Promise<QueueDepth> {
    const q = this.queue(kind);
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

  /** A round trip to Redis, failing after `timeoutMs` (commands wait for a lost Redis forever). */
  async ping(timeoutMs = 2000): Promise<void> {
    let timer: NodeJS.Timeout | undefined;
    const timeout = new Promise<never>((_, reject) => {
      timer = setTimeout(() => reject(new Error(`Redis did not answer within ${timeoutMs} ms`)), timeoutMs);
    });
    try {
      await Promise.race([this.queue('ingest').getJobCounts('waiting'), timeout]);
    } finally {
      clearTimeout(timer);
    }
  }

  async close(): Promise<void> {
    for (const q of this.queues.values()) await q.close();
  }
}
