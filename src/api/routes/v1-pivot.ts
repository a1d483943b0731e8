// Pivots and lists (issue 15): GET /pivot (every entity with a value, or on one of the
// organisation's lists; a page with its total, or the whole list exported as CSV or JSON),
// GET /pivot/counts (how many entities have each value: the counts beside an entity's values)
// and GET /tags (the organisation's tags and classifications with their counts). The rules are
// services/pivot.ts; this file validates, authorises and presents.
import { Readable } from 'node:stream';
import type { FastifyInstance } from 'fastify';
import { ENTITY_KINDS } from '../../fields/catalogue.js';
import { EXPORT_CAP, LIST_FIELDS, MAX_COUNT_VALUES, PIVOT_FIELDS, entityValueCounts, fieldValueCounts, pivot, pivotExport, tagSummary, type ExportEnd, type PivotItem } from '../../services/pivot.js';
import { COUNT_CAP_SCALE, MAX_VALUE, ROUTING_SCAN_CAP, SCAN_CAP } from '../../services/search.js';
import { exportMispEvent, exportStix } from '../../services/sharing/export.js';
import { STIX_MEDIA_TYPE } from '../../services/sharing/taxii.js';
import { CLASSIFICATIONS } from '../../signatures/types.js';
import { access } from '../auth.js';
import { badRequest } from '../errors.js';
import { ORG_QUERY } from '../schemas.js';
import type { AppContext } from '../context.js';
import { csvLine } from '../csv.js';

const ITEM = {
  type: 'object',
  properties: {
    kind: { type: 'string', enum: [...ENTITY_KINDS] },
    id: { type: 'string', description: 'domain, IP, or certificate SHA-256' },
    value: { type: 'string', description: `catalogue fields: the value as the entity holds it (clipped to ${MAX_VALUE} characters)` },
  },
  required: ['kind', 'id'],
} as const;

const COUNT = {
  type: 'object',
  properties: {
    field: { type: 'string' },
    kind: { type: 'string', enum: [...ENTITY_KINDS], description: 'what is counted: the entities the field belongs to' },
    value: { type: 'string' },
    count: { type: 'integer' },
    complete: { type: 'boolean', description: 'false: counting stopped at its scan cap and `count` is a lower bound' },
  },
  required: ['field', 'kind', 'value', 'count', 'complete'],
} as const;

const CAPS = `A catalogue field's page and its count each read at most ${(SCAN_CAP * COUNT_CAP_SCALE).toLocaleString('en-US')} rows (${(ROUTING_SCAN_CAP * COUNT_CAP_SCALE).toLocaleString('en-US')} for network, as.* and network.*)`;

/** The file name of an export: the field and value, reduced to characters safe in a header. */
function fileName(field: string, value: string, ext: string): string {
  const safe = `${field}-${value}`.replace(/[^A-Za-z0-9._@-]+/g, '_').slice(0, 100);
  return `pivot-${safe}.${ext}`;
}

/** The export as text chunks: a page of entities at a time, as the service reads them. */
async function* exportText(format: 'csv' | 'json', field: string, value: string, first: PivotItem[], rest: AsyncGenerator<PivotItem[], ExportEnd>): AsyncGenerator<string> {
  let wrote = 0;
  const rows = (items: PivotItem[]): string => {
    if (format === 'csv') return items.map((i) => csvLine([i.kind, i.id, i.value ?? ''])).join('');
    const text = items.map((i) => `${wrote++ === 0 ? '' : ','}\n${JSON.stringify(i)}`).join('');
    return text;
  };
  yield format === 'csv' ? csvLine(['kind', 'id', 'value']) : `{"field":${JSON.stringify(field)},"value":${JSON.stringify(value)},"items":[`;
  yield rows(first);
  let r = await rest.next();
  while (!r.done) {
    yield rows(r.value);
    r = await rest.next();
  }
  if (format === 'json') yield `\n],"exported":${r.value.exported},"truncated":${JSON.stringify(r.value.truncated)},"limit":${EXPORT_CAP}}\n`;
}

export function registerPivotRoutes(app: FastifyInstance, ctx: AppContext): void {
  app.get(
    '/pivot',
    {
      config: { auth: 'viewer' },
      schema: {
        tags: ['search'],
        summary: 'every entity with this value (a catalogue field, exact and case-insensitive), or on one of the organisation’s lists (tag, classification, signature)',
        description:
          `${CAPS}; a page cut by that cap may hold fewer than \`limit\` items with a \`next\`, and a total cut by it has \`total_complete: false\`. ` +
          '`field=tag`: entities carrying the tag; `field=classification`: entities whose effective classification (a person’s, else the most severe a signature gave) is the value; ' +
          '`field=signature`: entities the signature currently tags or classifies, or raised a notification on. ' +
          `With \`format=csv\` (a header line \`kind,id,value\`) or \`format=json\`, the whole list is exported instead of a page, at most ${EXPORT_CAP.toLocaleString('en-US')} entities: ` +
          'the JSON says `truncated` (`limit`, `scan` or null) and the header `warren-export-limit` gives the cap. ' +
          '`format=stix`: the same entities as a STIX 2.1 bundle (observables, indicators with labels from tags and confidence from the classification, relationships for resolutions and served certificates; docs/SHARING.md); ' +
          '`format=misp`: as one MISP event (core format). Both say `warren-export-truncated` (`limit`, `scan` or `none`).',
        querystring: {
          type: 'object',
          properties: {
            ...ORG_QUERY,
            field: { type: 'string', minLength: 1, maxLength: 100, description: `a catalogue field (fields.md), or one of ${LIST_FIELDS.join(', ')}` },
            value: { type: 'string', minLength: 1, maxLength: 1000 },
            limit: { type: 'integer', minimum: 1, maximum: 500, default: 100 },
            cursor: { type: 'string', maxLength: 2000, description: 'the `next` of the previous page' },
            format: { type: 'string', enum: ['csv', 'json', 'stix', 'misp'], description: 'export the whole list instead of a page: csv and json streamed, stix a STIX 2.1 bundle, misp a MISP event' },
          },
          required: ['field', 'value'],
          additionalProperties: false,
        },
        response: {
          200: {
            type: 'object',
            properties: {
              field: { type: 'string' },
              value: { type: 'string' },
              kind: { type: ['string', 'null'], enum: [...ENTITY_KINDS, null], description: 'the kind of every item; null for the lists, which mix kinds' },
              items: { type: 'array', items: ITEM },
              next: { type: ['string', 'null'] },
              total: { type: 'integer', description: 'entities in the whole list' },
              total_complete: { type: 'boolean', description: 'false: counting stopped at its cap and `total` is a lower bound' },
              scanned: { type: 'integer', description: 'rows read for this answer' },
            },
            required: ['field', 'value', 'kind', 'items', 'next', 'total', 'total_complete', 'scanned'],
          },
        },
      },
    },
    async (request, reply) => {
      const { org } = access(request);
      const q = request.query as { field: string; value: string; limit: number; cursor?: string; format?: 'csv' | 'json' | 'stix' | 'misp' };
      if (q.format === undefined) return pivot(ctx.store, org, { field: q.field, value: q.value, limit: q.limit, ...(q.cursor !== undefined ? { cursor: q.cursor } : {}) });
      if (q.cursor !== undefined) throw badRequest('an export is the whole list: give no cursor');
      if (q.format === 'stix' || q.format === 'misp') {
        const done = q.format === 'stix' ? await exportStix(ctx.store, org, q.field, q.value) : await exportMispEvent(ctx.store, org, q.field, q.value);
        // Bytes: fastify would rewrite the STIX media type of a string (quoting its version).
        return reply
          .header('content-type', q.format === 'stix' ? STIX_MEDIA_TYPE : 'application/json; charset=utf-8')
          .header('content-disposition', `attachment; filename="${fileName(q.field, q.value, q.format === 'stix' ? 'stix.json' : 'misp.json')}"`)
          .header('warren-export-limit', String(EXPORT_CAP))
          .header('warren-export-truncated', done.truncated ?? 'none')
          .send(Buffer.from(JSON.stringify(done.body)));
      }
      const pages = pivotExport(ctx.store, org, q.field, q.value);
      // The first page before any byte is sent: a bad field or value is an ordinary 400.
      const first = await pages.next();
      const items = first.done ? [] : first.value;
      void reply
        .type(q.format === 'csv' ? 'text/csv; charset=utf-8' : 'application/json; charset=utf-8')
        .header('content-disposition', `attachment; filename="${fileName(q.field, q.value, q.format)}"`)
        .header('warren-export-limit', String(EXPORT_CAP));
      return reply.send(Readable.from(exportText(q.format, q.field, q.value, items, pages)));
    },
  );

  app.get(
    '/pivot/counts',
    {
      config: { auth: 'viewer' },
      schema: {
        tags: ['search'],
        summary: 'how many entities have each value: of an entity’s pivot fields (entity=), or of one field (field= and value=, repeated)',
        description:
          `${CAPS}, once per group of fields (a domain’s WHOIS values are counted in one pass). ` +
          '`entity=`: every value of the entity’s pivot fields (WHOIS, certificate subject, issuer, serial and SANs, AS, network and its registration), read from the store without evaluating anything. ' +
          `\`field=\` with \`value=\` repeated (at most ${MAX_COUNT_VALUES}; a value may hold commas): those values.`,
        querystring: {
          type: 'object',
          properties: {
            ...ORG_QUERY,
            entity: { type: 'string', minLength: 1, maxLength: 300, description: 'domain, IP, or certificate SHA-1 / SHA-256' },
            field: { type: 'string', enum: [...PIVOT_FIELDS], description: 'a field whose values the entity page links to their pivot' },
            value: { type: 'array', items: { type: 'string', minLength: 1, maxLength: 1000 }, maxItems: MAX_COUNT_VALUES },
          },
          additionalProperties: false,
        },
        response: {
          200: {
            type: 'object',
            properties: {
              kind: { type: 'string', enum: [...ENTITY_KINDS], description: 'entity=: its kind' },
              id: { type: 'string', description: 'entity=: its id (a certificate by SHA-256)' },
              counts: { type: 'array', items: COUNT },
              scanned: { type: 'integer', description: 'rows read for this answer' },
            },
            required: ['counts', 'scanned'],
          },
        },
      },
    },
    async (request) => {
      access(request);
      const q = request.query as { entity?: string; field?: string; value?: string[] };
      if (q.entity !== undefined) {
        if (q.field !== undefined || q.value !== undefined) throw badRequest('give entity, or field with values, not both');
        return entityValueCounts(ctx.store, q.entity);
      }
      if (q.field === undefined || q.value === undefined || q.value.length === 0) throw badRequest('give entity, or field with at least one value');
      return fieldValueCounts(ctx.store, q.field, q.value);
    },
  );

  app.get(
    '/tags',
    {
      config: { auth: 'viewer' },
      schema: {
        tags: ['search'],
        summary: 'the organisation’s tags and classifications, each with how many entities it lists (GET /pivot?field=tag|classification)',
        querystring: { type: 'object', properties: { ...ORG_QUERY }, additionalProperties: false },
        response: {
          200: {
            type: 'object',
            properties: {
              tags: {
                type: 'array',
                items: { type: 'object', properties: { name: { type: 'string' }, entities: { type: 'integer' } }, required: ['name', 'entities'] },
              },
              classifications: {
                type: 'array',
                description: 'by effective classification, in order of severity',
                items: { type: 'object', properties: { value: { type: 'string', enum: [...CLASSIFICATIONS] }, entities: { type: 'integer' } }, required: ['value', 'entities'] },
              },
            },
            required: ['tags', 'classifications'],
          },
        },
      },
    },
    async (request) => {
      const { org } = access(request);
      return tagSummary(ctx.store, org);
    },
  );
}
