// Accounts: the organisation's members (admins), invitations (an admin invites, the invitee
// accepts; only a server admin adds users directly), API keys (each user their own, each acting
// in one organisation; an admin may list and revoke the organisation's keys of its members), and
// the audit log. A key is answered once, at creation; only its hash is stored.
import type { FastifyInstance } from 'fastify';
import { auditPage } from '../../services/audit.js';
import {
  issueApiKey,
  MAX_PASSWORD,
  members,
  MIN_PASSWORD,
  normaliseEmail,
  pendingInvitations,
  putMember,
  respondToInvitation,
  revokeApiKeyAs,
  ROLES,
  visibleApiKeys,
  withdrawInvitation,
  type ApiKeyRow,
  type Caller,
  type InvitationRow,
  type Role,
} from '../../services/accounts.js';
import { isoSeconds } from '../../services/clock.js';
import { access, type Access } from '../auth.js';
import { badRequest } from '../errors.js';
import { ORG_QUERY } from '../schemas.js';
import type { AppContext } from '../context.js';

const ORG_ONLY = { type: 'object', properties: ORG_QUERY, additionalProperties: false } as const;
/** Printable text: control characters have no place in names, and PostgreSQL refuses NUL. */
const PRINTABLE = '^[^\\u0000-\\u001f\\u007f]+$';

const KEY_VIEW = {
  type: 'object',
  properties: {
    id: { type: 'string' },
    user: { type: 'string' },
    org: { type: ['string', 'null'], description: 'the organisation the key acts in; null for an unscoped key made before keys were scoped' },
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

function keyView(k: ApiKeyRow): { id: string; user: string; org: string | null; name: string; created: string; last_used: string | null; revoked: string | null } {
  return { id: k.id, user: k.email, org: k.org, name: k.name, created: k.created, last_used: k.lastUsed, revoked: k.revoked };
}

const ID_PARAM = { type: 'object', properties: { id: { type: 'string', minLength: 1, maxLength: 64 } }, required: ['id'] } as const;

const USER_ANSWER = {
  type: 'object',
  properties: {
    email: { type: 'string' },
    org: { type: 'string' },
    role: { type: 'string' },
    status: { type: 'string', enum: ['member', 'invited'], description: 'member: the role is set; invited: the membership exists once they accept' },
    invitation: { type: 'string', description: 'the invitation id (status invited)' },
  },
  required: ['email', 'org', 'role', 'status'],
} as const;

const INVITATION_VIEW = {
  type: 'object',
  properties: { id: { type: 'string' }, org: { type: 'string' }, email: { type: 'string' }, role: { type: 'string' }, invited_by: { type: 'string' }, created: { type: 'string' } },
  required: ['id', 'org', 'email', 'role', 'invited_by', 'created'],
} as const;

function invitationView(i: InvitationRow): { id: string; org: string; email: string; role: string; invited_by: string; created: string } {
  return { id: i.id, org: i.org, email: i.email, role: i.role, invited_by: i.invitedBy, created: i.created };
}

/** The caller as the accounts service sees them. */
function caller({ principal, org, role }: Access): Caller {
  return { email: principal.email, org, role, serverAdmin: principal.serverAdmin };
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
    async (request) => members(ctx.store, access(request).org),
  );

  app.post(
    '/users',
    {
      config: { auth: 'admin' },
      bodyLimit: 8 * 1024,
      schema: {
        tags: ['accounts'],
        summary: "change a member's role, or invite someone (server admins: add them directly, creating the account)",
        description:
          "For an email that is a member of this organisation: its role changes (200). Otherwise an invitation is recorded (201), the same answer whether or not an account exists for the email; the membership exists once the invitee accepts it (POST /invitations/:id/accept). A server admin adds the user directly instead (201, creating the account, with a password if given).",
        querystring: ORG_ONLY,
        body: {
          type: 'object',
          properties: {
            email: { type: 'string', minLength: 3, maxLength: 320, pattern: PRINTABLE },
            role: { type: 'string', enum: [...ROLES] },
            password: { type: 'string', minLength: MIN_PASSWORD, maxLength: MAX_PASSWORD, description: 'server admins only, for a new account: browser sign-in (API keys need none)' },
          },
          required: ['email', 'role'],
          additionalProperties: false,
        },
        response: { 200: USER_ANSWER, 201: USER_ANSWER },
      },
    },
    async (request, reply) => {
      const b = request.body as { email: string; role: Role; password?: string };
      const { created, ...answer } = await putMember(ctx.store, caller(access(request)), b, now());
      if (created) void reply.status(201);
      return answer;
    },
  );

  app.get(
    '/users/invitations',
    {
      config: { auth: 'admin' },
      schema: {
        tags: ['accounts'],
        summary: "the organisation's pending invitations",
        querystring: ORG_ONLY,
        response: { 200: { type: 'array', items: INVITATION_VIEW } },
      },
    },
    async (request) => (await pendingInvitations(ctx.store, { org: access(request).org })).map(invitationView),
  );

  app.delete(
    '/users/invitations/:id',
    {
      config: { auth: 'admin' },
      schema: {
        tags: ['accounts'],
        summary: 'withdraw a pending invitation of the organisation',
        params: ID_PARAM,
        querystring: ORG_ONLY,
        response: { 200: INVITATION_VIEW },
      },
    },
    async (request) => {
      const { id } = request.params as { id: string };
      return invitationView(await withdrawInvitation(ctx.store, caller(access(request)), id, now()));
    },
  );

  app.get(
    '/invitations',
    {
      schema: {
        tags: ['accounts'],
        summary: 'your pending invitations (to your email), from any organisation',
        response: { 200: { type: 'array', items: INVITATION_VIEW } },
      },
    },
    async (request) => (await pendingInvitations(ctx.store, { email: request.principal!.email })).map(invitationView),
  );

  for (const answer of ['accept', 'decline'] as const) {
    app.post(
      `/invitations/:id/${answer}`,
      {
        bodyLimit: 1024,
        schema: {
          tags: ['accounts'],
          summary: answer === 'accept' ? 'accept an invitation: you become a member with its role' : 'decline an invitation',
          params: ID_PARAM,
          response: { 200: INVITATION_VIEW },
        },
      },
      async (request) => {
        const { id } = request.params as { id: string };
        return invitationView(await respondToInvitation(ctx.store, request.principal!.email, id, answer === 'accept', now()));
      },
    );
  }

  app.get(
    '/apikeys',
    {
      config: { auth: 'viewer' },
      schema: {
        tags: ['accounts'],
        summary: "your API keys for this organisation and your unscoped ones (never the keys themselves); admins may ask for a member's keys of this organisation with ?user=",
        querystring: { type: 'object', properties: { ...ORG_QUERY, user: { type: 'string', minLength: 3, maxLength: 320 } }, additionalProperties: false },
        response: { 200: { type: 'array', items: KEY_VIEW } },
      },
    },
    async (request) => {
      const a = access(request);
      const asked = normaliseEmail((request.query as { user?: string }).user ?? a.principal.email);
      return (await visibleApiKeys(ctx.store, caller(a), asked)).map(keyView);
    },
  );

  app.post(
    '/apikeys',
    {
      config: { auth: 'viewer' },
      bodyLimit: 4096,
      schema: {
        tags: ['accounts'],
        summary: 'create an API key for yourself that acts in this organisation only; the key is in this answer only',
        querystring: ORG_ONLY,
        body: { type: 'object', properties: { name: { type: 'string', minLength: 1, maxLength: 100, pattern: PRINTABLE } }, required: ['name'], additionalProperties: false },
        response: { 201: { type: 'object', properties: { ...KEY_VIEW.properties, key: { type: 'string', description: 'shown once: keep it' } }, required: [...KEY_VIEW.required, 'key'] } },
      },
    },
    async (request, reply) => {
      const { org, principal } = access(request);
      const { name } = request.body as { name: string };
      const at = now();
      const created = await issueApiKey(ctx.store, principal.email, { user: principal.email, name, org, now: at });
      void reply.status(201);
      return { id: created.id, user: principal.email, org, name, created: at, last_used: null, revoked: null, key: created.key };
    },
  );

  app.delete(
    '/apikeys/:id',
    {
      config: { auth: 'viewer' },
      schema: {
        tags: ['accounts'],
        summary: "revoke one of your API keys of this organisation or unscoped (admins: also a member's key of this organisation)",
        params: ID_PARAM,
        querystring: ORG_ONLY,
        response: { 200: KEY_VIEW },
      },
    },
    async (request) => {
      const { id } = request.params as { id: string };
      return keyView(await revokeApiKeyAs(ctx.store, caller(access(request)), id, now()));
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
      return auditPage(ctx.store, org, { ...(before !== undefined ? { before } : {}), limit });
    },
  );
}
