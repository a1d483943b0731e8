// Accounts: the organisation's members (admins), adding a user to it, API keys (each user their
// own; an admin may list and revoke the keys of the organisation's members), and the audit log.
// A key is answered once, at creation; only its hash is stored.
import type { FastifyInstance } from 'fastify';
import { AccountError, addUser, createApiKey, MAX_PASSWORD, MIN_PASSWORD, roleAtLeast } from '../../services/accounts.js';
import { isoSeconds } from '../../services/clock.js';
import { apiKeyOwner, apiKeys, appendAudit, auditLog, orgMembers, revokeApiKey, ROLES, userByEmail, type ApiKeyRow, type Role } from '../../store/accounts.js';
import { access } from '../auth.js';
import { ApiError, badRequest, notFound } from '../errors.js';
import { ORG_QUERY } from '../schemas.js';
import type { AppContext } from '../server.js';

const ORG_ONLY = { type: 'object', properties: ORG_QUERY, additionalProperties: false } as const;
/** Printable text: control characters have no place in names, and PostgreSQL refuses NUL. */
const PRINTABLE = '^[^\\u0000-\\u001f\\u007f]+$';

const KEY_VIEW = {
  type: 'object',
  properties: {
    id: { type: 'string' },
    user: { type: 'string' },
    name: { type: 'string' },
    created: { type: 'string' },
    last_used: { type: ['string', 'null'] },
    revoked: { type: ['string', 'null'] },
  },
  required: ['id', 'user', 'name', 'created', 'last_used', 'revoked'],
} as const;

const AUDIT_VIEW = {
  type: 'object',
  properties: {
    seq: { type: 'integer' },
    at: { type: 'string' },
    actor: { type: 'string' },
    action: { type: 'string' },
    target: { type: 'string' },
    before: {},
    after: {},
  },
  required: ['seq', 'at', 'actor', 'action', 'target'],
} as const;

function keyView(k: ApiKeyRow): { id: string; user: string; name: string; created: string; last_used: string | null; revoked: string | null } {
  return { id: k.id, user: k.email, name: k.name, created: k.created, last_used: k.lastUsed, revoked: k.revoked };
}

export function registerAccountRoutes(app: FastifyInstance, ctx: AppContext): void {
  const now = (): string => isoSeconds(ctx.clock());

  app.get(
    '/users',
    {
      config: { auth: 'admin' },
      schema: {
        tags: ['accounts'],
        summary: "the organisation's members and their roles",
        querystring: ORG_ONLY,
        response: { 200: { type: 'array', items: { type: 'object', properties: { email: { type: 'string' }, role: { type: 'string', enum: [...ROLES] } }, required: ['email', 'role'] } } },
      },
    },
    async (request) => orgMembers(ctx.store.db, access(request).org),
  );

  app.post(
    '/users',
    {
      config: { auth: 'admin' },
      bodyLimit: 8 * 1024,
      schema: {
        tags: ['accounts'],
        summary: "add a user to the organisation with a role, or change a member's role",
        querystring: ORG_ONLY,
        body: {
          type: 'object',
          properties: {
            email: { type: 'string', minLength: 3, maxLength: 320, pattern: PRINTABLE },
            role: { type: 'string', enum: [...ROLES] },
            password: { type: 'string', minLength: MIN_PASSWORD, maxLength: MAX_PASSWORD, description: 'for a new user only: browser sign-in (API keys need none)' },
          },
          required: ['email', 'role'],
          additionalProperties: false,
        },
        response: { 201: { type: 'object', properties: { email: { type: 'string' }, org: { type: 'string' }, role: { type: 'string' } }, required: ['email', 'org', 'role'] } },
      },
    },
    async (request, reply) => {
      const { org, principal } = access(request);
      const b = request.body as { email: string; role: Role; password?: string };
      const email = b.email.trim().toLowerCase();
      if (email === principal.email) throw badRequest('you cannot change your own role (another admin can)');
      const existing = await userByEmail(ctx.store.db, email);
      // Users are shared across organisations: setting the password of an existing user would let
      // one organisation's admin sign in as another organisation's member.
      if (existing && b.password !== undefined) throw new ApiError(409, 'conflict', `user ${email} already exists: add them without a password (they keep their own)`);
      const before = (await orgMembers(ctx.store.db, org)).find((m) => m.email === email);
      try {
        await addUser(ctx.store, { email, org, role: b.role, ...(b.password !== undefined ? { password: b.password } : {}), now: now() });
      } catch (e) {
        if (e instanceof AccountError) throw badRequest(e.message);
        throw e;
      }
      await appendAudit(ctx.store.db, {
        at: now(),
        actor: principal.email,
        org,
        action: before ? 'user.role' : 'user.add',
        target: `user:${email}`,
        ...(before ? { before: { role: before.role } } : {}),
        after: { role: b.role, ...(existing ? {} : { password: b.password !== undefined }) },
      });
      void reply.status(201);
      return { email, org, role: b.role };
    },
  );

  app.get(
    '/apikeys',
    {
      config: { auth: 'viewer' },
      schema: {
        tags: ['accounts'],
        summary: "your API keys (never the keys themselves); admins may ask for a member's with ?user=",
        querystring: { type: 'object', properties: { ...ORG_QUERY, user: { type: 'string', minLength: 3, maxLength: 320 } }, additionalProperties: false },
        response: { 200: { type: 'array', items: KEY_VIEW } },
      },
    },
    async (request) => {
      const { org, principal, role } = access(request);
      const asked = (request.query as { user?: string }).user?.trim().toLowerCase() ?? principal.email;
      if (asked !== principal.email) {
        // Whether someone is a member is the admin's to know; to anyone else it is not found.
        const member = roleAtLeast(role, 'admin') && (await orgMembers(ctx.store.db, org)).some((m) => m.email === asked);
        if (!member) throw notFound(`user ${asked}`);
      }
      return (await apiKeys(ctx.store.db, asked)).map(keyView);
    },
  );

  app.post(
    '/apikeys',
    {
      config: { auth: 'viewer' },
      bodyLimit: 4096,
      schema: {
        tags: ['accounts'],
        summary: 'create an API key for yourself; the key is in this answer only',
        querystring: ORG_ONLY,
        body: { type: 'object', properties: { name: { type: 'string', minLength: 1, maxLength: 100, pattern: PRINTABLE } }, required: ['name'], additionalProperties: false },
        response: { 201: { type: 'object', properties: { ...KEY_VIEW.properties, key: { type: 'string', description: 'shown once: keep it' } }, required: [...KEY_VIEW.required, 'key'] } },
      },
    },
    async (request, reply) => {
      const { org, principal } = access(request);
      const { name } = request.body as { name: string };
      const at = now();
      let created: { id: string; key: string };
      try {
        created = await createApiKey(ctx.store, principal.email, name, at);
      } catch (e) {
        if (e instanceof AccountError) throw badRequest(e.message);
        throw e;
      }
      await appendAudit(ctx.store.db, { at, actor: principal.email, org, action: 'apikey.create', target: `apikey:${created.id}`, after: { user: principal.email, name } });
      void reply.status(201);
      return { id: created.id, user: principal.email, name, created: at, last_used: null, revoked: null, key: created.key };
    },
  );

  app.delete(
    '/apikeys/:id',
    {
      config: { auth: 'viewer' },
      schema: {
        tags: ['accounts'],
        summary: "revoke one of your API keys (admins: also a member's)",
        params: { type: 'object', properties: { id: { type: 'string', minLength: 1, maxLength: 64 } }, required: ['id'] },
        querystring: ORG_ONLY,
        response: { 200: KEY_VIEW },
      },
    },
    async (request) => {
      const { org, principal, role } = access(request);
      const { id } = request.params as { id: string };
      // Key ids are hex (services/accounts.ts); anything else names no key.
      const key = /^[0-9a-f]{1,64}$/.test(id) ? await apiKeyOwner(ctx.store.db, id) : undefined;
      const mine = key?.email === principal.email;
      const members = key && !mine && roleAtLeast(role, 'admin') ? await orgMembers(ctx.store.db, org) : [];
      if (!key || (!mine && !members.some((m) => m.email === key.email))) throw notFound(`API key ${id}`);
      const at = now();
      if (!(await revokeApiKey(ctx.store.db, id, at, key.email))) throw new ApiError(409, 'conflict', `API key ${id} is already revoked`);
      await appendAudit(ctx.store.db, { at, actor: principal.email, org, action: 'apikey.revoke', target: `apikey:${id}`, before: { user: key.email } });
      const row = (await apiKeys(ctx.store.db, key.email)).find((k) => k.id === id)!;
      return keyView(row);
    },
  );

  app.get(
    '/audit',
    {
      config: { auth: 'admin' },
      schema: {
        tags: ['accounts'],
        summary: "the organisation's audit log, newest first",
        querystring: {
          type: 'object',
          properties: {
            ...ORG_QUERY,
            limit: { type: 'integer', minimum: 1, maximum: 1000, default: 100 },
            cursor: { type: 'string', maxLength: 40, pattern: '^[0-9]+$', description: 'the `next` of the previous page' },
          },
          additionalProperties: false,
        },
        response: { 200: { type: 'object', properties: { items: { type: 'array', items: AUDIT_VIEW }, next: { type: ['string', 'null'] } }, required: ['items', 'next'] } },
      },
    },
    async (request) => {
      const { org } = access(request);
      const { limit, cursor } = request.query as { limit: number; cursor?: string };
      const before = cursor === undefined ? undefined : Number(cursor);
      if (before !== undefined && !Number.isSafeInteger(before)) throw badRequest('cursor is not one this server gave');
      const rows = await auditLog(ctx.store.db, org, { ...(before !== undefined ? { before } : {}), limit: limit + 1 });
      const items = rows.slice(0, limit).map(({ org: _org, ...e }) => e);
      return { items, next: rows.length > limit ? String(items.at(-1)!.seq) : null };
    },
  );
}
