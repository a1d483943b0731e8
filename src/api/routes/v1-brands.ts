// The brand page's API (docs/LOOKALIKE.md "The brand page"): the organisation's brands (the
// patterns of its enabled look-alike signatures) with their look-alike counts, one brand's
// look-alikes grouped by family, and "add an exclusion" for one of them (analysts). Classifying
// a look-alike is the entity's own route (PUT /entities/:entity/classification).
import type { FastifyInstance } from 'fastify';
import { brandLookalikes, excludeLookalike, listBrands, MAX_PER_FAMILY } from '../../services/brands.js';
import { isoSeconds } from '../../services/clock.js';
import { LOOKALIKE_FAMILIES } from '../../signatures/types.js';
import { access } from '../auth.js';
import { CLASSIFICATION_VIEW, ORG_QUERY } from '../schemas.js';
import type { AppContext } from '../context.js';

const BRAND_PARAMS = {
  type: 'object',
  properties: { brand: { type: 'string', minLength: 1, maxLength: 64, description: 'a brand pattern (case-insensitive)' } },
  required: ['brand'],
} as const;

const PATTERNS = {
  type: 'array',
  description: 'the look-alike signatures naming the brand, with the pattern as each wrote it',
  items: { type: 'object', properties: { signature: { type: 'string' }, pattern: { type: 'string' } }, required: ['signature', 'pattern'] },
} as const;

const FAMILY = { type: 'string', enum: [...LOOKALIKE_FAMILIES] } as const;

const LOOKALIKE = {
  type: 'object',
  properties: {
    kind: { type: 'string' },
    entity: { type: 'string' },
    signature: { type: 'string' },
    field: { type: 'string' },
    value: { type: 'string', description: 'the value the signature matched' },
    families: { type: 'array', items: FAMILY },
    distance: { type: 'integer' },
    why: { type: 'string', description: 'the hit explained in words, by the signature as it is now' },
    found: { type: 'string', description: 'when a signature first recorded it' },
    registered: { type: ['string', 'null'], description: "the newest WHOIS version's creation date (domains)" },
    ips: { type: 'array', items: { type: 'string' }, description: 'a few addresses it resolves to (a certificate: is served on), most recent first' },
    certificate: {
      type: ['object', 'null'],
      description: 'the newest certificate naming it (else served on an address it resolves to)',
      properties: { sha256: { type: 'string' }, issuer: { type: ['string', 'null'] } },
      required: ['sha256', 'issuer'],
    },
    classification: CLASSIFICATION_VIEW,
  },
  required: ['kind', 'entity', 'signature', 'field', 'value', 'families', 'distance', 'why', 'found', 'registered', 'ips', 'certificate', 'classification'],
} as const;

export function registerBrandRoutes(app: FastifyInstance, ctx: AppContext): void {
  app.get(
    '/brands',
    {
      config: { auth: 'viewer' },
      schema: {
        tags: ['brands'],
        summary: "the organisation's brands: the patterns of its enabled look-alike signatures, each with the look-alikes found so far",
        querystring: { type: 'object', properties: ORG_QUERY, additionalProperties: false },
        response: {
          200: {
            type: 'array',
            items: {
              type: 'object',
              properties: { brand: { type: 'string' }, patterns: PATTERNS, lookalikes: { type: 'integer', description: 'distinct entities found so far' } },
              required: ['brand', 'patterns', 'lookalikes'],
            },
          },
        },
      },
    },
    async (request) => listBrands(ctx.store, access(request).org),
  );

  app.get(
    '/brands/:brand',
    {
      config: { auth: 'viewer' },
      schema: {
        tags: ['brands'],
        summary: "a brand's look-alikes found so far, grouped by their first (most specific) family, newest first, with registration, addresses, certificate and classification",
        params: BRAND_PARAMS,
        querystring: {
          type: 'object',
          properties: { ...ORG_QUERY, limit: { type: 'integer', minimum: 1, maximum: MAX_PER_FAMILY, default: MAX_PER_FAMILY, description: 'look-alikes per family' } },
          additionalProperties: false,
        },
        response: {
          200: {
            type: 'object',
            properties: {
              brand: { type: 'string' },
              patterns: PATTERNS,
              total: { type: 'integer' },
              families: {
                type: 'array',
                items: {
                  type: 'object',
                  properties: { family: FAMILY, total: { type: 'integer' }, items: { type: 'array', items: LOOKALIKE } },
                  required: ['family', 'total', 'items'],
                },
              },
            },
            required: ['brand', 'patterns', 'total', 'families'],
          },
        },
      },
    },
    async (request) => {
      const { limit } = request.query as { limit: number };
      return brandLookalikes(ctx.store, access(request).org, (request.params as { brand: string }).brand, limit);
    },
  );

  app.post(
    '/brands/:brand/exclusion',
    {
      config: { auth: 'analyst' },
      bodyLimit: 4096,
      schema: {
        tags: ['brands'],
        summary: "add the value one of the brand's look-alike signatures matched to that signature's excludes (a new version, audited as signature.change, retro-hunted); 409 when there is none to add",
        params: BRAND_PARAMS,
        querystring: { type: 'object', properties: ORG_QUERY, additionalProperties: false },
        body: {
          type: 'object',
          properties: { signature: { type: 'string', minLength: 1, maxLength: 200 }, value: { type: 'string', minLength: 1, maxLength: 1000 } },
          required: ['signature', 'value'],
          additionalProperties: false,
        },
        response: {
          200: {
            type: 'object',
            properties: {
              signature: { type: 'string' },
              pattern: { type: 'string', description: 'the exclude added' },
              version: { type: 'integer' },
              withdrawn: { type: 'object', properties: { tags: { type: 'integer' }, classifications: { type: 'integer' } }, required: ['tags', 'classifications'] },
            },
            required: ['signature', 'pattern', 'version', 'withdrawn'],
          },
        },
      },
    },
    async (request) => {
      const { org, principal } = access(request);
      const body = request.body as { signature: string; value: string };
      return excludeLookalike(ctx.store, principal.email, org, (request.params as { brand: string }).brand, body, isoSeconds(ctx.clock()));
    },
  );
}
