// The work queue's state (migration 0018): jobs, their parts and an upload's chunks. Every
// transition is one conditional statement, so a part run twice (at-least-once delivery from the
// queue, a worker killed and its job handed on) changes nothing the first run did not: a done
// part is never started again, and only the statement that ends the last part sees the job whole.
import { sql, type Kysely, type Selectable } from 'kysely';
import type { Database, JobPartTable, JobTable } from './schema.js';

type Db = Kysely<Database>;

export type JobKind = 'ingest' | 'hunt';
export type JobStatus = 'running' | 'done' | 'failed' | 'cancelled';
export type PartStatus = 'queued' | 'running' | 'done' | 'failed' | 'cancelled';

export interface JobRow {
  readonly id: string;
  readonly org: string;
  readonly kind: JobKind;
  readonly actor: string;
  readonly status: JobStatus;
  readonly created: string;
  readonly finished: string | null;
  readonly params: string;
  readonly parts: number;
  readonly error: string | null;
}

export interface PartRow {
  readonly job: string;
  readonly part: number;
  readonly status: PartStatus;
  readonly attempts: number;
  readonly spec: string;
  readonly result: string | null;
  readonly updatedMs: number;
  readonly error: string | null;
}

export interface NewJob {
  readonly id: string;
  readonly org: string;
  readonly kind: JobKind;
  readonly actor: string;
  readonly created: string;
  readonly params: string;
  readonly specs: readonly string[];
}

const toJob = (r: Selectable<JobTable>): JobRow => ({
  id: r.id,
  org: r.org,
  kind: r.kind as JobKind,
  actor: r.actor,
  status: r.status as JobStatus,
  created: r.created,
  finished: r.finished,
  params: r.params,
  parts: Number(r.parts),
  error: r.error,
});

const toPart = (r: Selectable<JobPartTable>): PartRow => ({
  job: r.job,
  part: Number(r.part),
  status: r.status as PartStatus,
  attempts: Number(r.attempts),
  spec: r.spec,
  result: r.result,
  updatedMs: Number(r.updated_ms),
  error: r.error,
});

/** A job and its parts, all queued; chunks (an upload's bytes) are added with addChunk. */
export async function createJob(db: Db, job: NewJob, nowMs: number): Promise<void> {
  await db.transaction().execute(async (trx) => {
    await trx
      .insertInto('jobs')
      .values({ id: job.id, org: job.org, kind: job.kind, actor: job.actor, status: 'running', created: job.created, finished: null, params: job.params, parts: job.specs.length, error: null })
      .execute();
    for (let i = 0; i < job.specs.length; i += 500) {
      await trx
        .insertInto('job_parts')
        .values(job.specs.slice(i, i + 500).map((spec, k) => ({ job: job.id, part: i + k, status: 'queued', attempts: 0, spec, result: null, updated_ms: nowMs, error: null })))
        .execute();
    }
  });
}

export async function addChunk(db: Db, job: string, part: number, data: Buffer): Promise<void> {
  await db.insertInto('job_chunks').values({ job, part, data }).onConflict((oc) => oc.columns(['job', 'part']).doNothing()).execute();
}

export async function readChunk(db: Db, job: string, part: number): Promise<Buffer | undefined> {
  const row = await db.selectFrom('job_chunks').select('data').where('job', '=', job).where('part', '=', part).executeTakeFirst();
  return row ? Buffer.from(row.data) : undefined;
}

export async function jobById(db: Db, id: string): Promise<JobRow | undefined> {
  const row = await db.selectFrom('jobs').selectAll().where('id', '=', id).executeTakeFirst();
  return row ? toJob(row) : undefined;
}

/** An organisation's jobs of one kind, newest first. */
export async function jobsOf(db: Db, org: string, kind: JobKind, limit: number): Promise<JobRow[]> {
  const rows = await db.selectFrom('jobs').selectAll().where('org', '=', org).where('kind', '=', kind).orderBy('created', 'desc').orderBy('id', 'desc').limit(limit).execute();
  return rows.map(toJob);
}

export async function partsOf(db: Db, job: string): Promise<PartRow[]> {
  return (await db.selectFrom('job_parts').selectAll().where('job', '=', job).orderBy('part').execute()).map(toPart);
}

/**
 * Starts a part unless it has ended (or its job has): answers the part, now running, or
 * undefined when there is nothing to do. A part already running (its worker died, or the queue
 * delivered it twice) is started again: everything a part writes is idempotent.
 */
export async function startPart(db: Db, job: string, part: number, nowMs: number): Promise<PartRow | undefined> {
  const started = await db
    .updateTable('job_parts')
    .set((eb) => ({ status: 'running', attempts: eb('attempts', '+', 1), updated_ms: nowMs }))
    .where('job', '=', job)
    .where('part', '=', part)
    .where('status', 'in', ['queued', 'running'])
    .where((eb) => eb.exists(eb.selectFrom('jobs').select('id').where('jobs.id', '=', job).where('jobs.status', '=', 'running')))
    .executeTakeFirst();
  if (Number(started.numUpdatedRows) === 0) return undefined;
  const row = await db.selectFrom('job_parts').selectAll().where('job', '=', job).where('part', '=', part).executeTakeFirstOrThrow();
  return toPart(row);
}

/** A running part's progress: its result so far and a sign of life. */
export async function partProgress(db: Db, job: string, part: number, result: string, nowMs: number): Promise<void> {
  await db.updateTable('job_parts').set({ result, updated_ms: nowMs }).where('job', '=', job).where('part', '=', part).where('status', '=', 'running').execute();
}

/**
 * Ends a part (done with its result, or failed with why) and drops its chunk, in one
 * transaction. Answers whether every part of the job has now ended.
 */
export async function endPart(db: Db, job: string, part: number, end: { status: 'done'; result: string } | { status: 'failed' | 'cancelled'; error: string }, nowMs: number): Promise<boolean> {
  return db.transaction().execute(async (trx) => {
    await trx
      .updateTable('job_parts')
      .set(end.status === 'done' ? { status: 'done', result: end.result, updated_ms: nowMs, error: null } : { status: end.status, error: end.error, updated_ms: nowMs })
      .where('job', '=', job)
      .where('part', '=', part)
      .where('status', 'in', ['queued', 'running'])
      .execute();
    await trx.deleteFrom('job_chunks').where('job', '=', job).where('part', '=', part).execute();
    return allPartsEnded(trx, job);
  });
}

export async function allPartsEnded(db: Db, job: string): Promise<boolean> {
  const open = await db.selectFrom('job_parts').select('part').where('job', '=', job).where('status', 'in', ['queued', 'running']).limit(1).executeTakeFirst();
  return open === undefined;
}

/** Ends a running job (done, or failed when a part failed); answers whether this call ended it. */
export async function endJob(db: Db, job: string, status: JobStatus, finished: string, error: string | null): Promise<boolean> {
  const r = await db.updateTable('jobs').set({ status, finished, error }).where('id', '=', job).where('status', '=', 'running').executeTakeFirst();
  return Number(r.numUpdatedRows) > 0;
}

/** Cancels a running job: its queued parts will not start; running ones stop at their next page. */
export async function cancelJob(db: Db, org: string, job: string, finished: string): Promise<boolean> {
  return db.transaction().execute(async (trx) => {
    const r = await trx.updateTable('jobs').set({ status: 'cancelled', finished }).where('id', '=', job).where('org', '=', org).where('status', '=', 'running').executeTakeFirst();
    if (Number(r.numUpdatedRows) === 0) return false;
    await trx.updateTable('job_parts').set({ status: 'cancelled' }).where('job', '=', job).where('status', 'in', ['queued', 'running']).execute();
    await trx.deleteFrom('job_chunks').where('job', '=', job).execute();
    return true;
  });
}

export async function jobStatus(db: Db, job: string): Promise<JobStatus | undefined> {
  const row = await db.selectFrom('jobs').select('status').where('id', '=', job).executeTakeFirst();
  return row?.status as JobStatus | undefined;
}

/** Parts of running jobs with no sign of life since `beforeMs`: the queue may have lost them. */
export async function quietParts(db: Db, beforeMs: number, limit: number): Promise<{ job: string; kind: JobKind; part: number }[]> {
  const rows = await db
    .selectFrom('job_parts')
    .innerJoin('jobs', 'jobs.id', 'job_parts.job')
    .select(['job_parts.job', 'jobs.kind', 'job_parts.part'])
    .where('jobs.status', '=', 'running')
    .where('job_parts.status', 'in', ['queued', 'running'])
    .where('job_parts.updated_ms', '<', beforeMs)
    .orderBy('job_parts.job')
    .orderBy('job_parts.part')
    .limit(limit)
    .execute();
  return rows.map((r) => ({ job: r.job, kind: r.kind as JobKind, part: Number(r.part) }));
}

/** Running jobs whose parts have all ended: a worker died between a job's last part and its end. */
export async function unendedJobs(db: Db, limit: number): Promise<{ id: string; kind: JobKind }[]> {
  const rows = await db
    .selectFrom('jobs')
    .select(['id', 'kind'])
    .where('status', '=', 'running')
    .where((eb) => eb.not(eb.exists(eb.selectFrom('job_parts').select('part').whereRef('job_parts.job', '=', 'jobs.id').where('job_parts.status', 'in', ['queued', 'running']))))
    .limit(limit)
    .execute();
  return rows.map((r) => ({ id: r.id, kind: r.kind as JobKind }));
}

/** Marks a quiet part's sign of life, so one sweep hands it to the queue once, not every pass. */
export async function touchPart(db: Db, job: string, part: number, nowMs: number): Promise<void> {
  await db.updateTable('job_parts').set({ updated_ms: nowMs }).where('job', '=', job).where('part', '=', part).where('status', 'in', ['queued', 'running']).execute();
}

/** Jobs by status, for /metrics. */
export async function jobCounts(db: Db): Promise<{ kind: string; status: string; n: number }[]> {
  const rows = await db.selectFrom('jobs').select(['kind', 'status', sql<number>`count(*)`.as('n')]).groupBy(['kind', 'status']).execute();
  return rows.map((r) => ({ kind: r.kind, status: r.status, n: Number(r.n) }));
}
