// Notifications: list (filters, pages with totals), groups by signature, summary; bulk read and
// triage on the list's own filter or on ids; one notification's detail, triage, comments and the
// exclusion a false positive offers its signature; who may be assigned.
import type { FastifyInstance } from 'fastify';
import { isoSeconds } from '../../services/clock.js';
import { addExclusion, exclusionOffer } from '../../services/notification-exclusion.js';
import {
  assignableMembers,
  commentOnNotification,
  markNotifications,
  notificationDetail,
  notificationGroups,
  notificationSummary,
  notificationsPage,
  NOTIFICATION_STATUSES,
  triageNotification,
  triageNotifications,
  MAX_COMMENT,
  type ListedNotification,
  type NotificationQuery,
  type NotificationStatus,
  type Target,
  type TriageChange,
} from '../../services/notifications.js';
import { SEVERITIES } from '../../signatures/types.js';
import { access } from '../auth.js';
import { badRequest } from '../errors.js';
import { ORG_QUERY } from '../schemas.js';
import type { AppContext } from '../context.js';

const STATUS = { type: 'string', enum: [...NOTIFICATION_STATUSES] } as const;

const NOTIFICATION = {
  type: 'object',
  properties: {
    id: { type: 'string' },
    signature: { type: 'string' },
    title: { type: 'string', description: "the signature's title (its id when it has none)" },
    display: { type: 'string', description: "a headline naming the signature's title and the entity, hashes shortened" },
    entity: { type: 'string' },
    kind: { type: 'string' },
    field: { type: 'string' },
    value: { type: 'string' },
    severity: { type: 'string' },
    headline: { type: 'string' },
    content: { type: 'string' },
    created: { type: 'string' },
    read: { type: 'boolean' },
    status: STATUS,
    status_at: { type: ['string', 'null'] },
    status_by: { type: ['string', 'null'] },
    assignee: { type: ['string', 'null'] },
    comments: { type: 'integer', description: 'how many comments it has' },
  },
  required: ['id', 'signature', 'title', 'display', 'entity', 'kind', 'field', 'value', 'severity', 'headline', 'content', 'created', 'read', 'status', 'status_at', 'status_by', 'assignee', 'comments'],
} as const;

const COMMENT = {
  type: 'object',
  properties: { seq: { type: 'integer' }, author: { type: 'string' }, at: { type: 'string' }, text: { type: 'string' } },
  required: ['seq', 'author', 'at', 'text'],
} as const;

/** The list's filter: the list, the groups and every bulk action take exactly these. */
const FILTER = {
  unread: { type: 'boolean' },
  signature: { type: 'string', maxLength: 128, description: 'a signature id' },
  severity: { type: 'string', enum: [...SEVERITIES] },
  since: { type: 'string', maxLength: 20, description: 'YYYY-MM-DD or YYYY-MM-DDTHH:MM:SSZ' },
  status: STATUS,
  assignee: { type: 'string', maxLength: 320, description: "a member's email, or `none` for unassigned" },
  title: { type: 'string', maxLength: 200, description: "a substring of the signature's title or id (any case)" },
} as const;

const FILTER_QUERY = { type: 'object', properties: { ...ORG_QUERY, ...FILTER }, additionalProperties: false } as const;

const ID_PARAMS = { type: 'object', properties: { id: { type: 'string', minLength: 1, maxLength: 64 } }, required: ['id'] } as const;

/** What a bulk body names: ids, or everything the query's filter selects. */
const SELECTION = {
  ids: { type: 'array', items: { type: 'string', maxLength: 64 }, minItems: 1, maxItems: 1000, description: 'these notifications (and only those the query filter also selects)' },
  matching: { type: 'boolean', enum: [true], description: 'every notification the query filter selects (no filter: all of them)' },
} as const;

type FilterQuery = NotificationQuery & { org?: string };

function filterFrom(q: FilterQuery): NotificationQuery {
  const { org: _org, ...filter } = q;
  return filter;
}

function targetOf(query: FilterQuery, body: { ids?: string[]; matching?: boolean }): Target {
  if (body.ids !== undefined && body.matching) throw badRequest('give ids or matching: true, not both');
  if (body.ids !== undefined) return { ids: body.ids, matching: filterFrom(query) };
  if (body.matching) return { matching: filterFrom(query) };
  throw badRequest('give ids, or matching: true for everything the filter selects');
}

function changeOf(body: { status?: string; assignee?: string | null }): TriageChange {
  // The schema's enum has checked the status; the service checks it again for its other callers.
  return { ...(body.status !== undefined ? { status: body.status as NotificationStatus } : {}), ...(body.assignee !== undefined ? { assignee: body.assignee } : {}) };
}

/** The API's names for a listed notification's fields (snake_case, as the rest of /api/v1). */
function present<N extends ListedNotification>(n: N): Omit<N, 'statusAt' | 'statusBy'> & { status_at: string | null; status_by: string | null } {
  const { statusAt, statusBy, ...rest } = n;
  return { ...rest, status_at: statusAt, status_by: statusBy };
}

const TRIAGE = {
  status: STATUS,
  assignee: { type: ['string', 'null'], maxLength: 320, description: "a member's email; null unassigns" },
} as const;

export function registerNotificationRoutes(app: FastifyInstance, ctx: AppContext): void {
  app.get(
    '/notifications',
    {
      config: { auth: 'viewer' },
      schema: {
        tags: ['notifications'],
        summary: "the organisation's notifications, newest first, with the filter's total",
        querystring: {
          type: 'object',
          properties: {
            ...ORG_QUERY,
            ...FILTER,
            limit: { type: 'integer', minimum: 1, maximum: 1000, default: 100 },
            offset: { type: 'integer', minimum: 0, maximum: 10_000_000, description: 'skip this many (a page kept in a URL)' },
            cursor: { type: 'string', maxLength: 200, description: 'the `next` of the previous page' },
          },
          additionalProperties: false,
        },
        response: {
          200: {
            type: 'object',
            properties: { items: { type: 'array', items: NOTIFICATION }, next: { type: ['string', 'null'] }, total: { type: 'integer' }, offset: { type: 'integer' } },
            required: ['items', 'next', 'total', 'offset'],
          },
        },
      },
    },
    async (request) => {
      const { org } = access(request);
      const { limit, offset, cursor, ...filter } = request.query as FilterQuery & { limit: number; offset?: number; cursor?: string };
      const page = await notificationsPage(ctx.store, org, { ...filterFrom(filter), limit, ...(offset !== undefined ? { offset } : {}), ...(cursor !== undefined ? { cursor } : {}) });
      return { ...page, items: page.items.map(present) };
    },
  );

  app.get(
    '/notifications/groups',
    {
      config: { auth: 'viewer' },
      schema: {
        tags: ['notifications'],
        summary: 'the filtered notifications grouped by signature, the largest group first',
        querystring: {
          type: 'object',
          properties: { ...ORG_QUERY, ...FILTER, limit: { type: 'integer', minimum: 1, maximum: 500, default: 100 }, offset: { type: 'integer', minimum: 0, maximum: 1_000_000 } },
          additionalProperties: false,
        },
        response: {
          200: {
            type: 'object',
            properties: {
              groups: {
                type: 'array',
                items: {
                  type: 'object',
                  properties: {
                    signature: { type: 'string' },
                    title: { type: 'string' },
                    count: { type: 'integer' },
                    unread: { type: 'integer' },
                    newest: { type: 'string' },
                    byStatus: { type: 'object', properties: Object.fromEntries(NOTIFICATION_STATUSES.map((s) => [s, { type: 'integer' }])), required: [...NOTIFICATION_STATUSES] },
                    bySeverity: { type: 'object', additionalProperties: { type: 'integer' } },
                  },
                  required: ['signature', 'title', 'count', 'unread', 'newest', 'byStatus', 'bySeverity'],
                },
              },
              total: { type: 'integer', description: 'how many groups' },
              notifications: { type: 'integer', description: 'how many notifications the filter selects' },
              offset: { type: 'integer' },
            },
            required: ['groups', 'total', 'notifications', 'offset'],
          },
        },
      },
    },
    async (request) => {
      const { org } = access(request);
      const { limit, offset, ...filter } = request.query as FilterQuery & { limit: number; offset?: number };
      return notificationGroups(ctx.store, org, { ...filterFrom(filter), limit, ...(offset !== undefined ? { offset } : {}) });
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

  app.get(
    '/notifications/assignees',
    {
      config: { auth: 'viewer' },
      schema: {
        tags: ['notifications'],
        summary: 'the members a notification may be assigned to',
        querystring: { type: 'object', properties: ORG_QUERY, additionalProperties: false },
        response: { 200: { type: 'array', items: { type: 'object', properties: { email: { type: 'string' }, role: { type: 'string' } }, required: ['email', 'role'] } } },
      },
    },
    async (request) => assignableMembers(ctx.store, access(request).org),
  );

  app.post(
    '/notifications/read',
    {
      config: { auth: 'analyst' },
      bodyLimit: 128 * 1024,
      schema: {
        tags: ['notifications'],
        summary: 'mark read or unread: the ids given, or everything the filter in the query selects (matching: true)',
        querystring: FILTER_QUERY,
        body: { type: 'object', properties: { ...SELECTION, read: { type: 'boolean', default: true } }, additionalProperties: false },
        response: { 200: { type: 'object', properties: { updated: { type: 'integer' } }, required: ['updated'] } },
      },
    },
    async (request) => {
      const { org } = access(request);
      const b = request.body as { ids?: string[]; matching?: boolean; read: boolean };
      return { updated: await markNotifications(ctx.store, org, targetOf(request.query as FilterQuery, b), b.read) };
    },
  );

  app.post(
    '/notifications/triage',
    {
      config: { auth: 'analyst' },
      bodyLimit: 128 * 1024,
      schema: {
        tags: ['notifications'],
        summary: 'set the status and/or assignee of the ids given, or of everything the filter in the query selects (matching: true); audited',
        querystring: FILTER_QUERY,
        body: { type: 'object', properties: { ...SELECTION, ...TRIAGE }, additionalProperties: false },
        response: { 200: { type: 'object', properties: { updated: { type: 'integer' }, ids: { type: 'array', items: { type: 'string' } } }, required: ['updated', 'ids'] } },
      },
    },
    async (request) => {
      const { org, principal } = access(request);
      const b = request.body as { ids?: string[]; matching?: boolean; status?: string; assignee?: string | null };
      return triageNotifications(ctx.store, principal.email, org, targetOf(request.query as FilterQuery, b), changeOf(b), isoSeconds(ctx.clock()));
    },
  );

  app.get(
    '/notifications/:id',
    {
      config: { auth: 'viewer' },
      schema: {
        tags: ['notifications'],
        summary: 'one notification and its comments',
        params: ID_PARAMS,
        querystring: { type: 'object', properties: ORG_QUERY, additionalProperties: false },
        response: { 200: { type: 'object', properties: { notification: NOTIFICATION, comments: { type: 'array', items: COMMENT } }, required: ['notification', 'comments'] } },
      },
    },
    async (request) => {
      const d = await notificationDetail(ctx.store, access(request).org, (request.params as { id: string }).id);
      return { notification: present(d.notification), comments: d.comments };
    },
  );

  app.patch(
    '/notifications/:id',
    {
      config: { auth: 'analyst' },
      bodyLimit: 4096,
      schema: {
        tags: ['notifications'],
        summary: "set one notification's status and/or assignee; audited",
        params: ID_PARAMS,
        querystring: { type: 'object', properties: ORG_QUERY, additionalProperties: false },
        body: { type: 'object', properties: TRIAGE, additionalProperties: false },
        response: { 200: NOTIFICATION },
      },
    },
    async (request) => {
      const { org, principal } = access(request);
      const b = request.body as { status?: string; assignee?: string | null };
      return present(await triageNotification(ctx.store, principal.email, org, (request.params as { id: string }).id, changeOf(b), isoSeconds(ctx.clock())));
    },
  );

  app.post(
    '/notifications/:id/comments',
    {
      config: { auth: 'analyst' },
      bodyLimit: 32 * 1024,
      schema: {
        tags: ['notifications'],
        summary: 'comment on a notification; audited',
        params: ID_PARAMS,
        querystring: { type: 'object', properties: ORG_QUERY, additionalProperties: false },
        body: { type: 'object', properties: { text: { type: 'string', minLength: 1, maxLength: MAX_COMMENT } }, required: ['text'], additionalProperties: false },
        response: { 201: COMMENT },
      },
    },
    async (request, reply) => {
      const { org, principal } = access(request);
      const c = await commentOnNotification(ctx.store, principal.email, org, (request.params as { id: string }).id, (request.body as { text: string }).text, isoSeconds(ctx.clock()));
      void reply.status(201);
      return c;
    },
  );

  app.get(
    '/notifications/:id/exclusion',
    {
      config: { auth: 'viewer' },
      schema: {
        tags: ['notifications'],
        summary: "the exclude pattern that would stop this notification's value in its signature (nothing changes)",
        params: ID_PARAMS,
        querystring: { type: 'object', properties: ORG_QUERY, additionalProperties: false },
        response: {
          200: {
            type: 'object',
            properties: {
              applicable: { type: 'boolean' },
              signature: { type: 'string' },
              field: { type: 'string' },
              match: { type: 'string' },
              value: { type: 'string' },
              pattern: { type: 'string' },
              text: { type: 'string', description: 'the changed signature as YAML' },
              reason: { type: 'string', description: 'why there is none to offer' },
            },
            required: ['applicable', 'signature'],
          },
        },
      },
    },
    async (request) => exclusionOffer(ctx.store, access(request).org, (request.params as { id: string }).id),
  );

  app.post(
    '/notifications/:id/exclusion',
    {
      config: { auth: 'analyst' },
      bodyLimit: 1024,
      schema: {
        tags: ['notifications'],
        summary: "add that exclude pattern to the signature (a new version, audited as signature.change); 409 when there is none to add",
        params: ID_PARAMS,
        querystring: { type: 'object', properties: ORG_QUERY, additionalProperties: false },
        response: {
          200: {
            type: 'object',
            properties: {
              signature: { type: 'string' },
              pattern: { type: 'string' },
              version: { type: 'integer' },
              withdrawn: { type: 'object', properties: { tags: { type: 'integer' }, classifications: { type: 'integer' } }, required: ['tags', 'classifications'] },
            },
            required: ['signature', 'pattern', 'version', 'withdrawn'],
          },
        },
      },
    },
    async (request) => {
      const { org, principal } = access(request);
      return addExclusion(ctx.store, principal.email, org, (request.params as { id: string }).id, isoSeconds(ctx.clock()));
    },
  );
}
