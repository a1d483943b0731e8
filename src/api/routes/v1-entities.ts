// Entities: lookup (evaluates the organisation's signatures, as a view does), and the manual
// tag / classification actions.
import type { FastifyInstance } from 'fastify';
import { isoSeconds } from '../../services/clock.js';
import { identify, lookup } from '../../services/lookup.js';
import type { LiveMode } from '../../services/live/settings.js';
import { classifyEntity, ManualActionError, resolveEntity, tagEntity, untagEntity } from '../../services/manual.js';
import { CLASSIFICATIONS } from '../../signatures/types.js';
import { access } from '../auth.js';
import { badRequest, notFound } from '../errors.js';
import { CLASSIFICATION_VIEW, ENTITY_PARAM, ORG_QUERY, TAG_VIEW } from '../schemas.js';
import type { AppContext } from '../context.js';

const ENTITY_VIEW = {
  type: 'object',
  properties: {
    kind: { type: 'string', enum: ['domain', 'ip', 'certificate'] },
    id: { type: 'string' },
    fields: { type: 'object', additionalProperties: { type: 'array', items: { type: 'string' } } },
    tags: { type: 'array', items: TAG_VIEW },
    classification: CLASSIFICATION_VIEW,
    related: {
      type: 'object',
      properties: { ips: { type: 'array', items: { type: 'string' } }, domains: { type: 'array', items: { type: 'string' } }, certificates: { type: 'array', items: { type: 'string' } } },
    },
    relations: { type: 'array', items: { type: 'object', additionalProperties: true } },
    der: { type: 'boolean', description: 'certificates only: false when Warren holds the fields its source gave but not the DER' },
    known: { type: 'boolean', description: 'false: Warren holds nothing about it beyond its name ("nothing known"; no signature was evaluated)' },
    live: {
      type: 'array',
      description: 'what each live source did for this view (live.md); empty when live look-ups are off',
      items: {
        type: 'object',
        properties: {
          source: { type: 'string', enum: ['rdap', 'whois', 'dns', 'tls', 'rdap-ip'] },
          status: { type: 'string', enum: ['ok', 'refused', 'failed', 'cached'] },
          at: { type: 'string' },
          detail: { type: 'string' },
        },
        required: ['source', 'status', 'at'],
      },
    },
  },
  required: ['kind', 'id', 'fields', 'tags', 'classification', 'related', 'known', 'live'],
} as const;

const LOOKUP_QUERY = {
  type: 'object',
  properties: {
    ...ORG_QUERY,
    live: { type: 'string', enum: ['off', 'missing', 'always'], description: 'live look-ups for this view (default: WARREN_LIVE)' },
  },
} as const;

async function entityRef(ctx: AppContext, text: string): Promise<{ kind: 'domain' | 'ip' | 'certificate'; id: string }> {
  try {
    return await resolveEntity(ctx.store, text);
  } catch (e) {
    if (e instanceof ManualActionError) throw identify(text) ? notFound(`entity ${text}`) : badRequest(e.message);
    throw e;
  }
}

export function registerEntities(app: FastifyInstance, ctx: AppContext): void {
  // `/lookup/…` is live.md's name for the same view.
  for (const path of ['/entities/:entity', '/lookup/:entity']) {
    app.get(
      path,
      {
        config: { auth: 'viewer' },
        schema: {
          tags: ['entities'],
          summary: 'look up a domain, IP or certificate: fields, related entities, tags and classification (evaluates signatures; fetches live data per ?live=)',
          params: ENTITY_PARAM,
          querystring: LOOKUP_QUERY,
          response: { 200: ENTITY_VIEW },
        },
      },
      async (request) => {
        const { org } = access(request);
        const { entity } = request.params as { entity: string };
        const { live } = request.query as { live?: LiveMode };
        if (!identify(entity)) throw badRequest(`"${entity}" is not a domain, an IP address or a certificate fingerprint`);
        const v = await lookup(ctx.store, entity, { org, now: isoSeconds(ctx.clock()), live: { lookups: ctx.live, ...(live !== undefined ? { mode: live } : {}) } });
        if (!v) throw notFound(`certificate ${entity}`);
        return v;
      },
    );
  }

  app.post(
    '/entities/:entity/tags',
    {
      config: { auth: 'analyst' },
      bodyLimit: 4096,
      schema: {
        tags: ['entities'],
        summary: 'tag an entity by hand',
        params: ENTITY_PARAM,
        querystring: { type: 'object', properties: ORG_QUERY },
        body: { type: 'object', properties: { tag: { type: 'string', minLength: 1, maxLength: 64 } }, required: ['tag'], additionalProperties: false },
      },
    },
    async (request, reply) => {
      const { org, principal } = access(request);
      const ref = await entityRef(ctx, (request.params as { entity: string }).entity);
      const { tag } = request.body as { tag: string };
      const now = isoSeconds(ctx.clock());
      await tagEntity(ctx.store, principal.email, org, ref, tag, now);
      void reply.status(201);
      return { kind: ref.kind, id: ref.id, tag };
    },
  );

  app.delete(
    '/entities/:entity/tags/:tag',
    {
      config: { auth: 'analyst' },
      schema: {
        tags: ['entities'],
        summary: 'remove a tag added by hand',
        params: {
          type: 'object',
          properties: { entity: ENTITY_PARAM.properties.entity, tag: { type: 'string', minLength: 1, maxLength: 64 } },
          required: ['entity', 'tag'],
        },
        querystring: { type: 'object', properties: ORG_QUERY },
      },
    },
    async (request) => {
      const { org, principal } = access(request);
      const { entity, tag } = request.params as { entity: string; tag: string };
      const ref = await entityRef(ctx, entity);
      if (!(await untagEntity(ctx.store, principal.email, org, ref, tag, isoSeconds(ctx.clock())))) throw notFound(`manual tag ${tag} on ${ref.kind} ${ref.id}`);
      return { kind: ref.kind, id: ref.id, removed: tag };
    },
  );

  app.put(
    '/entities/:entity/classification',
    {
      config: { auth: 'analyst' },
      bodyLimit: 4096,
      schema: {
        tags: ['entities'],
        summary: 'classify an entity by hand (wins over every signature)',
        params: ENTITY_PARAM,
        querystring: { type: 'object', properties: ORG_QUERY },
        body: { type: 'object', properties: { classification: { type: 'string', enum: [...CLASSIFICATIONS] } }, required: ['classification'], additionalProperties: false },
      },
    },
    async (request) => {
      const { org, principal } = access(request);
      const ref = await entityRef(ctx, (request.params as { entity: string }).entity);
      const { classification } = request.body as { classification: string };
      const now = isoSeconds(ctx.clock());
      await classifyEntity(ctx.store, principal.email, org, ref, classification, now);
      return { kind: ref.kind, id: ref.id, classification };
    },
  );
}
