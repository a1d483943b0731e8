// Stored records as they are: a domain's WHOIS (newest version, and when every version was
// observed), a certificate (fields and its encoding), and an entity's relations page by page.
// These read the shared data, not the organisation's: any member of any organisation may read.
// The queries are in store/records-queries.ts; this file validates, pages and presents.
import type { FastifyInstance } from 'fastify';
import { normaliseDomain } from '../../fields/domain.js';
import { identify } from '../../services/lookup.js';
import { relationStreams, whoisHistory, type RelationKey, type RelationRow, type RelationStream } from '../../store/records-queries.js';
import type { Relation } from '../../store/store.js';
import { access } from '../auth.js';
import { badRequest, notFound } from '../errors.js';
import { ENTITY_PARAM, ORG_QUERY } from '../schemas.js';
import type { AppContext } from '../server.js';

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
    sha1: { type: 'string' },
    fields: STRING_LISTS,
    pem: { type: 'string', description: 'with encoding=pem (the default)' },
    der: { type: 'string', description: 'base64 DER, with encoding=der' },
  },
  required: ['sha256', 'sha1', 'fields'],
} as const;

const RELATION_VIEW = {
  type: 'object',
  properties: {
    kind: { type: 'string', enum: ['resolves-to', 'resolved-from', 'served-on', 'serves', 'names', 'named-by'] },
    id: { type: 'string', description: 'the related IP, domain or certificate SHA-256' },
    rrtype: { type: 'string' },
    port: { type: 'integer' },
    source: { type: 'string' },
    first_seen: { type: ['string', 'null'] },
    last_seen: { type: ['string', 'null'] },
    count: { type: 'integer', description: 'times seen, where the data counts (passive DNS)' },
  },
  required: ['kind', 'id', 'source', 'first_seen', 'last_seen'],
} as const;

type Key = RelationKey;
type Stream = RelationStream;

interface RelationCursor {
  readonly s: number;
  readonly k: Key;
}

function encodeCursor(c: RelationCursor): string {
  return Buffer.from(JSON.stringify(c)).toString('base64url');
}

function decodeCursor(text: string, streams: readonly Stream[]): RelationCursor {
  const bad = badRequest('cursor is not one this server gave for this entity');
  let v: unknown;
  try {
    v = JSON.parse(Buffer.from(text, 'base64url').toString('utf8'));
  } catch {
    throw bad;
  }
  const c = v as { s?: unknown; k?: unknown } | null;
  if (typeof c !== 'object' || c === null || typeof c.s !== 'number' || !Array.isArray(c.k)) throw bad;
  const shape = streams[c.s]?.shape;
  const k = c.k as unknown[];
  if (!shape || k.length !== shape.length || !k.every((x, i) => (shape[i] === 'int' ? Number.isSafeInteger(x) : typeof x === 'string' && !x.includes('\0')))) throw bad;
  return { s: c.s, k: k as Key };
}

/** One page across the streams: limit + 1 rows are read so `next` is null exactly at the end. */
async function relationPage(streams: readonly Stream[], cursor: RelationCursor | undefined, limit: number): Promise<{ items: Relation[]; next: string | null }> {
  const rows: { s: number; row: RelationRow }[] = [];
  for (let s = cursor?.s ?? 0; s < streams.length && rows.length <= limit; s++) {
    const after = cursor && s === cursor.s ? cursor.k : undefined;
    for (const row of await streams[s]!.read(after, limit + 1 - rows.length)) rows.push({ s, row });
  }
  const page = rows.slice(0, limit);
  const last = page.at(-1);
  return { items: page.map((r) => r.row.relation), next: rows.length > limit && last ? encodeCursor({ s: last.s, k: last.row.key }) : null };
}

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
      const text = (request.params as { domain: string }).domain;
      const domain = normaliseDomain(text);
      if (!domain) throw badRequest(`"${text}" is not a domain name`);
      const history = await whoisHistory(ctx.store.db, domain);
      if (!history) throw notFound(`WHOIS record of ${domain}`);
      const { newest, versions } = history;
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
      const text = (request.params as { hash: string }).hash;
      const { encoding } = request.query as { encoding: 'pem' | 'der' };
      const hash = text.replace(/:/g, '').toLowerCase();
      if (!/^([0-9a-f]{40}|[0-9a-f]{64})$/.test(hash)) throw badRequest(`"${text}" is not a SHA-1 or SHA-256 fingerprint`);
      const cert = await ctx.store.certificate(hash);
      if (!cert) throw notFound(`certificate ${text}`);
      const b64 = cert.der.toString('base64');
      const body = { sha256: cert.sha256, sha1: cert.sha1, fields: cert.fields };
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
      const ref = identify(entity);
      if (!ref) throw badRequest(`"${entity}" is not a domain, an IP address or a certificate fingerprint`);
      let id = ref.id;
      if (ref.kind === 'certificate') {
        // A SHA-1 names the certificate too; relations are keyed by SHA-256.
        const cert = await ctx.store.certificate(ref.id);
        if (!cert) throw notFound(`certificate ${entity}`);
        id = cert.sha256;
      }
      const streams = relationStreams(ctx.store.db, ref.kind, id);
      return relationPage(streams, cursor === undefined ? undefined : decodeCursor(cursor, streams), limit);
    },
  );
}
