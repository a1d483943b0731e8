// A MISP feed of the organisation (docs/SHARING.md): manifest.json, hashes.csv and one event per tag and
// per signature, at the paths a MISP instance fetches when it subscribes to
// `…/api/v1/misp-feed` (with an `Authorization` header carrying an API key in the feed's
// settings). The organisation is the key's, or the one named with ?org=. The rules are
// services/sharing/export.ts; this file validates, authorises and presents.
import type { FastifyInstance } from 'fastify';
import { mispFeedEvent, mispFeedHashes, mispFeedManifest } from '../../services/sharing/export.js';
import { access } from '../auth.js';
import type { AppContext } from '../context.js';
import { notFound } from '../errors.js';
import { ORG_QUERY } from '../schemas.js';

const EVENT_FILE = /^([0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12})\.json$/;

export function registerMispFeedRoutes(app: FastifyInstance, ctx: AppContext): void {
  app.get(
    '/misp-feed/manifest.json',
    {
      config: { auth: 'viewer' },
      schema: {
        tags: ['sharing'],
        summary: "the organisation's MISP feed manifest: one event per tag and per signature (event uuid → info, date, timestamp, tags)",
        querystring: { type: 'object', properties: { ...ORG_QUERY }, additionalProperties: false },
      },
    },
    async (request, reply) => {
      const { org } = access(request);
      return reply.type('application/json; charset=utf-8').send(JSON.stringify(await mispFeedManifest(ctx.store, org)));
    },
  );

  app.get(
    '/misp-feed/hashes.csv',
    {
      config: { auth: 'viewer' },
      schema: {
        tags: ['sharing'],
        summary: 'the MISP feed’s hashes.csv: `MD5 of each attribute value,event uuid` per line',
        querystring: { type: 'object', properties: { ...ORG_QUERY }, additionalProperties: false },
      },
    },
    async (request, reply) => {
      const { org } = access(request);
      return reply.type('text/csv; charset=utf-8').send(await mispFeedHashes(ctx.store, org));
    },
  );

  app.get(
    '/misp-feed/:event',
    {
      config: { auth: 'viewer' },
      schema: {
        tags: ['sharing'],
        summary: 'one event of the MISP feed, `UUID.json` (MISP core format)',
        params: { type: 'object', properties: { event: { type: 'string', minLength: 1, maxLength: 64, description: 'the event uuid with `.json`' } }, required: ['event'] },
        querystring: { type: 'object', properties: { ...ORG_QUERY }, additionalProperties: false },
      },
    },
    async (request, reply) => {
      const { org } = access(request);
      const m = EVENT_FILE.exec((request.params as { event: string }).event);
      if (!m) throw notFound('MISP event file');
      return reply.type('application/json; charset=utf-8').send(JSON.stringify(await mispFeedEvent(ctx.store, org, m[1]!)));
    },
  );
}
