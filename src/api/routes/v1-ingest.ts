// Ingest over HTTP: POST /ingest with the file as the body starts a job (202), GET /ingest/:job
// follows it. A job is `warren ingest` on one input: format named or detected, gzip read
// transparently, batches stored and evaluated against every organisation's signatures as the CLI
// does, rejects kept (the first 100) with their line.
//
// Jobs run in this process and live in an in-memory table (lost on restart, invisible to other
// processes): enough for one server. The roadmap moves ingest to Redis Streams workers, with jobs
// in the store; this API's shape stays.
import { randomBytes } from 'node:crypto';
import { Readable } from 'node:stream';
import type { FastifyInstance } from 'fastify';
import { normaliseDomain } from '../../fields/domain.js';
import { detectFormat, formatByName } from '../../ingest/detect.js';
import { FORMATS } from '../../ingest/formats.js';
import { InputError, openInput, type Input } from '../../ingest/input.js';
import type { IngestRecord } from '../../ingest/records.js';
import { isoSeconds } from '../../services/clock.js';
import { EvaluationContext } from '../../services/evaluate.js';
import { evaluateBatch } from '../../services/evaluate-records.js';
import { emptySummary, ingestInput, type IngestSummary, type Reject } from '../../services/ingest.js';
import { appendAudit } from '../../store/accounts.js';
import { access } from '../auth.js';
import { ApiError, badRequest, notFound } from '../errors.js';
import { ORG_QUERY } from '../schemas.js';
import type { AppContext } from '../server.js';

/** Largest upload by default (WARREN_INGEST_MAX_BYTES overrides): the body is held in memory. */
export const DEFAULT_MAX_BYTES = 256 * 1024 * 1024;
/** Jobs running at once; more are refused with 429 (each holds its upload in memory). */
const MAX_RUNNING = 4;
/** Jobs remembered; the oldest finished ones are forgotten first. */
const MAX_JOBS = 1000;
const MAX_REJECTS = 100;
/** The upload is fed to the parser in slices, so progress moves as it is read. */
const SLICE = 1024 * 1024;

export const CONTENT_TYPES = ['application/octet-stream', 'text/plain', 'application/x-ndjson', 'application/gzip'] as const;

type Status = 'running' | 'done' | 'failed';

interface Job {
  readonly id: string;
  readonly org: string;
  readonly actor: string;
  readonly format: string;
  readonly created: string;
  finished: string | null;
  status: Status;
  progress: { records: number; bytesRead: number; size: number };
  readonly summary: IngestSummary;
  readonly actions: { tags: number; classifications: number; notifications: number };
  readonly rejects: Reject[];
  error?: string;
}

function maxBytesFromEnv(): number {
  const n = Number(process.env.WARREN_INGEST_MAX_BYTES);
  return Number.isSafeInteger(n) && n > 0 ? n : DEFAULT_MAX_BYTES;
}

function* slices(body: Buffer): Generator<Buffer> {
  for (let i = 0; i < body.length; i += SLICE) yield body.subarray(i, i + SLICE);
}

/** The upload as an ingest input: the same gunzip and head as a file gets. */
async function uploadInput(body: Buffer, name: string): Promise<Input> {
  const input = await openInput('-', Readable.from(slices(body)));
  return { ...input, name, size: body.length };
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
    summary: { ...job.summary, actions: job.actions },
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
    progress: { type: 'object', properties: { records: { type: 'integer' }, bytesRead: { type: 'integer' }, size: { type: 'integer' } }, required: ['records', 'bytesRead', 'size'] },
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
  const running = new Set<Promise<void>>();

  function remember(job: Job): void {
    jobs.set(job.id, job);
    if (jobs.size <= MAX_JOBS) return;
    for (const [id, j] of jobs) {
      if (j.status !== 'running') jobs.delete(id);
      if (jobs.size <= MAX_JOBS) break;
    }
  }

  async function run(job: Job, input: Input, domain: string | undefined): Promise<void> {
    const evaluation = new EvaluationContext(ctx.store);
    try {
      await ingestInput(
        ctx.store,
        input,
        FORMATS,
        {
          format: job.format,
          ...(domain !== undefined ? { domain } : {}),
          onReject: (r) => {
            if (job.rejects.length < MAX_REJECTS) job.rejects.push(r);
          },
          onProgress: (p) => {
            job.progress = { records: p.records, bytesRead: p.bytesRead, size: job.progress.size };
          },
          afterBatch: async (records: readonly IngestRecord[]) => {
            const byKind = new Map<string, number>();
            for (const r of records) byKind.set(r.kind, (byKind.get(r.kind) ?? 0) + 1);
            for (const [kind, n] of byKind) ctx.metrics.count('warren_ingested_records_total', 'records stored by ingest jobs, by kind', { kind }, n);
            const applied = await evaluateBatch(evaluation, records, isoSeconds(ctx.clock()));
            job.actions.tags += applied.tags;
            job.actions.classifications += applied.classifications;
            job.actions.notifications += applied.notifications;
          },
        },
        job.summary,
      );
      job.status = 'done';
      if (job.summary.rejected > 0) ctx.metrics.count('warren_ingest_rejected_total', 'records refused by ingest jobs', {}, job.summary.rejected);
    } catch (e) {
      // The store failed (or a bug): what was stored stays stored; the job says why it stopped.
      job.status = 'failed';
      job.error = e instanceof InputError ? e.message : `ingest stopped: ${(e as Error).message}`;
    } finally {
      job.finished = isoSeconds(ctx.clock());
    }
  }

  // Its own scope, so the raw-body parsers apply to this route only.
  void app.register((scope, _o, done) => {
    scope.removeAllContentTypeParsers();
    scope.addContentTypeParser([...CONTENT_TYPES], { parseAs: 'buffer', bodyLimit: maxBytes }, (_request, body, next) => next(null, body));
    scope.addHook('onClose', async () => {
      // Let running jobs finish before the store they write to is closed.
      await Promise.allSettled([...running]);
    });

    scope.post(
      '/ingest',
      {
        config: { auth: 'analyst' },
        // The role is checked in onRequest (auth.ts), before the body is read: a viewer's upload
        // is refused unread.
        bodyLimit: maxBytes,
        schema: {
          tags: ['ingest'],
          summary: 'upload one data file (the body, raw or gzip) to ingest; answers 202 with the job to follow',
          description: `Content types: ${CONTENT_TYPES.join(', ')}. At most ${maxBytes} bytes. Stored records are evaluated against every organisation's signatures, as warren ingest does.`,
          // No type: the body is a Buffer, which any typed schema would refuse; this documents it.
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
        const body = request.body;
        if (!Buffer.isBuffer(body) || body.length === 0) throw badRequest('the body is the file to ingest, and it is empty');
        const domain = q.domain === undefined ? undefined : normaliseDomain(q.domain);
        if (q.domain !== undefined && domain === undefined) throw badRequest(`domain "${q.domain}" is not a domain name`);
        if (running.size >= MAX_RUNNING) throw new ApiError(429, 'busy', `${MAX_RUNNING} ingest jobs are running; try again when one has finished`);
        const name = q.name ?? 'upload';
        let input: Input;
        try {
          input = await uploadInput(body, name);
        } catch (e) {
          if (e instanceof InputError) throw badRequest(e.message.replace(/^<stdin>/, name));
          throw e;
        }
        const format = q.format !== undefined ? formatByName(FORMATS, q.format) : detectFormat(FORMATS, input.head, name);
        if (!format) throw badRequest(`cannot tell the format of this upload; name it with ?format= (one of ${FORMATS.map((f) => f.name).join(', ')})`);
        const now = isoSeconds(ctx.clock());
        const job: Job = {
          id: randomBytes(12).toString('hex'),
          org,
          actor: principal.email,
          format: format.name,
          created: now,
          finished: null,
          status: 'running',
          progress: { records: 0, bytesRead: 0, size: body.length },
          summary: emptySummary(),
          actions: { tags: 0, classifications: 0, notifications: 0 },
          rejects: [],
        };
        remember(job);
        await appendAudit(ctx.store.db, { at: now, actor: principal.email, org, action: 'ingest.start', target: `ingest:${job.id}`, after: { format: format.name, name, bytes: body.length } });
        const p = run(job, input, domain);
        running.add(p);
        void p.finally(() => running.delete(p));
        void reply.status(202).header('location', `${request.url.split('?')[0]}/${job.id}`);
        return { job: job.id, status: job.status };
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
    (request) => {
      const { org } = access(request);
      return Promise.resolve([...jobs.values()].filter((j) => j.org === org).reverse().map((j) => view(j, false)));
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
    (request) => {
      const { org } = access(request);
      const id = (request.params as { job: string }).job;
      const job = jobs.get(id);
      // Another organisation's job is as absent as one that never was.
      if (!job || job.org !== org) throw notFound(`ingest job ${id}`);
      return Promise.resolve(view(job, true));
    },
  );
}
