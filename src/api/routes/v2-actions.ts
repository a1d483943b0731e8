// PassiveTotal v2: enrichment, tags and classification. Every answer comes from lookup(), which
// evaluates the organisation's signatures as a view does, so signature tags show on first ask.
import type { FastifyInstance, FastifyRequest } from 'fastify';
import { isoSeconds } from '../../services/clock.js';
import { identify, lookup, type EntityRef, type EntityView } from '../../services/lookup.js';
import { checkTagName, classifyEntity, ManualActionError, resolveEntity, tagEntity, untagEntity } from '../../services/manual.js';
import { deriveDomainFields } from '../../fields/domain.js';
import { access } from '../auth.js';
import { badRequest, notFound } from '../errors.js';
import type { AppContext } from '../context.js';
import {
  CLASSIFICATION_BODY,
  CLASSIFICATION_GET_RESPONSE,
  CLASSIFICATION_SET_RESPONSE,
  ENRICHMENT_RESPONSE,
  PT_TAG,
  querystring,
  TAGS_BODY,
  TAGS_RESPONSE,
} from './v2-schemas.js';

const NOT_AN_ENTITY = (q: string): string => `"${q}" is not a domain, an IP address or a certificate SHA-1`;

/** The organisation's view of what `query` names (signatures evaluated); 400 / 404 otherwise. */
/** A view of the query; `live`: with live look-ups (enrichment is a view; reading tags is not). */
export async function ptView(ctx: AppContext, org: string, query: string, live = false): Promise<EntityView> {
  if (!identify(query)) throw badRequest(NOT_AN_ENTITY(query));
  const v = await lookup(ctx.store, query, { org, now: isoSeconds(ctx.clock()), ...(live ? { live: { lookups: ctx.live } } : {}) });
  if (!v) throw notFound(`certificate ${query.trim()}`);
  return v;
}

/** Tag names, each once, sorted. */
export function tagNames(v: EntityView): string[] {
  return [...new Set(v.tags.map((t) => t.name))].sort();
}

async function entityRef(ctx: AppContext, text: string): Promise<EntityRef> {
  try {
    return await resolveEntity(ctx.store, text);
  } catch (e) {
    if (e instanceof ManualActionError) throw identify(text) ? notFound(`certificate ${text.trim()}`) : badRequest(NOT_AN_ENTITY(text));
    throw e;
  }
}

/** The tags of a body: an array, its strings split at commas and trimmed (as the Python client does). */
function requestedTags(given: string | readonly string[]): string[] {
  const tags = typeof given === 'string' ? [given] : given;
  const out = [...new Set(tags.flatMap((t) => t.split(',')).map((t) => t.trim()))].filter((t) => t !== '');
  if (out.length === 0) throw badRequest('tags must name at least one tag');
  for (const t of out) {
    try {
      checkTagName(t);
    } catch (e) {
      if (e instanceof ManualActionError) throw badRequest(e.message);
      throw e;
    }
  }
  return out;
}

function enrichment(query: string, v: EntityView): Record<string, unknown> {
  const tags = tagNames(v);
  const everCompromised = v.classification?.value === 'malicious';
  if (v.kind === 'ip') {
    const asn = v.fields['as.number']?.[0];
    return {
      queryValue: query,
      queryType: 'ip',
      network: v.fields.network?.[0] ?? null,
      autonomousSystemName: v.fields['as.name']?.[0] ?? null,
      autonomousSystemNumber: asn === undefined ? null : Number(asn),
      country: null,
      latitude: null,
      longitude: null,
      sinkhole: false,
      everCompromised,
      tags,
    };
  }
  const d = deriveDomainFields(v.id);
  return {
    queryValue: query,
    queryType: 'domain',
    primaryDomain: d['domain.registered'] ?? v.id,
    tld: d['domain.tld'] === undefined ? null : `.${d['domain.tld']}`,
    subdomains: d['domain.subdomain'] === undefined ? [] : [d['domain.subdomain']],
    tags,
    dynamicDns: false,
    everCompromised,
  };
}

function queryOf(request: FastifyRequest): string {
  return (request.query as { query: string }).query;
}

export function registerV2Actions(app: FastifyInstance, ctx: AppContext): void {
  app.get(
    '/enrichment',
    {
      config: { auth: 'viewer' },
      schema: {
        tags: PT_TAG,
        summary: 'enrichment of a domain or an IP: registrable domain, routing, tags (evaluates signatures)',
        querystring: querystring(),
        response: { 200: ENRICHMENT_RESPONSE },
      },
    },
    async (request) => {
      const { org } = access(request);
      const query = queryOf(request);
      const ref = identify(query);
      if (!ref || ref.kind === 'certificate') throw badRequest(`"${query}" is not a domain or an IP address`);
      return enrichment(query, await ptView(ctx, org, query, true));
    },
  );

  app.get(
    '/actions/tags',
    {
      config: { auth: 'viewer' },
      schema: { tags: PT_TAG, summary: "the organisation's tags on a domain, IP or certificate", querystring: querystring(), response: { 200: TAGS_RESPONSE } },
    },
    async (request) => {
      const { org } = access(request);
      return { tags: tagNames(await ptView(ctx, org, queryOf(request))) };
    },
  );

  const addTags = async (request: FastifyRequest): Promise<{ tags: string[] }> => {
    const { org, principal } = access(request);
    const body = request.body as { query: string; tags: string | string[] };
    const tags = requestedTags(body.tags);
    const ref = await entityRef(ctx, body.query);
    const now = isoSeconds(ctx.clock());
    for (const tag of tags) {
      await tagEntity(ctx.store, principal.email, org, ref, tag, now);
    }
    return { tags: tagNames(await ptView(ctx, org, body.query)) };
  };
  const writeSchema = (summary: string): Record<string, unknown> => ({
    tags: PT_TAG,
    summary,
    querystring: querystring({}, []),
    body: TAGS_BODY,
    response: { 200: TAGS_RESPONSE },
  });

  app.post('/actions/tags', { config: { auth: 'analyst' }, bodyLimit: 65536, schema: writeSchema('add tags; answers all tags after the change') }, addTags);
  // The official Python client adds tags with PUT.
  app.put('/actions/tags', { config: { auth: 'analyst' }, bodyLimit: 65536, schema: writeSchema('add tags (as POST); answers all tags after the change') }, addTags);

  app.delete(
    '/actions/tags',
    { config: { auth: 'analyst' }, bodyLimit: 65536, schema: writeSchema('remove tags added by hand; answers all tags after the change') },
    async (request) => {
      const { org, principal } = access(request);
      const body = request.body as { query: string; tags: string | string[] };
      const tags = requestedTags(body.tags);
      const ref = await entityRef(ctx, body.query);
      const now = isoSeconds(ctx.clock());
      for (const tag of tags) await untagEntity(ctx.store, principal.email, org, ref, tag, now);
      return { tags: tagNames(await ptView(ctx, org, body.query)) };
    },
  );

  app.get(
    '/actions/classification',
    {
      config: { auth: 'viewer' },
      schema: {
        tags: PT_TAG,
        summary: "the organisation's effective classification (unknown when none)",
        querystring: querystring(),
        response: { 200: CLASSIFICATION_GET_RESPONSE },
      },
    },
    async (request) => {
      const { org } = access(request);
      const v = await ptView(ctx, org, queryOf(request));
      return { classification: v.classification?.value ?? 'unknown' };
    },
  );

  app.post(
    '/actions/classification',
    {
      config: { auth: 'analyst' },
      bodyLimit: 65536,
      schema: {
        tags: PT_TAG,
        summary: 'classify by hand (wins over every signature); non-malicious may be spelt non_malicious',
        querystring: querystring({}, []),
        body: CLASSIFICATION_BODY,
        response: { 200: CLASSIFICATION_SET_RESPONSE },
      },
    },
    async (request) => {
      const { org, principal } = access(request);
      const body = request.body as { query: string; classification: string };
      const value = body.classification === 'non_malicious' ? 'non-malicious' : body.classification;
      const ref = await entityRef(ctx, body.query);
      const now = isoSeconds(ctx.clock());
      await classifyEntity(ctx.store, principal.email, org, ref, value, now);
      // The spec's answer spells non-malicious with an underscore.
      return { queryValue: body.query, classification: value.replace('-', '_') };
    },
  );
}
