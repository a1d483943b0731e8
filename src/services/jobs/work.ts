// What a worker does with a part the queue hands it, and the sweep that keeps the queue honest.
// A part runs when the store says it may (store/jobs.ts startPart: not ended, its job running);
// its result and its end are written together with dropping its chunk; the part that ends a job
// finishes it (a hunt withdraws). The sweep, run by every worker, hands the queue again any part
// with no sign of life for a while (Redis restarted empty, a job lost) and ends jobs whose parts
// have all ended but whose finisher died: nothing depends on one process staying alive.
import { allPartsEnded, endJob, endPart, jobById, partsOf, quietParts, startPart, touchPart, unendedJobs, type JobKind, type JobRow, type PartRow } from '../../store/jobs.js';
import type { Store } from '../../store/store.js';
import { isoSeconds } from '../clock.js';
import { finishHunt, runHuntPart } from './hunt-jobs.js';
import { runIngestPart } from './ingest-jobs.js';
import type { WorkQueue } from './queue.js';

export interface WorkClock {
  /** ms since the epoch, for signs of life and job ends. */
  readonly nowMs: () => number;
}

export type PartOutcome = 'done' | 'skipped';

function handler(kind: JobKind): (store: Store, job: JobRow, part: PartRow, clockMs: () => number) => Promise<string> {
  switch (kind) {
    case 'ingest':
      return runIngestPart;
    case 'hunt':
      return runHuntPart;
  }
}

/** Ends the job when all its parts have (done, or failed when one failed); idempotent. */
export async function finishJob(store: Store, id: string, clock: WorkClock): Promise<void> {
  const job = await jobById(store.db, id);
  if (!job || job.status !== 'running' || !(await allPartsEnded(store.db, id))) return;
  const parts = await partsOf(store.db, id);
  const failed = parts.filter((p) => p.status === 'failed');
  if (job.kind === 'hunt' && failed.length === 0) await finishHunt(store, job);
  await endJob(store.db, id, failed.length > 0 ? 'failed' : 'done', isoSeconds(new Date(clock.nowMs())), failed.length > 0 ? `${failed.length} of ${parts.length} parts failed` : null);
}

/**
 * Runs one part (the queue's message); a part that has ended or whose job has is skipped. The
 * part's own writes go through `work` (the worker gives store.deferringCommits(): its many
 * commits do not each wait for the disk); its end is committed through `store`, an ordinary
 * commit, which makes them durable before the part counts as done or the queue hears of it.
 */
export async function runPart(store: Store, kind: JobKind, id: string, part: number, clock: WorkClock, work: Store = store): Promise<PartOutcome> {
  const job = await jobById(store.db, id);
  if (!job || job.kind !== kind) return 'skipped';
  const row = await startPart(store.db, id, part, clock.nowMs());
  if (!row) {
    await finishJob(store, id, clock);
    return 'skipped';
  }
  const result = await handler(kind)(work, job, row, clock.nowMs);
  const ended = await endPart(store.db, id, part, { status: 'done', result }, clock.nowMs());
  if (ended) await finishJob(store, id, clock);
  return 'done';
}

/** A part that failed every attempt (a dead letter): recorded, and its job ended if it was the last. */
export async function failPart(store: Store, id: string, part: number, error: string, clock: WorkClock): Promise<void> {
  const ended = await endPart(store.db, id, part, { status: 'failed', error }, clock.nowMs());
  if (ended) await finishJob(store, id, clock);
}

/** Parts quiet for `quietMs` handed to the queue again; jobs left unended ended. Answers how many parts. */
export async function sweep(store: Store, queue: WorkQueue, clock: WorkClock, quietMs: number): Promise<number> {
  const now = clock.nowMs();
  const quiet = await quietParts(store.db, now - quietMs, 1000);
  const byJob = new Map<string, { kind: JobKind; parts: number[] }>();
  for (const q of quiet) {
    const e = byJob.get(q.job) ?? { kind: q.kind, parts: [] };
    e.parts.push(q.part);
    byJob.set(q.job, e);
  }
  for (const [job, e] of byJob) {
    const live: number[] = [];
    for (const p of e.parts) {
      const dead = await queue.deadLetter(e.kind, job, p);
      if (dead === undefined) live.push(p);
      else await failPart(store, job, p, dead, clock);
    }
    await queue.enqueue(e.kind, job, live);
    for (const p of live) await touchPart(store.db, job, p, now);
  }
  for (const j of await unendedJobs(store.db, 100)) await finishJob(store, j.id, clock);
  return quiet.length;
}
