// GET /api/v1/feeds: where each followed feed stands (live.md "Feeds"). Feeds are the server's,
// not an organisation's: the operator starts them (`warren watch`, `warren serve --watch`) and
// their entries meet every organisation's signatures. So every authenticated member of any
// organisation (viewer and up) sees the same list; it names sources and counts, never an
// organisation's data.
import type { FastifyInstance } from 'fastify';
import { feedStatus } from '../../services/feeds/status.js';
import { ORG_QUERY } from '../schemas.js';
import type { AppContext } from '../context.js';

const NULLABLE_POSITION = { type: ['object', 'null'], additionalProperties: true, description: "the source's own position: { index } for a CT log, { line, … } for a list" } as const;
const NULLABLE_INT = { type: ['integer', 'null'] } as const;
const NULLABLE_STRING = { type: ['string', 'null'] } as const;

export const FEED_STATUS = {
  type: 'object',
  properties: {
    feed: { type: 'string', description: 'as given to warren watch: ct:https://…/, certstream:wss://…, domains:…' },
    position: { ...NULLABLE_POSITION, description: 'after the last stored batch' },
    evaluated: { ...NULLABLE_POSITION, description: 'after the last batch whose signatures ran: where a restart resumes' },
    index: { ...NULLABLE_INT, description: 'the next entry to read, when the position counts entries' },
    size: { ...NULLABLE_INT, description: "entries at the source in all (a CT log's tree size), when known" },
    lag: { ...NULLABLE_INT, description: 'size − index, when both are known' },
    newest: { ...NULLABLE_STRING, description: 'when the newest entry appeared at the source' },
    entries: { type: 'integer', description: 'entries read in all' },
    rate: { type: 'number', description: 'entries per second over the last minute (0 when the feed has not reported for 10 minutes)' },
    errors: { type: 'integer', description: 'failures in all, each retried' },
    lastError: NULLABLE_STRING,
    lastErrorAt: NULLABLE_STRING,
    updated: { type: 'string', description: 'when the feed last reported' },
  },
  required: ['feed', 'position', 'evaluated', 'index', 'size', 'lag', 'newest', 'entries', 'rate', 'errors', 'lastError', 'lastErrorAt', 'updated'],
} as const;

export function registerFeedRoutes(app: FastifyInstance, ctx: AppContext): void {
  app.get(
    '/feeds',
    {
      config: { auth: 'viewer' },
      schema: {
        tags: ['feeds'],
        summary: "every followed feed: position, size, lag, entries/s, last error (the server's feeds: the same list for every organisation)",
        querystring: { type: 'object', properties: ORG_QUERY, additionalProperties: false },
        response: { 200: { type: 'array', items: FEED_STATUS } },
      },
    },
    () => feedStatus(ctx.store, ctx.clock),
  );
}
