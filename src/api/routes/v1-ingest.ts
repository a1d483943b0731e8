// Ingest over HTTP: POST /ingest with the file as the body starts a job (202), GET /ingest/:job
// follows it. A job is `warren ingest` on one input: format named or detected, gzip read
// transparently, batches stored, rejects kept (the first 100) with their line. The stored
// records meet the signatures of the uploader's organisation only (docs/SERVER.md): the job's
// counts, tags and notifications are that organisation's, never another's.
//
// Nothing of a job runs on the request path: the busy check comes before the body is read, the
// body streams to a temporary file (size-limited, never held in memory), and the job runs in a
// worker thread with its own store connection (services/ingest/job.ts); the file is removed when
// the job ends. A SQLite store in memory cannot be opened by a worker: its jobs run in this
// thread, yielding after every batch.
//
// Without a queue, jobs live in an in-memory table (lost on restart, invisible to other
// processes): enough for one server. With one (`--queue`, docs/DEPLOY.md), the upload is cut into
// parts kept in the store and queued for workers (services/jobs/ingest-jobs.ts); any replica
// answers GET /ingest/:job from the store. The API's shape is the same either way.
import { randomBytes } from 'node:crypto';
import { createWriteStream } from 'node:fs';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Transform, type Readable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import type { FastifyInstance } from 'fastify';
import { normaliseDomain } from '../../fields/domain.js';
import { FORMATS } from '../../ingest/formats.js';
import { isoSeconds } from '../../services/clock.js';
import { auditIngestStart, startIngestJob, type IngestJobMessage } from '../../services/ingest/job.js';
import { emptySummary, type IngestSummary, type Reject } from '../../services/ingest/read.js';
import { queuedIngestJob, queuedIngestJobs, submitIngest } from '../../services/jobs/ingest-jobs.js';
import { access } from '../auth.js';
import { ApiError, badRequest, notFound } from '../errors.js';
import { ORG_QUERY } from '../schemas.js';
import type { AppContext } from '../context.js';

/** Largest upload by default (WARREN_INGEST_MAX_BYTES overrides); it streams to a temporary file. */
export const DEFAULT_MAX_BYTES = 256 * 1024 * 1024;
/** Jobs running (or receiving their upload) at once; more are refused with 429 before their body is read. */
const MAX_RUNNING = 4;
/** Jobs remembered; the oldest finished ones are forgotten first. */
const MAX_JOBS = 1000;
const MAX_REJECTS = 100;

export const CONTENT_TYPES = ['application/octet-stream', 'text/plain', 'application/x-ndjson', 'application/gzip'] as const;

type Status = 'running' | 'done' | 'failed';

interface Job {
  readonly id: string;
  readonly org: string;
  readonly actor: string;
  format: string;
  readonly created: string;
  finished: string | null;
  status: Status;
  progress: { records: number; bytesRead: number; size: number };
  summary: IngestSummary;
  readonly rejects: Reject[];
  error?: string;
}

function maxBytesFromEnv(): number {
  const n = Number(process.env.WARREN_INGEST_MAX_BYTES);
  return Number.isSafeInteger(n) && n > 0 ? n : DEFAULT_MAX_BYTES;
}

function tooLarge(maxBytes: number): ApiError {
  return new ApiError(413, 'body_too_large', `the upload is larger than ${maxBytes} bytes, the most this server accepts (WARREN_INGEST_MAX_BYTES)`);
}

/** Streams the body to `file`, refusing it past `maxBytes`; answers the bytes written. */
async function receive(body: Readable, file: string, maxBytes: number): Promise<number> {
  let bytes = 0;
  const limit = new Transform({
    transform(chunk: Buffer, _encoding, callback) {
      bytes += chunk.length;
      if (bytes > maxBytes) callback(tooLarge(maxBytes));
      else callback(null, chunk);
    },
  });
  await pipeline(body, limit, createWriteStream(file, { flags: 'wx' }));
  return bytes;
}

function view(job: Job, withRejects: boolean): Record<string, unknown> {
  return {
    id: job.id,
    status: job.status,
    format: job.format,
    actor: job.actor,
    created: job.created,
    finished: job.finished,
    progress: job.progress,
    summary: job.summary,
    ...(withRejects ? { rejects: job.rejects } : {}),
    ...(job.error !== undefined ? { error: job.error } : {}),
  };
}

const JOB_VIEW = {
  type: 'object',
  properties: {
    id: { type: 'string' },
    status: { type: 'string', enum: ['running', 'done', 'failed'] },
    format: { type: 'string' },
    actor: { type: 'string', description: 'who uploaded it' },
    created: { type: 'string' },
    finished: { type: ['string', 'null'] },
    progress: {
      type: 'object',
      properties: {
        records: { type: 'integer' },
        bytesRead: { type: 'integer' },
        size: { type: 'integer' },
        parts: { type: 'integer', description: 'with a queue: the parts the upload was cut into' },
        partsDone: { type: 'integer', description: 'with a queue: parts ingested' },
      },
      required: ['records', 'bytesRead', 'size'],
    },
    summary: {
      type: 'object',
      properties: {
        read: { type: 'integer' },
        stored: { type: 'object', additionalProperties: { type: 'integer' }, description: 'records stored by kind' },
        rejected: { type: 'integer' },
        actions: { type: 'object', properties: { tags: { type: 'integer' }, classifications: { type: 'integer' }, notifications: { type: 'integer' } } },
      },
      required: ['read', 'stored', 'rejected', 'actions'],
    },
    rejects: {
      type: 'array',
      description: `the first ${MAX_REJECTS} rejected records`,
      items: { type: 'object', properties: { input: { type: 'string' }, line: { type: 'integer' }, message: { type: 'string' } }, required: ['input', 'line', 'message'] },
    },
    error: { type: 'string', description: 'why a failed job stopped' },
  },
  required: ['id', 'status', 'format', 'actor', 'created', 'finished', 'progress', 'summary'],
} as const;

export interface IngestRouteOptions {
  /** Largest upload in bytes (default: WARREN_INGEST_MAX_BYTES, else 256 MiB). */
  readonly maxBytes?: number;
}

export function registerIngestRoutes(app: FastifyInstance, ctx: AppContext, opts: IngestRouteOptions = {}): void {
  const maxBytes = opts.maxBytes ?? maxBytesFromEnv();
  const jobs = new Map<string, Job>();
  /** Uploads being received and jobs running: each holds a slot until its job has ended. */
  let slots = 0;
  const running = new Set<Promise<void>>();

  function remember(job: Job): void {
    jobs.set(job.id, job);
    if (jobs.size <= MAX_JOBS) return;
    for (const [id, j] of jobs) {
      if (j.status !== 'running') jobs.delete(id);
      if (jobs.size <= MAX_JOBS) break;
    }
  }

  function follow(job: Job, m: IngestJobMessage): void {
    switch (m.type) {
      case 'ready':
        job.format = m.format;
        break;
      case 'refused':
        break;
      case 'progress':
        job.progress = { records: m.records, bytesRead: m.bytesRead, size: job.progress.size };
        job.summary = m.summary;
        break;
      case 'reject':
        if (job.rejects.length < MAX_REJECTS) job.rejects.push(m.reject);
        break;
      case 'batch':
        for (const [kind, n] of Object.entries(m.byKind)) ctx.metrics.count('warren_ingested_records_total', 'records stored by ingest jobs, by kind', { kind }, n);
        job.summary = m.summary;
        break;
      case 'done':
        job.summary = m.summary;
        job.progress = { ...job.progress, records: m.summary.read };
        job.status = 'done';
        job.finished = isoSeconds(ctx.clock());
        if (m.summary.rejected > 0) ctx.metrics.count('warren_ingest_rejected_total', 'records refused by ingest jobs', {}, m.summary.rejected);
        break;
      case 'failed':
        if (m.summary.read > 0) job.summary = m.summary;
        job.status = 'failed';
        job.error = m.message;
        job.finished = isoSeconds(ctx.clock());
        break;
    }
  }

  // Its own scope, so the raw-body parser applies to this route only: it hands the body over
  // unread, as a stream, and the route decides whether to read it at all.
  void app.register((scope, _o, done) => {
    scope.removeAllContentTypeParsers();
    scope.addContentTypeParser([...CONTENT_TYPES], (_request, payload, next) => next(null, payload));
    scope.addHook('onClose', async () => {
      // Let running jobs finish before the store they write to is closed.
      await Promise.allSettled([...running]);
    });

    scope.post(
      '/ingest',
      {
        config: { auth: 'analyst' },
        // The role is checked in onRequest (auth.ts), the query, the size declared and the
        // running jobs here, all before the body is read: a refused upload is never read.
        bodyLimit: maxBytes,
        schema: {
          tags: ['ingest'],
          summary: 'upload one data file (the body, raw or gzip) to ingest; answers 202 with the job to follow',
          description: `Content types: ${CONTENT_TYPES.join(', ')}. At most ${maxBytes} bytes. Stored records are evaluated against the signatures of the uploader's organisation only; other organisations' signatures meet the data when they view an entity or retro-hunt. At most ${MAX_RUNNING} jobs run at once (429 before the body is read).`,
          // No type: the body is a stream, which any typed schema would refuse; this documents it.
          consumes: [...CONTENT_TYPES],
          body: { description: 'the file to ingest, as it is (or gzip-compressed)' },
          querystring: {
            type: 'object',
            properties: {
              ...ORG_QUERY,
              format: { type: 'string', enum: FORMATS.map((f) => f.name), description: 'default: detected from the content' },
              domain: { type: 'string', minLength: 1, maxLength: 300, description: 'the domain of a WHOIS reply that does not name it' },
              name: { type: 'string', minLength: 1, maxLength: 255, pattern: '^[^/\\\\\\x00-\\x1f]+$', description: 'a file name for messages and detection (default: upload)' },
            },
            additionalProperties: false,
          },
          response: { 202: { type: 'object', properties: { job: { type: 'string' }, status: { type: 'string' } }, required: ['job', 'status'] } },
        },
      },
      async (request, reply) => {
        const { org, principal } = access(request);
        const q = request.query as { format?: string; domain?: string; name?: string };
        const domain = q.domain === undefined ? undefined : normaliseDomain(q.domain);
        if (q.domain !== undefined && domain === undefined) throw badRequest(`domain "${q.domain}" is not a domain name`);
        if (slots >= MAX_RUNNING) throw new ApiError(429, 'busy', `${MAX_RUNNING} ingest jobs are running; try again when one has finished`);
        const declared = Number(request.headers['content-length']);
        if (Number.isFinite(declared) && declared > maxBytes) throw tooLarge(maxBytes);
        const body = request.body as Readable | undefined;
        if (!body || typeof body.pipe !== 'function') throw badRequest('the body is the file to ingest, and it is empty');
        slots++;
        let released = false;
        const release = (): void => {
          if (!released) slots--;
          released = true;
        };
        const dir = await mkdtemp(join(tmpdir(), 'warren-upload-')).catch((e: unknown) => {
          release();
          throw e;
        });
        let owned = false;
        try {
          const file = join(dir, 'upload');
          let bytes: number;
          try {
            bytes = await receive(body, file, maxBytes);
          } catch (e) {
            if (e instanceof ApiError) throw e;
            throw badRequest(`the upload could not be received: ${(e as Error).message}`);
          }
          if (bytes === 0) throw badRequest('the body is the file to ingest, and it is empty');
          const name = q.name ?? 'upload';
          const now = ctx.clock();
          if (ctx.jobs) {
            // Queued: the parts are in the store once this answers; the folder is removed below.
            const answer = await submitIngest(ctx.store, ctx.jobs.queue, {
              file,
              name,
              ...(q.format !== undefined ? { format: q.format } : {}),
              ...(domain !== undefined ? { domain } : {}),
              org,
              actor: principal.email,
              now,
              partBytes: ctx.jobs.partBytes,
            });
            if ('refused' in answer) throw badRequest(answer.refused);
            await auditIngestStart(ctx.store, principal.email, org, { id: answer.job, at: isoSeconds(now), format: answer.format, name, bytes });
            void reply.status(202).header('location', `${request.url.split('?')[0]}/${answer.job}`);
            return { job: answer.job, status: 'running' };
          }
          const job: Job = {
            id: randomBytes(12).toString('hex'),
            org,
            actor: principal.email,
            format: q.format ?? '',
            created: isoSeconds(now),
            finished: null,
            status: 'running',
            progress: { records: 0, bytesRead: 0, size: bytes },
            summary: emptySummary(),
            rejects: [],
          };
          const started = startIngestJob(
            ctx.store,
            {
              file,
              name,
              ...(q.format !== undefined ? { format: q.format } : {}),
              ...(domain !== undefined ? { domain } : {}),
              scope: { kind: 'org', org },
              startedAt: now.getTime(),
              maxRejects: MAX_REJECTS,
            },
            dir,
            (m) => follow(job, m),
          );
          // From here the job owns the folder and the slot.
          owned = true;
          const finished = started.finished.finally(release);
          running.add(finished);
          void finished.finally(() => running.delete(finished));
          const first = await started.started;
          if ('refused' in first) throw badRequest(first.refused);
          if ('failed' in first) throw new ApiError(503, 'unavailable', `the ingest job could not start: ${first.failed}`);
          job.format = first.format;
          remember(job);
          await auditIngestStart(ctx.store, principal.email, org, { id: job.id, at: job.created, format: first.format, name, bytes });
          void reply.status(202).header('location', `${request.url.split('?')[0]}/${job.id}`);
          return { job: job.id, status: job.status };
        } finally {
          // Nothing started: the folder and the slot are this request's to give back.
          if (!owned) {
            release();
            await rm(dir, { recursive: true, force: true });
          }
        }
      },
    );
    done();
  });

  app.get(
    '/ingest',
    {
      config: { auth: 'viewer' },
      schema: { tags: ['ingest'], summary: "the organisation's ingest jobs this server remembers, newest first", querystring: { type: 'object', properties: ORG_QUERY, additionalProperties: false }, response: { 200: { type: 'array', items: JOB_VIEW } } },
    },
    async (request) => {
      const { org } = access(request);
      if (ctx.jobs) return queuedIngestJobs(ctx.store, org);
      return [...jobs.values()].filter((j) => j.org === org).reverse().map((j) => view(j, false));
    },
  );

  app.get(
    '/ingest/:job',
    {
      config: { auth: 'viewer' },
      schema: {
        tags: ['ingest'],
        summary: 'an ingest job: status, progress, summary and the first rejects',
        params: { type: 'object', properties: { job: { type: 'string', minLength: 1, maxLength: 64 } }, required: ['job'] },
        querystring: { type: 'object', properties: ORG_QUERY, additionalProperties: false },
        response: { 200: JOB_VIEW },
      },
    },
    async (request) => {
      const { org } = access(request);
      const id = (request.params as { job: string }).job;
      if (ctx.jobs) {
        const queued = await queuedIngestJob(ctx.store, org, id);
        if (!queued) throw notFound(`ingest job ${id}`);
        return queued;
      }
      const job = jobs.get(id);
      // Another organisation's job is as absent as one that never was.
      if (!job || job.org !== org) throw notFound(`ingest job ${id}`);
      return view(job, true);
    },
  );
}
