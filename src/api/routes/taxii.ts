// TAXII 2.1, read-only, at /taxii2/ (docs/SHARING.md): discovery, one API root per organisation
// the caller may act in (/taxii2/ORG/), its collections (the organisation's tags and signatures),
// their objects (added_after, limit / next, match[type], match[id]), one object and its versions,
// and the manifest. Authenticated as the rest of the API (HTTP Basic email:key, Bearer key); the
// organisation is the path's, and one the caller is not a member of is 404. Every answer, errors
// too, is application/taxii+json;version=2.1 (errors as TAXII's error message). The rules are
// services/sharing/taxii.ts; this file negotiates, authorises and presents.
import type { FastifyError, FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { ServiceError } from '../../services/errors.js';
import {
  STIX_MEDIA_TYPE,
  TAXII_DEFAULT_LIMIT,
  TAXII_MAX_LIMIT,
  TAXII_MEDIA_TYPE,
  taxiiCollection,
  taxiiCollections,
  taxiiObject,
  taxiiObjects,
  versionOf,
  type DatedObject,
  type ObjectsQuery,
} from '../../services/sharing/taxii.js';
import { accessOrg, reachableOrgs } from '../auth.js';
import type { AppContext } from '../context.js';
import { ApiError, fromServiceError, notFound } from '../errors.js';

const ROOT = { type: 'object', properties: { root: { type: 'string', minLength: 1, maxLength: 64, description: 'the organisation' } }, required: ['root'] } as const;
const COLLECTION = {
  type: 'object',
  properties: { root: ROOT.properties.root, collection: { type: 'string', minLength: 1, maxLength: 64, description: 'a collection id' } },
  required: ['root', 'collection'],
} as const;
const OBJECT = {
  type: 'object',
  properties: { ...COLLECTION.properties, object: { type: 'string', minLength: 1, maxLength: 200, description: 'a STIX id' } },
  required: ['root', 'collection', 'object'],
} as const;
const LIST = { type: 'array', items: { type: 'string', maxLength: 2000 }, maxItems: 50, description: 'comma-separated, or repeated' } as const;
const FILTERS = {
  type: 'object',
  properties: {
    added_after: { type: 'string', maxLength: 64, description: 'RFC 3339: only objects added after it' },
    limit: { type: 'integer', minimum: 1, maximum: 1_000_000, description: `objects per page (default ${TAXII_DEFAULT_LIMIT}, at most ${TAXII_MAX_LIMIT})` },
    next: { type: 'string', maxLength: 2000, description: 'the `next` of the previous page' },
    'match[type]': LIST,
    'match[id]': LIST,
    'match[version]': LIST,
    'match[spec_version]': LIST,
  },
  additionalProperties: false,
} as const;

type Filters = { added_after?: string; limit?: number; next?: string; 'match[type]'?: string[]; 'match[id]'?: string[]; 'match[spec_version]'?: string[] };

function values(list: string[] | undefined): string[] | undefined {
  return list?.flatMap((v) => v.split(',')).map((v) => v.trim()).filter((v) => v !== '');
}

function objectsQuery(q: Filters, ids?: string[]): ObjectsQuery {
  return {
    ...(q.added_after !== undefined ? { addedAfter: q.added_after } : {}),
    ...(q.limit !== undefined ? { limit: q.limit } : {}),
    ...(q.next !== undefined ? { next: q.next } : {}),
    ...(values(q['match[type]']) ? { types: values(q['match[type]'])! } : {}),
    ...(ids ?? values(q['match[id]']) ? { ids: ids ?? values(q['match[id]'])! } : {}),
  };
}

/**
 * A body as bytes: fastify rewrites the content type of a string it sends (adding a charset and
 * quoting `version="2.1"`), and TAXII clients compare the media type as the specification writes it.
 */
function json(body: unknown): Buffer {
  return Buffer.from(JSON.stringify(body));
}

/** TAXII's error message, in its media type. */
function sendError(reply: FastifyReply, status: number, title: string, description?: string): void {
  void reply.status(status).header('content-type', TAXII_MEDIA_TYPE).send(json({ title, http_status: String(status), ...(description !== undefined ? { description } : {}) }));
}

function errorHandler(error: FastifyError | ApiError | ServiceError, request: FastifyRequest, reply: FastifyReply): void {
  if (error instanceof ServiceError) error = fromServiceError(error);
  if (error instanceof ApiError) return sendError(reply, error.status, error.code, error.message);
  if (error.validation) return sendError(reply, 400, 'invalid_request', `invalid ${error.validationContext ?? 'request'}: ${error.message}`);
  const status = error.statusCode ?? 500;
  if (status >= 400 && status < 500) return sendError(reply, status, error.code ? error.code.toLowerCase() : 'invalid_request', error.message);
  request.log.error({ err: error }, 'unhandled error');
  sendError(reply, 500, 'internal', 'internal error');
}

/**
 * The Accept header must allow TAXII 2.1 (a client asking only for another media type or version
 * gets 406); no Accept, or a wildcard, is taken as TAXII.
 */
function negotiate(request: FastifyRequest): void {
  const accept = request.headers.accept;
  if (accept === undefined || accept.trim() === '') return;
  const ok = accept.split(',').some((part) => {
    const [type, ...params] = part.split(';').map((p) => p.trim().toLowerCase());
    const version = params.find((p) => p.startsWith('version='))?.slice('version='.length);
    if (type === '*/*' || type === 'application/*' || type === 'application/json') return true;
    return type === 'application/taxii+json' && (version === undefined || version === '2.1');
  });
  if (!ok) throw new ApiError(406, 'not_acceptable', `this server speaks ${TAXII_MEDIA_TYPE}`);
}

function send(reply: FastifyReply, body: unknown, headers: Record<string, string> = {}): FastifyReply {
  for (const [k, v] of Object.entries(headers)) void reply.header(k, v);
  return reply.header('content-type', TAXII_MEDIA_TYPE).send(json(body));
}

/** X-TAXII-Date-Added-First / -Last of a page's objects. */
function dateHeaders(objects: readonly DatedObject[]): Record<string, string> {
  if (objects.length === 0) return {};
  const dates = objects.map((o) => o.dateAdded).sort();
  return { 'x-taxii-date-added-first': dates[0]!, 'x-taxii-date-added-last': dates.at(-1)! };
}

function envelope(page: { objects: DatedObject[]; more: boolean; next: string | null }): Record<string, unknown> {
  return { more: page.more, ...(page.next !== null ? { next: page.next } : {}), ...(page.objects.length > 0 ? { objects: page.objects.map((o) => o.object) } : {}) };
}

export function registerTaxii(app: FastifyInstance, ctx: AppContext): void {
  app.setErrorHandler(errorHandler);
  app.setNotFoundHandler((request, reply) => sendError(reply, 404, 'not_found', `no route ${request.method} ${request.url.split('?')[0]}`));
  app.addHook('preHandler', (request, _reply, done) => {
    try {
      negotiate(request);
      done();
    } catch (e) {
      done(e as Error);
    }
  });
  const schema = (summary: string, extra: Record<string, unknown> = {}): Record<string, unknown> => ({ tags: ['taxii'], summary, ...extra });

  app.get('/', { schema: schema('TAXII discovery: the API roots (one per organisation you may act in)') }, async (request, reply) => {
    const orgs = reachableOrgs(request);
    const root = (org: string): string => `/taxii2/${encodeURIComponent(org)}/`;
    return send(reply, {
      title: 'Warren TAXII 2.1',
      description: "Read-only: each organisation's tags and signatures as collections of STIX 2.1 objects",
      ...(orgs.length > 0 ? { default: root(orgs[0]!) } : {}),
      api_roots: orgs.map(root),
    });
  });

  app.get('/:root/', { schema: schema('a TAXII API root: an organisation', { params: ROOT }) }, async (request, reply) => {
    const { root } = request.params as { root: string };
    const { org } = accessOrg(request, root);
    return send(reply, { title: `Warren ${org}`, description: `Organisation ${org}'s tags and signatures`, versions: [TAXII_MEDIA_TYPE], max_content_length: 0 });
  });

  app.get('/:root/collections/', { schema: schema("the organisation's collections: one per tag, one per signature", { params: ROOT }) }, async (request, reply) => {
    const { org } = accessOrg(request, (request.params as { root: string }).root);
    return send(reply, { collections: await taxiiCollections(ctx.store, org) });
  });

  app.get('/:root/collections/:collection/', { schema: schema('one collection', { params: COLLECTION }) }, async (request, reply) => {
    const p = request.params as { root: string; collection: string };
    const { org } = accessOrg(request, p.root);
    return send(reply, await taxiiCollection(ctx.store, org, p.collection));
  });

  app.get('/:root/collections/:collection/objects/', { schema: schema("a page of the collection's STIX objects", { params: COLLECTION, querystring: FILTERS }) }, async (request, reply) => {
    const p = request.params as { root: string; collection: string };
    const { org } = accessOrg(request, p.root);
    const page = await taxiiObjects(ctx.store, org, p.collection, objectsQuery(request.query as Filters));
    return send(reply, envelope(page), dateHeaders(page.objects));
  });

  app.get('/:root/collections/:collection/objects/:object/', { schema: schema('one object of the collection', { params: OBJECT, querystring: FILTERS }) }, async (request, reply) => {
    const p = request.params as { root: string; collection: string; object: string };
    const { org } = accessOrg(request, p.root);
    const q = request.query as Filters;
    const found = await taxiiObject(ctx.store, org, p.collection, p.object, q.added_after !== undefined ? { addedAfter: q.added_after } : {});
    if (found.length === 0) throw notFound(`object ${p.object}`);
    return send(reply, envelope({ objects: found, more: false, next: null }), dateHeaders(found));
  });

  app.get('/:root/collections/:collection/objects/:object/versions/', { schema: schema("an object's versions (Warren keeps the latest)", { params: OBJECT, querystring: FILTERS }) }, async (request, reply) => {
    const p = request.params as { root: string; collection: string; object: string };
    const { org } = accessOrg(request, p.root);
    const found = await taxiiObject(ctx.store, org, p.collection, p.object);
    if (found.length === 0) throw notFound(`object ${p.object}`);
    return send(reply, { more: false, versions: found.map(versionOf) }, dateHeaders(found));
  });

  app.get('/:root/collections/:collection/manifest/', { schema: schema("a page of the collection's manifest", { params: COLLECTION, querystring: FILTERS }) }, async (request, reply) => {
    const p = request.params as { root: string; collection: string };
    const { org } = accessOrg(request, p.root);
    const page = await taxiiObjects(ctx.store, org, p.collection, objectsQuery(request.query as Filters));
    const objects = page.objects.map((o) => ({ id: o.object.id, date_added: o.dateAdded, version: versionOf(o), media_type: STIX_MEDIA_TYPE }));
    return send(reply, { more: page.more, ...(page.next !== null ? { next: page.next } : {}), ...(objects.length > 0 ? { objects } : {}) }, dateHeaders(page.objects));
  });
}
