// Signature packs between organisations (docs/PACKS.md): publish, grant and revoke (the
// publisher's admins), subscribe and unsubscribe (the subscriber's admins), switch single pack
// signatures off and on (analysts, as for the organisation's own signatures), read (viewers).
// A pack is addressed as /packs/:publisher/:pack everywhere; a publisher-only route answers 404
// for a publisher other than the caller's organisation, as for anything not its own.
import type { FastifyInstance } from 'fastify';
import { isoSeconds } from '../../services/clock.js';
import { grantPack, listPacks, publishPack, revokePack, setPackSignature, showPack, subscribePack, unsubscribePack } from '../../services/packs.js';
import { access } from '../auth.js';
import { notFound } from '../errors.js';
import { ORG_QUERY } from '../schemas.js';
import type { AppContext } from '../context.js';

const NAME = { type: 'string', minLength: 1, maxLength: 64, pattern: '^[a-z0-9][a-z0-9._-]{0,63}$' } as const;
const ORG_ONLY = { type: 'object', properties: ORG_QUERY, additionalProperties: false } as const;
const PACK_PARAMS = { type: 'object', properties: { publisher: NAME, pack: NAME }, required: ['publisher', 'pack'] } as const;

const WITHDRAWN = { type: 'object', properties: { tags: { type: 'integer' }, classifications: { type: 'integer' } }, required: ['tags', 'classifications'] } as const;

const SUBSCRIPTION = {
  type: ['object', 'null'],
  properties: {
    version: { type: 'integer' },
    subscribed: { type: 'string' },
    updated: { type: 'string' },
    disabled: { type: 'array', items: { type: 'string' }, description: 'pack signatures this organisation switched off' },
  },
  required: ['version', 'subscribed', 'updated', 'disabled'],
} as const;

const PUBLISHED_PACK = {
  type: 'object',
  properties: {
    pack: { type: 'string', description: 'publisher/name' },
    name: { type: 'string' },
    version: { type: 'integer' },
    description: { type: 'string' },
    updated: { type: 'string' },
    signatures: { type: 'array', items: { type: 'string' } },
    grants: {
      type: 'array',
      items: {
        type: 'object',
        properties: { org: { type: 'string' }, granted: { type: 'string' }, subscribed_version: { type: ['integer', 'null'] } },
        required: ['org', 'granted', 'subscribed_version'],
      },
    },
  },
  required: ['pack', 'name', 'version', 'description', 'updated', 'signatures', 'grants'],
} as const;

const OFFERED_PACK = {
  type: 'object',
  properties: {
    pack: { type: 'string' },
    publisher: { type: 'string' },
    name: { type: 'string' },
    version: { type: 'integer' },
    description: { type: 'string' },
    updated: { type: 'string' },
    signatures: { type: 'integer' },
    subscription: SUBSCRIPTION,
  },
  required: ['pack', 'publisher', 'name', 'version', 'description', 'updated', 'signatures', 'subscription'],
} as const;

const PACK_VIEW = {
  type: 'object',
  properties: {
    pack: { type: 'string' },
    publisher: { type: 'string' },
    name: { type: 'string' },
    version: { type: 'integer' },
    description: { type: 'string' },
    shown_version: { type: 'integer', description: "the version of the signatures listed: the subscription's, else the newest" },
    versions: {
      type: 'array',
      items: { type: 'object', properties: { version: { type: 'integer' }, published: { type: 'string' }, signatures: { type: 'integer' } }, required: ['version', 'published', 'signatures'] },
    },
    subscription: SUBSCRIPTION,
    signatures: {
      type: 'array',
      items: {
        type: 'object',
        properties: {
          id: { type: 'string' },
          runs_as: { type: 'string', description: "its id in a subscriber's organisation (publisher/pack/id): what its tags name" },
          title: { type: 'string' },
          field: { type: 'string' },
          enabled: { type: 'boolean' },
          hits: { type: ['integer', 'null'], description: "the subscriber's own entities it tags, classifies or alerted on; null for the publisher" },
          signature: { type: 'object', additionalProperties: true, description: 'the signature as its file object, as published' },
        },
        required: ['id', 'runs_as', 'title', 'field', 'enabled', 'hits', 'signature'],
      },
    },
  },
  required: ['pack', 'publisher', 'name', 'version', 'description', 'shown_version', 'versions', 'subscription', 'signatures'],
} as const;

export function registerPackRoutes(app: FastifyInstance, ctx: AppContext): void {
  const now = (): string => isoSeconds(ctx.clock());

  app.get(
    '/packs',
    {
      config: { auth: 'viewer' },
      schema: {
        tags: ['packs'],
        summary: "the organisation's published packs (with the organisations allowed to subscribe) and the packs other organisations offer it (with its subscription)",
        querystring: ORG_ONLY,
        response: { 200: { type: 'object', properties: { published: { type: 'array', items: PUBLISHED_PACK }, offered: { type: 'array', items: OFFERED_PACK } }, required: ['published', 'offered'] } },
      },
    },
    async (request) => listPacks(ctx.store, access(request).org),
  );

  app.post(
    '/packs',
    {
      config: { auth: 'admin' },
      schema: {
        tags: ['packs'],
        summary: "publish a new version of a pack: a snapshot of the named signatures' text (without `signatures`: the current version's ids, their text now); every subscription moves to it and retro-hunts",
        querystring: ORG_ONLY,
        body: {
          type: 'object',
          properties: {
            name: NAME,
            signatures: { type: 'array', items: { type: 'string', minLength: 1, maxLength: 128 }, minItems: 1, maxItems: 10_000 },
            description: { type: 'string', maxLength: 2000 },
          },
          required: ['name'],
          additionalProperties: false,
        },
      },
    },
    async (request) => {
      const { org, principal } = access(request);
      const body = request.body as { name: string; signatures?: string[]; description?: string };
      return publishPack(ctx.store, org, body.name, {
        now: now(),
        actor: principal.email,
        ...(body.signatures !== undefined ? { signatures: body.signatures } : {}),
        ...(body.description !== undefined ? { description: body.description } : {}),
      });
    },
  );

  app.get(
    '/packs/:publisher/:pack',
    { config: { auth: 'viewer' }, schema: { tags: ['packs'], summary: 'one pack, read-only: its versions and signatures (for a subscriber: at its version, with its own hits)', params: PACK_PARAMS, querystring: ORG_ONLY, response: { 200: PACK_VIEW } } },
    async (request) => {
      const { org } = access(request);
      const { publisher, pack } = request.params as { publisher: string; pack: string };
      return showPack(ctx.store, org, { publisher, name: pack });
    },
  );

  /** The pack's name, when the caller's organisation publishes it. */
  const ownPack = (org: string, params: unknown): string => {
    const { publisher, pack } = params as { publisher: string; pack: string };
    if (publisher !== org) throw notFound(`pack ${publisher}/${pack}`);
    return pack;
  };

  app.post(
    '/packs/:publisher/:pack/grants',
    {
      config: { auth: 'admin' },
      schema: {
        tags: ['packs'],
        summary: 'allow another organisation to subscribe to this pack (the publisher’s consent)',
        params: PACK_PARAMS,
        querystring: ORG_ONLY,
        body: { type: 'object', properties: { org: NAME }, required: ['org'], additionalProperties: false },
      },
    },
    async (request) => {
      const { org, principal } = access(request);
      return grantPack(ctx.store, org, ownPack(org, request.params), (request.body as { org: string }).org, { now: now(), actor: principal.email });
    },
  );

  app.delete(
    '/packs/:publisher/:pack/grants/:consumer',
    {
      config: { auth: 'admin' },
      schema: {
        tags: ['packs'],
        summary: 'withdraw the consent: the organisation’s subscription ends and what the pack tagged there is withdrawn',
        params: { type: 'object', properties: { publisher: NAME, pack: NAME, consumer: NAME }, required: ['publisher', 'pack', 'consumer'] },
        querystring: ORG_ONLY,
      },
    },
    async (request) => {
      const { org, principal } = access(request);
      const { consumer } = request.params as { consumer: string };
      return revokePack(ctx.store, org, ownPack(org, request.params), consumer, { now: now(), actor: principal.email });
    },
  );

  app.put(
    '/packs/:publisher/:pack/subscription',
    { config: { auth: 'admin' }, schema: { tags: ['packs'], summary: 'subscribe to a pack offered to this organisation (or bring the subscription up to date); retro-hunts with its signatures', params: PACK_PARAMS, querystring: ORG_ONLY } },
    async (request) => {
      const { org, principal } = access(request);
      const { publisher, pack } = request.params as { publisher: string; pack: string };
      return subscribePack(ctx.store, org, { publisher, name: pack }, { now: now(), actor: principal.email });
    },
  );

  app.delete(
    '/packs/:publisher/:pack/subscription',
    {
      config: { auth: 'admin' },
      schema: {
        tags: ['packs'],
        summary: 'unsubscribe: every tag and classification the pack made in this organisation is withdrawn',
        params: PACK_PARAMS,
        querystring: ORG_ONLY,
        response: { 200: { type: 'object', properties: { pack: { type: 'string' }, version: { type: 'integer' }, withdrawn: WITHDRAWN }, required: ['pack', 'version', 'withdrawn'] } },
      },
    },
    async (request) => {
      const { org, principal } = access(request);
      const { publisher, pack } = request.params as { publisher: string; pack: string };
      return unsubscribePack(ctx.store, org, { publisher, name: pack }, { now: now(), actor: principal.email });
    },
  );

  for (const change of ['enable', 'disable'] as const) {
    app.post(
      `/packs/:publisher/:pack/signatures/:id/${change}`,
      {
        config: { auth: 'analyst' },
        schema: {
          tags: ['packs'],
          summary: change === 'disable' ? "switch one of a subscribed pack's signatures off here (its tags are withdrawn)" : "switch a subscribed pack's signature back on (it retro-hunts)",
          params: { type: 'object', properties: { publisher: NAME, pack: NAME, id: { type: 'string', minLength: 1, maxLength: 128 } }, required: ['publisher', 'pack', 'id'] },
          querystring: ORG_ONLY,
        },
      },
      async (request) => {
        const { org, principal } = access(request);
        const { publisher, pack, id } = request.params as { publisher: string; pack: string; id: string };
        return setPackSignature(ctx.store, org, { publisher, name: pack }, id, change === 'enable', { now: now(), actor: principal.email });
      },
    );
  }
}
