// Browser sessions: POST /session (email, password) sets an HttpOnly SameSite=Lax cookie and
// returns the CSRF token the UI sends on writes; DELETE /session signs out; GET /me says who
// you are, PUT /me/default-org where your requests act when they name no organisation. Failed
// sign-ins are limited per address and per account in the store (services/accounts.ts signIn).
import type { FastifyInstance } from 'fastify';
import { chooseDefaultOrg, signIn, signOut, type Principal } from '../../services/accounts.js';
import { SESSION_COOKIE } from '../auth.js';
import { ApiError, unauthorized } from '../errors.js';
import type { AppContext } from '../context.js';

const ME = {
  type: 'object',
  properties: {
    email: { type: 'string' },
    organisations: { type: 'array', items: { type: 'object', properties: { org: { type: 'string' }, role: { type: 'string' } }, required: ['org', 'role'] } },
    default_org: { type: ['string', 'null'], description: 'where a request that names no organisation acts' },
    server_admin: { type: 'boolean' },
    csrf: { type: 'string' },
  },
  required: ['email', 'organisations', 'default_org', 'server_admin'],
} as const;

function me(p: Principal): { email: string; organisations: readonly { org: string; role: string }[]; default_org: string | null; server_admin: boolean; csrf?: string } {
  const defaultOrg = p.keyOrg ?? (p.defaultOrg !== null && p.memberships.some((m) => m.org === p.defaultOrg) ? p.defaultOrg : null);
  return { email: p.email, organisations: p.memberships, default_org: defaultOrg, server_admin: p.serverAdmin, ...(p.csrf ? { csrf: p.csrf } : {}) };
}

export function registerSession(app: FastifyInstance, ctx: AppContext): void {
  app.post(
    '/session',
    {
      config: { auth: 'none' },
      bodyLimit: 4096,
      schema: {
        tags: ['session'],
        summary: 'sign in (browser session)',
        security: [],
        body: {
          type: 'object',
          properties: { email: { type: 'string', minLength: 3, maxLength: 320 }, password: { type: 'string', minLength: 1, maxLength: 1024 } },
          required: ['email', 'password'],
          additionalProperties: false,
        },
        response: { 200: { type: 'object', properties: { email: { type: 'string' }, csrf: { type: 'string' } }, required: ['email', 'csrf'] } },
      },
    },
    async (request, reply) => {
      const { email, password } = request.body as { email: string; password: string };
      const s = await signIn(ctx.store, email, password, request.ip, ctx.clock());
      if (!s.ok) {
        if (s.reason === 'limited') throw new ApiError(429, 'rate_limited', 'too many failed sign-ins; try again later');
        throw unauthorized('wrong email or password');
      }
      void reply.setCookie(SESSION_COOKIE, s.session, { httpOnly: true, sameSite: 'lax', secure: ctx.secureCookies, path: '/' });
      return { email: s.email, csrf: s.csrf };
    },
  );
  app.delete('/session', { schema: { tags: ['session'], summary: 'sign out' } }, async (request, reply) => {
    const cookie = request.cookies[SESSION_COOKIE];
    if (cookie) await signOut(ctx.store, cookie);
    void reply.clearCookie(SESSION_COOKIE, { path: '/' });
    return { ok: true };
  });
  app.get(
    '/me',
    {
      schema: {
        tags: ['session'],
        summary: 'who you are, your organisations and your default one',
        response: { 200: ME },
      },
    },
    (request) => Promise.resolve(me(request.principal!)),
  );
  app.put(
    '/me/default-org',
    {
      bodyLimit: 1024,
      schema: {
        tags: ['session'],
        summary: 'where your requests act when they name no organisation (one you are a member of)',
        body: { type: 'object', properties: { org: { type: 'string', minLength: 1, maxLength: 64 } }, required: ['org'], additionalProperties: false },
        response: { 200: ME },
      },
    },
    async (request) => {
      const p = request.principal!;
      const { org } = request.body as { org: string };
      await chooseDefaultOrg(ctx.store, p, org);
      return me({ ...p, defaultOrg: org });
    },
  );
}
