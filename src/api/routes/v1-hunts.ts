// Retro-hunts as jobs (a server with a queue, docs/DEPLOY.md): GET /hunts lists the
// organisation's, GET /hunts/:job follows one (parts done, entities scanned, the summed report),
// POST /hunts/:job/cancel stops it at every part's next page. Without a queue, hunts run inside
// the signature change that starts them and there are no jobs: the list is empty.
import type { FastifyInstance } from 'fastify';
import { cancelHunt, huntJob, huntJobs } from '../../services/jobs/hunt-jobs.js';
import { access } from '../auth.js';
import { ApiError, notFound } from '../errors.js';
import { ORG_QUERY } from '../schemas.js';
import type { AppContext } from '../context.js';

const COUNTS = { type: 'object', additionalProperties: { type: 'integer' } } as const;

const HUNT_VIEW = {
  type: 'object',
  properties: {
    id: { type: 'string' },
    status: { type: 'string', enum: ['running', 'done', 'failed', 'cancelled'] },
    actor: { type: 'string', description: 'who changed the signatures' },
    created: { type: 'string' },
    finished: { type: ['string', 'null'] },
    signatures: { type: 'array', items: { type: 'string' } },
    progress: { type: 'object', properties: { parts: { type: 'integer' }, partsDone: { type: 'integer' }, scanned: { type: 'integer' } }, required: ['parts', 'partsDone', 'scanned'] },
    report: {
      type: 'object',
      properties: {
        scanned: COUNTS,
        matched: { type: 'integer' },
        planned: COUNTS,
        applied: COUNTS,
        sample: { type: 'array', items: { type: 'object', additionalProperties: true } },
      },
      required: ['scanned', 'matched', 'planned', 'applied', 'sample'],
    },
    error: { type: 'string' },
  },
  required: ['id', 'status', 'actor', 'created', 'finished', 'signatures', 'progress', 'report'],
} as const;

const JOB_PARAMS = { type: 'object', properties: { job: { type: 'string', minLength: 1, maxLength: 64 } }, required: ['job'] } as const;

export function registerHuntRoutes(app: FastifyInstance, ctx: AppContext): void {
  app.get(
    '/hunts',
    {
      config: { auth: 'viewer' },
      schema: { tags: ['signatures'], summary: "the organisation's queued retro-hunts, newest first (a server with a queue)", querystring: { type: 'object', properties: ORG_QUERY, additionalProperties: false }, response: { 200: { type: 'array', items: HUNT_VIEW } } },
    },
    async (request) => {
      const { org } = access(request);
      return ctx.jobs ? huntJobs(ctx.store, org) : [];
    },
  );
  app.get(
    '/hunts/:job',
    {
      config: { auth: 'viewer' },
      schema: { tags: ['signatures'], summary: 'a queued retro-hunt: status, parts done, the report so far', params: JOB_PARAMS, querystring: { type: 'object', properties: ORG_QUERY, additionalProperties: false }, response: { 200: HUNT_VIEW } },
    },
    async (request) => {
      const { org } = access(request);
      const id = (request.params as { job: string }).job;
      const view = await huntJob(ctx.store, org, id);
      // Another organisation's hunt is as absent as one that never was.
      if (!view) throw notFound(`retro-hunt ${id}`);
      return view;
    },
  );
  app.post(
    '/hunts/:job/cancel',
    {
      config: { auth: 'analyst' },
      schema: { tags: ['signatures'], summary: 'cancel a running retro-hunt: its parts stop at their next page', params: JOB_PARAMS, querystring: { type: 'object', properties: ORG_QUERY, additionalProperties: false }, response: { 200: HUNT_VIEW } },
    },
    async (request) => {
      const { org } = access(request);
      const id = (request.params as { job: string }).job;
      const before = await huntJob(ctx.store, org, id);
      if (!before) throw notFound(`retro-hunt ${id}`);
      if (!(await cancelHunt(ctx.store, org, id, ctx.clock()))) throw new ApiError(409, 'conflict', `retro-hunt ${id} is ${before.status}, not running`);
      return (await huntJob(ctx.store, org, id))!;
    },
  );
}
