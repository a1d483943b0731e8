// Stored records as they are: a domain's WHOIS (newest version, and when every version was
// observed), a certificate (fields and its encoding), and an entity's relations page by page.
// These read the shared data, not the organisation's: any member of any organisation may read.
// The reading and paging are services/records.ts; this file validates, authorises and presents.
import type { FastifyInstance } from 'fastify';
import { certificateRecord, relationsPage, whoisRecord } from '../../services/records.js';
import { access } from '../auth.js';
import { ENTITY_PARAM, ORG_QUERY } from '../schemas.js';
import type { AppContext } from '../context.js';

const STRING_LISTS = { type: 'object', additionalProperties: { type: 'array', items: { type: 'string' } } } as const;

const WHOIS_VIEW = {
  type: 'object',
  properties: {
    domain: { type: 'string' },
    observed: { type: ['string', 'null'], description: 'when the newest version was observed (from the data)' },
    source: { type: 'string' },
    fields: { ...STRING_LISTS, description: 'whois.* fields of the newest version (whois.raw is `raw`)' },
    raw: { type: ['string', 'null'] },
    versions: {
      type: 'array',
      description: 'every stored version, newest first',
      items: { type: 'object', properties: { observed: { type: ['string', 'null'] }, source: { type: 'string' } }, required: ['observed', 'source'] },
    },
  },
  required: ['domain', 'observed', 'source', 'fields', 'raw', 'versions'],
} as const;

const CERTIFICATE_VIEW = {
  type: 'object',
  properties: {
    sha256: { type: 'string' },
    sha1: { type: ['string', 'null'], description: 'null for a certificate stored without DER whose source gave no SHA-1' },
    fields: STRING_LISTS,
    pem: { type: 'string', description: 'with encoding=pem (the default)' },
    der: { type: ['string', 'boolean'], description: 'base64 DER, with encoding=der; false (and no pem) for a certificate stored without its DER (fields only)' },
  },
  required: ['sha256', 'sha1', 'fields'],
} as const;

const RELATION_VIEW = {
  type: 'object',
  properties: {
    kind: { type: 'string', enum: ['resolves-to', 'resolved-from', 'served-on', 'serves', 'names', 'named-by'] },
    id: { type: 'string', description: 'the related IP, domain or certificate SHA-256 (or a record value: TXT text, a wildcard name)' },
    to: { type: ['string', 'null'], enum: ['domain', 'ip', 'certificate', null], description: 'the kind of entity `id` is, or null when it is not an entity (a TXT value, a wildcard name)' },
    rrtype: { type: 'string' },
    port: { type: 'integer' },
    source: { type: 'string' },
    first_seen: { type: ['string', 'null'] },
    last_seen: { type: ['string', 'null'] },
    count: { type: 'integer', description: 'times seen, where the data counts (passive DNS)' },
  },
  required: ['kind', 'id', 'to', 'source', 'first_seen', 'last_seen'],
} as const;

export function registerRecordRoutes(app: FastifyInstance, ctx: AppContext): void {
  app.get(
    '/whois/:domain',
    {
      config: { auth: 'viewer' },
      schema: {
        tags: ['records'],
        summary: "a domain's newest WHOIS record (fields and raw text) and the observation times of every version",
        params: { type: 'object', properties: { domain: { type: 'string', minLength: 1, maxLength: 300 } }, required: ['domain'] },
        querystring: { type: 'object', properties: ORG_QUERY, additionalProperties: false },
        response: { 200: WHOIS_VIEW },
      },
    },
    async (request) => {
      access(request);
      const { domain, newest, versions } = await whoisRecord(ctx.store, (request.params as { domain: string }).domain);
      return { domain, observed: newest.observed, source: newest.source, fields: newest.fields, raw: newest.raw, versions };
    },
  );

  app.get(
    '/certificates/:hash',
    {
      config: { auth: 'viewer' },
      schema: {
        tags: ['records'],
        summary: 'a stored certificate: its x509 fields, SHA-1, SHA-256, and PEM (or base64 DER)',
        params: { type: 'object', properties: { hash: { type: 'string', minLength: 40, maxLength: 95, description: 'SHA-1 or SHA-256, hex (colons allowed)' } }, required: ['hash'] },
        querystring: { type: 'object', properties: { ...ORG_QUERY, encoding: { type: 'string', enum: ['pem', 'der'], default: 'pem' } }, additionalProperties: false },
        response: { 200: CERTIFICATE_VIEW },
      },
    },
    async (request) => {
      access(request);
      const { encoding } = request.query as { encoding: 'pem' | 'der' };
      const cert = await certificateRecord(ctx.store, (request.params as { hash: string }).hash);
      const body = { sha256: cert.sha256, sha1: cert.sha1, fields: cert.fields };
      if (cert.der === null) return { ...body, der: false };
      const b64 = cert.der.toString('base64');
      if (encoding === 'der') return { ...body, der: b64 };
      return { ...body, pem: `-----BEGIN CERTIFICATE-----\n${b64.replace(/.{1,64}/g, '$&\n')}-----END CERTIFICATE-----\n` };
    },
  );

  app.get(
    '/entities/:entity/relations',
    {
      config: { auth: 'viewer' },
      schema: {
        tags: ['records'],
        summary: "an entity's relations with first / last seen, source and count, page by page",
        params: ENTITY_PARAM,
        querystring: {
          type: 'object',
          properties: {
            ...ORG_QUERY,
            limit: { type: 'integer', minimum: 1, maximum: 1000, default: 100 },
            cursor: { type: 'string', maxLength: 2000, description: 'the `next` of the previous page' },
          },
          additionalProperties: false,
        },
        response: { 200: { type: 'object', properties: { items: { type: 'array', items: RELATION_VIEW }, next: { type: ['string', 'null'] } }, required: ['items', 'next'] } },
      },
    },
    async (request) => {
      access(request);
      const { entity } = request.params as { entity: string };
      const { limit, cursor } = request.query as { limit: number; cursor?: string };
      return relationsPage(ctx.store, entity, { limit, ...(cursor !== undefined ? { cursor } : {}) });
    },
  );
}
