// Notifications: list (filters, cursor pagination), summary, mark read / unread.
import type { FastifyInstance } from 'fastify';
import { markNotifications, notificationSummary, notificationsPage } from '../../services/notifications.js';
import { SEVERITIES } from '../../signatures/types.js';
import { access } from '../auth.js';
import { badRequest } from '../errors.js';
import { ORG_QUERY } from '../schemas.js';
import type { AppContext } from '../context.js';

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
      return notificationsPage(ctx.store, org, request.query as { unread?: boolean; signature?: string; severity?: string; since?: string; limit: number; cursor?: string });
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
    async (request) => notificationSummary(ctx.store, access(request).org),
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
      return { updated: await markNotifications(ctx.store, org, b.all ? undefined : b.ids, b.read) };
    },
  );
}
