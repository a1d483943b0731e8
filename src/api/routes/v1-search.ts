// GET /search: stored entities whose catalogue field has a value equal to, starting with, or
// matching (RE2) what is asked. The search itself (sources, scan cap, cursor) is
// services/search.ts; this file validates, authorises and presents.
import type { FastifyInstance } from 'fastify';
import { ENTITY_KINDS, type EntityKind } from '../../fields/catalogue.js';
import { MAX_VALUE, ROUTING_SCAN_CAP, SCAN_CAP, search, type SearchMode } from '../../services/search.js';
import { access } from '../auth.js';
import { ORG_QUERY } from '../schemas.js';
import type { AppContext } from '../context.js';

export { ROUTING_SCAN_CAP, SCAN_CAP } from '../../services/search.js';

const ITEM = {
  type: 'object',
  properties: {
    kind: { type: 'string', enum: [...ENTITY_KINDS] },
    id: { type: 'string', description: 'domain, IP, or certificate SHA-256' },
    field: { type: 'string' },
    value: { type: 'string', description: `the first value of the field that matched (clipped to ${MAX_VALUE} characters)` },
  },
  required: ['kind', 'id', 'field', 'value'],
} as const;

export function registerSearchRoutes(app: FastifyInstance, ctx: AppContext): void {
  app.get(
    '/search',
    {
      config: { auth: 'viewer' },
      schema: {
        tags: ['search'],
        summary: 'stored entities by any catalogue field: exact, prefix, or RE2 regex (case-insensitive unless case_sensitive)',
        description:
          `Reads at most ${SCAN_CAP.toLocaleString('en-US')} rows per request (${ROUTING_SCAN_CAP.toLocaleString('en-US')} for network and as.*). ` +
          'A page stopped by that cap may hold fewer than `limit` items, even none, with a `next` to continue; `next` is null only at the end.',
        querystring: {
          type: 'object',
          properties: {
            ...ORG_QUERY,
            field: { type: 'string', minLength: 1, maxLength: 100, description: 'a catalogue field (fields.md); default: the kind’s own (domain, ip, x509.sha256)' },
            value: { type: 'string', minLength: 1, maxLength: 1000 },
            mode: { type: 'string', enum: ['exact', 'prefix', 'regex'], default: 'exact' },
            kind: { type: 'string', enum: [...ENTITY_KINDS] },
            case_sensitive: { type: 'boolean', default: false },
            limit: { type: 'integer', minimum: 1, maximum: 500, default: 100 },
            cursor: { type: 'string', maxLength: 2000, description: 'the `next` of the previous page' },
          },
          required: ['value'],
          additionalProperties: false,
        },
        response: {
          200: {
            type: 'object',
            properties: { items: { type: 'array', items: ITEM }, next: { type: ['string', 'null'] }, scanned: { type: 'integer', description: 'rows read by this request' } },
            required: ['items', 'next', 'scanned'],
          },
        },
      },
    },
    async (request) => {
      access(request);
      const p = request.query as { field?: string; value: string; mode: SearchMode; kind?: EntityKind; case_sensitive: boolean; limit: number; cursor?: string };
      return search(ctx.store, {
        ...(p.field !== undefined ? { field: p.field } : {}),
        ...(p.kind !== undefined ? { kind: p.kind } : {}),
        value: p.value,
        mode: p.mode,
        caseSensitive: p.case_sensitive,
        limit: p.limit,
        ...(p.cursor !== undefined ? { cursor: p.cursor } : {}),
      });
    },
  );
}
