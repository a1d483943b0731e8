// Signatures of the organisation: list, read, import (atomic), enable, disable, delete,
// history, preview, lint, test and export. Signature text travels as YAML or JSON in a
// `text` field, as in a file; errors come back with line, signature id, pattern and reason.
import type { FastifyInstance } from 'fastify';
import { isoSeconds } from '../../services/clock.js';
import { changeSignature, exportSignatures, history, importSignatures, listSignatures, previewSignatures } from '../../services/org-signatures.js';
import { checkSignatureText, TextQueueFull, type TextResult, type TextTask } from '../../services/signature-text.js';
import { toFileObject, toYaml } from '../../signatures/serialise.js';
import type { Signature } from '../../signatures/types.js';
import { access } from '../auth.js';
import { ApiError, notFound } from '../errors.js';
import { ID_PARAM, ORG_QUERY } from '../schemas.js';
import type { AppContext } from '../context.js';

const TEXT_BODY = {
  type: 'object',
  properties: { text: { type: 'string', minLength: 1, maxLength: 4 * 1024 * 1024, description: 'signatures as YAML (several documents) or JSON' } },
  required: ['text'],
  additionalProperties: false,
} as const;

const ORG_ONLY = { type: 'object', properties: ORG_QUERY, additionalProperties: false } as const;

const SIGNATURE_SUMMARY = {
  type: 'object',
  properties: {
    id: { type: 'string' },
    version: { type: 'integer' },
    enabled: { type: 'boolean' },
    title: { type: 'string' },
    field: { type: 'string' },
    match: { type: 'string' },
    patterns: { type: 'integer' },
    actions: { type: 'array', items: { type: 'string' } },
    updated: { type: 'string' },
    status: { type: 'string' },
    author: { type: ['string', 'null'] },
    hits: { type: 'integer' },
    last_hit: { type: ['string', 'null'] },
  },
  required: ['id', 'version', 'enabled', 'title', 'field', 'match', 'patterns', 'actions', 'updated', 'status', 'author', 'hits', 'last_hit'],
} as const;

const SIGNATURE_VERSION = {
  type: 'object',
  properties: {
    id: { type: 'string' },
    version: { type: 'integer' },
    change: { type: 'string' },
    enabled: { type: 'boolean' },
    source: { description: 'the signature as its file object at this version' },
    at: { type: 'string' },
  },
  required: ['id', 'version', 'change', 'enabled', 'source', 'at'],
} as const;

/** Signature text checked off the event loop when it is large (services/signature-text.ts). */
async function check(task: TextTask): Promise<TextResult> {
  try {
    return await checkSignatureText(task);
  } catch (e) {
    if (e instanceof TextQueueFull) throw new ApiError(429, 'busy', e.message);
    throw e;
  }
}

function valid(result: TextResult): Signature[] {
  const { signatures, errors } = result.load;
  if (errors.length > 0) throw new ApiError(400, 'invalid_signatures', `${errors.length} error${errors.length === 1 ? '' : 's'}: nothing stored`, errors);
  return signatures;
}

async function parse(text: string): Promise<Signature[]> {
  return valid(await check({ op: 'parse', text, file: 'request' }));
}

export function registerSignatureRoutes(app: FastifyInstance, ctx: AppContext): void {
  const now = (): string => isoSeconds(ctx.clock());

  app.get(
    '/signatures',
    {
      config: { auth: 'viewer' },
      schema: {
        tags: ['signatures'],
        summary:
          "the organisation's signatures, by id, a page at a time; each with status, author, hits (distinct entities it currently tags, classifies or raised a notification on: the length of GET /pivot?field=signature&value=ID) and last_hit (latest last_matched of those tags/classifications or created of those notifications, or null)",
        querystring: {
          type: 'object',
          properties: { ...ORG_QUERY, limit: { type: 'integer', minimum: 1, maximum: 1000, default: 100 }, cursor: { type: 'string', maxLength: 200, description: 'the `next` of the previous page' } },
          additionalProperties: false,
        },
        response: { 200: { type: 'object', properties: { items: { type: 'array', items: SIGNATURE_SUMMARY }, next: { type: ['string', 'null'] } }, required: ['items', 'next'] } },
      },
    },
    async (request) => {
      const { org } = access(request);
      const { limit, cursor } = request.query as { limit: number; cursor?: string };
      // The cursor is the last id of the previous page: stable while signatures come and go.
      const after = cursor === undefined ? undefined : Buffer.from(cursor, 'base64url').toString('utf8');
      const all = await listSignatures(ctx.store, org);
      const rest = after === undefined ? all : all.filter((s) => s.id > after);
      const items = rest.slice(0, limit);
      const more = rest.length > limit;
      return { items, next: more ? Buffer.from(items[items.length - 1]!.id).toString('base64url') : null };
    },
  );

  app.get(
    '/signatures/export',
    {
      config: { auth: 'viewer' },
      schema: { tags: ['signatures'], summary: 'signatures as YAML, re-importable', querystring: { type: 'object', properties: { ...ORG_QUERY, ids: { type: 'array', items: { type: 'string', maxLength: 128 }, maxItems: 10_000 } }, additionalProperties: false } },
    },
    async (request, reply) => {
      const { org } = access(request);
      const { ids } = request.query as { ids?: string[] };
      const { signatures, missing } = await exportSignatures(ctx.store, org, ids);
      if (missing.length > 0) throw notFound(`signature ${missing.join(', ')}`);
      void reply.type('application/yaml');
      return toYaml(signatures);
    },
  );

  app.get('/signatures/:id', { config: { auth: 'viewer' }, schema: { tags: ['signatures'], summary: 'one signature, as its file object', params: ID_PARAM, querystring: ORG_ONLY } }, async (request) => {
    const { org } = access(request);
    const { id } = request.params as { id: string };
    const { signatures } = await exportSignatures(ctx.store, org, [id]);
    const s = signatures[0];
    if (!s) throw notFound(`signature ${id}`);
    const list = await listSignatures(ctx.store, org);
    const meta = list.find((x) => x.id === id);
    return { signature: toFileObject(s), version: meta?.version, enabled: meta?.enabled, updated: meta?.updated };
  });

  app.post(
    '/signatures',
    { config: { auth: 'analyst' }, bodyLimit: 5 * 1024 * 1024, schema: { tags: ['signatures'], summary: 'import signatures (all or none); retro-hunts the new and changed', querystring: ORG_ONLY, body: TEXT_BODY } },
    async (request) => {
      const { org, principal } = access(request);
      const signatures = await parse((request.body as { text: string }).text);
      // The service audits each created and changed signature with the actor.
      return importSignatures(ctx.store, org, signatures, { now: now(), actor: principal.email, ...(ctx.jobs ? { hunts: ctx.jobs.hunts } : {}) });
    },
  );

  for (const change of ['enable', 'disable'] as const) {
    app.post(
      `/signatures/:id/${change}`,
      { config: { auth: 'analyst' }, schema: { tags: ['signatures'], summary: `${change} a signature`, params: ID_PARAM, querystring: ORG_ONLY } },
      async (request) => {
        const { org, principal } = access(request);
        const { id } = request.params as { id: string };
        const r = await changeSignature(ctx.store, org, id, change, { now: now(), actor: principal.email, ...(ctx.jobs ? { hunts: ctx.jobs.hunts } : {}) });
        if (r.status === 'missing') throw notFound(`signature ${id}`);
        return r;
      },
    );
  }

  app.delete('/signatures/:id', { config: { auth: 'analyst' }, schema: { tags: ['signatures'], summary: 'remove a signature (its history stays)', params: ID_PARAM, querystring: ORG_ONLY } }, async (request) => {
    const { org, principal } = access(request);
    const { id } = request.params as { id: string };
    const r = await changeSignature(ctx.store, org, id, 'rm', { now: now(), actor: principal.email });
    if (r.status === 'missing') throw notFound(`signature ${id}`);
    return r;
  });

  app.get('/signatures/:id/history', { config: { auth: 'viewer' }, schema: { tags: ['signatures'], summary: 'every version of a signature', params: ID_PARAM, querystring: ORG_ONLY, response: { 200: { type: 'array', items: SIGNATURE_VERSION } } } }, async (request) => {
    const { org } = access(request);
    const { id } = request.params as { id: string };
    const versions = await history(ctx.store, org, id);
    if (versions.length === 0) throw notFound(`signature ${id}`);
    return versions.map((v) => ({ ...v, source: JSON.parse(v.source) as unknown }));
  });

  app.post(
    '/signatures/preview',
    { config: { auth: 'viewer' }, bodyLimit: 5 * 1024 * 1024, schema: { tags: ['signatures'], summary: 'what signatures would do over the stored data; stores nothing', querystring: ORG_ONLY, body: TEXT_BODY } },
    async (request) => {
      const { org } = access(request);
      const r = await previewSignatures(ctx.store, org, await parse((request.body as { text: string }).text), { now: now() });
      return { scanned: r.scanned, matched: r.matched, planned: r.planned, sample: r.sample };
    },
  );

  app.post(
    '/signatures/lint',
    { config: { auth: 'viewer' }, bodyLimit: 5 * 1024 * 1024, schema: { tags: ['signatures'], summary: 'validate signature text', querystring: ORG_ONLY, body: TEXT_BODY } },
    async (request) => {
      access(request);
      const { load, count } = await check({ op: 'lint', text: (request.body as { text: string }).text, file: 'request' });
      return { signatures: count, errors: load.errors };
    },
  );

  app.post(
    '/signatures/test',
    { config: { auth: 'viewer' }, bodyLimit: 5 * 1024 * 1024, schema: { tags: ['signatures'], summary: "run signatures' own test cases", querystring: ORG_ONLY, body: TEXT_BODY } },
    async (request) => {
      access(request);
      const result = await check({ op: 'test', text: (request.body as { text: string }).text, file: 'request' });
      valid(result);
      const report = result.tests ?? { cases: 0, signaturesWithTests: 0, failures: [] };
      return {
        cases: report.cases,
        failures: report.failures.map((f) => ({ signature: f.signature.id, path: f.path, message: f.message })),
      };
    },
  );

}
