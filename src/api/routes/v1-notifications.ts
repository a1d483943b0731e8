// Notifications: list (filters, cursor pagination), summary, mark read / unread.
import type { FastifyInstance } from 'fastify';
import { listNotifications, markRead, notificationSummary } from '../../store/notifications.js';
import { SEVERITIES } from '../../signatures/types.js';
import { access } from '../auth.js';
import { badRequest } from '../errors.js';
import { ORG_QUERY } from '../schemas.js';
import type { AppContext } from '../server.js';

const NOTIFICATION = {
  type: 'object',
  properties: {
    id: { type: 'string' },
    signature: { type: 'string' },
    entity: { type: 'string' },
    kind: { type: 'string' },
    field: { type: 'string' },
    value: { type: 'string' },
    severity: { type: 'string' },
    headline: { type: 'string' },
    content: { type: 'string' },
    created: { type: 'string' },
    read: { type: 'boolean' },
  },
  required: ['id', 'signature', 'entity', 'kind', 'field', 'value', 'severity', 'headline', 'content', 'created', 'read'],
} as const;

const TIME = /^\d{4}-\d\d-\d\d(T\d\d:\d\d:\d\dZ)?$/;

export function registerNotificationRoutes(app: FastifyInstance, ctx: AppContext): void {
  app.get(
    '/notifications',
    {
      config: { auth: 'viewer' },
      schema: {
        tags: ['notifications'],
        summary: "the organisation's notifications, newest first",
        querystring: {
          type: 'object',
          properties: {
            ...ORG_QUERY,
            unread: { type: 'boolean' },
            signature: { type: 'string', maxLength: 128 },
            severity: { type: 'string', enum: [...SEVERITIES] },
            since: { type: 'string', maxLength: 20, description: 'YYYY-MM-DD or YYYY-MM-DDTHH:MM:SSZ' },
            limit: { type: 'integer', minimum: 1, maximum: 1000, default: 100 },
            cursor: { type: 'string', maxLength: 200, description: 'the `next` of the previous page' },
          },
          additionalProperties: false,
        },
        response: { 200: { type: 'object', properties: { items: { type: 'array', items: NOTIFICATION }, next: { type: ['string', 'null'] } }, required: ['items', 'next'] } },
      },
    },
    async (request) => {
      const { org } = access(request);
      const q = request.query as { unread?: boolean; signature?: string; severity?: string; since?: string; limit: number; cursor?: string };
      if (q.since !== undefined && !TIME.test(q.since)) throw badRequest('since must be YYYY-MM-DD or YYYY-MM-DDTHH:MM:SSZ');
      const offset = q.cursor === undefined ? 0 : Number(Buffer.from(q.cursor, 'base64url').toString());
      if (!Number.isInteger(offset) || offset < 0) throw badRequest('cursor is not one this server gave');
      const all = await listNotifications(ctx.store.db, org, {
        ...(q.unread ? { unread: true } : {}),
        ...(q.signature !== undefined ? { signature: q.signature } : {}),
        ...(q.severity !== undefined ? { severity: q.severity } : {}),
        ...(q.since !== undefined ? { since: q.since.length === 10 ? `${q.since}T00:00:00Z` : q.since } : {}),
        limit: offset + q.limit + 1,
      });
      const items = all.slice(offset, offset + q.limit);
      const more = all.length > offset + q.limit;
      return { items, next: more ? Buffer.from(String(offset + q.limit)).toString('base64url') : null };
    },
  );

  app.get(
    '/notifications/summary',
    {
      config: { auth: 'viewer' },
      schema: {
        tags: ['notifications'],
        summary: 'unread by signature and severity, counts per day',
        querystring: { type: 'object', properties: ORG_QUERY, additionalProperties: false },
        response: {
          200: {
            type: 'object',
            properties: {
              unread: { type: 'integer' },
              total: { type: 'integer' },
              unreadBySignature: { type: 'object', additionalProperties: { type: 'integer' } },
              unreadBySeverity: { type: 'object', additionalProperties: { type: 'integer' } },
              perDay: { type: 'array', items: { type: 'object', properties: { day: { type: 'string' }, count: { type: 'integer' } }, required: ['day', 'count'] } },
            },
            required: ['unread', 'total', 'unreadBySignature', 'unreadBySeverity', 'perDay'],
          },
        },
      },
    },
    async (request) => notificationSummary(ctx.store.db, access(request).org),
  );

  app.post(
    '/notifications/read',
    {
      config: { auth: 'viewer' },
      bodyLimit: 64 * 1024,
      schema: {
        tags: ['notifications'],
        summary: 'mark notifications read or unread (ids, or all)',
        querystring: { type: 'object', properties: ORG_QUERY, additionalProperties: false },
        body: {
          type: 'object',
          properties: { ids: { type: 'array', items: { type: 'string', maxLength: 64 }, maxItems: 1000 }, all: { type: 'boolean' }, read: { type: 'boolean', default: true } },
          additionalProperties: false,
        },
      },
    },
    async (request) => {
      const { org } = access(request);
      const b = request.body as { ids?: string[]; all?: boolean; read: boolean };
      if (!b.all && (b.ids === undefined || b.ids.length === 0)) throw badRequest('give ids, or all: true');
      return { updated: await markRead(ctx.store.db, org, b.all ? undefined : b.ids, b.read) };
    },
  );
}
